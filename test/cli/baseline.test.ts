import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Ajv } from 'ajv';
import { afterAll, describe, expect, it } from 'vitest';
import { buildPrivateCli } from '../support/private-cli.js';

const root = path.resolve(import.meta.dirname, '../..');
const built = buildPrivateCli();
const work = mkdtempSync(path.join(tmpdir(), 'nl-cli-baseline-'));
afterAll(() => {
  built.dispose();
  rmSync(work, { recursive: true, force: true });
});

function run(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [built.cli, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** a legacy stack: a misspelt directive, and gunicorn killing workers before nginx gives up (fixable) */
const nginxConf = (top = '') =>
  `${top}events {}\nhttp {\n    server {\n        listen 80;\n        proxy_conect_timeout 5s;\n        location / {\n            proxy_pass http://127.0.0.1:8000;\n        }\n    }\n}\n`;
const gunicornConf = 'bind = "127.0.0.1:8000"\ntimeout = 30\n';

function project(name: string): string {
  const dir = path.join(work, name);
  mkdirSync(path.join(dir, 'stack/nginx'), { recursive: true });
  mkdirSync(path.join(dir, 'stack/app'), { recursive: true });
  writeFileSync(path.join(dir, 'stack/nginx/nginx.conf'), nginxConf());
  writeFileSync(path.join(dir, 'stack/app/gunicorn.conf.py'), gunicornConf);
  return dir;
}

describe('--write-baseline / --baseline', () => {
  it('records the findings, then reports only new ones, says what it hid and what is stale', () => {
    const dir = project('flow');
    const before = run(['stack'], dir);
    expect(before.code).toBe(1);

    // the directory must exist: a clear error, exit 2
    const noDir = run(['--write-baseline', 'ci/baseline.json', 'stack'], dir);
    expect({ code: noDir.code, stderr: noDir.stderr }).toEqual({ code: 2, stderr: 'nginx-lint: cannot write baseline "ci/baseline.json": No such file or directory\n' });
    mkdirSync(path.join(dir, 'ci'));
    const written = run(['--write-baseline', 'ci/baseline.json', 'stack'], dir);
    expect({ code: written.code, stdout: written.stdout, stderr: written.stderr }).toEqual({
      code: 0,
      stdout: '',
      stderr: 'nginx-lint: wrote 2 findings to the baseline ci/baseline.json; lint with --baseline ci/baseline.json to see only new ones\n',
    });
    const baseline = JSON.parse(readFileSync(path.join(dir, 'ci/baseline.json'), 'utf8')) as { entries: { file: string; rule: string }[] };
    expect(baseline.entries.map((e) => `${e.file} ${e.rule}`).sort()).toEqual(['../stack/app/gunicorn.conf.py gunicorn-timeout-order', '../stack/nginx/nginx.conf nginx-unknown-directive']);

    const quiet = run(['--baseline', 'ci/baseline.json', 'stack'], dir);
    expect(quiet.code).toBe(0);
    expect(quiet.stdout).toBe('2 files checked, no problems\n');
    expect(quiet.stderr).toBe('nginx-lint: 2 findings hidden by the baseline ci/baseline.json\n');

    // lines inserted above the recorded ones, and one new mistake
    writeFileSync(path.join(dir, 'stack/nginx/nginx.conf'), nginxConf('# managed by hand\n\nworker_procezzes 2;\n'));
    const added = run(['--baseline', 'ci/baseline.json', '--format', 'json', 'stack'], dir);
    expect(added.code).toBe(1);
    const report = JSON.parse(added.stdout) as { diagnostics: { file: string; line: number; rule: string }[]; summary: { baselined: number; errors: number } };
    expect(report.diagnostics.map((d) => `${d.file}:${d.line} ${d.rule}`)).toEqual(['stack/nginx/nginx.conf:3 nginx-unknown-directive']);
    expect(report.summary).toMatchObject({ errors: 1, baselined: 2 });
    const validate = new Ajv({ allErrors: true }).compile(JSON.parse(readFileSync(path.join(root, 'schemas/output.schema.json'), 'utf8')));
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true);

    // the recorded misspelling fixed: its entry is stale
    writeFileSync(path.join(dir, 'stack/nginx/nginx.conf'), nginxConf().replace('proxy_conect_timeout', 'proxy_connect_timeout'));
    const fixed = run(['--baseline', 'ci/baseline.json', 'stack'], dir);
    expect(fixed.code).toBe(0);
    expect(fixed.stderr).toBe('nginx-lint: 1 finding hidden by the baseline ci/baseline.json\nnginx-lint: 1 baseline entry no longer matches (fixed or changed); run --write-baseline ci/baseline.json to drop it\n');
  });

  it('--fix leaves baselined findings alone', () => {
    const dir = project('fix');
    expect(run(['--write-baseline', 'baseline.json', 'stack'], dir).code).toBe(0);
    const r = run(['--fix', '--baseline', 'baseline.json', 'stack'], dir);
    expect(r.code).toBe(0);
    expect(readFileSync(path.join(dir, 'stack/app/gunicorn.conf.py'), 'utf8')).toBe(gunicornConf);
    // without the baseline, --fix raises gunicorn's timeout
    run(['--fix', 'stack'], dir);
    expect(readFileSync(path.join(dir, 'stack/app/gunicorn.conf.py'), 'utf8')).toBe('bind = "127.0.0.1:8000"\ntimeout = 61\n');
  });

  it('a missing or invalid baseline is exit 2 with one line, no stack trace', () => {
    const dir = project('bad');
    const missing = run(['--baseline', 'nope.json', 'stack'], dir);
    expect({ code: missing.code, stdout: missing.stdout, stderr: missing.stderr }).toEqual({
      code: 2,
      stdout: '',
      stderr: 'nginx-lint: cannot read baseline "nope.json": No such file or directory (create it with --write-baseline nope.json)\n',
    });
    writeFileSync(path.join(dir, 'bad.json'), JSON.stringify({ version: 1, entries: [{ rule: 'x', file: 'a' }] }));
    const invalid = run(['--baseline', 'bad.json', 'stack'], dir);
    expect({ code: invalid.code, stderr: invalid.stderr }).toEqual({ code: 2, stderr: 'nginx-lint: invalid baseline "bad.json": /entries/0 must have required property \'fingerprint\'\n' });
    expect(existsSync(path.join(dir, 'stack/nginx/nginx.conf'))).toBe(true);
    const both = run(['--write-baseline', 'b.json', '--fix', 'stack'], dir);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/^nginx-lint: Arguments write-baseline and fix are mutually exclusive/);
  });
});
