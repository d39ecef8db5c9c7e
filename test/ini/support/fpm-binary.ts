/**
 * Running `php-fpm -t` on a fixture without touching /run or /var/log: the
 * fixture is copied into a fresh temporary prefix (with a log/ and run/
 * directory), and php-fpm is started with that prefix (-p), its own pid file
 * (-g), no php.ini (-n) and -R, so that its verdict is the same whether the
 * tests run as root or not (as root without -R every pool would need `user`).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { closeSync, cpSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

export interface FpmVerdict {
  ok: boolean;
  /** the first error php-fpm printed, without timestamp, level, "[file:line] " and errno suffix */
  firstError: string | null;
  /** file and line of that error when php-fpm gave them */
  where: { file: string; line: number } | null;
  output: string;
}

/** Messages that only say "something failed before": not the offending one. */
const GENERIC = [/^failed to load configuration file/, /^FPM initialization failed/, /^failed to post process the configuration/];

export function parseFpmOutput(output: string, exitOk: boolean): FpmVerdict {
  let firstError: string | null = null;
  let where: FpmVerdict['where'] = null;
  for (const line of output.split('\n')) {
    let msg: string | null = null;
    const m = /^\[[^\]]*\] (ERROR|ALERT): (.*)$/.exec(line);
    if (m) msg = m[2]!;
    const syn = /^PHP: {2}(syntax error.*?) in \S+ on line \d+/.exec(line);
    if (syn) msg = syn[1]!;
    if (msg === null) continue;
    const loc = /^\[([^\]]+):(\d+)\] (.*)$/.exec(msg);
    if (loc) msg = loc[3]!;
    msg = msg.replace(/: [^:]*\(\d+\)$/, ''); // zlog SYSERROR suffix ": strerror (errno)"
    if (GENERIC.some((r) => r.test(msg!))) continue;
    firstError = msg;
    where = loc ? { file: loc[1]!, line: Number(loc[2]) } : null;
    break;
  }
  return { ok: exitOk, firstError, where, output };
}

/** Copy a fixture (file or directory) into a fresh prefix; returns the prefix and the main file in it. */
export function stageFixture(fixture: string): { prefix: string; main: string; cleanup: () => void } {
  const prefix = mkdtempSync(path.join(tmpdir(), 'nginx-lint-fpm-'));
  mkdirSync(path.join(prefix, 'log'));
  mkdirSync(path.join(prefix, 'run'));
  let main: string;
  if (statSync(fixture).isDirectory()) {
    cpSync(fixture, prefix, { recursive: true });
    main = path.join(prefix, 'php-fpm.conf');
  } else {
    main = path.join(prefix, path.basename(fixture));
    cpSync(fixture, main);
  }
  return { prefix, main, cleanup: () => rmSync(prefix, { recursive: true, force: true }) };
}

export function runFpmTest(bin: string, prefix: string, main: string, env: Record<string, string> = {}): FpmVerdict {
  const copied = new Set<string>();
  const list = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) list(p);
      else copied.add(p);
    }
  };
  list(prefix);
  // stdout/stderr go to a file: Node's pipes are sockets, which a config's `error_log = /proc/self/fd/2` could not open
  const outPath = path.join(mkdtempSync(path.join(tmpdir(), 'nginx-lint-fpm-out-')), 'out.txt');
  const fd = openSync(outPath, 'w');
  let status: number | null;
  try {
    status = spawnSync(bin, ['-n', '-t', '-R', '-p', prefix, '-g', path.join(prefix, 'run', 'test.pid'), '-y', main], {
      stdio: ['ignore', fd, fd],
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env },
      timeout: 20_000,
    }).status;
  } finally {
    closeSync(fd);
  }
  const out = readFileSync(outPath, 'utf8');
  rmSync(path.dirname(outPath), { recursive: true, force: true });
  // with `daemonize = no` php-fpm writes its messages to the error log instead of stderr
  let logs = '';
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.log') && !copied.has(p)) logs += readFileSync(p, 'utf8');
    }
  };
  walk(prefix);
  return parseFpmOutput(`${out}${logs}`, status === 0);
}

/** The offending key named in a php-fpm message ('x' in "unknown entry 'x'", the directive a "[pool p] ..." check is about). */
export function offendingKey(message: string): string | null {
  const quoted = /(?:entry|directive|field) '([^']+)'/.exec(message) ?? /parsing '([^'[]+)\[/.exec(message);
  if (quoted) return quoted[1]!;
  const known: [RegExp, string][] = [
    [/no listen address|listen address as it's already used/, 'listen'],
    [/process manager is missing/, 'pm'],
    [/status path/, 'pm.status_path'],
    [/ping path/, 'ping.path'],
    [/ping response/, 'ping.response'],
    [/chroot path|'\$prefix'/, 'chroot'],
    [/chdir path/, 'chdir'],
    [/the prefix/, 'prefix'],
    [/access log/, 'access.log'],
    [/error_log/, 'error_log'],
    [/slowlog\(|^\S* ?'slowlog' must be specified for use with '([^']+)'/, 'slowlog'],
    [/event mechanism/, 'events.mechanism'],
    [/cannot get (uid|gid)/, 'user/group'],
  ];
  for (const [re, key] of known) if (re.test(message)) return key;
  const dotted = /\b((?:pm|request|process|log|listen)[._][a-z_.]+)/.exec(message);
  return dotted ? dotted[1]!.replace(/\(.*$/, '') : null;
}

export function phpFpmVersion(bin: string): string {
  return execFileSync(bin, ['-v'], { encoding: 'utf8' }).split('\n')[0] ?? '';
}
