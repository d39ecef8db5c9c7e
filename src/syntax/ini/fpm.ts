/**
 * PHP-FPM's configuration as php-fpm 8.2 builds it (sapi/fpm/fpm/fpm_conf.c):
 * the main file read one line at a time, `include=` globs resolved against
 * the prefix and read where they appear, `[global]` and pool sections (a pool
 * named again — in any case, in any file — continues the same pool), every
 * entry checked by php-fpm's own reader for it, `$pool` expanded, then the
 * checks `php-fpm -t` makes after loading.
 *
 * Unlike php-fpm, loading does not stop at the first error: every problem is
 * a diagnostic, in the order php-fpm would meet them (so the first one is the
 * one `php-fpm -t` prints).
 */
import * as nodePath from 'node:path';
import type { Diagnostic, Severity } from '../../diagnostic.js';
import { nodeFileSystem, type FileSystem } from '../../fs.js';
import { decodeSource, positionAt, type SourceFile, type Span } from '../source.js';
import type { IniEntry, IniFile, IniSection } from './ast.js';
import { evaluateAtoms, evaluateValue, isDynamic, type DynamicValue, type EvalOptions } from './evaluate.js';
import { FPM_ARRAY_DIRECTIVES, FPM_DEBIAN_DEFAULTS, findFpmDirective, type FpmArrayDirective, type FpmDirective } from './fpm-directives.js';
import { fpmGlob, GLOB_ABORTED } from './fpm-glob.js';
import { parseIni } from './parser.js';
import {
  parseFpmBoolean,
  parseFpmDuration,
  parseFpmInteger,
  parseFpmLogLevel,
  parseFpmPm,
  parseFpmRlimit,
  parseSyslogFacility,
  type ReadResult,
} from './readers.js';

export interface LoadFpmOptions {
  /** where files are read from (default: the real file system) */
  fs?: FileSystem;
  /**
   * php-fpm's `--prefix` (`nginx-lint --fpm-prefix`). Relative `include=`
   * paths and pool paths resolve against it; without it php-fpm uses its
   * build prefix (/usr on Debian) and /var for pid and error_log.
   */
  prefix?: string;
  /**
   * php-fpm runs as root without --allow-to-run-as-root (how a system service
   * starts): then every pool needs `user`. Default false, which is how
   * `php-fpm -t` judges a file when run as another user or with -R.
   */
  runAsRoot?: boolean;
  /**
   * Also make the checks that depend on the machine, as `php-fpm -t` on this
   * machine would: prefix/chroot/chdir directories exist, log directories
   * exist, users and groups exist (/etc/passwd, /etc/group read through `fs`).
   * Default false: the files may be meant for another machine.
   */
  checkSystem?: boolean;
  /** The environment for `${NAME}` in values; without it such values are dynamic. */
  env?: Readonly<Record<string, string | undefined>>;
}

/** One `key = value` as php-fpm took it. */
export interface FpmSetting {
  /** the directive's name as php-fpm's table spells it (`pm.max_children`), or the array name (`php_admin_value`) */
  name: string;
  /** `name[key]`: the key */
  key: string | null;
  directive: FpmDirective | null;
  /** the value as php-fpm stores it: INI-evaluated, `$pool` expanded; php_flag values as "1"/"0" */
  value: string | DynamicValue;
  /** the value read by the directive's reader (seconds for a time, a number, a boolean...) when valid and static */
  typed: string | number | boolean | null;
  file: IniFile;
  entry: IniEntry;
  pool: FpmPool | null;
}

export interface FpmScopeBase {
  /** every accepted setting in load order */
  settings: FpmSetting[];
}

export interface FpmGlobal extends FpmScopeBase {
  /** `[global]` headers */
  sections: { file: IniFile; node: IniSection }[];
}

export interface FpmPool extends FpmScopeBase {
  /** the name of its first header (later headers match it case-insensitively) */
  name: string;
  /** every `[name]` header that opened or reopened this pool, in load order */
  sections: { file: IniFile; node: IniSection }[];
}

export interface FpmInclude {
  file: IniFile;
  entry: IniEntry;
  /** the pattern as php-fpm globbed it (after prefix resolution); null when the value is dynamic */
  pattern: string | null;
  /** files it brought in, in load order */
  files: string[];
}

export interface FpmConfig {
  /** the main file's path as given */
  path: string;
  /** --prefix as given */
  prefix: string | null;
  /** every file read, by the path it was opened with */
  files: Map<string, IniFile>;
  global: FpmGlobal;
  pools: FpmPool[];
  includes: FpmInclude[];
  /** syntax errors, entries php-fpm rejects, include problems and post-load check failures, in php-fpm's order */
  diagnostics: Diagnostic[];
}

const PHP_VALUES_LIST: Record<FpmArrayDirective, 'env' | 'php' | 'admin'> = {
  env: 'env',
  php_value: 'php',
  php_flag: 'php',
  php_admin_value: 'admin',
  php_admin_flag: 'admin',
};

/** The last setting of a directive (php-fpm keeps the last value of a plain directive). */
export function fpmSetting(scope: FpmScopeBase, name: string): FpmSetting | undefined {
  const lower = name.toLowerCase();
  for (let i = scope.settings.length - 1; i >= 0; i--) {
    const s = scope.settings[i]!;
    if (s.key === null && s.name.toLowerCase() === lower) return s;
  }
  return undefined;
}

/**
 * The effective `env[...]`, `php_value[...]`/`php_flag[...]` and
 * `php_admin_value[...]`/`php_admin_flag[...]` entries of a pool. php-fpm
 * keeps every entry and applies them newest first, so for a key given twice
 * the first one wins; an admin value wins over a php_value of the same key
 * (checked against a running php-fpm 8.2, see test/ini/fpm-live.test.ts).
 */
export function fpmArrays(pool: FpmPool): { env: Map<string, FpmSetting>; php: Map<string, FpmSetting>; admin: Map<string, FpmSetting> } {
  const out = { env: new Map<string, FpmSetting>(), php: new Map<string, FpmSetting>(), admin: new Map<string, FpmSetting>() };
  for (const s of pool.settings) {
    if (s.key === null) continue;
    const list = PHP_VALUES_LIST[s.name as FpmArrayDirective];
    if (!list) continue;
    const m = out[list];
    if (!m.has(s.key)) m.set(s.key, s);
  }
  return out;
}

/** The PHP ini values a pool's workers get from php_value/php_admin_value (admin wins, then first definition). */
export function fpmPhpValues(pool: FpmPool): Map<string, { setting: FpmSetting; admin: boolean }> {
  const { php, admin } = fpmArrays(pool);
  const out = new Map<string, { setting: FpmSetting; admin: boolean }>();
  for (const [k, s] of php) out.set(k, { setting: s, admin: false });
  for (const [k, s] of admin) out.set(k, { setting: s, admin: true });
  return out;
}

export type FpmValuesView = {
  global: Record<string, string | DynamicValue>;
  pools: Record<string, Record<string, string | DynamicValue>>;
};

/**
 * `{ global: { key: value }, pools: { name: { key: value } } }`: the values
 * php-fpm ends up with after includes and `$pool` substitution. Plain
 * directives under their canonical names (last one wins), array entries as
 * `php_admin_value[memory_limit]` with the value that takes effect.
 */
export function fpmValuesView(config: FpmConfig): FpmValuesView {
  const scopeView = (scope: FpmScopeBase, pool: FpmPool | null): Record<string, string | DynamicValue> => {
    const out: Record<string, string | DynamicValue> = {};
    for (const s of scope.settings) if (s.key === null) out[s.name] = s.value;
    if (pool) {
      const { env, php, admin } = fpmArrays(pool);
      for (const m of [env, php, admin]) for (const [k, s] of m) out[`${s.name}[${k}]`] = s.value;
    }
    return out;
  };
  const view: FpmValuesView = { global: scopeView(config.global, null), pools: {} };
  for (const p of config.pools) view.pools[p.name] = scopeView(p, p);
  return view;
}

const ZLOG_MIN_LIMIT = 512;
/**
 * Includes re-read a file each time (as php-fpm does), so includes of globs
 * of includes multiply; past this many reads nginx-lint stops, with an error.
 */
const MAX_INCLUDE_LOADS = 10_000;
const LINUX_EVENT_MECHANISMS = ['epoll', 'poll', 'select'];

class Loader {
  readonly fs: FileSystem;
  readonly config: FpmConfig;
  private current: FpmPool | null = null;
  private depth = 0;
  private readonly evalOpts: EvalOptions;

  constructor(
    path: string,
    readonly opts: LoadFpmOptions,
  ) {
    this.fs = opts.fs ?? nodeFileSystem;
    this.config = {
      path,
      prefix: opts.prefix ?? null,
      files: new Map(),
      global: { settings: [], sections: [] },
      pools: [],
      includes: [],
      diagnostics: [],
    };
    const env = opts.env;
    this.evalOpts = { variable: (name) => (env ? (env[name] ?? '') : undefined) };
  }

  private diag(rule: string, severity: Severity, message: string, file: SourceFile, span: Span, related?: Diagnostic['related']): Diagnostic {
    const d: Diagnostic = { rule, severity, message, file, span: { ...span } };
    if (related?.length) d.related = related;
    this.config.diagnostics.push(d);
    return d;
  }

  /** fpm_evaluate_full_path */
  fullPath(path: string, pool: FpmPool | null, defaultPrefix: string | null, expand: boolean): { path: string; error?: string } {
    if (!path || path.startsWith('/')) return { path };
    let prefix: string | null = null;
    if (pool) {
      const p = fpmSetting(pool, 'prefix');
      if (p && typeof p.value === 'string' && p.value !== '') prefix = this.poolPrefix(pool);
    }
    prefix ??= this.opts.prefix ?? null;
    prefix ??= defaultPrefix ?? FPM_DEBIAN_DEFAULTS.prefix;
    let rest: string | null = path;
    if (expand) {
      const at = path.indexOf('$prefix');
      if (at !== -1) {
        if (at !== 0) return { path, error: "'$prefix' must be use at the beginning of the value" };
        rest = path.length > '$prefix'.length ? path.slice('$prefix'.length) : null;
      }
    }
    let full = rest !== null ? `${prefix}/${rest}` : prefix;
    if (!full.startsWith('/') && pool) full = this.fullPath(full, null, defaultPrefix, expand).path;
    return { path: full };
  }

  private poolPrefix(pool: FpmPool): string | null {
    const p = fpmSetting(pool, 'prefix');
    if (!p || typeof p.value !== 'string' || p.value === '') return null;
    return this.fullPath(p.value, null, null, false).path;
  }

  // ---- loading ----

  /** files read so far, every include counted (a file included twice is read twice, as php-fpm does) */
  private loads = 0;
  /** set by an error that stops php-fpm's whole load (the include recursion limit) */
  private aborted = false;
  private readonly parsed = new Map<string, IniFile>();
  private readonly parsedBytes = new Map<string, Uint8Array>();

  loadFile(path: string, from: { file: IniFile; entry: IniEntry } | null): boolean {
    let bytes: Uint8Array;
    const where = from ? from : null;
    try {
      bytes = this.fs.readFile(path);
    } catch (e) {
      const code = (e as { code?: string }).code;
      const why = code === 'ENOENT' ? ': No such file or directory (2)' : code === 'EACCES' ? ': Permission denied (13)' : '';
      if (where) this.diag('fpm-include', 'error', `failed to open configuration file '${path}'${why}`, where.file.source, where.entry.span);
      else this.diag('fpm-include', 'error', `failed to open configuration file '${path}'${why}`, { path, text: '', encoding: 'utf8' }, { start: 0, end: 0 });
      return false;
    }
    if (this.depth > 4) {
      const f = where ? where.file.source : decodeSource(path, bytes);
      this.diag('fpm-include', 'error', 'failed to include more than 5 files recursively', f, where ? where.entry.span : { start: 0, end: 0 });
      // php-fpm's error unwinds every file being read and the load stops: so does this one
      // (read on, a glob that includes itself is read n^5 times)
      this.aborted = true;
      return false;
    }
    if (++this.loads > MAX_INCLUDE_LOADS) {
      const f = where ? where.file.source : decodeSource(path, bytes);
      this.diag('fpm-include', 'error', `more than ${MAX_INCLUDE_LOADS} files read through includes: nginx-lint stops reading here`, f, where ? where.entry.span : { start: 0, end: 0 });
      this.aborted = true;
      return false;
    }
    this.depth++;
    // a file included again is read again, but the same bytes parse the same: parsed once
    let file = this.parsed.get(path);
    if (!file || !Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).equals(Buffer.from(this.parsedBytes.get(path)!))) {
      file = parseIni(decodeSource(path, bytes), { dialect: 'fpm' });
      this.parsed.set(path, file);
      this.parsedBytes.set(path, bytes);
    }
    if (!this.config.files.has(path)) this.config.files.set(path, file);
    const reported = new Set<Diagnostic>();
    let pendingInclude: IniEntry | null = null;
    let pendingLine = -1;
    const text = file.source.text;
    const lineOf = (offset: number) => text.lastIndexOf('\n', offset - 1) + 1;
    const flush = () => {
      if (pendingInclude) {
        const inc = pendingInclude;
        pendingInclude = null;
        this.include(file, inc);
      }
    };
    for (const node of file.nodes) {
      if (this.aborted) break;
      const line = lineOf(node.span.start);
      if (line !== pendingLine) {
        flush();
        pendingLine = line;
      }
      if (node.kind === 'error') {
        this.config.diagnostics.push(node.diagnostic);
        reported.add(node.diagnostic);
        continue;
      }
      if (node.kind === 'comment') continue;
      if (node.kind === 'section') {
        this.section(file, node);
        continue;
      }
      if (!node.value) {
        this.diag('fpm-missing-value', 'error', 'value is NULL for a ZEND_INI_PARSER_ENTRY', file.source, node.span);
        continue;
      }
      if (node.offset) {
        this.arrayEntry(file, node);
        continue;
      }
      if (node.key === 'include') {
        if (pendingInclude) {
          this.diag('fpm-include', 'error', 'two includes at the same time !', file.source, node.span);
          continue;
        }
        pendingInclude = node;
        continue;
      }
      this.entry(file, node);
    }
    flush();
    for (const d of file.diagnostics) if (!reported.has(d)) this.config.diagnostics.push(d);
    this.depth--;
    return true;
  }

  private include(file: IniFile, entry: IniEntry): void {
    if (this.aborted) return;
    const r = evaluateValue(entry.value, this.evalOpts);
    const inc: FpmInclude = { file, entry, pattern: null, files: [] };
    this.config.includes.push(inc);
    if (r.dynamic) return;
    const pattern = this.fullPath(r.value, null, null, false).path;
    inc.pattern = pattern;
    const g = fpmGlob(this.fs, pattern);
    if (g.status === 'nomatch') {
      this.diag('fpm-include', 'warning', `Nothing matches the include pattern '${pattern}' from ${file.source.path} at line ${lineNo(file, entry)}.`, file.source, entry.span);
      return;
    }
    if (g.status === 'aborted') {
      this.diag('fpm-include', 'error', `Unable to globalize '${pattern}' (ret=${GLOB_ABORTED}) from ${file.source.path} at line ${lineNo(file, entry)}.`, file.source, entry.span);
      return;
    }
    for (const p of g.paths) {
      if (p.endsWith('/')) continue; // php-fpm skips directories
      inc.files.push(p);
      if (!this.loadFile(p, { file, entry })) {
        this.diag('fpm-include', 'error', `Unable to include ${p} from ${file.source.path} at line ${lineNo(file, entry)}`, file.source, entry.span);
        return;
      }
    }
  }

  /** pools by lower-cased name (a section reopens its pool; thousands of pools stay linear) */
  private readonly poolByName = new Map<string, FpmPool>();

  private section(file: IniFile, node: IniSection): void {
    const r = evaluateAtoms(node.parts, false, this.evalOpts);
    const name = r.dynamic ? file.source.text.slice(node.nameSpan.start, node.nameSpan.end) : r.value;
    if (name.toLowerCase() === 'global') {
      this.current = null;
      this.config.global.sections.push({ file, node });
      return;
    }
    const lower = name.toLowerCase();
    let pool = this.poolByName.get(lower);
    if (!pool) {
      pool = { name, sections: [], settings: [] };
      this.config.pools.push(pool);
      this.poolByName.set(lower, pool);
    }
    pool.sections.push({ file, node });
    this.current = pool;
  }

  /** the value of an entry as php-fpm receives it; null when it depends on the environment */
  private value(file: IniFile, entry: IniEntry): { value: string; dynamic: false } | { value: DynamicValue; dynamic: true } {
    const r = evaluateValue(entry.value, this.evalOpts);
    if (r.dynamic) return { value: { dynamic: file.source.text.slice(entry.value!.span.start, entry.value!.span.end) }, dynamic: true };
    return { value: r.value, dynamic: false };
  }

  private expandPool(v: string): string | null {
    if (!v.includes('$pool')) return v;
    if (!this.current) return null;
    return v.split('$pool').join(this.current.name);
  }

  private entry(file: IniFile, entry: IniEntry): void {
    const scope = this.current ? 'pool' : 'global';
    const directive = findFpmDirective(scope, entry.key);
    if (!directive) {
      this.diag('fpm-unknown-entry', 'error', `unknown entry '${entry.key}'`, file.source, entry.keySpan);
      return;
    }
    const v = this.value(file, entry);
    let stored: string | DynamicValue = v.value;
    let typed: FpmSetting['typed'] = null;
    if (!v.dynamic) {
      const read = readDirective(directive, v.value);
      if (!read.ok) {
        this.diag('fpm-invalid-value', 'error', `unable to parse value for entry '${directive.name}': ${read.error}`, file.source, entry.value!.expr ? entry.value!.span : entry.span);
        return;
      }
      if (directive.type === 'string') {
        const expanded = this.expandPool(v.value);
        if (expanded === null) {
          this.diag(
            'fpm-invalid-value',
            'error',
            `unable to parse value for entry '${directive.name}': Can't use '$pool' when the pool is not defined`,
            file.source,
            entry.value!.span,
          );
          return;
        }
        stored = expanded;
        typed = expanded;
      } else {
        typed = read.value;
      }
    }
    const setting: FpmSetting = { name: directive.name, key: null, directive, value: stored, typed, file, entry, pool: this.current };
    (this.current ?? this.config.global).settings.push(setting);
  }

  private arrayEntry(file: IniFile, entry: IniEntry): void {
    const off = evaluateAtoms(entry.offset!.atoms, true, this.evalOpts);
    const key = off.dynamic ? file.source.text.slice(entry.offset!.span.start, entry.offset!.span.end) : off.value;
    if (key === '') {
      this.diag('fpm-invalid-array', 'error', `You must provide a key for field '${entry.key}'`, file.source, entry.offset!.open);
      return;
    }
    if (!this.current) {
      this.diag('fpm-invalid-array', 'error', 'Array are not allowed in the global section', file.source, entry.keySpan);
      return;
    }
    const name = entry.key;
    if (!(FPM_ARRAY_DIRECTIVES as readonly string[]).includes(name)) {
      this.diag('fpm-unknown-entry', 'error', `unknown directive '${name}'`, file.source, entry.keySpan);
      return;
    }
    const v = this.value(file, entry);
    let stored: string | DynamicValue = v.value;
    let typed: FpmSetting['typed'] = null;
    if (!v.dynamic) {
      if (name === 'env' && v.value === '') {
        this.diag('fpm-invalid-value', 'error', 'empty value', file.source, entry.span);
        return;
      }
      if (name === 'php_flag' || name === 'php_admin_flag') {
        const b = parseFpmBoolean(v.value);
        if (!b.ok) {
          this.diag('fpm-invalid-value', 'error', `error while parsing '${name}[${key}]' : ${b.error}`, file.source, entry.value!.expr ? entry.value!.span : entry.span);
          return;
        }
        stored = b.value ? '1' : '0';
        typed = b.value;
      } else {
        const expanded = this.expandPool(v.value);
        if (expanded === null) {
          this.diag('fpm-invalid-value', 'error', `error while parsing '${name}[${key}]' : Can't use '$pool' when the pool is not defined`, file.source, entry.value!.span);
          return;
        }
        stored = expanded;
        typed = expanded;
      }
    }
    this.current.settings.push({ name, key, directive: null, value: stored, typed, file, entry, pool: this.current });
  }

  // ---- after loading: fpm_conf_post_process ----

  private num(scope: FpmScopeBase, name: string, dflt: number): number | null {
    const s = fpmSetting(scope, name);
    if (!s) return dflt;
    if (isDynamic(s.value) || typeof s.typed !== 'number') return null;
    return s.typed;
  }
  private str(scope: FpmScopeBase, name: string): string | null | undefined {
    const s = fpmSetting(scope, name);
    if (!s) return undefined;
    if (isDynamic(s.value)) return null;
    return s.value;
  }

  /** where to point a post-load diagnostic: the setting if there is one, else the pool header, else the main file's start */
  private at(pool: FpmPool | null, name?: string): { file: SourceFile; span: Span } {
    const scope = pool ?? this.config.global;
    if (name) {
      const s = fpmSetting(scope, name);
      if (s) return { file: s.file.source, span: s.entry.span };
    }
    if (pool && pool.sections[0]) return { file: pool.sections[0].file.source, span: pool.sections[0].node.span };
    const main = this.config.files.get(this.config.path);
    return { file: main ? main.source : { path: this.config.path, text: '', encoding: 'utf8' }, span: { start: 0, end: 0 } };
  }

  private fail(pool: FpmPool | null, setting: string | undefined, message: string): void {
    const { file, span } = this.at(pool, setting);
    this.diag('fpm-config', 'error', pool ? `[pool ${pool.name}] ${message}` : message, file, span);
  }

  private isDir(path: string): boolean {
    return this.fs.stat(path)?.isDirectory === true;
  }
  private dirOf(path: string): string {
    return nodePath.posix.dirname(path);
  }

  postProcess(): void {
    const g = this.config.global;
    const sys = this.opts.checkSystem === true;
    const logLimit = this.num(g, 'log_limit', 1024);
    if (logLimit !== null && logLimit < ZLOG_MIN_LIMIT) this.fail(null, 'log_limit', `log_limit must be greater than ${ZLOG_MIN_LIMIT}`);
    const pmax = this.num(g, 'process.max', 0);
    if (pmax !== null && pmax < 0) this.fail(null, 'process.max', "process_max can't be negative");
    const prio = this.num(g, 'process.priority', 64);
    if (prio !== null && prio !== 64 && (prio < -19 || prio > 20)) this.fail(null, 'process.priority', 'process.priority must be included into [-19,20]');
    if (sys) {
      const el = this.str(g, 'error_log');
      if (el !== null) {
        const value = el ?? 'log/php-fpm.log';
        if (value.toLowerCase() !== 'syslog') {
          const full = this.fullPath(value, null, FPM_DEBIAN_DEFAULTS.localstatedir, false).path;
          if (!this.isDir(this.dirOf(full))) this.fail(null, 'error_log', `failed to open error_log (${full})`);
        }
      }
    }
    const ev = this.str(g, 'events.mechanism');
    if (typeof ev === 'string' && ev !== '' && !LINUX_EVENT_MECHANISMS.includes(ev.toLowerCase())) {
      this.fail(null, 'events.mechanism', `event mechanism '${ev}' is not available on this system`);
    }
    this.processPools(sys);
    if (sys) {
      for (const pool of this.config.pools) {
        const al = this.str(pool, 'access.log');
        if (!al) continue;
        const full = this.fullPath(al, pool, null, false).path;
        if (!this.isDir(this.dirOf(full))) this.fail(null, undefined, `failed to open access log (${full})`);
      }
      this.unixTest();
    }
  }

  private processPools(sys: boolean): void {
    if (!this.config.pools.length) {
      this.fail(null, undefined, 'No pool defined. at least one pool section must be specified in config file');
      return;
    }
    for (const pool of this.config.pools) {
      const prefix = this.str(pool, 'prefix');
      if (prefix && sys) {
        const full = this.fullPath(prefix, null, null, false).path;
        if (!this.isDir(full)) this.fail(pool, 'prefix', `the prefix '${full}' does not exist or is not a directory`);
      }
      if (this.opts.runAsRoot && this.str(pool, 'user') === undefined) this.fail(pool, undefined, 'user has not been defined');
      const listen = this.str(pool, 'listen');
      if (listen === undefined || listen === '') this.fail(pool, 'listen', 'no listen address have been defined!');
      const prio = this.num(pool, 'process.priority', 64);
      if (prio !== null && prio !== 64 && (prio < -19 || prio > 20)) this.fail(pool, 'process.priority', 'process.priority must be included into [-19,20]');
      const pmSetting = fpmSetting(pool, 'pm');
      const pm = pmSetting && !isDynamic(pmSetting.value) ? (pmSetting.typed as string) : pmSetting ? null : undefined;
      if (pm === undefined) this.fail(pool, undefined, 'the process manager is missing (static, dynamic or ondemand)');
      const maxChildren = this.num(pool, 'pm.max_children', 0);
      if (maxChildren !== null && maxChildren < 1) this.fail(pool, 'pm.max_children', 'pm.max_children must be a positive value');
      if (pm === 'dynamic') this.checkDynamic(pool, maxChildren);
      else if (pm === 'ondemand') {
        const idle = this.num(pool, 'pm.process_idle_timeout', 10);
        if (idle !== null && idle < 1) this.fail(pool, 'pm.process_idle_timeout', `pm.process_idle_timeout(${idle}s) must be greater than 0s`);
      }
      const statusListen = this.str(pool, 'pm.status_listen');
      this.checkUrlPath(pool, 'pm.status_path', 'status path', !statusListen);
      const pingPath = this.str(pool, 'ping.path');
      this.checkUrlPath(pool, 'ping.path', 'ping path', true);
      if (pingPath) {
        const resp = this.str(pool, 'ping.response');
        if (resp === '') this.fail(pool, 'ping.response', `the ping response page '' is not long enough`);
      }
      const slowlog = this.str(pool, 'slowlog');
      const slowTimeout = this.num(pool, 'request_slowlog_timeout', 0);
      const terminate = this.num(pool, 'request_terminate_timeout', 0);
      if (slowTimeout) {
        if (!slowlog && slowlog !== null) this.fail(pool, 'request_slowlog_timeout', "'slowlog' must be specified for use with 'request_slowlog_timeout'");
        else {
          if (slowlog && sys) {
            const full = this.fullPath(slowlog, pool, null, false).path;
            if (!this.isDir(this.dirOf(full))) this.fail(null, 'slowlog', `Unable to create or open slowlog(${full})`);
          }
          if (terminate && slowTimeout > terminate) {
            this.fail(pool, 'request_slowlog_timeout', `'request_slowlog_timeout' (${slowTimeout}) can't be greater than 'request_terminate_timeout' (${terminate})`);
          }
        }
      }
      const depthSetting = fpmSetting(pool, 'request_slowlog_trace_depth');
      const depth = this.num(pool, 'request_slowlog_trace_depth', 0);
      if (depthSetting && depth) {
        if (!slowlog && slowlog !== null) this.fail(pool, 'request_slowlog_trace_depth', "'slowlog' must be specified for use with 'request_slowlog_trace_depth'");
        else if (depth <= 0) this.fail(pool, 'request_slowlog_trace_depth', `'request_slowlog_trace_depth' (${depth}) must be a positive value`);
      }
      const chroot = this.str(pool, 'chroot');
      let chrootFull: string | null = null;
      if (chroot) {
        const r = this.fullPath(chroot, pool, null, true);
        chrootFull = r.path;
        if (r.error) {
          // php-fpm logs this without the pool name, ignores the failure and checks the path as written
          const { file, span } = this.at(pool, 'chroot');
          this.diag('fpm-config', 'error', r.error, file, span);
        }
        if (!r.path.startsWith('/')) this.fail(pool, 'chroot', `the chroot path '${r.path}' must start with a '/'`);
        else if (!r.error && sys && !this.isDir(r.path)) this.fail(pool, 'chroot', `the chroot path '${r.path}' does not exist or is not a directory`);
      }
      const chdir = this.str(pool, 'chdir');
      if (chdir) {
        const full = this.fullPath(chdir, pool, null, false).path;
        if (!full.startsWith('/')) this.fail(pool, 'chdir', `the chdir path '${full}' must start with a '/'`);
        else if (sys) {
          if (chrootFull) {
            const inside = `${chrootFull}/${full}`;
            if (!this.isDir(inside)) {
              this.fail(pool, 'chdir', `the chdir path '${full}' within the chroot path '${chrootFull}' ('${inside}') does not exist or is not a directory`);
            }
          } else if (!this.isDir(full)) this.fail(pool, 'chdir', `the chdir path '${full}' does not exist or is not a directory`);
        }
      }
    }
    // two pools on one address
    const pools = this.config.pools;
    const addr = (p: FpmPool) => {
      const l = this.str(p, 'listen');
      if (!l) return null;
      return isUnixAddress(l) && !l.startsWith('/') ? this.fullPath(l, p, null, false).path : l;
    };
    // php-fpm compares every pair and stops at the first: the first pool that shares its
    // address, against the next pool with it. By address, so thousands of pools stay linear.
    const addrs = pools.map(addr);
    const firstAt = new Map<string, number>();
    const secondAt = new Map<string, number>();
    addrs.forEach((la, i) => {
      if (!la) return;
      if (!firstAt.has(la)) firstAt.set(la, i);
      else if (!secondAt.has(la)) secondAt.set(la, i);
    });
    const a = addrs.findIndex((la, i) => la !== null && firstAt.get(la) === i && secondAt.has(la));
    if (a !== -1) this.fail(pools[secondAt.get(addrs[a]!)!]!, 'listen', `unable to set listen address as it's already used in another pool '${pools[a]!.name}'`);
  }

  private checkDynamic(pool: FpmPool, maxChildren: number | null): void {
    const min = this.num(pool, 'pm.min_spare_servers', 0);
    const max = this.num(pool, 'pm.max_spare_servers', 0);
    const start = this.num(pool, 'pm.start_servers', 0);
    const rate = this.num(pool, 'pm.max_spawn_rate', 32);
    if (min === null || max === null || maxChildren === null) return;
    if (min <= 0) return this.fail(pool, 'pm.min_spare_servers', `pm.min_spare_servers(${min}) must be a positive value`);
    if (max <= 0) return this.fail(pool, 'pm.max_spare_servers', `pm.max_spare_servers(${max}) must be a positive value`);
    if (min > maxChildren || max > maxChildren) {
      return this.fail(pool, 'pm.max_spare_servers', `pm.min_spare_servers(${min}) and pm.max_spare_servers(${max}) cannot be greater than pm.max_children(${maxChildren})`);
    }
    if (max < min) return this.fail(pool, 'pm.max_spare_servers', `pm.max_spare_servers(${max}) must not be less than pm.min_spare_servers(${min})`);
    if (start !== null && start > 0 && (start < min || start > max)) {
      return this.fail(
        pool,
        'pm.start_servers',
        `pm.start_servers(${start}) must not be less than pm.min_spare_servers(${min}) and not greater than pm.max_spare_servers(${max})`,
      );
    }
    if (rate !== null && rate < 1) this.fail(pool, 'pm.max_spawn_rate', 'pm.max_spawn_rate must be a positive value');
  }

  private checkUrlPath(pool: FpmPool, name: string, what: string, needTwoChars: boolean): void {
    const v = this.str(pool, name);
    if (!v) return;
    if (!v.startsWith('/')) return this.fail(pool, name, `the ${what} '${v}' must start with a '/'`);
    if (needTwoChars && v.length < 2) return this.fail(pool, name, `the ${what} '${v}' is not long enough`);
    if (!/^[A-Za-z0-9/_\-.~]*$/.test(v)) return this.fail(pool, name, `the ${what} '${v}' must contain only the following characters '[alphanum]/_-.~'`);
  }

  private unixTest(): void {
    const users = this.names('/etc/passwd');
    const groups = this.names('/etc/group');
    const numeric = (s: string) => /^[0-9]*$/.test(s);
    for (const pool of this.config.pools) {
      const checks: [string, Set<string> | null, string][] = [
        ['user', users, 'cannot get uid for user'],
        ['group', groups, 'cannot get gid for group'],
        ['listen.owner', users, 'cannot get uid for user'],
        ['listen.group', groups, 'cannot get gid for group'],
      ];
      for (const [name, db, msg] of checks) {
        const v = this.str(pool, name);
        if (!v || numeric(v) || !db || db.has(v)) continue;
        this.fail(pool, name, `${msg} '${v}'`);
        break;
      }
    }
  }

  private names(path: string): Set<string> | null {
    try {
      const text = Buffer.from(this.fs.readFile(path)).toString('utf8');
      return new Set(
        text
          .split('\n')
          .map((l) => l.split(':')[0]!)
          .filter((n) => n && !n.startsWith('#')),
      );
    } catch {
      return null;
    }
  }
}

function lineNo(file: IniFile, entry: IniEntry): number {
  return positionAt(file.source, entry.span.start).line;
}

/** php-fpm's fpm_sockets_domain_from_address: a path (contains '/', or no ':' and not a bare port) is a Unix socket */
export function isUnixAddress(address: string): boolean {
  if (address.includes('/')) return true;
  if (address.includes(':')) return false;
  return !/^\d+$/.test(address);
}

function readDirective(d: FpmDirective, v: string): ReadResult<string | number | boolean> {
  switch (d.type) {
    case 'string':
      return { ok: true, value: v };
    case 'integer':
      return parseFpmInteger(v);
    case 'time':
      return parseFpmDuration(v);
    case 'boolean':
      return parseFpmBoolean(v);
    case 'pm':
      return parseFpmPm(v);
    case 'log_level':
      return parseFpmLogLevel(v);
    case 'rlimit':
      return parseFpmRlimit(v);
    case 'syslog_facility':
      return parseSyslogFacility(v);
  }
}

/**
 * Load a PHP-FPM configuration from its main file (php-fpm.conf, or a pool
 * file on its own). Never throws.
 */
export function loadFpmConfig(path: string, opts: LoadFpmOptions = {}): FpmConfig {
  const loader = new Loader(path, opts);
  try {
    const ok = loader.loadFile(path, null);
    if (ok || loader.config.files.size) loader.postProcess();
  } catch (e) {
    loader.config.diagnostics.push({
      rule: 'fpm-config',
      severity: 'error',
      message: `internal error while loading: ${e instanceof Error ? e.message : String(e)}`,
      file: { path, text: '', encoding: 'utf8' },
      span: { start: 0, end: 0 },
    });
  }
  return loader.config;
}
