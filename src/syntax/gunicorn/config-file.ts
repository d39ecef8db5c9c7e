/**
 * Reading a gunicorn config file (gunicorn.conf.py) without running it:
 * parse, evaluate statically, validate each setting as gunicorn would, and
 * report syntax errors, invalid values and likely-misspelled settings.
 */
import type { Diagnostic, Fix } from '../../diagnostic.js';
import type { SourceFile, Span } from '../source.js';
import { evaluateModule, isUnknown, type AV, type Binding, type EvalResult, type Why } from './evaluate.js';
import { nestedBodies, parsePython, type PyModule, type Stmt } from './pyast.js';
import { repr, toJson, type PyVal } from './pyvalue.js';
import { anySetting, DEFAULT_GUNICORN_VERSION, SETTING_ALIASES, SETTINGS, settingExists, settingsTable, type GunicornVersion, type SettingDef } from './settings.js';
import { gunicornDefault, pyStr, validateSetting, type SettingValue, type Validated } from './validate.js';

export type { SettingValue } from './validate.js';
import { editDistance } from '../../edit-distance.js';

export interface ConfigSetting {
  name: string;
  value: SettingValue;
  /** where the value is set (the assigned expression, or the def's name) */
  span: Span;
  /** the statement that sets it */
  stmt: Span;
  /** replacing `span` with a Python literal sets a new value */
  replaceable: boolean;
  /** the Python value before validation, when known */
  raw?: unknown;
}

export interface GunicornConfigFile {
  file: SourceFile;
  module: PyModule;
  version: GunicornVersion;
  /** settings the file sets, by gunicorn setting name */
  settings: Map<string, ConfigSetting>;
  /** module-level names that are not settings (helpers, imports, functions): gunicorn ignores them */
  ignoredNames: string[];
  /** false when gunicorn could not load the file (syntax error, an exception at import time) */
  loadable: boolean;
  /** the exception that stops the module, when one certainly happens */
  failure: EvalResult['failure'];
  diagnostics: Diagnostic[];
}

export interface ReadConfigOptions {
  version?: GunicornVersion;
  /** environment variables known to be set when gunicorn starts (e.g. systemd Environment=) */
  env?: Record<string, string>;
  /** gunicorn's working directory, when known (for a relative `chdir`) */
  cwd?: string | null;
}

export function describeWhy(w: Why): string {
  switch (w.kind) {
    case 'env':
      return /^[A-Za-z_][A-Za-z0-9_]*$/.test(w.detail) ? `environment variable ${w.detail}` : `environment lookup ${w.detail}`;
    case 'cpu':
      return `CPU count (${w.detail})`;
    case 'call':
      return `result of ${w.detail}`;
    case 'fs':
      return `the file system (${w.detail})`;
    case 'import':
      return `imported module ${w.detail}`;
    case 'branch':
      return `branch on ${w.detail}`;
    case 'loop':
      return `loop over ${w.detail}`;
    case 'machine':
      return `machine-dependent ${w.detail}`;
    case 'exception':
      return `whether ${w.detail} raises`;
    case 'star-import':
      return `may be set by from ${w.detail} import *`;
    case 'maybe-unset':
      return `${w.detail} may be unset`;
    default:
      return `unsupported ${w.detail}`;
  }
}

function validatedJson(def: SettingDef, v: PyVal, opts: { version: GunicornVersion; cwd?: string | null }): Validated {
  return validateSetting(def, v, { version: opts.version, cwd: opts.cwd ?? null });
}

/** The setting a name most likely meant, with why; null when it is not close to any. */
export function suggestSetting(name: string, opts: { hooksOnly?: boolean } = {}): { setting: string; why: string } | null {
  const candidates = SETTINGS.filter((s) => (opts.hooksOnly ? s.validator === 'callable' || s.validator === 'post_request' : true));
  if (!opts.hooksOnly) {
    const alias = SETTING_ALIASES[name];
    if (alias) return alias;
  }
  const lower = name.toLowerCase();
  if (lower !== name && candidates.some((s) => s.name === lower)) return { setting: lower, why: 'gunicorn only reads lowercase names' };
  const norm = (s: string) => s.toLowerCase().replace(/[_-]/g, '');
  const n = norm(name);
  const same = candidates.find((s) => norm(s.name) === n);
  if (same) return { setting: same.name, why: `did you mean \`${same.name}\`?` };
  let best: { s: SettingDef; d: number } | null = null;
  const limit = name.length <= 4 ? 1 : 2;
  for (const s of candidates) {
    // past the limit the exact distance does not matter (and the name may be a 100 kB token)
    const d = editDistance(lower, s.name, 2);
    if (!best || d < best.d) best = { s, d };
  }
  if (!best) return null;
  // a plural/singular slip counts even for short names
  if (best.d <= limit || (lower + 's' === best.s.name || lower === best.s.name + 's')) return { setting: best.s.name, why: `did you mean \`${best.s.name}\`?` };
  return null;
}

/** Longer gunicorn.conf.py files are reported and not parsed. */
export const MAX_CONFIG_CHARS = 256 * 1024;

/** Read a gunicorn config file; never throws. */
export function readGunicornConfig(file: SourceFile, opts: ReadConfigOptions = {}): GunicornConfigFile {
  const version = opts.version ?? DEFAULT_GUNICORN_VERSION;
  const table = settingsTable(version);
  const text = file.text;
  const diagnostics: Diagnostic[] = [];
  // parsing costs microseconds per token, and every fix pass parses again: a config is a few kB
  const tooLarge = text.length > MAX_CONFIG_CHARS;
  if (tooLarge) {
    const message = `not read: ${text.length} characters is more than nginx-lint reads of a gunicorn config (${MAX_CONFIG_CHARS / 1024} KiB); its settings are unknown`;
    diagnostics.push({ rule: 'gunicorn-syntax', severity: 'error', message, file, span: { start: 0, end: 0 } });
  }
  const module = tooLarge ? parsePython('') : parsePython(text);
  for (const p of module.problems) {
    diagnostics.push({ rule: 'gunicorn-syntax', severity: 'error', message: `Python syntax error: ${p.message}`, file, span: p.span });
  }
  let run: EvalResult;
  let defaults: EvalResult;
  try {
    run = evaluateModule(text, module, { env: opts.env ?? {}, envComplete: false });
    defaults = evaluateModule(text, module, { env: opts.env ?? {}, envComplete: true });
  } catch (e) {
    // the evaluator is not supposed to throw; if it does, degrade to "nothing known".
    // It recurses once per level of an expression: one nested thousands deep exhausts the stack
    // (CPython's compiler gives up on it too, with RecursionError).
    const message = e instanceof RangeError ? 'too deeply nested to evaluate (Python itself fails on such nesting with RecursionError)' : `cannot evaluate this file (${(e as Error).message})`;
    diagnostics.push({ rule: 'gunicorn-syntax', severity: 'error', message, file, span: { start: 0, end: 0 } });
    run = { globals: new Map(), failure: null, starImports: [], funcs: new Map(), envWrites: new Map() };
    defaults = run;
  }
  if (run.failure) {
    const f = run.failure;
    const what = f.type === 'SystemExit' ? `the file calls sys.exit(${f.message}) while gunicorn reads it: gunicorn exits` : `gunicorn fails to read this file: ${f.type}${f.message ? `: ${f.message}` : ''}`;
    diagnostics.push({ rule: 'gunicorn-config-error', severity: 'error', message: what, file, span: f.span });
  }
  const loadable = module.problems.length === 0 && !run.failure;

  const settings = new Map<string, ConfigSetting>();
  const ignoredNames: string[] = [];
  const starAfter = (b: Binding) => run.starImports.filter((s) => s.span.start > b.stmt.start);

  for (const [name, b] of run.globals) {
    const def = table.get(name);
    if (!def) {
      ignoredNames.push(name);
      continue;
    }
    const value = settingValue(def, b.value, defaults.globals.get(name), b.text, { version, cwd: opts.cwd ?? null, env: opts.env ?? {} });
    const stars = starAfter(b);
    let final = value;
    if (stars.length && final.kind === 'known') {
      final = { kind: 'dynamic', expression: b.text, hasDefault: true, default: final.value, why: [`may be replaced by from ${stars.map((s) => s.module).join(', ')} import *`] };
    }
    const cs: ConfigSetting = { name, value: final, span: b.span, stmt: b.stmt, replaceable: b.replaceable };
    if (!isUnknown(b.value)) cs.raw = safeJson(b.value);
    settings.set(name, cs);
    if (value.kind === 'invalid') diagnostics.push(invalidDiagnostic(file, def, b, value.message));
    else if (value.kind === 'dynamic') diagnostics.push(...dynamicDiagnostics(file, def, b, value));
    if (name === 'config') {
      diagnostics.push({ rule: 'gunicorn-ineffective-setting', severity: 'warning', message: '`config` in a config file has no effect: gunicorn reads it only from the command line or GUNICORN_CMD_ARGS', file, span: b.stmt });
    }
  }
  // settings a star import may set although the file does not
  if (run.starImports.length) {
    for (const def of table.values()) {
      if (settings.has(def.name)) continue;
      const s = run.starImports[run.starImports.length - 1]!;
      settings.set(def.name, {
        name: def.name,
        value: { kind: 'dynamic', expression: `from ${s.module} import *`, hasDefault: false, why: [`may be set by from ${s.module} import *`] },
        span: s.span,
        stmt: s.span,
        replaceable: false,
      });
    }
  }

  diagnostics.push(...unknownNameDiagnostics(file, module, run, table, version));
  return { file, module, version, settings, ignoredNames, loadable, failure: run.failure, diagnostics };
}

function safeJson(v: PyVal): unknown {
  try {
    return toJson(v);
  } catch {
    return null;
  }
}

/** Validate a (possibly unknown) value for a setting. */
export function settingValue(def: SettingDef, v: AV, defaultBinding: Binding | undefined, text: string, opts: { version: GunicornVersion; cwd?: string | null; env?: Record<string, string> }): SettingValue {
  if (!isUnknown(v)) {
    const r = validatedJson(def, v, opts);
    if (r.kind === 'ok') return { kind: 'known', value: r.value };
    if (r.kind === 'error') return { kind: 'invalid', message: `Invalid value for ${def.name}: ${pyStr(v)}: ${r.message}` };
    return { kind: 'dynamic', expression: r.expression, hasDefault: false, why: [r.why], ...(r.partial !== undefined ? { candidates: [r.partial] } : {}) };
  }
  const out: Extract<SettingValue, { kind: 'dynamic' }> = { kind: 'dynamic', expression: text, hasDefault: false, why: v.why.map(describeWhy) };
  if (v.candidates) {
    const cands: unknown[] = [];
    let all = true;
    for (const c of v.candidates) {
      const r = validatedJson(def, c, opts);
      if (r.kind === 'ok') cands.push(r.value);
      else all = false;
    }
    if (all && !v.why.some((w) => w.kind === 'maybe-unset')) out.candidates = cands;
  }
  // the value it has with the environment variables it reads unset
  if (defaultBinding === undefined) {
    // with the variables unset the file does not set it: gunicorn's own default applies
    const d = gunicornDefault(def, { version: opts.version, env: opts.env ?? {}, envComplete: true, cwd: opts.cwd ?? null });
    if (d.kind === 'known') {
      out.hasDefault = true;
      out.default = d.value;
    }
  } else if (!isUnknown(defaultBinding.value) && !defaultBinding.maybeUnset) {
    const r = validatedJson(def, defaultBinding.value, opts);
    if (r.kind === 'ok') {
      out.hasDefault = true;
      out.default = r.value;
    }
  }
  return out;
}

function literalFor(def: SettingDef, v: PyVal): string | null {
  if (def.validator === 'pos_int' && v.t === 'str' && /^\s*0\d+\s*$/.test(v.v) && /^[0-7]+$/.test(v.v.trim())) return '0o' + v.v.trim();
  if (def.validator === 'bool') {
    if (v.t === 'int') return v.v === 0n ? 'False' : v.v === 1n ? 'True' : null;
    if (v.t === 'str') {
      const s = v.v.trim().toLowerCase();
      if (['1', 'yes', 'on', 'y', 't'].includes(s)) return 'True';
      if (['0', 'no', 'off', 'n', 'f', ''].includes(s)) return 'False';
    }
  }
  if (def.validator === 'string' && (v.t === 'int' || v.t === 'float')) return repr({ t: 'str', v: pyStr(v) });
  if (def.validator === 'list_string' && (v.t === 'int' || v.t === 'float')) return `[${repr({ t: 'str', v: pyStr(v) })}]`;
  return null;
}

function invalidDiagnostic(file: SourceFile, def: SettingDef, b: Binding, message: string): Diagnostic {
  const d: Diagnostic = { rule: 'gunicorn-invalid-value', severity: 'error', message, file, span: b.span };
  if (b.replaceable && !isUnknown(b.value)) {
    const lit = literalFor(def, b.value);
    if (lit !== null) {
      const fix: Fix = { description: `set ${def.name} = ${lit}`, edits: [{ file, span: b.span, text: lit }] };
      d.fix = fix;
    }
  }
  return d;
}

function dynamicDiagnostics(file: SourceFile, def: SettingDef, b: Binding, v: Extract<SettingValue, { kind: 'dynamic' }>): Diagnostic[] {
  const out: Diagnostic[] = [];
  if (!isUnknown(b.value)) return out;
  // a value set whose members gunicorn would reject
  const bad: string[] = [];
  for (const c of b.value.candidates ?? []) {
    const r = validateSetting(def, c, { version: DEFAULT_GUNICORN_VERSION });
    if (r.kind === 'error') bad.push(`${pyStr(c)} (${r.message})`);
  }
  if (bad.length) out.push({ rule: 'gunicorn-invalid-value', severity: 'warning', message: `${def.name} may be invalid: gunicorn rejects ${bad.join('; ')}`, file, span: b.span });
  void v;
  return out;
}

/** A module-level name: its first binding, and how many statements bind it. */
interface TopBinding {
  kind: 'assign' | 'def' | 'class' | 'import';
  span: Span;
  stmt: Span;
  times: number;
}

/** Top-level statements that bind a name, with how. */
function topLevelBindings(body: Stmt[]): Map<string, TopBinding> {
  const out = new Map<string, TopBinding>();
  const bind = (name: string, kind: TopBinding['kind'], span: Span, stmt: Span): void => {
    const b = out.get(name);
    if (b) b.times++;
    else out.set(name, { kind, span, stmt, times: 1 });
  };
  const visit = (stmts: readonly Stmt[]) => {
    for (const s of stmts) {
      switch (s.k) {
        case 'assign':
          for (const t of s.targets) {
            const names = t.k === 'name' ? [t] : t.k === 'tuple' || t.k === 'list' ? t.elts.filter((e) => e.k === 'name') : [];
            for (const n of names) if (n.k === 'name') bind(n.id, 'assign', n.span, s.span);
          }
          break;
        case 'augassign':
          if (s.target.k === 'name') bind(s.target.id, 'assign', s.target.span, s.span);
          break;
        case 'def':
          bind(s.name, 'def', s.nameSpan, s.span);
          break;
        case 'class':
          bind(s.name, 'class', s.nameSpan, s.span);
          break;
        case 'import':
        case 'from':
          for (const n of s.k === 'import' ? s.names.map((x) => ({ name: x.asname ?? x.module.split('.')[0]!, span: x.span })) : s.names === '*' ? [] : s.names.map((x) => ({ name: x.asname ?? x.name, span: x.span })))
            bind(n.name, 'import', n.span, s.span);
          break;
        case 'if':
        case 'try':
        case 'for':
        case 'while':
        case 'with':
          for (const b of nestedBodies(s)) visit(b);
          break;
        default:
          break;
      }
    }
  };
  visit(body);
  return out;
}

/**
 * gunicorn silently ignores module-level names that are not settings. Most are
 * helpers; the ones worth a warning look like a setting that was misspelled
 * (or spelled the command-line way) and are not used anywhere in the file.
 */
function unknownNameDiagnostics(file: SourceFile, module: PyModule, run: EvalResult, table: Map<string, SettingDef>, version: GunicornVersion): Diagnostic[] {
  const out: Diagnostic[] = [];
  const bindings = topLevelBindings(module.body);
  for (const [name, b] of bindings) {
    if (table.has(name)) continue;
    if (name.startsWith('_')) continue;
    if (b.kind === 'import' || b.kind === 'class') continue;
    const other = anySetting(name);
    if (other) {
      if (!settingExists(other, version)) {
        const when = other.vendor === 'debian' ? 'only in Debian’s patched 20.1.0' : `added in ${other.since}.0`;
        out.push({ rule: 'gunicorn-unknown-setting', severity: 'warning', message: `\`${name}\` is not a setting in gunicorn ${version} (${when}): this gunicorn ignores it`, file, span: b.span });
      }
      continue;
    }
    // used anywhere (module level or inside a function): a helper, not a typo
    if (module.loads.has(name)) continue;
    const s = suggestSetting(name, { hooksOnly: b.kind === 'def' });
    if (!s) continue;
    if (b.kind === 'def' && !(s.setting in Object.fromEntries(table))) continue;
    const target = table.get(s.setting) ? s.setting : null;
    if (!target) continue;
    const d: Diagnostic = { rule: 'gunicorn-unknown-setting', severity: 'warning', message: `\`${name}\` is not a gunicorn setting (gunicorn ignores it): ${s.why}`, file, span: b.span };
    // renaming is safe when the file does not set the real setting too, and gunicorn takes the value for it
    // (`worker = multiprocessing.cpu_count` is ignored; `workers = multiprocessing.cpu_count` stops gunicorn)
    const bound = run.globals.get(name);
    const check = b.kind !== 'def' && bound !== undefined && !isUnknown(bound.value) ? validateSetting(table.get(target)!, bound.value, { version }) : null;
    if (check?.kind === 'error') d.message += `; not renamed: gunicorn would refuse its value for ${target} (${check.message})`;
    // a name bound by several statements would need all of them renamed: not guessed
    else if (!run.globals.has(target) && b.times === 1) d.fix = { description: `rename ${name} to ${target}`, edits: [{ file, span: b.span, text: target }] };
    out.push(d);
  }
  return out;
}
