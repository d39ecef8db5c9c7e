import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { toReported } from '../../src/diagnostic.js';
import { sourceFromString } from '../../src/syntax/source.js';
import {
  GUNICORN_SETTINGS,
  gunicornSettingsTable,
  gunicornValuesView,
  readGunicornConfig,
  resolveGunicorn,
  suggestSetting,
  type ReadConfigOptions,
} from '../../src/syntax/gunicorn/index.js';

const FIXTURES = path.resolve(__dirname, '../../fixtures/gunicorn');
const fixture = (rel: string) => sourceFromString(`fixtures/gunicorn/${rel}`, fs.readFileSync(path.join(FIXTURES, rel), 'utf8'));

function read(code: string, opts: ReadConfigOptions = {}) {
  return readGunicornConfig(sourceFromString('gunicorn.conf.py', code), { version: '20.1', ...opts });
}

function view(code: string, opts: ReadConfigOptions = {}) {
  const config = read(code, opts);
  return gunicornValuesView(resolveGunicorn({ version: opts.version ?? '20.1', config, ...(opts.env ? { env: opts.env } : {}) }));
}

describe('settings table', () => {
  it('has the defaults the issue names', () => {
    const t = gunicornSettingsTable('20.1');
    const dflt = (n: string) => {
      const d = t.get(n)!.default;
      return d.kind === 'value' ? d.value : d.kind;
    };
    expect(dflt('timeout')).toBe(30);
    expect(dflt('graceful_timeout')).toBe(30);
    expect(dflt('keepalive')).toBe(2);
    expect(dflt('bind')).toBe('bind');
    expect(dflt('worker_class')).toBe('sync');
    expect(dflt('threads')).toBe(1);
    expect(dflt('umask')).toBe(0);
    expect(dflt('limit_request_line')).toBe(4094);
    expect(dflt('limit_request_field_size')).toBe(8190);
    expect(t.get('timeout')!.cli).toEqual(['-t', '--timeout']);
    expect(t.get('umask')!.cliType).toBe('auto_int');
    // Debian's gunicorn 20.1.0 has 86 settings (tolerate_dangerous_framing is its CVE-2024-1135 patch)
    expect(t.size).toBe(86);
  });

  it('notes version differences', () => {
    expect(gunicornSettingsTable('20.1').has('header_map')).toBe(false);
    expect(gunicornSettingsTable('22').has('header_map')).toBe(true);
    expect(gunicornSettingsTable('21').has('ssl_context')).toBe(true);
    expect(gunicornSettingsTable('23').has('tolerate_dangerous_framing')).toBe(false);
    expect(gunicornSettingsTable('23').get('forwarded_allow_ips')!.validator).toBe('string_to_addr_list');
    expect(GUNICORN_SETTINGS.find((s) => s.name === 'logconfig_json')!.since).toBe('21');
  });

  it('values view: defaults as gunicorn holds them', () => {
    const v = view('');
    expect(v.timeout).toBe(30);
    expect(v.bind).toEqual({ dynamic: expect.stringContaining("os.environ['PORT']"), default: ['127.0.0.1:8000'] });
    expect(v.workers).toEqual({ dynamic: "int(os.environ.get('WEB_CONCURRENCY', 1))", default: 1 });
    expect(v.user).toEqual({ dynamic: 'os.geteuid()' });
    expect(v.on_starting).toBe('<OnStarting.on_starting()>');
    expect(v.secure_scheme_headers).toEqual({ 'X-FORWARDED-PROTOCOL': 'ssl', 'X-FORWARDED-PROTO': 'https', 'X-FORWARDED-SSL': 'on' });
    expect(view('', { version: '23' }).forwarded_allow_ips).toEqual({ dynamic: expect.any(String), default: ['127.0.0.1', '::1'] });
  });
});

describe('values', () => {
  it('known values come out as gunicorn Config holds them', () => {
    const v = view('bind = "0.0.0.0:8000"\nworkers = "4"\numask = 0o027\npreload_app = "TRUE"\nforwarded_allow_ips = "a, b"\nstatsd_host = "localhost:8125"\n');
    expect(v.bind).toEqual(['0.0.0.0:8000']);
    expect(v.workers).toBe(4);
    expect(v.umask).toBe(23);
    expect(v.preload_app).toBe(true);
    expect(v.forwarded_allow_ips).toEqual(['a', 'b']);
    expect(v.statsd_host).toEqual(['localhost', 8125]);
  });

  it('dynamic values print the expression and the default when known', () => {
    const v = view('import os, multiprocessing\ntimeout = int(os.environ.get("T", 60))\nworkers = multiprocessing.cpu_count() * 2 + 1\n');
    expect(v.timeout).toEqual({ dynamic: 'int(os.environ.get("T", 60))', default: 60 });
    expect(v.workers).toEqual({ dynamic: 'multiprocessing.cpu_count() * 2 + 1' });
  });

  it('a known environment makes values known', () => {
    expect(view('import os\ntimeout = int(os.environ.get("T", 60))\n', { env: { T: '15' } }).timeout).toBe(15);
  });

  it('every setting value remembers its span, so a fix can replace it', () => {
    const cfg = read('workers = 2\nworkers = 3  # last wins\ntimeout, keepalive = 40, 5\n');
    const w = cfg.settings.get('workers')!;
    expect(cfg.file.text.slice(w.span.start, w.span.end)).toBe('3');
    expect(w.replaceable).toBe(true);
    const k = cfg.settings.get('keepalive')!;
    expect(cfg.file.text.slice(k.span.start, k.span.end)).toBe('5');
    const eff = resolveGunicorn({ version: '20.1', config: cfg });
    expect(eff.settings.get('workers')!.source).toMatchObject({ kind: 'config-file', span: w.span });
    expect(eff.settings.get('threads')!.source).toEqual({ kind: 'default' });
  });

  it('value sets from unknown conditions list their candidates', () => {
    const cfg = read('import os\nif os.getenv("ENV") == "dev":\n    workers = 1\nelse:\n    workers = 8\n');
    expect(cfg.settings.get('workers')!.value).toMatchObject({ kind: 'dynamic', candidates: [1, 8], hasDefault: true, default: 8 });
  });
});

describe('diagnostics', () => {
  it('invalid values are errors in gunicorn’s words, at the value', () => {
    const cfg = read('timeout = "abc"\n');
    const d = cfg.diagnostics.map(toReported);
    expect(d).toEqual([expect.objectContaining({ rule: 'gunicorn-invalid-value', severity: 'error', line: 1, column: 11, message: "Invalid value for timeout: abc: invalid literal for int() with base 0: 'abc'" })]);
  });

  it.each([
    ['umask = "007"', "Invalid value for umask: 007: invalid literal for int() with base 0: '007'", '0o007'],
    ['preload_app = "yes"', 'Invalid value for preload_app: yes: Invalid boolean: yes', 'True'],
    ['daemon = 1', 'Invalid value for daemon: 1: Invalid type for casting: 1', 'True'],
    ['timeout = -1', 'Invalid value for timeout: -1: Value must be positive: -1', null],
    ['timeout = 30.5', "Invalid value for timeout: 30.5: int() can't convert non-string with explicit base", null],
    ['bind = 8000', "Invalid value for bind: 8000: 'int' object is not iterable", "['8000']"],
    ['loglevel = 10', 'Invalid value for loglevel: 10: Not a string: 10', "'10'"],
    ['def post_fork(server):\n    pass', 'Invalid value for post_fork: <function post_fork>: Value must have an arity of: 2', null],
    ['reload_engine = "fast"', "Invalid value for reload_engine: fast: Invalid reload_engine: 'fast'", null],
    ['on_starting = "nodots"', "Invalid value for on_starting: nodots: Value 'nodots' is not import string. Format: module[.submodules...].object", null],
  ])('%s', (code, message, fix) => {
    const d = read(code + '\n').diagnostics.filter((x) => x.rule === 'gunicorn-invalid-value');
    expect(d.length).toBe(1);
    expect(d[0]!.message).toBe(message);
    expect(d[0]!.fix?.edits[0]?.text ?? null).toBe(fix);
  });

  it('syntax errors have positions and make the file unloadable', () => {
    const cfg = read('workers = 4\ntimeout = (30\nkeepalive = 2\n');
    expect(cfg.loadable).toBe(false);
    expect(cfg.diagnostics.map(toReported)).toEqual([expect.objectContaining({ rule: 'gunicorn-syntax', line: 2, column: 11, message: "Python syntax error: '(' was never closed" })]);
  });

  it('parsing never throws, whatever the input', () => {
    for (const junk of ['', '\0\0\0', 'def', ')))(((', '"""', 'x = f"{', 'if x:\n  y\n z', 'class A(:\n', '\\\n\\', 'lambda: (yield)', '@\n', 'x = [i for]', 'print >>f, "a"', 'match x:\n case 1: pass']) {
      expect(() => read(junk)).not.toThrow();
    }
  });

  it('exceptions at import time are reported (gunicorn fails to read the file)', () => {
    const d = read('import multiprocessing\nworkers = multiprocesing.cpu_count()\n').diagnostics.map(toReported);
    expect(d).toEqual([expect.objectContaining({ rule: 'gunicorn-config-error', line: 2, column: 11, message: "gunicorn fails to read this file: NameError: name 'multiprocesing' is not defined" })]);
  });

  it('likely typos of settings are reported with a fix; helpers are not', () => {
    const cfg = readGunicornConfig(fixture('configs/typos.conf.py'), { version: '20.1' });
    const names = cfg.diagnostics.filter((d) => d.rule === 'gunicorn-unknown-setting').map((d) => cfg.file.text.slice(d.span.start, d.span.end));
    expect(names).toEqual(['worker', 'timout', 'keep_alive', 'preload', 'log_level', 'WORKERS', 'post_forks']);
    // port, helper_value, build_name: used later; _private: private; os, mp: imports
    const worker = cfg.diagnostics.find((d) => d.message.startsWith('`worker`'))!;
    expect(worker.message).toBe('`worker` is not a gunicorn setting (gunicorn ignores it): the setting is `workers`');
    expect(worker.fix?.edits[0]?.text).toBe('workers');
    expect(cfg.ignoredNames).toEqual(expect.arrayContaining(['worker', 'port', 'helper_value', 'os', 'mp']));
  });

  it('a typo whose value the real setting would refuse is reported without the rename (it would stop gunicorn)', () => {
    const d = read('import multiprocessing\nworker = multiprocessing.cpu_count\n').diagnostics;
    expect(d.map((x) => [x.rule, x.message, x.fix])).toEqual([
      ['gunicorn-unknown-setting', "`worker` is not a gunicorn setting (gunicorn ignores it): the setting is `workers`; not renamed: gunicorn would refuse its value for workers (int() can't convert non-string with explicit base)", undefined],
    ]);
    expect(read('worker = 3\n').diagnostics[0]?.fix?.edits[0]?.text).toBe('workers');
    // bound by two statements: renaming the first alone would change what the file means
    expect(read('worker = 3\nworker = "127.0.0.1:8000"\n').diagnostics.map((x) => [x.rule, x.fix])).toEqual([['gunicorn-unknown-setting', undefined]]);
  });

  it('server hooks and other functions are not reported', () => {
    const cfg = readGunicornConfig(fixture('configs/hooks.conf.py'), { version: '20.1' });
    expect(cfg.diagnostics).toEqual([]);
  });

  it('a setting of another gunicorn version is reported as ignored by this one', () => {
    const d = read('header_map = "refuse"\n').diagnostics;
    expect(d.map((x) => x.message)).toEqual(['`header_map` is not a setting in gunicorn 20.1 (added in 22.0): this gunicorn ignores it']);
    expect(read('header_map = "refuse"\n', { version: '22' }).diagnostics).toEqual([]);
  });

  it('`config` in a config file has no effect', () => {
    expect(read('config = "other.py"\n').diagnostics.map((d) => d.rule)).toEqual(['gunicorn-ineffective-setting']);
  });

  it('suggestions', () => {
    expect(suggestSetting('worker')?.setting).toBe('workers');
    expect(suggestSetting('graceful_timout')?.setting).toBe('graceful_timeout');
    expect(suggestSetting('access_logfile')?.setting).toBe('accesslog');
    expect(suggestSetting('name')?.setting).toBe('proc_name');
    expect(suggestSetting('TIMEOUT')?.setting).toBe('timeout');
    expect(suggestSetting('database_url')).toBeNull();
  });
});

describe('the corpus-like fixtures', () => {
  it('every config fixture reads without throwing', () => {
    for (const f of fs.readdirSync(path.join(FIXTURES, 'configs'))) {
      expect(() => readGunicornConfig(fixture(`configs/${f}`), { version: '20.1' })).not.toThrow();
    }
  });
});
