import { describe, expect, it } from 'vitest';
import { toReported } from '../../src/diagnostic.js';
import { fixUntilStable } from '../../src/engine/fix.js';
import { lint, type LintOptions } from '../../src/engine/lint.js';
import { CHECKS } from '../../src/engine/checks.js';
import { memoryFileSystem } from '../../src/fs.js';
import type { Rule } from '../../src/engine/rule.js';
import type { Node as NginxNode } from '../../src/syntax/nginx/ast.js';
import type { SourceFile } from '../../src/syntax/source.js';

const N = '/etc/nginx/nginx.conf';
const FPM = '/etc/php/8.2/fpm/php-fpm.conf';
const INI = '/etc/php/8.2/fpm/php.ini';
const PY = '/srv/app/gunicorn.conf.py';
const UNIT = '/etc/systemd/system/app.service';

type Files = Record<string, string>;

/** a plugin-style rule that reports at the first argument of every `sendfile` */
const atArgument: Rule = {
  meta: { id: 'acme/sendfile-value', family: 'acme', description: 'reports the value of sendfile', severity: 'warning', fixable: false },
  check(ctx) {
    const walk = (nodes: readonly NginxNode[], file: SourceFile) => {
      for (const n of nodes) {
        if (n.kind !== 'directive') continue;
        if (n.name.value === 'sendfile' && n.args[0]) ctx.report({ file, span: n.args[0].span, message: 'sendfile value' });
        if (n.block) walk(n.block.children, file);
      }
    };
    for (const t of ctx.model.trees) for (const f of t.config.files.values()) walk(f.children, f.source);
  },
};

/** every finding as `file:line rule`, in the run's order */
function findings(files: Files, options: LintOptions = {}): string[] {
  return lint(['/'], { fs: memoryFileSystem(files), ...options }).diagnostics.map((d) => {
    const r = toReported(d);
    return `${r.file}:${r.line} ${r.rule}`;
  });
}

function detailed(files: Files, options: LintOptions = {}) {
  return lint(['/'], { fs: memoryFileSystem(files), ...options }).diagnostics.map(toReported);
}

/** the files as --fix leaves them (only those it changed), and what remains */
function fixed(files: Files) {
  const outcome = fixUntilStable((fs) => lint(['/'], { fs }), memoryFileSystem(files));
  return {
    changed: Object.fromEntries([...outcome.files.values()].map((f) => [f.original.path, f.text])),
    remaining: outcome.result.diagnostics.map((d) => `${toReported(d).file}:${toReported(d).line} ${d.rule}`),
  };
}

/** nginx.conf: a proxied location; `server` lines go in the server block */
const nginx = (server: string[], after: string[] = []) =>
  ['events {}', 'http {', '    server {', '        listen 80;', ...server.map((l) => `        ${l}`), '        location / {', '            proxy_pass http://127.0.0.1:8000;', '            proxy_read_timeout 20s;', '            proxy_send_timeout 20s;', '        }', '    }', ...after, '}', ''].join('\n');
/** a gunicorn config that matches nginx's 20s timeouts (no cross-file finding) */
const py = (lines: string[] = []) => ['bind = "127.0.0.1:8000"', 'timeout = 30', ...lines, ''].join('\n');

describe('nginx suppressions', () => {
  it('without a comment, the finding shows (the control for the cases below)', () => {
    expect(findings({ [N]: nginx(['proxy_conect_timeout 5s;']), [PY]: py() })).toEqual([`${N}:5 nginx-unknown-directive`]);
  });

  it('disable-next-line hides the finding on the next line, and only there', () => {
    const files = { [N]: nginx(['# nginx-lint-disable-next-line nginx-unknown-directive -- kept for the old module', 'proxy_conect_timeout 5s;', 'proxy_conect_timeout 6s;']), [PY]: py() };
    expect(findings(files)).toEqual([`${N}:7 nginx-unknown-directive`]);
  });

  it('a list of rules, separated by commas', () => {
    const files = { [N]: nginx(['# nginx-lint-disable-next-line nginx-directive-arguments,nginx-unknown-directive -- legacy', 'proxy_conect_timeout 5s;']), [PY]: py() };
    expect(findings(files)).toEqual([`${N}:5 nginx-unknown-directive`.replace(':5 nginx-unknown-directive', ':5 unused-suppression')]);
    const only = detailed(files)[0]!;
    expect(only.message).toBe('unused suppression of "nginx-directive-arguments": no such finding on the next line');
    expect(only.column).toBe(40);
  });

  it('the very next line: a blank line in between leaves the finding and reports the comment as unused', () => {
    const files = { [N]: nginx(['# nginx-lint-disable-next-line nginx-unknown-directive -- legacy', '', 'proxy_conect_timeout 5s;']), [PY]: py() };
    const ds = detailed(files);
    expect(ds.map((d) => `${d.line} ${d.rule} ${d.severity}`)).toEqual(['5 unused-suppression warning', '7 nginx-unknown-directive error']);
    expect(ds[0]!.message).toBe('unused suppression: no "nginx-unknown-directive" finding on the next line');
  });

  it('next-line comments in a row stack: each applies to the first line after them', () => {
    const files = {
      [N]: nginx(['# nginx-lint-disable-next-line nginx-unknown-directive -- legacy', '# nginx-lint-disable-next-line nginx-directive-arguments -- nothing to hide', 'proxy_conect_timeout;']),
      [PY]: py(),
    };
    // the first hides line 7's finding; the second is unused there (not: the first one unused on line 6)
    const ds = detailed(files);
    expect(ds.map((d) => `${d.line} ${d.rule} ${d.message}`)).toEqual(['6 unused-suppression unused suppression: no "nginx-directive-arguments" finding on the next line']);
  });

  it('a directive over several lines is covered to its ";" (a finding at an argument on a later line)', () => {
    const files = { [N]: nginx(['# nginx-lint-disable-next-line acme/sendfile-value -- documented exception', 'sendfile', '    on;']), [PY]: py() };
    expect(findings({ ...files, [N]: files[N].replace(/^ *# nginx.*\n/m, '') }, { rules: [atArgument] })).toEqual([`${N}:6 acme/sendfile-value`]);
    expect(findings(files, { rules: [atArgument] })).toEqual([]);
  });

  it('disable covers the rest of the enclosing block, not what follows its "}"', () => {
    const files = {
      [N]: nginx(['proxy_conect_timeout 1s;', '# nginx-lint-disable nginx-unknown-directive -- the whole server is legacy', 'proxy_conect_timeout 2s;', 'proxy_conect_timeoutt 3s;'], ['    proxy_conect_timeout 4s;']),
      [PY]: py(),
    };
    expect(findings(files)).toEqual([`${N}:5 nginx-unknown-directive`, `${N}:15 nginx-unknown-directive`]);
  });

  it('disable at the top level of a file covers the rest of that file', () => {
    const conf = ['# nginx-lint-disable nginx-unknown-directive -- a vendor file', 'events {}', 'http {', '    server {', '        listen 80;', '        foo 1;', '    }', '    bar 2;', '}', ''].join('\n');
    expect(findings({ [N]: conf })).toEqual([]);
  });

  it('a "#" inside a quoted string is not a comment, so not a suppression', () => {
    const files = { [N]: nginx(['add_header X-Note "# nginx-lint-disable-next-line nginx-unknown-directive -- no";', 'proxy_conect_timeout 5s;']), [PY]: py() };
    expect(findings(files)).toEqual([`${N}:6 nginx-unknown-directive`]);
    const single = { [N]: nginx(["add_header X-Note '# nginx-lint-disable nginx-unknown-directive -- no';", 'proxy_conect_timeout 5s;']), [PY]: py() };
    expect(findings(single)).toEqual([`${N}:6 nginx-unknown-directive`]);
  });

  it('a suppression after a directive on its line still applies to the next line (as in ESLint)', () => {
    const files = { [N]: nginx(['server_tokens off; # nginx-lint-disable-next-line nginx-unknown-directive -- legacy', 'proxy_conect_timeout 5s;']), [PY]: py() };
    expect(findings(files)).toEqual([]);
  });

  it('works in included files, and in CRLF files', () => {
    const main = ['events {}', 'http {', '    include /etc/nginx/conf.d/*.conf;', '}', ''].join('\n');
    const site = ['server {', '    listen 80;', '    # nginx-lint-disable-next-line nginx-unknown-directive -- legacy', '    proxy_conect_timeout 5s;', '}', ''].join('\r\n');
    expect(findings({ [N]: main, '/etc/nginx/conf.d/site.conf': site })).toEqual([]);
  });
});

describe('reasons, unknown ids, malformed comments', () => {
  it('a suppression without a reason is an error and suppresses nothing', () => {
    for (const comment of ['# nginx-lint-disable-next-line nginx-unknown-directive', '# nginx-lint-disable-next-line nginx-unknown-directive --', '# nginx-lint-disable-next-line nginx-unknown-directive --   ']) {
      const ds = detailed({ [N]: nginx([comment, 'proxy_conect_timeout 5s;']), [PY]: py() });
      expect(ds.map((d) => `${d.line}:${d.column} ${d.rule} ${d.severity}`)).toEqual(['5:9 invalid-suppression error', '6:9 nginx-unknown-directive error']);
      expect(ds[0]!.message).toBe('a suppression needs a reason after " -- ": "# nginx-lint-disable-next-line RULE -- reason"');
    }
  });

  it('an unknown rule id is an error with a did-you-mean, and the known ids of the list still apply', () => {
    const ds = detailed({ [N]: nginx(['# nginx-lint-disable-next-line nginx-unknow-directive, nginx-unknown-directive -- legacy', 'proxy_conect_timeout 5s;']), [PY]: py() });
    expect(ds.map((d) => `${d.line}:${d.column} ${d.rule}`)).toEqual(['5:40 invalid-suppression']);
    expect(ds[0]!.message).toBe('unknown rule "nginx-unknow-directive" in suppression; did you mean "nginx-unknown-directive"?');
    const far = detailed({ [N]: nginx(['# nginx-lint-disable-next-line no-such-thing -- legacy', 'server_tokens off;']), [PY]: py() });
    expect(far.map((d) => d.message)).toEqual(['unknown rule "no-such-thing" in suppression']);
  });

  it('cross-file rules, parser checks and plugin rules are all known ids', () => {
    const plugin = { meta: { id: 'acme/no-foo', family: 'links', description: 'no foo directive anywhere', severity: 'warning' as const, fixable: false }, check: () => {} };
    const files = { [N]: nginx(['# nginx-lint-disable-next-line gunicorn-timeout-order, fpm-unknown-entry, acme/no-foo -- testing the names', 'server_tokens off;']), [PY]: py() };
    // known, and none of them found anything there: unused, not unknown; gunicorn-timeout-order did not run, so it is not judged
    expect(detailed(files, { rules: [plugin] }).map((d) => d.message)).toEqual([
      'unused suppression of "fpm-unknown-entry": no such finding on the next line',
      'unused suppression of "acme/no-foo": no such finding on the next line',
    ]);
    // without the plugin, its id is unknown; gunicorn-timeout-order did not run: not judged
    expect(findings(files, { rules: [] }).sort()).toEqual([`${N}:5 invalid-suppression`, `${N}:5 unused-suppression`]);
  });

  it('the findings about suppressions cannot themselves be suppressed', () => {
    const ds = detailed({ [N]: nginx(['# nginx-lint-disable-next-line unused-suppression -- stop nagging', 'server_tokens off;']), [PY]: py() });
    expect(ds.map((d) => `${d.rule}: ${d.message}`)).toEqual([
      'invalid-suppression: "unused-suppression" cannot be suppressed inline (the comment would hide its own report); switch it off in the config file instead',
    ]);
  });

  it('a comment that looks like a suppression but is not one is an error (a typo would silently suppress nothing)', () => {
    const cases: [string, string][] = [
      ['# nginx-lint-disable-nextline nginx-unknown-directive -- typo', 'not a suppression nginx-lint understands'],
      ['# nginx-lint: disable=nginx-unknown-directive -- the Python form', 'not a suppression nginx-lint understands'],
      ['# nginx-lint-disable-next-line -- no rule', 'the suppression names no rule'],
      ['# nginx-lint-disable-next-line nginx-unknown-directive legacy reasons', '"nginx-unknown-directive legacy reasons" is not one rule id: separate ids with "," and put the reason after " -- "'],
    ];
    for (const [comment, why] of cases) {
      const ds = detailed({ [N]: nginx([comment, 'proxy_conect_timeout 5s;']), [PY]: py() });
      expect(ds.map((d) => `${d.line} ${d.rule}`)).toEqual(['5 invalid-suppression', '6 nginx-unknown-directive']);
      expect(ds[0]!.message).toBe(`${why}; in nginx files write "# nginx-lint-disable-next-line RULE -- reason" or "# nginx-lint-disable RULE -- reason"`);
    }
    // an ordinary comment that mentions the tool is left alone
    expect(findings({ [N]: nginx(['# nginx-lint runs in CI on this file', 'server_tokens off;']), [PY]: py() })).toEqual([]);
  });

  it('the ids are registered as checks', () => {
    expect(CHECKS.find((c) => c.id === 'unused-suppression')).toMatchObject({ program: 'nginx-lint', severity: 'warning' });
    expect(CHECKS.find((c) => c.id === 'invalid-suppression')).toMatchObject({ program: 'nginx-lint', severity: 'error' });
  });
});

describe('ini suppressions (php.ini, PHP-FPM)', () => {
  const pool = (lines: string[]) => ['[global]', 'error_log = /tmp/fpm.log', '', '[www]', 'listen = 127.0.0.1:9000', 'listen.allowed_clients = 127.0.0.1', 'pm = static', 'pm.max_children = 2', ...lines, ''].join('\n');

  it('"; nginx-lint-disable-next-line" in an FPM pool', () => {
    expect(findings({ [FPM]: pool(['foo = 1']) })).toEqual([`${FPM}:9 fpm-unknown-entry`]);
    expect(findings({ [FPM]: pool(['; nginx-lint-disable-next-line fpm-unknown-entry -- read by our wrapper', 'foo = 1']) })).toEqual([]);
  });

  it('a ";" inside a quoted value is not a comment', () => {
    const files = { [FPM]: pool(['env[NOTE] = "; nginx-lint-disable-next-line fpm-unknown-entry -- no"', 'foo = 1']) };
    expect(findings(files)).toEqual([`${FPM}:10 fpm-unknown-entry`]);
  });

  it('"#" does not start a comment in PHP\'s INI dialect: a "#" suppression is just an entry', () => {
    const files = { [FPM]: pool(['# nginx-lint-disable-next-line fpm-unknown-entry -- no', 'foo = 1']) };
    expect(findings(files)).toContain(`${FPM}:10 fpm-unknown-entry`);
  });

  it('"; nginx-lint-disable" covers the rest of the [section]', () => {
    const text = pool(['; nginx-lint-disable fpm-unknown-entry -- our wrapper reads these', 'foo = 1', 'bar = 2', '', '[other]', 'listen = 127.0.0.1:9001', 'listen.allowed_clients = 127.0.0.1', 'pm = static', 'pm.max_children = 2', 'baz = 3']);
    expect(findings({ [FPM]: text })).toEqual([`${FPM}:18 fpm-unknown-entry`]);
  });

  it('php.ini: a cross-file finding whose primary location is in php.ini', () => {
    const nginxPhp = ['events {}', 'http {', '    server {', '        listen 80;', '        location ~ \\.php$ {', '            fastcgi_pass 127.0.0.1:9000;', '            fastcgi_param SCRIPT_FILENAME $document_root$fastcgi_script_name;', '            fastcgi_read_timeout 600s;', '        }', '    }', '}', ''].join('\n');
    const ini = (lines: string[]) => ['[PHP]', ...lines, 'max_execution_time = 30', ''].join('\n');
    const files = { [N]: nginxPhp, [FPM]: pool([]) };
    expect(findings({ ...files, [INI]: ini([]) })).toEqual([`${INI}:2 php-max-execution-time-order`]);
    expect(findings({ ...files, [INI]: ini(['; nginx-lint-disable-next-line php-max-execution-time-order -- long reports run in a worker, not here']) })).toEqual([]);
    // at the related location (nginx's fastcgi_read_timeout) it suppresses nothing
    const atRelated = { [N]: nginxPhp.replace('            fastcgi_read_timeout', '            # nginx-lint-disable-next-line php-max-execution-time-order -- wrong side\n            fastcgi_read_timeout'), [FPM]: pool([]), [INI]: ini([]) };
    expect(findings(atRelated)).toEqual([`${N}:8 unused-suppression`, `${INI}:2 php-max-execution-time-order`]);
  });
});

describe('gunicorn.conf.py suppressions', () => {
  const nginx60 = nginx([]).replace('            proxy_read_timeout 20s;\n            proxy_send_timeout 20s;\n', '');
  const conf = (lines: string[]) => ['bind = "127.0.0.1:8000"', ...lines, ''].join('\n');

  it('the control: nginx waits 60s, gunicorn kills at 30s', () => {
    expect(findings({ [N]: nginx60, [PY]: conf(['timeout = 30']) })).toEqual([`${PY}:2 gunicorn-timeout-order`]);
  });

  it('after code on its line: that line', () => {
    expect(findings({ [N]: nginx60, [PY]: conf(['timeout = 30  # nginx-lint: disable=gunicorn-timeout-order -- behind a queue, 502s are retried']) })).toEqual([]);
  });

  it('on its own line: the next line', () => {
    expect(findings({ [N]: nginx60, [PY]: conf(['# nginx-lint: disable=gunicorn-timeout-order -- behind a queue', 'timeout = 30']) })).toEqual([]);
    expect(findings({ [N]: nginx60, [PY]: conf(['# nginx-lint: disable=gunicorn-timeout-order -- behind a queue', '', 'timeout = 30']) })).toEqual([`${PY}:2 unused-suppression`, `${PY}:4 gunicorn-timeout-order`]);
  });

  it('a "#" inside a string is not a comment', () => {
    const files = { [N]: nginx60, [PY]: conf(['timeout = int("30")  if True else "# nginx-lint: disable=gunicorn-timeout-order -- no"']) };
    expect(findings(files)).toEqual([`${PY}:2 gunicorn-timeout-order`]);
    const triple = { [N]: nginx60, [PY]: conf(['note = """', '# nginx-lint: disable=gunicorn-timeout-order -- no', '"""', 'timeout = 30']) };
    expect(findings(triple)).toEqual([`${PY}:5 gunicorn-timeout-order`]);
  });

  it('a statement over several lines is covered as a whole', () => {
    const files = { [N]: nginx60, [PY]: conf(['# nginx-lint: disable=gunicorn-timeout-order -- reviewed', 'timeout = (', '    30', ')']) };
    expect(findings({ ...files, [PY]: files[PY].replace(/^# nginx.*\n/m, '') })).toEqual([`${PY}:3 gunicorn-timeout-order`]);
    expect(findings(files)).toEqual([]);
    const trailing = { [N]: nginx60, [PY]: conf(['timeout = (', '    30', ')  # nginx-lint: disable=gunicorn-timeout-order -- reviewed']) };
    expect(findings(trailing)).toEqual([]);
  });

  it('the nginx form is wrong here, and says which form to use', () => {
    const ds = detailed({ [N]: nginx60, [PY]: conf(['# nginx-lint-disable-next-line gunicorn-timeout-order -- nginx style', 'timeout = 30']) });
    expect(ds.map((d) => `${d.line} ${d.rule}`)).toEqual(['2 invalid-suppression', '3 gunicorn-timeout-order']);
    expect(ds[0]!.message).toBe('not a suppression nginx-lint understands; in gunicorn.conf.py write "# nginx-lint: disable=RULE -- reason"');
  });

  it('a systemd unit that starts gunicorn: "#" and ";" comment lines, continued lines', () => {
    const unit = (lines: string[]) => ['[Service]', ...lines, 'ExecStart=/usr/bin/gunicorn -b 127.0.0.1:8000 \\', '    --timeout 30 app:app', ''].join('\n');
    expect(findings({ [N]: nginx60, [UNIT]: unit([]) })).toEqual([`${UNIT}:3 gunicorn-timeout-order`]);
    expect(findings({ [N]: nginx60, [UNIT]: unit(['; nginx-lint-disable-next-line gunicorn-timeout-order -- reviewed']) })).toEqual([]);
  });
});

describe('cross-file findings are suppressed at their primary location only', () => {
  const conf = ['bind = "127.0.0.1:8000"', 'timeout = 30', ''].join('\n');
  const strategyNginx: LintOptions = { fixStrategy: 'nginx' };
  it('primary in nginx (a default timeout at the pass): the comment there hides it', () => {
    const n = nginx([]).replace('            proxy_read_timeout 20s;\n            proxy_send_timeout 20s;\n', '');
    expect(findings({ [N]: n, [PY]: conf }, strategyNginx)).toEqual([`${N}:6 gunicorn-timeout-order`]);
    const suppressed = n.replace('            proxy_pass', '            # nginx-lint-disable-next-line gunicorn-timeout-order -- async worker in prod\n            proxy_pass');
    expect(findings({ [N]: suppressed, [PY]: conf }, strategyNginx)).toEqual([]);
    // the same comment at the other side (the gunicorn setting) suppresses nothing
    const other = `bind = "127.0.0.1:8000"\n# nginx-lint: disable=gunicorn-timeout-order -- wrong side\ntimeout = 30\n`;
    expect(findings({ [N]: n, [PY]: other }, strategyNginx)).toEqual([`${N}:6 gunicorn-timeout-order`, `${PY}:2 unused-suppression`]);
  });
});

describe('unused suppressions and --fix', () => {
  it('removes an unused comment line, keeps everything else byte for byte, and fixing again changes nothing', () => {
    const before = nginx(['# nginx-lint-disable-next-line nginx-unknown-directive -- legacy', 'server_tokens off;']).replace(/\n/g, '\r\n');
    const { changed, remaining } = fixed({ [N]: before, [PY]: py() });
    expect(changed).toEqual({ [N]: nginx(['server_tokens off;']).replace(/\n/g, '\r\n') });
    expect(remaining).toEqual([]);
    const again = fixed({ [N]: changed[N]!, [PY]: py() });
    expect(again.changed).toEqual({});
  });

  it('removes a trailing comment and the blanks before it, or one id from a list', () => {
    const trailing = fixed({ [N]: nginx(['server_tokens off;  # nginx-lint-disable nginx-unknown-directive -- legacy']), [PY]: py() });
    expect(trailing.changed).toEqual({ [N]: nginx(['server_tokens off;']) });
    const list = fixed({ [N]: nginx(['# nginx-lint-disable-next-line nginx-invalid-flag, nginx-unknown-directive, nginx-directive-arguments -- legacy', 'proxy_conect_timeout 5s;']), [PY]: py() });
    expect(list.changed).toEqual({ [N]: nginx(['# nginx-lint-disable-next-line nginx-unknown-directive -- legacy', 'proxy_conect_timeout 5s;']) });
    expect(list.remaining).toEqual([]);
    const py2 = fixed({ [N]: nginx([]), [PY]: py(['workers = 2  # nginx-lint: disable=gunicorn-timeout-order -- old']) });
    expect(py2.changed).toEqual({ [PY]: py(['workers = 2']) });
  });

  it('a suppressed finding is not fixed by --fix', () => {
    const n = nginx([]).replace('            proxy_read_timeout 20s;\n            proxy_send_timeout 20s;\n', '');
    const conf = `bind = "127.0.0.1:8000"\ntimeout = 30  # nginx-lint: disable=gunicorn-timeout-order -- behind a queue\n`;
    expect(fixed({ [N]: n, [PY]: `bind = "127.0.0.1:8000"\ntimeout = 30\n` }).changed).toEqual({ [PY]: `bind = "127.0.0.1:8000"\ntimeout = 61\n` });
    expect(fixed({ [N]: n, [PY]: conf })).toEqual({ changed: {}, remaining: [] });
  });

  it('a rule switched off in the config is not run, and its suppressions are not unused', () => {
    const files = { [N]: nginx([]), [PY]: `bind = "127.0.0.1:8000"\n# nginx-lint: disable=gunicorn-timeout-order -- behind a queue\nworkers = 2\n` };
    expect(findings(files)).toEqual([`${PY}:2 unused-suppression`]);
    expect(findings(files, { ruleSettings: new Map([['gunicorn-timeout-order', { severity: 'off' }]]) })).toEqual([]);
    // the config grades the suppression checks like any other
    expect(detailed(files, { ruleSettings: new Map([['unused-suppression', { severity: 'error' }]]) }).map((d) => d.severity)).toEqual(['error']);
    expect(findings(files, { ruleSettings: new Map([['unused-suppression', { severity: 'off' }]]) })).toEqual([]);
  });

  it('with invalid-suppression off, a reason is not required', () => {
    const files = { [N]: nginx(['# nginx-lint-disable-next-line nginx-unknown-directive', 'proxy_conect_timeout 5s;']), [PY]: py() };
    expect(findings(files, { ruleSettings: new Map([['invalid-suppression', { severity: 'off' }]]) })).toEqual([]);
  });

  it('while a file fails to parse, unused suppressions are not reported (the findings they were for may be missing)', () => {
    const files = { [N]: nginx(['# nginx-lint-disable-next-line nginx-unknown-directive -- legacy', 'server_tokens off;']) + '}\n', [PY]: py() };
    expect(findings(files)).toEqual([`${N}:14 nginx-syntax`]);
  });
});
