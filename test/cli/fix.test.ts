/**
 * --fix and --fix-dry-run (--diff) through the bundled CLI, on temp copies of
 * fixtures/fix. The bundle is built by the project's own build script into a
 * private directory, so this suite never races another suite's rebuild of dist/.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPrivateCli } from '../support/private-cli.js';
import { stylishRows } from '../support/stylish-rows.js';

const root = path.resolve(import.meta.dirname, '../..');
const fixtures = path.join(root, 'fixtures/fix');
let build: ReturnType<typeof buildPrivateCli>;
let cli: string;
let work: string;

beforeAll(() => {
  build = buildPrivateCli();
  cli = build.cli;
  work = fs.mkdtempSync(path.join(tmpdir(), 'nl-fix-'));
});
afterAll(() => {
  build.dispose();
  fs.rmSync(work, { recursive: true, force: true });
});

function run(args: string[], cwd: string, input?: string) {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd, input, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function runRaw(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd, env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr.toString('utf8') };
}

let copies = 0;
/** a fresh copy of a fixture directory */
function copy(name: string): string {
  const dest = path.join(work, `${name}-${++copies}`);
  fs.cpSync(path.join(fixtures, name), dest, { recursive: true });
  return dest;
}

const snapshot = (dir: string) => Object.fromEntries(fs.readdirSync(dir).map((n) => [n, fs.readFileSync(path.join(dir, n))]));

const FIXED_GUNICORN = `# gunicorn settings for the fix tests: three values gunicorn rejects that have
# an obvious literal, and one (a negative timeout) that has none.
bind = ['8000']
workers = 4
preload_app = True
daemon = True
timeout = -1
loglevel = '10'
`;
const REMAINS = 'gunicorn.conf.py:7:11  error  Invalid value for timeout: -1: Value must be positive: -1  gunicorn-invalid-value';
/** stylish report lines of the fixture's own rules (other rules may add findings about the stack; they are not this suite's concern) */
const gunicornLines = (report: string) => stylishRows(report).filter((l) => / {2}gunicorn-[a-z-]+$/.test(l));

describe('nginx-lint --fix', () => {
  it('writes the fixes, reports what remains on stdout, and exits by what remains', () => {
    const dir = copy('stack');
    const before = run(['.'], dir);
    expect(gunicornLines(before.stdout)).toHaveLength(5);
    expect(before.stdout).toMatch(/^4 fixable with --fix$/m);
    const r = run(['--fix', '.'], dir);
    expect(r.stderr).toBe('nginx-lint: fixed 4 problems in 1 file\n');
    expect(gunicornLines(r.stdout)).toEqual([REMAINS]);
    expect(r.stdout).toMatch(/^\d+ problems? \(1 error, /m);
    expect(r.stdout).not.toMatch(/fixable with --fix/);
    expect(r.code).toBe(1);
    expect(fs.readFileSync(path.join(dir, 'gunicorn.conf.py'), 'utf8')).toBe(FIXED_GUNICORN);
    expect(fs.readdirSync(dir)).toEqual(['gunicorn.conf.py']);
  });

  it('leaves the files it does not fix alone', () => {
    const dir = copy('stack');
    fs.copyFileSync(path.join(fixtures, 'clean/gunicorn.conf.py'), path.join(dir, 'other.conf.py'));
    const other = fs.statSync(path.join(dir, 'other.conf.py'));
    expect(run(['--fix', 'gunicorn.conf.py', 'other.conf.py'], dir).code).toBe(1);
    expect(fs.readFileSync(path.join(dir, 'other.conf.py'))).toEqual(fs.readFileSync(path.join(fixtures, 'clean/gunicorn.conf.py')));
    expect(fs.statSync(path.join(dir, 'other.conf.py')).ino).toBe(other.ino);
  });

  it('a second --fix changes nothing (the file is not even rewritten)', () => {
    const dir = copy('stack');
    expect(run(['--fix', '.'], dir).code).toBe(1);
    const file = path.join(dir, 'gunicorn.conf.py');
    const before = fs.statSync(file);
    const bytes = fs.readFileSync(file);
    const r = run(['--fix', '.'], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    expect(gunicornLines(r.stdout)).toEqual([REMAINS]);
    expect(fs.readFileSync(file)).toEqual(bytes);
    expect(fs.statSync(file).ino).toBe(before.ino);
  });

  it('exits 0 when nothing remains after fixing', () => {
    const dir = copy('stack');
    const file = path.join(dir, 'gunicorn.conf.py');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('timeout = -1', 'timeout = 30'));
    const r = run(['--fix', '--format', 'json', '.'], dir);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.diagnostics.filter((d: { rule: string }) => d.rule.startsWith('gunicorn-'))).toEqual([]);
    expect(out.summary).toMatchObject({ errors: 0, fixable: 0 });
  });

  it('writes nothing, prints one line and exits 2 when another file fails to parse', () => {
    for (const flag of ['--fix', '--diff']) {
      const dir = copy('broken');
      const before = snapshot(dir);
      const r = run([flag, '.'], dir);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe('nginx-lint: not fixing: a file failed to parse: nginx.conf:11:1: unexpected end of file, expecting "}" (nginx-syntax); nothing was written\n');
      expect(snapshot(dir)).toEqual(before);
    }
  });

  it('refuses standard input and --fix with --diff (exit 2)', () => {
    const dir = copy('stack');
    const stdin = run(['--fix', '-'], dir, 'events {}\n');
    expect(stdin.code).toBe(2);
    expect(stdin.stderr).toBe('nginx-lint: --fix cannot be used with standard input ("-"): fixes are edits of the files themselves; name the files instead\n');
    const diffStdin = run(['--diff', '-'], dir, 'events {}\n');
    expect(diffStdin.code).toBe(2);
    expect(diffStdin.stdout).toBe('');
    const both = run(['--fix', '--diff', '.'], dir);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/^nginx-lint: Arguments fix and fix-dry-run are mutually exclusive/);
    expect(fs.readFileSync(path.join(dir, 'gunicorn.conf.py'))).toEqual(fs.readFileSync(path.join(fixtures, 'stack/gunicorn.conf.py')));
  });

  it('writes through a symlink and keeps CRLF, Latin-1, mode and owner', () => {
    const dir = path.join(work, `links-${++copies}`);
    fs.mkdirSync(path.join(dir, 'real'), { recursive: true });
    fs.mkdirSync(path.join(dir, 'app'));
    const target = path.join(dir, 'real/gunicorn.conf.py');
    fs.writeFileSync(target, Buffer.from('# r\xe9glages\r\nworkers = 2\r\ndaemon = 1\r\n', 'latin1'));
    fs.chmodSync(target, 0o640);
    const isRoot = process.getuid?.() === 0;
    if (isRoot) fs.chownSync(target, 1234, 1234);
    fs.symlinkSync('../real/gunicorn.conf.py', path.join(dir, 'app/gunicorn.conf.py'));

    const diff = runRaw(['--diff', 'app/gunicorn.conf.py'], dir);
    expect(diff.code).toBe(0);
    // the diff names the real file: that is what patch and git apply must open
    expect(diff.stdout).toEqual(
      Buffer.from('--- a/real/gunicorn.conf.py\n+++ b/real/gunicorn.conf.py\n@@ -1,3 +1,3 @@\n # r\xe9glages\r\n workers = 2\r\n-daemon = 1\r\n+daemon = True\r\n', 'latin1'),
    );

    const r = run(['--fix', 'app/gunicorn.conf.py'], dir);
    expect(r.code).toBe(0);
    expect(fs.lstatSync(path.join(dir, 'app/gunicorn.conf.py')).isSymbolicLink()).toBe(true);
    expect(fs.readFileSync(target)).toEqual(Buffer.from('# r\xe9glages\r\nworkers = 2\r\ndaemon = True\r\n', 'latin1'));
    const st = fs.statSync(target);
    expect(st.mode & 0o7777).toBe(0o640);
    if (isRoot) expect([st.uid, st.gid]).toEqual([1234, 1234]);
    else expect(st.uid).toBe(process.getuid?.());
    expect(fs.readdirSync(path.join(dir, 'real'))).toEqual(['gunicorn.conf.py']);
  });

  it('takes --fix-strategy upstream|nginx and rejects anything else', () => {
    const dir = copy('stack');
    expect(run(['--diff', '--fix-strategy', 'nginx', '.'], dir).code).toBe(1);
    const bad = run(['--fix', '--fix-strategy', 'both', '.'], dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^nginx-lint: Invalid values:/);
    expect(fs.readFileSync(path.join(dir, 'gunicorn.conf.py'))).toEqual(fs.readFileSync(path.join(fixtures, 'stack/gunicorn.conf.py')));
  });
});

describe('nginx-lint --fix-dry-run / --diff', () => {
  it('prints only the diff on stdout, the remaining findings and a summary on stderr, and writes nothing', () => {
    const dir = copy('stack');
    const before = snapshot(dir);
    const r = run(['--diff', '.'], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(
      [
        '--- a/gunicorn.conf.py',
        '+++ b/gunicorn.conf.py',
        '@@ -1,8 +1,8 @@',
        ' # gunicorn settings for the fix tests: three values gunicorn rejects that have',
        ' # an obvious literal, and one (a negative timeout) that has none.',
        '-bind = 8000',
        '+bind = [\'8000\']',
        ' workers = 4',
        '-preload_app = "yes"',
        '-daemon = 1',
        '+preload_app = True',
        '+daemon = True',
        ' timeout = -1',
        '-loglevel = 10',
        "+loglevel = '10'",
        '',
      ].join('\n'),
    );
    expect(gunicornLines(r.stderr)).toEqual([REMAINS]);
    expect(r.stderr).toMatch(/^\d+ problems? \(1 error, .*\nnginx-lint: the diff fixes 4 problems in 1 file; nothing was written\n$/m);
    expect(snapshot(dir)).toEqual(before);
    expect(run(['--fix-dry-run', '.'], dir).stdout).toBe(r.stdout);
  });

  it('applies with git apply and with patch -p1, to the same bytes --fix writes', () => {
    const fixed = copy('stack');
    run(['--fix', '.'], fixed);
    const expected = snapshot(fixed);

    const viaGit = copy('stack');
    const piped = spawnSync('sh', ['-c', `"${process.execPath}" "${cli}" --diff . | git apply --check && "${process.execPath}" "${cli}" --diff . | git apply`], { cwd: viaGit, encoding: 'utf8' });
    expect(piped.status, piped.stderr).toBe(0);
    expect(snapshot(viaGit)).toEqual(expected);

    const viaPatch = copy('stack');
    const diff = run(['--diff', '.'], viaPatch).stdout;
    const dry = spawnSync('patch', ['-p1', '--dry-run', '--batch'], { cwd: viaPatch, input: diff, encoding: 'utf8' });
    expect(dry.status, dry.stdout + dry.stderr).toBe(0);
    const real = spawnSync('patch', ['-p1', '--batch', '--no-backup-if-mismatch'], { cwd: viaPatch, input: diff, encoding: 'utf8' });
    expect(real.status, real.stdout + real.stderr).toBe(0);
    expect(snapshot(viaPatch)).toEqual(expected);
  });

  it('roots the paths at / when the files are outside the current directory, and says how to apply', () => {
    const dir = copy('stack');
    const elsewhere = fs.mkdtempSync(path.join(work, 'cwd-'));
    const real = fs.realpathSync(dir);
    const r = run(['--diff', dir], elsewhere);
    expect(r.stdout.startsWith(`--- a${real}/gunicorn.conf.py\n+++ b${real}/gunicorn.conf.py\n`)).toBe(true);
    expect(r.stderr).toContain('paths are relative to /: apply with `patch -p1 -d /`');
    const applied = spawnSync('patch', ['-p1', '-d', '/', '--batch', '--no-backup-if-mismatch'], { cwd: elsewhere, input: r.stdout, encoding: 'utf8' });
    expect(applied.status, applied.stdout + applied.stderr).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'gunicorn.conf.py'), 'utf8')).toBe(FIXED_GUNICORN);
  });

  it('prints nothing on stdout when there is nothing to fix', () => {
    const dir = copy('clean');
    const r = run(['--diff', '.'], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/\nnginx-lint: nothing to fix\n$/);
    expect(gunicornLines(r.stderr)).toEqual([]);
  });
});
