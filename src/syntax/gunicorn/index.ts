/**
 * gunicorn: its config file (gunicorn.conf.py, read with a Python parser and a
 * static evaluator, never executed) and its command lines (systemd units,
 * Procfiles, shell scripts, GUNICORN_CMD_ARGS), merged into the effective
 * settings with gunicorn's precedence.
 *
 *   const cfg = readGunicornConfig(sourceFile);              // one gunicorn.conf.py
 *   const eff = resolveGunicorn({ config: cfg });            // + defaults
 *   gunicornValuesView(eff);                                 // what `parse --values` prints
 *
 *   const loaded = loadGunicorn('deploy/app.service', { fs }); // any gunicorn-related file
 */
import type { Diagnostic } from '../../diagnostic.js';
import type { FileSystem } from '../../fs.js';
import { decodeSource, type SourceFile } from '../source.js';
import {
  invocationsFromProcfile,
  invocationsFromShellScript,
  invocationsFromSupervisor,
  SUPERVISOR_SECTION,
  invocationsFromSystemd,
  parseSystemdUnit,
  systemdSocketInfo,
  type GunicornInvocation,
  type SystemdSocketInfo,
} from './command-line.js';
import { readGunicornConfig } from './config-file.js';
import { resolveGunicorn, type EffectiveGunicorn } from './effective.js';
import { DEFAULT_GUNICORN_VERSION, type GunicornVersion } from './settings.js';

export { parsePython, type PyModule, type Expr, type Stmt } from './pyast.js';
export { evaluateModule, isUnknown, type AV, type Binding, type EvalOptions, type EvalResult, type Unknown, type Why } from './evaluate.js';
export { toJson, repr as pyRepr, type PyVal } from './pyvalue.js';
export {
  GUNICORN_VERSIONS,
  DEFAULT_GUNICORN_VERSION,
  SETTINGS as GUNICORN_SETTINGS,
  settingsTable as gunicornSettingsTable,
  settingExists,
  type GunicornVersion,
  type SettingDef as GunicornSettingDef,
  type DefaultSpec,
  type ValidatorKind,
} from './settings.js';
export { validateSetting, gunicornDefault, convertCliValue, type SettingValue, type Validated } from './validate.js';
export { readGunicornConfig, suggestSetting, describeWhy, type GunicornConfigFile, type ConfigSetting, type ReadConfigOptions } from './config-file.js';
export {
  parseGunicornArgv,
  invocationsFromSystemd,
  invocationsFromProcfile,
  invocationsFromSupervisor,
  invocationsFromShellScript,
  invocationFromCommandLine,
  parseSystemdUnit,
  parseProcfile,
  parseSupervisor,
  systemdSocketInfo,
  systemdEnvironment,
  parseEnvFile,
  splitCmdArgs,
  type GunicornInvocation,
  type CliOption,
  type ParsedArgv,
  type EnvEntry,
  type SystemdUnit,
  type SystemdSocketInfo,
  type ProcfileEntry,
  type SupervisorProgram,
} from './command-line.js';
export { shellSplit, shlexSplit, systemdSplit, textOf, type Word, type Text, type ShellCommand } from './words.js';
export { resolveGunicorn, gunicornValuesView, type EffectiveGunicorn, type EffectiveSetting, type ValueSource, type ResolveOptions, type ValuesViewEntry } from './effective.js';

export type GunicornFileKind = 'config' | 'systemd-service' | 'systemd-socket' | 'procfile' | 'supervisor' | 'shell';

/** What kind of gunicorn-related file a path is, from its name (and a peek at shell content). */
export function gunicornFileKind(path: string, text = ''): GunicornFileKind {
  const base = path.slice(path.lastIndexOf('/') + 1).toLowerCase();
  if (base.endsWith('.py')) return 'config';
  if (base.endsWith('.socket')) return 'systemd-socket';
  if (base.endsWith('.service')) return 'systemd-service';
  if (base === 'procfile' || base.startsWith('procfile.')) return 'procfile';
  if (/^\s*\[(Unit|Service|Install)\]/m.test(text)) return 'systemd-service';
  if (SUPERVISOR_SECTION.test(text)) return 'supervisor';
  return 'shell';
}

export interface LoadedGunicorn {
  file: SourceFile;
  kind: GunicornFileKind;
  /** one per gunicorn command line in the file (a config file alone gives one, without a command line) */
  configs: EffectiveGunicorn[];
  /** a .socket unit's listening sockets and their owner/mode */
  socket: SystemdSocketInfo | null;
  diagnostics: Diagnostic[];
}

export interface LoadGunicornOptions {
  fs: FileSystem;
  version?: GunicornVersion;
  kind?: GunicornFileKind;
  /** environment variables known to be set outside the file */
  env?: Record<string, string>;
  /** no other variable is set (as when a test runs gunicorn with an explicit environment) */
  envComplete?: boolean;
  /** the directory gunicorn starts in, when the file does not say (shell scripts, command lines) */
  cwd?: string;
}

/** Read any gunicorn-related file and compute the effective settings it leads to. */
export function loadGunicornSource(file: SourceFile, opts: LoadGunicornOptions): LoadedGunicorn {
  const version = opts.version ?? DEFAULT_GUNICORN_VERSION;
  const kind = opts.kind ?? gunicornFileKind(file.path, file.text);
  const readFile = (p: string): SourceFile | null => {
    try {
      const st = opts.fs.stat(p);
      return st?.isFile ? decodeSource(p, opts.fs.readFile(p)) : null;
    } catch {
      return null;
    }
  };
  const dir = file.path.includes('/') ? file.path.slice(0, file.path.lastIndexOf('/')) : '.';
  let invocations: GunicornInvocation[] = [];
  const outer = { ...(opts.env ? { env: opts.env } : {}), complete: !!opts.envComplete, ...(opts.cwd ? { cwd: opts.cwd } : {}) };
  let socket: SystemdSocketInfo | null = null;
  const configs: EffectiveGunicorn[] = [];
  switch (kind) {
    case 'config': {
      const config = readGunicornConfig(file, { version, ...(opts.env ? { env: opts.env } : {}), ...(opts.cwd ? { cwd: opts.cwd } : {}) });
      configs.push(resolveGunicorn({ version, config, envComplete: !!opts.envComplete, ...(opts.env ? { env: opts.env } : {}), ...(opts.cwd ? { cwd: opts.cwd } : {}) }));
      break;
    }
    case 'systemd-socket':
      socket = systemdSocketInfo(parseSystemdUnit(file));
      break;
    case 'systemd-service':
      invocations = invocationsFromSystemd(parseSystemdUnit(file), { readFile });
      break;
    case 'procfile':
      invocations = invocationsFromProcfile(file, outer);
      break;
    case 'supervisor':
      invocations = invocationsFromSupervisor(file, outer);
      break;
    case 'shell':
      invocations = invocationsFromShellScript(file, outer);
      break;
  }
  for (const inv of invocations) {
    // a Procfile runs from the app root (its directory); a script from wherever it is started
    const cwd = kind === 'procfile' ? (opts.cwd ?? dir) : opts.cwd;
    configs.push(resolveGunicorn({ version, invocation: inv, fs: opts.fs, envComplete: !!opts.envComplete, ...(cwd ? { cwd } : {}), ...(opts.env && kind === 'systemd-service' ? { env: opts.env } : {}) }));
  }
  const diagnostics = dedupeDiagnostics(configs.flatMap((c) => c.diagnostics));
  return { file, kind, configs, socket, diagnostics };
}

/** loadGunicornSource for a path, read through `opts.fs`. */
export function loadGunicorn(path: string, opts: LoadGunicornOptions): LoadedGunicorn {
  return loadGunicornSource(decodeSource(path, opts.fs.readFile(path)), opts);
}

function dedupeDiagnostics(ds: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return ds.filter((d) => {
    const k = `${d.file.path}:${d.span.start}:${d.span.end}:${d.rule}:${d.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
