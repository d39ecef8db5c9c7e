/**
 * Every input the CLI cannot use, through the bundled CLI: the exit code, the
 * exact message (one line on stderr for exit 2, a finding at file:line:col for
 * exit 1), never a stack trace, never a hang. The cases are the table in
 * bad-input-cases.ts (the README's "Reliability" list is printed from it by
 * scripts/fuzz/bad-input-table.ts).
 *
 * Permission cases: root reads any file whatever its mode, so when the tests
 * run as root (CI does) the CLI runs as `nobody` through setpriv(1); as any
 * other user it runs as that user.
 *
 * Then: configuration that would run code if anything executed it (a
 * gunicorn.conf.py calling os.system, unit files and Procfiles with command
 * substitutions) is linted, graphed and printed, and nothing runs.
 */
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPrivateCli } from '../support/private-cli.js';
import { BAD_INPUTS, findingsOf, plainDir, runCli, type Invocation } from './bad-input-cases.js';

let cli: { cli: string; dispose(): void };
const dirs: string[] = [];

beforeAll(() => {
  cli = buildPrivateCli();
  // `nobody` must reach the bundle: mkdtemp makes its directory 0700
  fs.chmodSync(path.dirname(path.dirname(cli.cli)), 0o755);
}, 120_000);
afterAll(() => {
  cli?.dispose();
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

function freshDir(): string {
  const dir = fs.mkdtempSync(path.join(tmpdir(), 'nl-bad-'));
  fs.chmodSync(dir, 0o755);
  dirs.push(dir);
  return dir;
}

const run = (inv: Invocation, cwd: string, extra?: string[]) => runCli(cli.cli, inv, cwd, extra);

describe('bad input: a clear message, exit 2 or a finding, never a trace', () => {
  for (const c of BAD_INPUTS) {
    it(`${c.input}: exit ${c.code}`, () => {
      const dir = freshDir();
      const r = run(c.setup(dir), dir);
      const plain = plainDir(dir);
      expect(r.stderr).not.toMatch(/^\s+at /m);
      expect(r.stderr).not.toMatch(/internal error/);
      expect({ code: r.status, signal: r.signal }).toEqual({ code: c.code, signal: null });
      if (c.code === 2) {
        expect(plain(r.stderr)).toBe(`nginx-lint: ${c.stderr}\n`);
        expect(r.stdout).toBe('');
      } else {
        expect(findingsOf(r.stdout, plain)).toContainEqual(c.finding);
        if (c.never) expect(r.stdout).not.toMatch(c.never);
      }
      if (c.after) expect(c.after(dir)).toEqual([]);
    });
  }
});

describe('--fix under --root writes inside the image only', () => {
  it('an image symlink to a host path is resolved inside the image: the host file is never read, never written', () => {
    const dir = freshDir();
    const root = path.join(dir, 'rootfs');
    fs.cpSync(path.resolve(import.meta.dirname, '../../examples/stack'), root, { recursive: true });
    // the shop site lives on this machine, outside the image; the image links to it by its absolute path
    const host = path.join(dir, 'host/shop.conf');
    fs.mkdirSync(path.dirname(host));
    fs.renameSync(path.join(root, 'etc/nginx/conf.d/shop.conf'), host);
    fs.symlinkSync(host, path.join(root, 'etc/nginx/conf.d/shop.conf'));
    const hostBytes = fs.readFileSync(host);
    const appBefore = fs.readFileSync(path.join(root, 'etc/nginx/conf.d/app.conf'));

    const r = run({ args: ['--fix', '--root', 'rootfs'] }, dir);
    expect(r.stderr).not.toMatch(/^\s+at /m);
    expect(r.status, r.stderr).toBe(1);
    // fixed inside the image, untouched outside it
    expect(fs.readFileSync(path.join(root, 'etc/nginx/conf.d/app.conf')).equals(appBefore)).toBe(false);
    expect(fs.readFileSync(host).equals(hostBytes)).toBe(true);
    expect(fs.readlinkSync(path.join(root, 'etc/nginx/conf.d/shop.conf'))).toBe(host);
    expect(r.stdout).not.toContain('host/shop.conf');
  });
});

describe('nothing a configuration says is ever run', () => {
  const TRACES = ['/tmp/nginx-lint-gunicorn-executed.txt', '/tmp/nginx-lint-gunicorn-os-system.txt', '/tmp/nginx-lint-gunicorn-subprocess.txt'];

  it('lint, --diff, --print-stack, graph and parse --values read a hostile stack without running any of it', () => {
    const dir = freshDir();
    const marker = (name: string) => path.join(dir, `ran-${name}`);
    fs.mkdirSync(path.join(dir, 'app'));
    fs.copyFileSync(path.resolve(import.meta.dirname, '../../fixtures/gunicorn/configs/never-execute.conf.py'), path.join(dir, 'app/gunicorn.conf.py'));
    fs.writeFileSync(
      path.join(dir, 'app/app.service'),
      `[Service]\nExecStartPre=/bin/touch ${marker('pre')}\nExecStart=/bin/sh -c 'touch ${marker('sh')}; exec gunicorn -c gunicorn.conf.py --bind $(touch ${marker('subst')}) app:app'\nEnvironment="GUNICORN_CMD_ARGS=--timeout \`touch ${marker('backtick')}\`"\n`,
    );
    fs.writeFileSync(path.join(dir, 'app/Procfile'), `web: touch ${marker('procfile')} && gunicorn --workers $(touch ${marker('procfile-subst')}) app:app\n`);
    fs.writeFileSync(path.join(dir, 'app/start.sh'), `#!/bin/sh\ntouch ${marker('script')}\nexec gunicorn --bind "unix:$(touch ${marker('script-subst')})" app:app\n`);
    const runs = [
      run({ args: ['app'] }, dir, []),
      run({ args: ['--diff', 'app'] }, dir, []),
      run({ args: ['--print-stack', 'app'] }, dir, []),
      run({ args: ['graph', 'app'] }, dir, []),
      run({ args: ['parse', '--values', 'app/gunicorn.conf.py'] }, dir, []),
      run({ args: ['parse', '--values', 'app/app.service'] }, dir, []),
    ];
    for (const r of runs) {
      expect(r.signal).toBeNull();
      expect([0, 1]).toContain(r.status);
      expect(r.stderr).not.toMatch(/^\s+at /m);
    }
    // it was read: the config's sys.exit() is reported, as gunicorn would meet it
    expect(runs[0]!.stdout).toContain('sys.exit(3)');
    expect(fs.readdirSync(dir).filter((n) => n.startsWith('ran-'))).toEqual([]);
    for (const t of TRACES) expect(fs.existsSync(t), `${t} exists`).toBe(false);
  });
});
