/**
 * gunicorn's effective settings: defaults < config file < GUNICORN_CMD_ARGS <
 * command line, merged in the order gunicorn's Application.load_config
 * applies them, each value remembering where it came from.
 */
import type { Diagnostic } from '../../diagnostic.js';
import type { FileSystem } from '../../fs.js';
import { decodeSource, type SourceFile, type Span } from '../source.js';
import { parseGunicornArgv, splitCmdArgs, type CliOption, type EnvEntry, type GunicornInvocation, type ParsedArgv } from './command-line.js';
import { readGunicornConfig, type GunicornConfigFile } from './config-file.js';
import { DEFAULT_GUNICORN_VERSION, settingsTable, type GunicornVersion, type SettingDef } from './settings.js';
import { convertCliValue, gunicornDefault, pyStr, validateSetting, type SettingValue } from './validate.js';
import type { PyVal } from './pyvalue.js';
import { shlexSplit, type Word } from './words.js';
import { trimTrailing } from '../../text-trim.js';

export type ValueSource =
  | { kind: 'default' }
  | { kind: 'config-file'; file: SourceFile; span: Span; stmt: Span; replaceable: boolean }
  | { kind: 'GUNICORN_CMD_ARGS'; file: SourceFile | null; span: Span | null; flag: string }
  | { kind: 'command-line'; file: SourceFile; span: Span; flag: string; flagSpan: Span }
  /** WSGIApplication sets default_proc_name from APP_MODULE */
  | { kind: 'app-module'; file: SourceFile; span: Span };

export interface EffectiveSetting {
  name: string;
  value: SettingValue;
  source: ValueSource;
  /** lower-precedence sources this value replaced (a config-file value overridden by a flag...) */
  overrides: ValueSource[];
}

export interface EffectiveGunicorn {
  version: GunicornVersion;
  settings: Map<string, EffectiveSetting>;
  invocation: GunicornInvocation | null;
  config: GunicornConfigFile | null;
  /** the config file gunicorn loads, as given (-c, GUNICORN_CMD_ARGS, or ./gunicorn.conf.py) */
  configPath: string | null;
  /** APP_MODULE */
  appModule: Word | null;
  diagnostics: Diagnostic[];
  /** assumptions and things we could not read, in words */
  notes: string[];
}

export interface ResolveOptions {
  version?: GunicornVersion;
  /** the command line that starts gunicorn */
  invocation?: GunicornInvocation | null;
  /** the config file, already read (otherwise it is read through `fs` when the command line names one) */
  config?: GunicornConfigFile | null;
  /** environment variables known to be set (added to what the invocation's file sets) */
  env?: Record<string, string>;
  /** every variable not known is unset (as in a test that runs gunicorn with an explicit environment) */
  envComplete?: boolean;
  /** reads the config file named on the command line */
  fs?: FileSystem;
  /** the directory gunicorn starts in, when the invocation does not say */
  cwd?: string;
}

function joinPath(dir: string, p: string): string {
  if (p.startsWith('/')) return p;
  return trimTrailing(dir, '/') + '/' + p.replace(/^\.\//, '');
}

function cliValue(def: SettingDef, opts: CliOption[], version: GunicornVersion, cwd: string | null): { value: SettingValue; problem: string | null; at: CliOption } {
  const last = opts[opts.length - 1]!;
  const dyn = opts.find((o) => o.dynamic);
  if (dyn) return { value: { kind: 'dynamic', expression: dyn.raw ?? dyn.written, hasDefault: false, why: [`${dyn.dynamic} is not known`] }, problem: null, at: dyn };
  let py: PyVal;
  if (def.action === 'store_true') py = { t: 'bool', v: true };
  else if (def.action === 'store_const') py = { t: 'bool', v: def.constValue === true };
  else {
    const conv: PyVal[] = [];
    for (const o of def.action === 'append' ? opts : [last]) {
      const c = convertCliValue(def, o.raw ?? '');
      if ('error' in c) return { value: { kind: 'invalid', message: `argument ${def.cli.join('/')}: ${c.error}` }, problem: `argument ${def.cli.join('/')}: ${c.error}`, at: o };
      conv.push(c.value);
    }
    py = def.action === 'append' ? { t: 'list', items: conv } : conv[0]!;
  }
  const r = validateSetting(def, py, { version, cwd });
  if (r.kind === 'ok') return { value: { kind: 'known', value: r.value }, problem: null, at: last };
  if (r.kind === 'error') {
    const msg = `Invalid value for ${def.name}: ${pyStr(py)}: ${r.message}`;
    return { value: { kind: 'invalid', message: msg }, problem: msg, at: last };
  }
  return { value: { kind: 'dynamic', expression: r.expression, hasDefault: false, why: [r.why] }, problem: null, at: last };
}

function groupBySetting(p: ParsedArgv | null): Map<string, CliOption[]> {
  const m = new Map<string, CliOption[]>();
  for (const o of p?.options ?? []) {
    const list = m.get(o.setting);
    if (list) list.push(o);
    else m.set(o.setting, [o]);
  }
  return m;
}

/** Merge defaults, config file, GUNICORN_CMD_ARGS and the command line as gunicorn does. */
export function resolveGunicorn(opts: ResolveOptions = {}): EffectiveGunicorn {
  const version = opts.version ?? DEFAULT_GUNICORN_VERSION;
  const table = settingsTable(version);
  const inv = opts.invocation ?? null;
  const diagnostics: Diagnostic[] = [];
  const notes: string[] = [];

  // the environment gunicorn starts with
  const env: Record<string, string> = { ...(opts.env ?? {}) };
  let cmdArgsEntry: EnvEntry | null = null;
  for (const [k, v] of inv?.env ?? []) {
    if (v.dynamic) continue;
    env[k] = v.value;
    if (k === 'GUNICORN_CMD_ARGS') cmdArgsEntry = v;
  }
  if (inv?.env.get('GUNICORN_CMD_ARGS')?.dynamic) notes.push(`GUNICORN_CMD_ARGS contains ${inv.env.get('GUNICORN_CMD_ARGS')!.dynamic}, which we cannot expand`);
  for (const f of inv?.unreadEnvFiles ?? []) notes.push(`EnvironmentFile ${f.value} was not read: variables it sets are unknown`);
  const envComplete = opts.envComplete ?? false;
  const cwd = inv?.cwd?.value ?? opts.cwd ?? null;

  // command line
  const cli = inv ? parseGunicornArgv(inv.args, version) : null;
  for (const p of cli?.problems ?? []) diagnostics.push({ rule: 'gunicorn-cli-error', severity: 'error', message: `gunicorn: error: ${p.message}`, file: inv!.file, span: p.span });
  if (cli?.exits) notes.push(cli.exits);

  // GUNICORN_CMD_ARGS (shlex.split, then the same parser)
  let envCli: ParsedArgv | null = null;
  let envCliFile: SourceFile | null = null;
  if (env.GUNICORN_CMD_ARGS !== undefined) {
    if (cmdArgsEntry) {
      const split = splitCmdArgs(cmdArgsEntry);
      envCliFile = cmdArgsEntry.file;
      if (split.error) diagnostics.push({ rule: 'gunicorn-cli-error', severity: 'error', message: `GUNICORN_CMD_ARGS: ${split.error.message} (gunicorn exits)`, file: cmdArgsEntry.file, span: split.error.span });
      envCli = parseGunicornArgv(split.words, version);
      for (const p of envCli.problems) diagnostics.push({ rule: 'gunicorn-cli-error', severity: 'error', message: `GUNICORN_CMD_ARGS: ${p.message}`, file: cmdArgsEntry.file, span: p.span });
    } else {
      // given as a plain string (no file to point into)
      const text = env.GUNICORN_CMD_ARGS;
      const split = shlexSplit({ s: text, offsets: Array.from(text, () => 0), end: 0 });
      if (split.error) notes.push(`GUNICORN_CMD_ARGS: ${split.error.message} (gunicorn exits)`);
      envCli = parseGunicornArgv(split.words, version);
    }
  } else if (!envComplete) notes.push('assumes GUNICORN_CMD_ARGS is not set in the environment');

  const appModule = cli?.positionals[0] ?? null;

  // which config file gunicorn loads
  const cliByName = groupBySetting(cli);
  const envByName = groupBySetting(envCli);
  const configOpt = cliByName.get('config')?.at(-1) ?? envByName.get('config')?.at(-1) ?? null;
  let configPath: string | null = configOpt?.raw ?? null;
  let config: GunicornConfigFile | null = opts.config ?? null;
  let configUnknown: string | null = null;
  if (!config) {
    if (configPath !== null) {
      if (configOpt?.dynamic) configUnknown = `config file ${configPath} (${configOpt.dynamic} unknown)`;
      else if (configPath.startsWith('python:')) configUnknown = `config module ${configPath.slice(7)}`;
      else {
        const p = configPath.startsWith('file:') ? configPath.slice(5) : configPath;
        const full = p.startsWith('/') ? p : cwd ? joinPath(cwd, p) : null;
        const file = full && opts.fs ? tryRead(opts.fs, full) : null;
        if (file) config = readGunicornConfig(file, { version, env, cwd });
        else configUnknown = `config file ${p}${full && full !== p ? ` (${full})` : ''}`;
      }
    } else if (inv) {
      // without -c, gunicorn reads ./gunicorn.conf.py when it exists
      const full = cwd ? joinPath(cwd, 'gunicorn.conf.py') : null;
      const file = full && opts.fs ? tryRead(opts.fs, full) : null;
      if (file) {
        config = readGunicornConfig(file, { version, env, cwd });
        configPath = './gunicorn.conf.py';
      } else if (!full || !opts.fs) notes.push('gunicorn also reads ./gunicorn.conf.py from its working directory when it exists; not checked');
    }
  }
  if (configUnknown) notes.push(`${configUnknown} was not read: settings it may set are unknown`);
  if (config) diagnostics.push(...config.diagnostics);
  if (config && !config.loadable) notes.push(`gunicorn cannot load ${config.file.path}: it exits before starting`);

  const settings = new Map<string, EffectiveSetting>();
  for (const def of table.values()) {
    let value = gunicornDefault(def, { version, env, envComplete, cwd });
    let source: ValueSource = { kind: 'default' };
    const overrides: ValueSource[] = [];
    const replace = (v: SettingValue, s: ValueSource) => {
      if (source.kind !== 'default') overrides.push(source);
      value = v;
      source = s;
    };
    if (def.name === 'default_proc_name' && appModule && inv) replace({ kind: 'known', value: appModule.value }, { kind: 'app-module', file: inv.file, span: appModule.span });
    if (config) {
      const cs = config.settings.get(def.name);
      if (cs) replace(cs.value, { kind: 'config-file', file: config.file, span: cs.span, stmt: cs.stmt, replaceable: cs.replaceable });
    } else if (configUnknown && def.name !== 'config') {
      const dflt = value;
      replace(
        { kind: 'dynamic', expression: `(${configUnknown})`, hasDefault: dflt.kind === 'known', ...(dflt.kind === 'known' ? { default: dflt.value } : {}), why: [`${configUnknown} was not read`] },
        { kind: 'default' },
      );
    }
    const fromEnv = envByName.get(def.name);
    if (fromEnv) {
      const r = cliValue(def, fromEnv, version, cwd);
      replace(r.value, { kind: 'GUNICORN_CMD_ARGS', file: envCliFile, span: envCliFile ? r.at.valueSpan : null, flag: r.at.flag });
      if (r.problem && envCliFile) diagnostics.push({ rule: 'gunicorn-invalid-value', severity: 'error', message: `GUNICORN_CMD_ARGS: ${r.problem}`, file: envCliFile, span: r.at.valueSpan });
    }
    const fromCli = cliByName.get(def.name);
    if (fromCli && inv) {
      const r = cliValue(def, fromCli, version, cwd);
      replace(r.value, { kind: 'command-line', file: inv.file, span: r.at.valueSpan, flag: r.at.flag, flagSpan: r.at.flagSpan });
      if (r.problem) diagnostics.push({ rule: r.problem.startsWith('argument ') ? 'gunicorn-cli-error' : 'gunicorn-invalid-value', severity: 'error', message: r.problem.startsWith('argument ') ? `gunicorn: error: ${r.problem}` : r.problem, file: inv.file, span: r.at.valueSpan });
    }
    settings.set(def.name, { name: def.name, value, source, overrides });
  }

  // gunicorn refuses to start without an application
  if (inv && !appModule && !cli?.exits) {
    const wsgi = settings.get('wsgi_app');
    const paste = settings.get('paste');
    const none = (s: EffectiveSetting | undefined) => !s || (s.value.kind === 'known' && s.value.value === null);
    if (none(wsgi) && none(paste) && (config || !configUnknown)) {
      diagnostics.push({ rule: 'gunicorn-cli-error', severity: 'error', message: 'gunicorn: Error: No application module specified.', file: inv.file, span: inv.program.span });
    }
  }
  return { version, settings, invocation: inv, config, configPath, appModule, diagnostics, notes };
}

function tryRead(fs: FileSystem, path: string): SourceFile | null {
  try {
    const st = fs.stat(path);
    if (!st || !st.isFile) return null;
    return decodeSource(path, fs.readFile(path));
  } catch {
    return null;
  }
}

export type ValuesViewEntry = unknown | { dynamic: string; default?: unknown } | { invalid: string };

/**
 * The effective settings as one JSON object keyed by gunicorn's setting
 * names, with the values gunicorn's Config holds (numbers as numbers, bind as
 * a list of strings, hooks as `<name()>`); a value we cannot know statically
 * is `{"dynamic": "<expression>", "default": <value when known>}`.
 */
export function gunicornValuesView(effective: EffectiveGunicorn): Record<string, ValuesViewEntry> {
  const out: Record<string, ValuesViewEntry> = {};
  for (const name of [...effective.settings.keys()].sort()) {
    const v = effective.settings.get(name)!.value;
    if (v.kind === 'known') out[name] = v.value;
    else if (v.kind === 'invalid') out[name] = { invalid: v.message };
    else out[name] = v.hasDefault ? { dynamic: v.expression, default: v.default } : { dynamic: v.expression };
  }
  return out;
}
