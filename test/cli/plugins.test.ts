/**
 * Plugin rules through the bundled CLI: a local module and an installed
 * nginx-lint-plugin-* package (fixtures/plugins), their findings, options and
 * fixes, and the exit-2 errors for a plugin that is missing or malformed.
 * Everything runs in temp copies outside the repository; the plugins import
 * only types from 'nginx-lint', so they load without the package installed.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { privateCliWorkspace } from '../support/private-cli.js';

const root = path.resolve(import.meta.dirname, '../..');
const cli = privateCliWorkspace('nl-plugins-');
const run = cli.run;
let n = 0;

function json(args: string[], cwd: string) {
  const r = run(['--format', 'json', ...args], cwd);
  expect(r.stderr).toBe('');
  return { code: r.code, diagnostics: (JSON.parse(r.stdout) as { diagnostics: { file: string; line: number; column: number; rule: string; severity: string; message: string; fixable: boolean }[] }).diagnostics };
}

function localCopy(): string {
  const dir = path.join(cli.work, `local-${++n}`);
  fs.cpSync(path.join(root, 'fixtures/plugins/local'), dir, { recursive: true });
  return dir;
}

const AUTOINDEX = `events {}
http {
    server {
        listen 80;
        location /pub/ {
            autoindex on;
        }
        location /private/ {
            autoindex on;
        }
    }
}
`;

/** A project with nginx-lint-plugin-acme installed in its node_modules (as npm would put it). */
function packageProject(config: object): string {
  const dir = path.join(cli.work, `pkg-${++n}`);
  fs.mkdirSync(path.join(dir, 'etc/nginx'), { recursive: true });
  fs.cpSync(path.join(root, 'fixtures/plugins/packages/nginx-lint-plugin-acme'), path.join(dir, 'node_modules/nginx-lint-plugin-acme'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'etc/nginx/nginx.conf'), AUTOINDEX);
  fs.writeFileSync(path.join(dir, '.nginx-lint.json'), JSON.stringify(config, null, 2) + '\n');
  return dir;
}

describe('a local plugin (fixtures/plugins/local)', () => {
  it('reports through the same API as built-in rules, under "<plugin>/<id>", at the severity the config gives', () => {
    const dir = localCopy();
    const r = json([], dir);
    expect(r.code).toBe(1);
    expect(r.diagnostics.map((d) => `${d.file}:${d.line}:${d.column} ${d.severity} ${d.rule} ${d.fixable ? 'fixable' : ''} ${d.message}`)).toEqual([
      'etc/nginx/nginx.conf:3:1 error house/server-tokens fixable server_tokens is not set, so it is on (nginx default): nginx sends its version in the Server header',
      'etc/nginx/nginx.conf:6:9 error house/server-tokens fixable server_tokens build: nginx sends its version in the Server header',
    ]);
  });

  it('--fix applies its fixes (in a temp copy), and the run after is clean', () => {
    const dir = localCopy();
    const r = run(['--fix'], dir);
    expect(r.stderr).toBe('nginx-lint: fixed 2 problems in 1 file\n');
    expect(r.code).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'etc/nginx/nginx.conf'), 'utf8')).toBe(
      'events {}\n\nhttp {\n    server_tokens off;\n    server {\n        listen 80;\n        server_tokens off;\n        location / {\n            return 200 "ok\\n";\n        }\n    }\n}\n',
    );
    expect(json([], dir)).toEqual({ code: 0, diagnostics: [] });
  });

  it('--fix writes nothing when the fixes would add an error nginx itself reports (a plugin whose fix duplicates a directive)', () => {
    const dir = localCopy();
    // a rule whose fix adds a second `events {}`: nginx -t then fails ("events" directive is duplicate)
    fs.writeFileSync(
      path.join(dir, 'lint-plugins/dup.mjs'),
      `export default [{
  meta: { id: 'dup', family: 'test', description: 'adds a second events block', severity: 'warning', fixable: true },
  check({ model, report }) {
    for (const tree of model.trees) for (const d of tree.root.directives) if (d.name.value === 'events')
      report({ file: d.file, span: d.span, message: 'one events block', fix: { description: 'add another', edits: [{ file: d.file, span: { start: d.span.end, end: d.span.end }, text: '\\nevents {}' }] } });
  },
}];
`,
    );
    fs.writeFileSync(path.join(dir, '.nginx-lint.json'), JSON.stringify({ plugins: ['./lint-plugins/dup.mjs'], stack: { paths: ['etc'] } }));
    const before = fs.readFileSync(path.join(dir, 'etc/nginx/nginx.conf'), 'utf8');
    const r = run(['--fix'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^nginx-lint: not fixing: the fixes would add an error the program itself reports: etc\/nginx\/nginx\.conf:2:1: "events" directive is duplicate \(nginx-duplicate-directive\) \(and \d+ more errors?\); nothing was written \(please report this\)\n$/);
    expect(fs.readFileSync(path.join(dir, 'etc/nginx/nginx.conf'), 'utf8')).toBe(before);
  });

  it('"off" keeps a plugin rule from running', () => {
    const dir = localCopy();
    const cfg = JSON.parse(fs.readFileSync(path.join(dir, '.nginx-lint.json'), 'utf8'));
    cfg.rules['house/server-tokens'] = 'off';
    fs.writeFileSync(path.join(dir, '.nginx-lint.json'), JSON.stringify(cfg));
    expect(json([], dir)).toEqual({ code: 0, diagnostics: [] });
  });
});

describe('an installed package plugin (nginx-lint-plugin-acme)', () => {
  it('is resolved from the config file directory; its options are validated and used', () => {
    const dir = packageProject({ plugins: ['nginx-lint-plugin-acme'], rules: { 'acme/no-autoindex': ['error', { allow: ['/pub/'] }] } });
    const r = json([], dir);
    expect(r.diagnostics.map((d) => `${d.file}:${d.line} ${d.severity} ${d.rule}: ${d.message}`)).toEqual(['etc/nginx/nginx.conf:9 error acme/no-autoindex: autoindex on in location /private/: the directory listing is public']);
    // without options: its schema's default (allow nothing)
    const plain = packageProject({ plugins: ['nginx-lint-plugin-acme'] });
    expect(json([], plain).diagnostics.map((d) => `${d.line} ${d.severity}`)).toEqual(['6 warning', '9 warning']);
  });

  it('--diff prints its fix', () => {
    const dir = packageProject({ plugins: ['nginx-lint-plugin-acme'], rules: { 'acme/no-autoindex': ['warning', { allow: ['/pub/'] }] } });
    const r = run(['--diff'], dir);
    expect(r.stdout).toBe(
      ['--- a/etc/nginx/nginx.conf', '+++ b/etc/nginx/nginx.conf', '@@ -6,7 +6,7 @@', '             autoindex on;', '         }', '         location /private/ {', '-            autoindex on;', '+            autoindex off;', '         }', '     }', ' }', ''].join('\n'),
    );
  });

  it('options that fail the plugin rule schema: exit 2 at the key', () => {
    const dir = packageProject({ plugins: ['nginx-lint-plugin-acme'], rules: { 'acme/no-autoindex': ['error', { allow: '/pub/', alow: [] }] } });
    const r = run([], dir);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')).toEqual([
      'nginx-lint: .nginx-lint.json:9:9: /rules/acme~1no-autoindex/1/allow: must be array',
      'nginx-lint: .nginx-lint.json:10:9: /rules/acme~1no-autoindex/1/alow: unknown key "alow" (did you mean allow?)',
      '',
    ]);
  });

  it('--list-rules and --explain know plugin rules', () => {
    const dir = packageProject({ plugins: ['nginx-lint-plugin-acme'], rules: { 'acme/no-autoindex': 'error' } });
    const list = run(['--list-rules'], dir).stdout.split('\n');
    expect(list).toContain('acme/no-autoindex             exposure            warning  error      yes');
    const ex = run(['--explain', 'acme/no-autoindex'], dir);
    expect(ex.stdout).toBe('# acme/no-autoindex\n\n`autoindex on` lists a directory to anyone who asks\n\nFamily: exposure. Default severity: warning. Fixable.\n\nMore: https://example.com/acme/no-autoindex\n\nConfigured: error (.nginx-lint.json).\n');
  });
});

describe('a plugin that cannot be used: exit 2 at its entry of "plugins"', () => {
  function withPlugin(files: Record<string, string>, config: object): ReturnType<typeof run> {
    const dir = path.join(cli.work, `bad-${++n}`);
    fs.mkdirSync(dir, { recursive: true });
    for (const [f, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
      fs.writeFileSync(path.join(dir, f), text);
    }
    fs.writeFileSync(path.join(dir, '.nginx-lint.json'), JSON.stringify(config, null, 2) + '\n');
    return run([], dir);
  }
  const at = (i: number) => `nginx-lint: .nginx-lint.json:${3 + i}:5: /plugins/${i}: `;

  it.each([
    ['a package that is not installed', {}, ['nginx-lint-plugin-nope'], 'plugin "nginx-lint-plugin-nope" is not installed (no node_modules/nginx-lint-plugin-nope from DIR upward; npm install --save-dev nginx-lint-plugin-nope)'],
    ['a package name without the prefix', {}, ['acme'], 'plugin "acme": a package plugin\'s name starts with "nginx-lint-plugin-"; a local module starts with "./" or "../" (did you mean nginx-lint-plugin-acme, or "./acme" for a local file?)'],
    ['a local file that does not exist', {}, ['./rules.mjs'], 'plugin "./rules.mjs": DIR/rules.mjs does not exist'],
    ['a module that exports no rules', { 'p.mjs': 'export const x = 1;\n' }, ['./p.mjs'], 'plugin "./p.mjs" (DIR/p.mjs) exports no rules: its default export or its export `rules` must be an array of rules'],
    ['a rule without check()', { 'p.mjs': "export default [{ meta: { id: 'x', description: 'something', severity: 'error', fixable: false } }];\n" }, ['./p.mjs'], 'plugin "./p.mjs": rule 0 "x" has no check(context) function'],
    ['a rule with a bad id', { 'p.mjs': "export default [{ meta: { id: 'No Spaces', description: 'd', severity: 'error', fixable: false }, check() {} }];\n" }, ['./p.mjs'], 'plugin "./p.mjs": rule 0 has meta.id string "No Spaces"; it must be kebab-case (the plugin\'s name is added as "<plugin>/")'],
    ['a rule with a bad severity', { 'p.mjs': "export default [{ meta: { id: 'x', description: 'd', severity: 'fatal', fixable: false }, check() {} }];\n" }, ['./p.mjs'], 'plugin "./p.mjs": rule 0 "x" has meta.severity string "fatal"; it must be "info", "warning" or "error"'],
    ['a module that throws', { 'p.mjs': "throw new Error('boom');\n" }, ['./p.mjs'], 'plugin "./p.mjs" failed to load: boom'],
    ['a module with a syntax error', { 'p.mjs': 'export default [\n' }, ['./p.mjs'], 'plugin "./p.mjs" failed to load: Unexpected end of input'],
  ])('%s', (_name, files, plugins, message) => {
    const r = withPlugin(files, { plugins });
    expect(r.code).toBe(2);
    const dir = path.join(cli.work, `bad-${n}`);
    expect(r.stderr).toBe(`${at(0)}${message.replace(/DIR/g, dir)}\n`);
  });

  it('two plugins of one name', () => {
    const r = withPlugin({ 'a/p.mjs': 'export default [];\n', 'b/p.mjs': 'export default [];\n' }, { plugins: ['./a/p.mjs', './b/p.mjs'] });
    expect(r.stderr).toBe(`${at(1)}plugin "./b/p.mjs" has the same name "p" as plugin "./a/p.mjs": their rule ids would collide\n`);
  });

  it('a rule id of a plugin that is not loaded', () => {
    const r = withPlugin({}, { rules: { 'acme/no-autoindex': 'error' } });
    expect(r.stderr).toBe('nginx-lint: .nginx-lint.json:3:5: /rules/acme~1no-autoindex: unknown rule "acme/no-autoindex": no plugin named "acme" is loaded ("plugins" lists none)\n');
  });
});
