/**
 * One lint run: collect the files, parse each kind, resolve nginx includes,
 * analyse, and hand back diagnostics (sorted, de-duplicated) with the files read.
 */
import * as path from 'node:path';
import { compareDiagnostics, type Diagnostic } from '../diagnostic.js';
import { nodeFileSystem, type FileSystem } from '../fs.js';
import type { FileKind } from '../stack/kind.js';
import type { ContextName, NginxConfig } from '../syntax/nginx/ast.js';
import { analyze, singleFileConfig } from '../syntax/nginx/analyze.js';
import { loadNginxConfig, parseNginx, parseNginxDump } from '../syntax/nginx/index.js';
import { decodeSource } from '../syntax/source.js';
import { loadFpmConfig, parseIni, type FpmConfig } from '../syntax/ini/index.js';
import { loadGunicornSource, type LoadedGunicorn } from '../syntax/gunicorn/index.js';
import type { SourceFile } from '../syntax/source.js';
import { DEFAULT_NGINX_VERSION, parseNginxVersion, type NginxVersion } from '../syntax/nginx/version.js';
import { cachingFileSystem } from './cache-fs.js';
import { collectFiles, type CollectedFile, type TypedPath } from './collect.js';
import { discoverRoot, rootedFileSystem } from './root.js';
import { RULES } from '../../rules/index.js';
import { runRules, type Rule, type RuleOptions } from './rule.js';
import { applySeverities, isOff, type RuleSettings } from './rule-settings.js';
import { dropIgnored } from './ignored-files.js';
import { findCheck } from './checks.js';
import { applySuppressions } from './suppressions.js';
import { buildModel, type StackModel } from '../stack/model.js';
import { parseAccounts, type Accounts } from '../stack/accounts.js';
import { groupStacks, type StackGroup } from '../stack/stacks.js';
import type { IniFile } from '../syntax/ini/ast.js';
import { inferRootContext } from './context.js';
import { UsageError, describeFsError } from './errors.js';

export interface LintOptions {
  fs?: FileSystem;
  /** nginx context of fragments given on their own; inferred when absent */
  context?: ContextName;
  /** nginx conf prefix for relative includes (default: each main file's directory) */
  prefix?: string;
  /** target nginx version, e.g. "1.22.1" */
  nginxVersion?: string | NginxVersion;
  /** treat every given file as this kind */
  kind?: FileKind;
  /** files named with their kind: --nginx, --fpm, --php-ini, --gunicorn */
  typed?: TypedPath[];
  /** an image-style root: its well-known directories are searched, and absolute paths resolve inside it */
  root?: string;
  /** memory page size of the machine nginx runs on, in bytes (buffer defaults are one page; 4096 on x86-64 Linux) */
  pageSize?: number;
  /** the cross-file rules to run (default: every rule); false runs none */
  rules?: readonly Rule[] | false;
  /** reads standard input, for the path `-`: nginx config, or `nginx -T` output */
  stdin?: () => Uint8Array;
  /** how rules with a choice fix: change the upstream (app server) side, or nginx's (default upstream) */
  fixStrategy?: 'upstream' | 'nginx';
  /** per rule or check id: a severity replacing its default ("off": it does not run, its findings are dropped) and its options (validated by the caller; see src/config) */
  ruleSettings?: RuleSettings;
  /**
   * files not to lint (the config file's `ignore`), by their path on this
   * machine: directory walks and --root discovery skip them, and findings in
   * them are dropped even when an include reads them; files named explicitly
   * (paths, `typed`) are linted anyway
   */
  ignore?: (path: string) => boolean;
  /** nginx's worker user where the nginx tree has no `user` directive: "www-data" or "www-data www-data" (user and group, as the directive takes them); `source` says where it was set, for messages */
  nginxUser?: string | { user: string; source: string };
  /** when given, each rule's wall time in ms is added to its id's entry (the CLI's TIMING=1) */
  ruleTimings?: Map<string, number>;
}

export interface LintResult {
  diagnostics: Diagnostic[];
  files: SourceFile[];
  nginx: { config: NginxConfig; context: ContextName }[];
  fpm: FpmConfig[];
  gunicorn: LoadedGunicorn[];
  nginxVersion: NginxVersion;
  nginxVersionAssumed: boolean;
  /** the linked stack: effective values, pools, apps, links */
  model: StackModel;
  /** the separate stacks found (connected by links) */
  stacks: StackGroup[];
  /** where a path of the run is on this machine (differs under --root) */
  hostPath(p: string): string;
  /** what discovery assumed, in words */
  notes: string[];
  /** the cross-file rules that ran */
  rules: readonly Rule[];
}

function resolveVersion(v: LintOptions['nginxVersion']): { version: NginxVersion; assumed: boolean } {
  if (v === undefined) return { version: DEFAULT_NGINX_VERSION, assumed: true };
  if (typeof v !== 'string') return { version: v, assumed: false };
  const parsed = parseNginxVersion(v);
  if (!parsed) throw new UsageError(`invalid nginx version "${v}" (expected e.g. 1.22.1)`);
  return { version: parsed, assumed: false };
}

/** nginx.conf files first, shallow before deep, so fragments are seen from their includer. */
function entryOrder(a: CollectedFile, b: CollectedFile): number {
  const an = path.basename(a.source.path) === 'nginx.conf' ? 0 : 1;
  const bn = path.basename(b.source.path) === 'nginx.conf' ? 0 : 1;
  if (an !== bn) return an - bn;
  const ad = a.source.path.split(/[\\/]/).length;
  const bd = b.source.path.split(/[\\/]/).length;
  return ad - bd || (a.source.path < b.source.path ? -1 : 1);
}

export function lint(paths: string[], options: LintOptions = {}): LintResult {
  const base = cachingFileSystem(options.fs ?? nodeFileSystem);
  const rooted = options.root !== undefined ? rootedFileSystem(base, options.root) : null;
  if (rooted && !base.stat(options.root!)?.isDirectory) throw new UsageError(`--root "${options.root}" is not a directory`);
  const fs = rooted?.fs ?? base;
  const { version, assumed } = resolveVersion(options.nginxVersion);
  const fromStdin = paths.includes('-');
  const hostPath = rooted?.hostPath ?? ((p: string) => p);
  const ignored = options.ignore ? (p: string) => options.ignore!(hostPath(p)) : undefined;
  const typed = [...(options.typed ?? []), ...(rooted ? discoverRoot(fs).filter((t) => !ignored?.(t.path)) : [])];
  if (rooted && typed.length === 0 && paths.length === 0) throw new UsageError(`found no nginx, PHP-FPM, php.ini or gunicorn configuration under --root "${options.root}"`);
  const collected = collectFiles(fs, paths.filter((p) => p !== '-'), options.kind, typed, ignored);

  const diagnostics: Diagnostic[] = [];
  const files = new Map<string, SourceFile>();
  for (const c of collected) files.set(c.source.path, c.source);

  // nginx: every file named on the command line is an entry; in a walked
  // directory, a file is an entry unless an earlier entry already included it.
  const nginxFiles = collected.filter((c) => c.kind === 'nginx');
  const covered = new Set<string>();
  const nginx: LintResult['nginx'] = [];
  const addNginx = (config: NginxConfig) => {
    for (const f of config.files.values()) {
      covered.add(fs.realpath(f.source.path));
      files.set(f.source.path, f.source);
      diagnostics.push(...f.diagnostics);
    }
    diagnostics.push(...config.diagnostics);
    const context = options.context ?? inferRootContext(config.root, version);
    diagnostics.push(...analyze(config, { context, version }));
    nginx.push({ config, context });
  };
  for (const c of [...nginxFiles.filter((f) => f.explicit), ...nginxFiles.filter((f) => !f.explicit).sort(entryOrder)]) {
    if (!c.explicit && covered.has(fs.realpath(c.source.path))) continue;
    addNginx(loadNginxConfig(c.source.path, { fs, ...(options.prefix ? { prefix: options.prefix } : {}) }));
  }

  // `-`: nginx -T output (`# configuration file PATH:` sections, positions in PATH) or one nginx file.
  if (fromStdin) {
    if (!options.stdin) throw new UsageError('reading standard input ("-") is not available here');
    let bytes: Uint8Array;
    try {
      bytes = options.stdin();
    } catch (err) {
      throw new UsageError(`cannot read standard input: ${describeFsError(err)}`);
    }
    const source = decodeSource('<stdin>', bytes);
    addNginx(/^# configuration file .*:\r?$/m.test(source.text) ? parseNginxDump(source, options.prefix ? { prefix: options.prefix } : {}) : singleFileConfig(parseNginx(source)));
  }

  // php.ini: each file on its own (PHP reads exactly one, plus its scan dir).
  const phpIni: IniFile[] = [];
  const phpIniExplicit = new Set<string>();
  for (const c of collected.filter((f) => f.kind === 'php-ini')) {
    const ini = parseIni(c.source, { dialect: 'php-ini' });
    diagnostics.push(...ini.diagnostics);
    phpIni.push(ini);
    if (options.typed?.some((t) => t.kind === 'php-ini' && t.path === c.source.path)) phpIniExplicit.add(c.source.path);
  }

  // PHP-FPM: global files (they include the pools) first, then pools nobody included.
  const fpm: FpmConfig[] = [];
  const fpmCovered = new Set<string>();
  const fpmFiles = collected.filter((c) => c.kind === 'fpm');
  const isGlobal = (c: CollectedFile) => /^\s*\[global\]/im.test(c.source.text) || /^\s*include\s*=/m.test(c.source.text);
  for (const c of [...fpmFiles.filter(isGlobal), ...fpmFiles.filter((f) => !isGlobal(f))]) {
    if (fpmCovered.has(fs.realpath(c.source.path))) continue;
    const config = loadFpmConfig(c.source.path, { fs });
    for (const [p, f] of config.files) {
      fpmCovered.add(fs.realpath(p));
      files.set(p, f.source);
    }
    diagnostics.push(...config.diagnostics);
    fpm.push(config);
  }

  // gunicorn: config files, and the systemd units / Procfiles that start it.
  const gunicorn: LoadedGunicorn[] = [];
  for (const c of collected) {
    const startsGunicorn = (c.kind === 'systemd' || c.kind === 'supervisor') && /gunicorn/.test(c.source.text);
    if (c.kind !== 'gunicorn' && c.kind !== 'procfile' && !startsGunicorn && !(c.kind === 'systemd' && c.source.path.endsWith('.socket'))) continue;
    const loaded = loadGunicornSource(c.source, { fs, ...(c.kind === 'supervisor' ? { kind: 'supervisor' as const } : {}) });
    diagnostics.push(...loaded.diagnostics);
    gunicorn.push(loaded);
  }

  const accounts = loadAccounts(fs, rooted !== null, paths.filter((p) => p !== '-'));
  if (options.pageSize !== undefined && !(Number.isInteger(options.pageSize) && options.pageSize >= 1024 && (options.pageSize & (options.pageSize - 1)) === 0))
    throw new UsageError(`invalid page size ${options.pageSize} (expected a power of two such as 4096, 16384 or 65536)`);
  // every file is read and decoded by now
  base.release();
  const model = buildModel({ nginxVersion: version, ...(options.pageSize ? { platform: { pageSize: options.pageSize } } : {}), nginx, fpm, phpIni, phpIniExplicit, gunicorn, accounts });
  const settings = options.ruleSettings;
  const rules = (options.rules === false ? [] : (options.rules ?? RULES)).filter((r) => !isOff(settings, r.meta.id));
  if (rules.length) diagnostics.push(...runRules(rules, model, ruleOptions(options), (id) => settings?.get(id)?.options, options.ruleTimings));
  // inline suppressions, before the config's severities so that it grades (or turns off) unused-/invalid-suppression too
  const off = [...(settings ?? [])].filter(([, s]) => s.severity === 'off').map(([id]) => id);
  const unsuppressed = applySuppressions(diagnostics, { trees: { nginx: nginx.map((n) => n.config), ini: phpIni, fpm, gunicorn }, rules, off });
  diagnostics.length = 0;
  for (const d of unsuppressed) diagnostics.push(d);
  // the config file: parser checks turned off or re-graded, findings in ignored files dropped
  const ruleDefaults = new Map(rules.map((r) => [r.meta.id, r.meta.severity]));
  const graded = applySeverities(diagnostics, settings, (id) => ruleDefaults.get(id) ?? findCheck(id)?.severity);
  const named = new Set(collected.filter((c) => c.explicit).map((c) => c.source.path));
  const kept = ignored ? dropIgnored(graded, (p) => !named.has(p) && ignored(p)) : graded;
  if (kept !== diagnostics) {
    diagnostics.length = 0;
    for (const d of kept) diagnostics.push(d);
  }
  return {
    diagnostics: sortedUnique(diagnostics),
    files: [...files.values()],
    nginx,
    fpm,
    gunicorn,
    nginxVersion: version,
    nginxVersionAssumed: assumed,
    model,
    stacks: groupStacks(model),
    hostPath,
    notes: rooted?.notes ?? [],
    rules,
  };
}

function ruleOptions(options: LintOptions): RuleOptions {
  const fixStrategy = options.fixStrategy ?? 'upstream';
  const given = typeof options.nginxUser === 'string' ? { user: options.nginxUser, source: 'nginxUser option' } : options.nginxUser;
  const words = given?.user.trim().split(/\s+/).filter(Boolean) ?? [];
  if (words.length === 0) return { fixStrategy };
  if (words.length > 2 || words.some((w) => w.includes('$'))) throw new UsageError(`invalid nginx user "${given!.user}" (expected "user" or "user group", as nginx's user directive takes them)`);
  return { fixStrategy, nginxUser: { user: words[0]!, group: words[1] ?? words[0]!, source: given!.source } };
}

/**
 * /etc/passwd and /etc/group of the stack: under --root the image's (the
 * system's for --root /); for a plain directory run, etc/passwd and etc/group
 * inside a linted directory; otherwise none (never this machine's by accident).
 */
function loadAccounts(fs: FileSystem, rooted: boolean, paths: string[]): Accounts | null {
  const read = (p: string) => {
    if (!fs.stat(p)?.isFile) return null;
    try {
      return decodeSource(p, fs.readFile(p));
    } catch {
      return null;
    }
  };
  const dirs = rooted ? ['/'] : paths.filter((p) => fs.stat(p)?.isDirectory);
  for (const dir of dirs) {
    const passwd = read(path.join(dir, 'etc/passwd'));
    const group = read(path.join(dir, 'etc/group'));
    if (passwd || group) return parseAccounts(passwd, group);
  }
  return null;
}

/**
 * The findings sorted (compareDiagnostics, in place), each once: a file
 * analysed in two contexts can yield the same finding twice (same file,
 * span, rule and message), and the first is kept. Repeats compare equal, so after the
 * (stable) sort they sit in one run of findings at the same file, start and
 * rule: only runs longer than one are searched, and no key is made for the
 * thousands of findings of a big tree that stand alone.
 */
function sortedUnique(ds: Diagnostic[]): Diagnostic[] {
  const sorted = ds.sort(compareDiagnostics);
  const out: Diagnostic[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i + 1;
    while (j < sorted.length && compareDiagnostics(sorted[i]!, sorted[j]!) === 0) j++;
    if (j === i + 1) out.push(sorted[i]!);
    else {
      const seen = new Set<string>();
      for (let k = i; k < j; k++) {
        const d = sorted[k]!;
        const key = `${d.span.end}\0${d.message}`;
        if (seen.has(key)) continue;
        seen.add(key);
        out.push(d);
      }
    }
    i = j;
  }
  return out;
}
