import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, chmodSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Ajv } from 'ajv';
import { afterAll, describe, expect, it } from 'vitest';
import { buildPrivateCli } from '../support/private-cli.js';
import { stylishRows } from '../support/stylish-rows.js';

const root = path.resolve(import.meta.dirname, '../..');
// the bundle users run, built privately (never racing another suite over dist/)
const built = buildPrivateCli();
const cli = built.cli;
afterAll(() => built.dispose());

function run(args: string[], opts: { cwd?: string } = {}) {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: opts.cwd ?? root, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}


describe('nginx-lint CLI', () => {
  it('exits 0 and says so on a valid tree, following includes', () => {
    const r = run(['fixtures/cli/valid']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('2 files checked, no problems\n');
  });

  it('reports every error with path:line:col, severity, message and rule, then exits 1', () => {
    const r = run(['fixtures/cli/broken/nginx.conf']);
    expect(r.code).toBe(1);
    const lines = r.stdout.trim().split('\n');
    // grouped under the file: its name, then line:col  severity  message  rule
    expect(lines[0]).toBe('fixtures/cli/broken/nginx.conf');
    expect(stylishRows(r.stdout)).toEqual([
      'fixtures/cli/broken/nginx.conf:5:9  error  unknown directive "proxy_conect_timeout"  nginx-unknown-directive',
      'fixtures/cli/broken/nginx.conf:7:13  error  "server_name" directive is not allowed here  nginx-directive-context',
    ]);
    expect(lines.at(-1)).toBe('2 problems (2 errors, 0 warnings) in 1 file');
  });

  it('prints JSON that validates against schemas/output.schema.json, paths as given', () => {
    const r = run(['--format', 'json', 'fixtures/cli/broken']);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    const ajv = new Ajv({ allErrors: true });
    const validate = ajv.compile(JSON.parse(readFileSync(path.join(root, 'schemas/output.schema.json'), 'utf8')));
    expect(validate(out), JSON.stringify(validate.errors)).toBe(true);
    expect(out.diagnostics[0]).toMatchObject({ file: 'fixtures/cli/broken/nginx.conf', line: 5, column: 9, endLine: 5, rule: 'nginx-unknown-directive', severity: 'error', related: [], fixable: false });
    expect(out.summary).toEqual({ errors: 2, warnings: 0, infos: 0, fixable: 0 });
    expect(out.nginxVersionAssumed).toBe(true);
  });

  it('exits 2 with a one-line reason for a missing path, no stack trace', () => {
    const r = run(['does/not/exist.conf']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('nginx-lint: cannot read "does/not/exist.conf": No such file or directory\n');
  });

  it('exits 2 for an unreadable file', () => {
    if (process.getuid?.() === 0) {
      // root reads everything; prove the path through a directory given where a file is expected instead
      const r = run(['parse', 'fixtures/cli/valid']);
      expect(r.code).toBe(2);
      expect(r.stderr).toBe('nginx-lint: cannot read "fixtures/cli/valid": Is a directory\n');
      return;
    }
    const dir = mkdtempSync(path.join(tmpdir(), 'nl-'));
    const f = path.join(dir, 'nginx.conf');
    writeFileSync(f, 'events {}\n');
    chmodSync(f, 0);
    const r = run([f]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`nginx-lint: cannot read "${f}": Permission denied\n`);
  });

  it('exits 2 on bad arguments', () => {
    const r = run(['--format', 'xml', 'fixtures/cli/valid']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^nginx-lint: Invalid values:/);
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
    const v = run(['--nginx-version', 'latest', 'fixtures/cli/valid']);
    expect(v.code).toBe(2);
    expect(v.stderr).toBe('nginx-lint: invalid nginx version "latest" (expected e.g. 1.22.1)\n');
  });

  it('--print-stack prints text or JSON, and says so for another format instead of printing text to a SARIF upload', () => {
    expect(run(['--print-stack', 'examples/stack']).stdout).toMatch(/^stack 1\n {2}nginx {5}examples\/stack\/etc\/nginx\/nginx\.conf\n/);
    expect(JSON.parse(run(['--print-stack', '--format', 'json', 'examples/stack']).stdout).stacks).toHaveLength(1);
    for (const format of ['sarif', 'github']) {
      const r = run(['--print-stack', '--format', format, 'examples/stack']);
      expect([r.code, r.stdout, r.stderr]).toEqual([2, '', `nginx-lint: --print-stack prints text (the default) or JSON (--format json), not --format ${format}\n`]);
    }
  });

  it('lints a fragment in the context it is given', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'nl-'));
    const f = path.join(dir, 'site.conf');
    writeFileSync(f, 'listen 80;\nlocation / { return 204; }\n');
    expect(run(['--context', 'server', f]).code).toBe(0);
    const r = run(['--context', 'http', f]);
    expect(r.code).toBe(1);
    expect(stylishRows(r.stdout)).toContain(`${f}:1:1  error  "listen" directive is not allowed here  nginx-directive-context`);
  });

  it('infers the context of a fragment nobody includes', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'nl-'));
    const f = path.join(dir, 'site.conf');
    writeFileSync(f, 'server {\n  listen 80;\n  location / { return 204; }\n}\n');
    const r = run([f]);
    expect(r.stdout).toBe('1 file checked, no problems\n');
    expect(r.code).toBe(0);
  });

  it('parse prints crossplane-style JSON', () => {
    const r = run(['parse', '--single-file', 'fixtures/cli/valid/conf.d/site.conf', '--context', 'http']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      status: 'ok',
      errors: [],
      config: [
        {
          file: 'fixtures/cli/valid/conf.d/site.conf',
          status: 'ok',
          errors: [],
          parsed: [
            {
              directive: 'server',
              line: 1,
              args: [],
              block: [
                { directive: 'listen', line: 2, args: ['8080'] },
                { directive: 'location', line: 3, args: ['/'], block: [{ directive: 'return', line: 4, args: ['200', 'ok\\n'] }] },
              ],
            },
          ],
        },
      ],
    });
  });
});

describe('nginx-lint - (standard input)', () => {
  const stdin = (input: string, args: string[] = []) => {
    const r = spawnSync(process.execPath, [cli, ...args, '-'], { cwd: root, input, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };

  it('reads nginx -T output, with positions in the dumped files', () => {
    const dump = [
      'nginx: the configuration file /etc/nginx/nginx.conf syntax is ok',
      '# configuration file /etc/nginx/nginx.conf:',
      'events {}',
      'http {',
      '    include /etc/nginx/conf.d/*.conf;',
      '}',
      '',
      '# configuration file /etc/nginx/conf.d/app.conf:',
      'server {',
      '    listen 80;',
      '    proxy_conect_timeout 5s;',
      '}',
      '',
    ].join('\n');
    const r = stdin(dump);
    expect(r.code).toBe(1);
    expect(stylishRows(r.stdout)[0]).toBe('/etc/nginx/conf.d/app.conf:3:5  error  unknown directive "proxy_conect_timeout"  nginx-unknown-directive');
  });

  it('reads one nginx file when the input is not a dump', () => {
    const r = stdin('events {}\nhttp { server { listen 80; } }\n');
    expect(r.stdout).toBe('1 file checked, no problems\n');
    expect(r.code).toBe(0);
  });
});
