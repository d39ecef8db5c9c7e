/**
 * The config file through the bundled CLI: found upward from the current
 * directory, --config, --no-config; severities, options, ignore, the stack;
 * flags winning; --print-config; invalid files (exit 2, one line per problem
 * at its key). Runs on temp copies of fixtures/config/project, outside the
 * repository, so no config file above them is found by accident.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { privateCliWorkspace } from '../support/private-cli.js';

const root = path.resolve(import.meta.dirname, '../..');
const cli = privateCliWorkspace('nl-config-');
const run = cli.run;
let copies = 0;

/** A fresh copy of fixtures/config/project (without its editor-only $schema path). */
function project(): string {
  const dir = path.join(cli.work, `project-${++copies}`);
  fs.cpSync(path.join(root, 'fixtures/config/project'), dir, { recursive: true });
  return dir;
}

interface Row {
  file: string;
  line: number;
  rule: string;
  severity: string;
  message: string;
}

function findings(args: string[], cwd: string): { code: number | null; rows: string[]; stderr: string } {
  const r = run(['--format', 'json', ...args], cwd);
  if (r.code === 2) return { code: r.code, rows: [], stderr: r.stderr };
  const out = JSON.parse(r.stdout) as { diagnostics: Row[] };
  return { code: r.code, rows: out.diagnostics.map((d) => `${d.file}:${d.line} ${d.severity} ${d.rule}`), stderr: r.stderr };
}

describe('the config file', () => {
  it('without it (--no-config): every rule at its default, every file walked', () => {
    const dir = project();
    const r = findings(['--no-config'], dir);
    expect(r.rows).toEqual([
      'etc/nginx/nginx.conf:8 error nginx-unknown-directive',
      'etc/nginx/nginx.conf.dpkg-old:5 error nginx-syntax',
      'etc/nginx/nginx.conf.dpkg-old:6 error nginx-syntax',
      'etc/nginx/snippets/legacy.conf:2 error nginx-unknown-directive',
      'etc/php/8.2/fpm/pool.d/www.conf:14 warning fpm-listen-open',
    ]);
    expect(r.code).toBe(1);
  });

  it('found in the current directory: rules off and re-graded, an option, nginxUser, ignore', () => {
    const dir = project();
    const r = findings([], dir);
    expect(r.rows).toEqual([
      // a custom module's directive: a warning, not an error
      'etc/nginx/nginx.conf:8 warning nginx-unknown-directive',
      // nginx.conf has no `user`: the config's nginxUser is the worker user
      'etc/php/8.2/fpm/pool.d/www.conf:6 error fpm-socket-permissions',
      // 27s is under gunicorn's 30s, but not by the 5s margin
      'srv/app/gunicorn.conf.py:2 error gunicorn-timeout-order',
    ]);
    // fpm-listen-open is off; *.dpkg-old is not walked; legacy.conf is read through the include but its findings are dropped
    expect(r.code).toBe(1);
    const text = run([], dir).stdout;
    expect(text).toContain("nginx's user www-data (nginxUser in .nginx-lint.json) cannot connect to unix:/run/php/php8.2-fpm.sock");
    expect(text).toContain('proxy_read_timeout 27s at etc/nginx/nginx.conf:12 leaves no more than the 5s margin (option "margin") before gunicorn timeout 30s');
  });

  it('found upward from a subdirectory: its paths resolve against its own directory', () => {
    const dir = project();
    const r = findings([], path.join(dir, 'srv/app'));
    expect(r.rows).toEqual(['../../etc/nginx/nginx.conf:8 warning nginx-unknown-directive', '../../etc/php/8.2/fpm/pool.d/www.conf:6 error fpm-socket-permissions', '../../srv/app/gunicorn.conf.py:2 error gunicorn-timeout-order']);
  });

  it('named with --config from anywhere', () => {
    const dir = project();
    const r = findings(['--config', path.join(dir, '.nginx-lint.json')], cli.work);
    expect(r.rows).toEqual([
      `${path.basename(dir)}/etc/nginx/nginx.conf:8 warning nginx-unknown-directive`,
      `${path.basename(dir)}/etc/php/8.2/fpm/pool.d/www.conf:6 error fpm-socket-permissions`,
      `${path.basename(dir)}/srv/app/gunicorn.conf.py:2 error gunicorn-timeout-order`,
    ]);
    const missing = run(['--config', 'nope.json'], cli.work);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe('nginx-lint: cannot read config file "nope.json": No such file or directory\n');
    expect(run(['--config', ''], cli.work).stderr).toBe('nginx-lint: --config needs a file name (or --no-config to use none)\n');
  });

  it('command-line flags win: --nginx-user, paths on the command line (the config still grades the rules)', () => {
    const dir = project();
    expect(findings(['--nginx-user', 'app'], dir).rows).not.toContain('etc/php/8.2/fpm/pool.d/www.conf:6 error fpm-socket-permissions');
    // a file named on the command line replaces the config's paths, and is linted even though `ignore` matches it
    expect(findings(['etc/nginx/nginx.conf.dpkg-old'], dir).rows).toEqual(['etc/nginx/nginx.conf.dpkg-old:5 error nginx-syntax', 'etc/nginx/nginx.conf.dpkg-old:6 error nginx-syntax']);
    expect(findings(['etc/nginx'], dir).rows).toEqual(['etc/nginx/nginx.conf:8 warning nginx-unknown-directive']);
  });

  it('--fix keeps the option: gunicorn timeout raised to nginx + margin + 1; --fix-strategy nginx lowers nginx to 1s under timeout - margin', () => {
    const dir = project();
    const r = run(['--fix'], dir);
    expect(r.stderr).toBe('nginx-lint: fixed 2 problems in 2 files\n');
    expect(fs.readFileSync(path.join(dir, 'srv/app/gunicorn.conf.py'), 'utf8')).toBe('bind = "127.0.0.1:8000"\ntimeout = 33\n');
    const other = project();
    run(['--fix', '--fix-strategy', 'nginx'], other);
    expect(fs.readFileSync(path.join(other, 'etc/nginx/nginx.conf'), 'utf8')).toContain('proxy_read_timeout 24s;');
  });

  it('two config files in one directory is an error naming both', () => {
    const dir = project();
    fs.writeFileSync(path.join(dir, 'nginx-lint.config.json'), '{}\n');
    const r = run([], path.join(dir, 'srv'));
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`nginx-lint: two config files in ${dir}: .nginx-lint.json and nginx-lint.config.json; keep one\n`);
  });

  it('nginx-lint.config.json is the other name', () => {
    const dir = project();
    fs.renameSync(path.join(dir, '.nginx-lint.json'), path.join(dir, 'nginx-lint.config.json'));
    expect(findings([], dir).rows).toContain('etc/nginx/nginx.conf:8 warning nginx-unknown-directive');
  });
});

describe('an invalid config file: exit 2, one line per problem, at its key', () => {
  it('schema errors with ajv paths and file:line:col, and rule ids with did-you-mean', () => {
    const dir = path.join(cli.work, `bad-${++copies}`);
    fs.mkdirSync(dir);
    fs.writeFileSync(
      path.join(dir, '.nginx-lint.json'),
      ['{', '  "rules": {', '    "upstream-buffers": "warning",', '    "fpm-listen-open": "of",', '    "fpm-listen-opn": "off",', '    "nginx-syntax": "off"', '  },', '  "stack": { "pagesize": 4096 }', '}', ''].join('\n'),
    );
    const r = run([], dir);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n')).toEqual([
      'nginx-lint: .nginx-lint.json:4:5: /rules/fpm-listen-open: must be equal to one of the allowed values (off, info, warning, error)',
      'nginx-lint: .nginx-lint.json:5:5: /rules/fpm-listen-opn: unknown rule "fpm-listen-opn": no such rule or check (did you mean fpm-listen-open?)',
      'nginx-lint: .nginx-lint.json:6:5: /rules/nginx-syntax: nginx-syntax cannot be turned off: a file that does not parse is neither linted nor fixed (lower it to "warning" or "info" instead)',
      'nginx-lint: .nginx-lint.json:8:14: /stack/pagesize: unknown key "pagesize" (did you mean pageSize?)',
      '',
    ]);
  });

  it('JSON syntax errors at file:line:col', () => {
    const dir = path.join(cli.work, `syntax-${++copies}`);
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, '.nginx-lint.json'), '{\n  "rules": {\n    "fpm-listen-open": "off",\n  }\n}\n');
    const r = run([], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('nginx-lint: .nginx-lint.json:4:3: invalid JSON: trailing comma before "}"\n');
  });
});

describe('--print-config', () => {
  it('prints the effective configuration: file, every rule with severity and options, the stack after flags', () => {
    const dir = project();
    const r = run(['--print-config', '--fix-strategy', 'nginx'], dir);
    expect(r.code).toBe(0);
    const c = JSON.parse(r.stdout);
    expect(c.configFile).toBe(path.join(fs.realpathSync(dir), '.nginx-lint.json'));
    expect(c.rules['fpm-listen-open']).toMatchObject({ kind: 'rule', default: 'warning', severity: 'off' });
    expect(c.rules['gunicorn-timeout-order']).toMatchObject({ default: 'error', severity: 'error', options: { margin: 5 } });
    expect(c.rules['nginx-unknown-directive']).toMatchObject({ kind: 'check', group: 'nginx', default: 'error', severity: 'warning' });
    expect(c.rules['backend-not-found']).toMatchObject({ severity: 'error', fixable: true });
    expect(c.stack).toEqual({ paths: ['.'], nginxVersion: '1.22.1', nginxUser: 'www-data', fixStrategy: 'nginx' });
    expect(c.ignore).toEqual(['**/*.dpkg-old', 'etc/nginx/snippets/legacy.conf']);
    expect(c.plugins).toEqual([]);
  });

  it('without a config file: defaults, configFile null', () => {
    const dir = path.join(cli.work, `empty-${++copies}`);
    fs.mkdirSync(dir);
    const c = JSON.parse(run(['--print-config'], dir).stdout);
    expect(c.configFile).toBeNull();
    expect(c.rules['gunicorn-timeout-order']).toMatchObject({ severity: 'error', options: { margin: 0 } });
    expect(c.stack).toEqual({ paths: ['.'] });
  });
});

describe('graph and the config file', () => {
  const example = path.join(root, 'examples/stack');
  /** the graph's node labels of one kind */
  const labels = (stdout: string, kind: string): string[] =>
    (JSON.parse(stdout) as { nodes: { kind: string; label: string }[] }).nodes.filter((n) => n.kind === kind).map((n) => n.label);

  it('draws the stack lint reads: the config file’s paths without arguments; --no-config and named paths leave them out', () => {
    const dir = path.join(cli.work, `graph-${++copies}`);
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, '.nginx-lint.json'), JSON.stringify({ stack: { paths: [example] } }));
    const configured = run(['graph', '--format', 'json'], dir);
    expect(configured.code).toBe(0);
    // the example's pool and gunicorn app
    expect([labels(configured.stdout, 'fpm-pool').join(), labels(configured.stdout, 'gunicorn-app').join()]).toEqual([
      expect.stringMatching(/FPM pool \[shop\]/),
      expect.stringMatching(/app\.wsgi:application/),
    ]);
    // the same with the config named from elsewhere
    expect(run(['graph', '--format', 'json', '-c', path.join(dir, '.nginx-lint.json')], cli.work).stdout).toBe(configured.stdout);
    // no config: the current directory, which holds no stack
    const none = run(['graph', '--format', 'json', '--no-config'], dir);
    expect([none.code, labels(none.stdout, 'fpm-pool'), labels(none.stdout, 'gunicorn-app')]).toEqual([0, [], []]);
    // a path on the command line: the config's paths are left out (nginx alone: its servers, no pool or app)
    const named = run(['graph', '--format', 'json', path.join(example, 'etc/nginx')], dir);
    expect([labels(named.stdout, 'server').length > 0, labels(named.stdout, 'fpm-pool'), labels(named.stdout, 'gunicorn-app')]).toEqual([true, [], []]);
  });

  it('an invalid config file stops graph as it stops lint (exit 2, one line)', () => {
    const dir = path.join(cli.work, `graph-bad-${++copies}`);
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, '.nginx-lint.json'), '{ "stack": { "paths": 3 } }');
    const r = run(['graph'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^nginx-lint: \.nginx-lint\.json:1:/);
  });
});
