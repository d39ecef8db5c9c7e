import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { toReported } from '../../src/diagnostic.js';
import { memoryFileSystem } from '../../src/fs.js';
import { sourceFromString, type SourceFile, type Span } from '../../src/syntax/source.js';
import {
  gunicornValuesView,
  invocationsFromProcfile,
  invocationsFromShellScript,
  invocationsFromSystemd,
  loadGunicorn,
  parseGunicornArgv,
  parseSystemdUnit,
  resolveGunicorn,
  shlexSplit,
  systemdSocketInfo,
  textOf,
  type Word,
} from '../../src/syntax/gunicorn/index.js';

const FIXTURES = path.resolve(__dirname, '../../fixtures/gunicorn');
/** A fixture, with its @CASEDIR@ placeholder (see manifest.json) set to /srv/case. */
const fixture = (rel: string) => sourceFromString(`fixtures/gunicorn/${rel}`, fs.readFileSync(path.join(FIXTURES, rel), 'utf8').replaceAll('@CASEDIR@', '/srv/case'));
const at = (f: SourceFile, s: Span) => f.text.slice(s.start, s.end);

/** Words of a plain command line, split like sh. */
function argv(line: string): { file: SourceFile; words: Word[] } {
  const file = sourceFromString('cmd', 'gunicorn ' + line);
  const inv = invocationsFromShellScript(file)[0]!;
  return { file, words: inv.args };
}

describe('gunicorn argv, as its argparse parser reads it', () => {
  it.each([
    ['--timeout 30', 'timeout', '30'],
    ['--timeout=30', 'timeout', '30'],
    ['-t 30', 'timeout', '30'],
    ['-t30', 'timeout', '30'],
    ['-t=30', 'timeout', '30'],
    ['--time 30', 'timeout', '30'],
    ['--keep-alive=5', 'keepalive', '5'],
    ['-k gevent', 'worker_class', 'gevent'],
    ['-w4', 'workers', '4'],
    ['--threads 8', 'threads', '8'],
    ['--umask 007', 'umask', '007'],
    ['-u www-data', 'user', 'www-data'],
    ['-g=www-data', 'group', 'www-data'],
    ['-c conf.py', 'config', 'conf.py'],
    ['--log-file -', 'errorlog', '-'],
    ['--timeout -5', 'timeout', '-5'],
  ])('%s', (line, setting, raw) => {
    const { file, words } = argv(line + ' app:app');
    const p = parseGunicornArgv(words);
    expect(p.problems).toEqual([]);
    expect(p.options).toHaveLength(1);
    expect(p.options[0]).toMatchObject({ setting, raw });
    expect(at(file, p.options[0]!.valueSpan)).toBe(raw);
    expect(p.positionals.map((w) => w.value)).toEqual(['app:app']);
  });

  it('repeated -b accumulates; combined short flags; flags without values', () => {
    const { file, words } = argv('-b a:1 --bind=b:2 -Dw3 --preload --no-sendfile app:app');
    const p = parseGunicornArgv(words);
    expect(p.options.map((o) => [o.setting, o.raw])).toEqual([
      ['bind', 'a:1'],
      ['bind', 'b:2'],
      ['daemon', null],
      ['workers', '3'],
      ['preload_app', null],
      ['sendfile', null],
    ]);
    expect(at(file, p.options[3]!.flagSpan)).toBe('w');
    expect(at(file, p.options[3]!.valueSpan)).toBe('3');
  });

  it('argparse errors, with did-you-mean for unknown flags', () => {
    const msgs = (line: string) => parseGunicornArgv(argv(line).words).problems.map((x) => x.message);
    expect(msgs('--work 2 app:app')).toEqual(['ambiguous option: --work could match --workers, --worker-class, --worker-connections, --worker-tmp-dir']);
    expect(msgs('--timeout')).toEqual(['argument -t/--timeout: expected one argument']);
    expect(msgs('--timeuot 3 app:app')).toEqual(['unrecognized arguments: --timeuot (did you mean --timeout?)']);
    expect(msgs('--preload=yes app:app')).toEqual(["argument --preload: ignored explicit argument 'yes'"]);
  });

  it('command-line values are converted and validated like gunicorn does', () => {
    const eff = resolveGunicorn({ invocation: invocationsFromShellScript(sourceFromString('c', 'gunicorn -t abc --umask 007 -b x -b y app:app'))[0]! });
    const d = eff.diagnostics.map(toReported);
    expect(d).toEqual([expect.objectContaining({ rule: 'gunicorn-cli-error', message: "gunicorn: error: argument -t/--timeout: invalid int value: 'abc'", column: 13 })]);
    const v = gunicornValuesView(eff);
    expect(v.umask).toBe(7);
    expect(v.bind).toEqual(['x', 'y']);
  });
});

describe('systemd units', () => {
  it('ExecStart with continuation lines: every flag value points at its bytes', () => {
    const file = fixture('systemd/basic.service');
    const [inv] = invocationsFromSystemd(parseSystemdUnit(file));
    expect(inv!.program.value).toBe('/opt/shop/venv/bin/gunicorn');
    expect(inv!.user?.value).toBe('www-data');
    expect(inv!.group?.value).toBe('www-data');
    expect(inv!.cwd?.value).toBe('/srv/case');
    const eff = resolveGunicorn({ invocation: inv! });
    const t = eff.settings.get('timeout')!;
    expect(t.value).toEqual({ kind: 'known', value: 60 });
    expect(t.source).toMatchObject({ kind: 'command-line', flag: '--timeout' });
    if (t.source.kind === 'command-line') {
      expect(at(file, t.source.span)).toBe('60');
      expect(toReported({ rule: 'x', severity: 'info', message: '', file, span: t.source.span }).line).toBe(15);
    }
    const v = gunicornValuesView(eff);
    expect(v.bind).toEqual(['unix:/run/shop/gunicorn.sock', '127.0.0.1:8001']);
    expect(v.umask).toBe(7);
    expect(v.worker_class).toBe('gthread');
    expect(v.default_proc_name).toBe('shop.wsgi:application');
  });

  it('Environment= and GUNICORN_CMD_ARGS: defaults < GUNICORN_CMD_ARGS < command line', () => {
    const file = fixture('systemd/env.service');
    const [inv] = invocationsFromSystemd(parseSystemdUnit(file));
    const eff = resolveGunicorn({ invocation: inv! });
    const s = (n: string) => eff.settings.get(n)!;
    expect(s('timeout').value).toEqual({ kind: 'known', value: 30 });
    expect(s('timeout').source.kind).toBe('command-line');
    expect(s('timeout').overrides.map((o) => o.kind)).toEqual(['GUNICORN_CMD_ARGS']);
    expect(s('keepalive').value).toEqual({ kind: 'known', value: 5 });
    expect(s('keepalive').source).toMatchObject({ kind: 'GUNICORN_CMD_ARGS', flag: '--keep-alive' });
    const ka = s('keepalive').source;
    if (ka.kind === 'GUNICORN_CMD_ARGS') expect(at(file, ka.span!)).toBe('5');
    expect(s('workers').value).toEqual({ kind: 'known', value: 2 });
    expect(s('bind').value).toEqual({ kind: 'known', value: ['0.0.0.0:9100'] });
    expect(s('forwarded_allow_ips').value).toEqual({ kind: 'known', value: ['10.0.0.1', '10.0.0.2'] });
  });

  it('without GUNICORN_CMD_ARGS, PORT and WEB_CONCURRENCY set the defaults', () => {
    const file = sourceFromString('a.service', '[Service]\nEnvironment=PORT=9001 WEB_CONCURRENCY=3\nExecStart=/usr/bin/gunicorn app:app\n');
    const v = gunicornValuesView(resolveGunicorn({ invocation: invocationsFromSystemd(parseSystemdUnit(file))[0]! }));
    expect(v.bind).toEqual(['0.0.0.0:9001']);
    expect(v.workers).toBe(3);
  });

  it('quoting in Environment= and in GUNICORN_CMD_ARGS (systemd, then shlex)', () => {
    const file = fixture('systemd/cmd-args-quoting.service');
    const [inv] = invocationsFromSystemd(parseSystemdUnit(file));
    const v = gunicornValuesView(resolveGunicorn({ invocation: inv! }));
    expect(v.bind).toEqual(['unix:/tmp/app sock.sock']);
    expect(v.access_log_format).toBe('%(h)s "%(r)s" %(s)s');
    expect(v.proc_name).toBe('quoted');
  });

  it('-c reads the config file relative to WorkingDirectory; the command line wins', () => {
    const unit = '[Service]\nWorkingDirectory=/srv/app\nExecStart=/srv/venv/bin/gunicorn -c conf/gunicorn.conf.py -b 127.0.0.1:9000 app:app\n';
    const fsys = memoryFileSystem({ '/srv/app/deploy/app.service': unit, '/srv/app/conf/gunicorn.conf.py': 'bind = "0.0.0.0:80"\nworkers = 5\ntimeout = "x"\n' });
    const loaded = loadGunicorn('/srv/app/deploy/app.service', { fs: fsys });
    const eff = loaded.configs[0]!;
    expect(eff.config?.file.path).toBe('/srv/app/conf/gunicorn.conf.py');
    const v = gunicornValuesView(eff);
    expect(v.bind).toEqual(['127.0.0.1:9000']);
    expect(v.workers).toBe(5);
    expect(eff.settings.get('bind')!.overrides.map((o) => o.kind)).toEqual(['config-file']);
    expect(loaded.diagnostics.map((d) => [d.file.path, d.rule])).toEqual([['/srv/app/conf/gunicorn.conf.py', 'gunicorn-invalid-value']]);
  });

  it('a config file we cannot read leaves the settings it may set dynamic', () => {
    const unit = '[Service]\nExecStart=/usr/bin/gunicorn -c /etc/gunicorn/app.py app:app\n';
    const eff = loadGunicorn('/a.service', { fs: memoryFileSystem({ '/a.service': unit }) }).configs[0]!;
    expect(gunicornValuesView(eff).timeout).toEqual({ dynamic: '(config file /etc/gunicorn/app.py)', default: 30 });
    expect(eff.notes).toContain('config file /etc/gunicorn/app.py was not read: settings it may set are unknown');
  });

  it('sh -c wrappers and python -m gunicorn', () => {
    const [a] = invocationsFromSystemd(parseSystemdUnit(fixture('systemd/shell-wrapped.service')));
    expect(a!.args.map((w) => w.value)).toEqual(['-w', '2', '-k', 'gthread', '--threads=4', '--max-requests=500', 'app.main:create_app()']);
    expect(a!.cwd?.value).toBe('/srv/case');
    const [b] = invocationsFromSystemd(parseSystemdUnit(fixture('systemd/python-m.service')));
    expect(b!.program.value).toBe('/usr/bin/python3');
    const v = gunicornValuesView(resolveGunicorn({ invocation: b! }));
    expect(v.umask).toBe(0o27);
    expect(v.raw_env).toEqual(['A=1', 'B=2']);
    expect(v.sendfile).toBe(false);
  });

  it('.socket units: ListenStream, SocketUser, SocketGroup, SocketMode', () => {
    const file = fixture('systemd/gunicorn.socket');
    const s = systemdSocketInfo(parseSystemdUnit(file));
    expect(s.listenStreams.map((l) => l.value)).toEqual(['/run/gunicorn.sock', '127.0.0.1:8000']);
    expect(at(file, s.listenStreams[0]!.span)).toBe('/run/gunicorn.sock');
    expect(s.socketUser?.value).toBe('www-data');
    expect(s.socketGroup?.value).toBe('www-data');
    expect(s.socketMode?.value).toBe('0660');
  });
});

describe('Procfiles and shell scripts', () => {
  it('Procfile web process, $PORT unknown → the flag value is dynamic', () => {
    const file = fixture('procfile/Procfile');
    const invs = invocationsFromProcfile(file);
    expect(invs.map((i) => i.name)).toEqual(['web']);
    const v = gunicornValuesView(resolveGunicorn({ invocation: invs[0]! }));
    expect(v.bind).toEqual({ dynamic: '0.0.0.0:$PORT' });
    expect(v.workers).toBe(4);
    expect(v.timeout).toBe(120);
    expect(v.errorlog).toBe('-');
    const known = gunicornValuesView(resolveGunicorn({ invocation: invocationsFromProcfile(file, { env: { PORT: '5000' } })[0]! }));
    expect(known.bind).toEqual(['0.0.0.0:5000']);
  });

  it('shell scripts: exports, ${VAR:-default}, exec, quoting', () => {
    const file = fixture('shell/start.sh');
    const [inv] = invocationsFromShellScript(file);
    expect(inv!.args.map((w) => w.value)).toEqual(['--workers', '3', '--bind=0.0.0.0:8000', '--log-level', 'info', '-e', 'A=1', '-e', 'B=two words', 'app:app']);
    expect(inv!.args[1]!.dynamic).toBe('${WORKERS:-3}');
    expect(inv!.env.get('GUNICORN_CMD_ARGS')?.value).toBe('--max-requests 1000 --max-requests-jitter 50');
    const eff = resolveGunicorn({ invocation: inv! });
    const v = gunicornValuesView(eff);
    expect(v.workers).toEqual({ dynamic: '3' });
    expect(v.loglevel).toBe('info');
    expect(v.max_requests).toBe(1000);
    expect(v.raw_env).toEqual(['A=1', 'B=two words']);
    const mr = eff.settings.get('max_requests')!.source;
    expect(mr.kind === 'GUNICORN_CMD_ARGS' && at(file, mr.span!)).toBe('1000');
  });

  it('inline environment and python3 -m gunicorn in an entrypoint', () => {
    const [inv] = invocationsFromShellScript(fixture('shell/entrypoint.sh'), { complete: true });
    expect(inv!.env.get('TIMEOUT')?.value).toBe('45');
    expect(inv!.cwd?.value).toBe('/srv/case');
    const v = gunicornValuesView(resolveGunicorn({ invocation: inv!, envComplete: true }));
    expect(v.timeout).toBe(30);
    expect(v.enable_stdio_inheritance).toBe(true);
    expect(v.forwarded_allow_ips).toEqual(['*']);
  });

  it('shlex.split as GUNICORN_CMD_ARGS uses it', () => {
    const split = (s: string) => shlexSplit(textOf(s, 0, s.length));
    expect(split(`--a "b c" 'd "e"' f\\ g "h\\"i"`).words.map((w) => w.value)).toEqual(['--a', 'b c', 'd "e"', 'f g', 'h"i']);
    expect(split('--bind "unclosed').error?.message).toBe('No closing quotation');
  });
});
