/**
 * php.ini as PHP reads it: `parse_ini_file(FILE, true, INI_SCANNER_NORMAL)`.
 */
import type { IniFile } from './ast.js';
import { evaluateAtoms, evaluateValue, type DynamicValue, type EvalOptions, type Evaluated } from './evaluate.js';

export type PhpIniValue = string | DynamicValue | PhpIniObject;
export interface PhpIniObject {
  [key: string]: PhpIniValue;
}

export interface PhpIniValuesOptions {
  /**
   * The environment to read `${NAME}` from. Without it, values that read the
   * environment come out as `{ dynamic: "<source text>" }`.
   */
  env?: Readonly<Record<string, string | undefined>>;
  /** On a syntax error PHP returns false; with `partial` the values read up to each error are returned instead. */
  partial?: boolean;
}

/** PHP's "numeric string key" rule (ZEND_HANDLE_NUMERIC_STR): such keys are integers in an array. */
function isIntegerKey(k: string): boolean {
  if (!/^(0|-?[1-9][0-9]*)$/.test(k)) return false;
  const n = BigInt(k);
  return n >= -(1n << 63n) && n < 1n << 63n;
}

/** An ordered PHP array, enough of one to replay parse_ini_file's callbacks. */
class PhpArray {
  readonly map = new Map<string, PhpArray | PhpIniValue>();
  private nextFree = 0n;

  private noteKey(k: string): void {
    if (isIntegerKey(k)) {
      const n = BigInt(k);
      if (n >= this.nextFree) this.nextFree = n + 1n;
    }
  }
  /** zend_symtable_update */
  set(key: string, v: PhpArray | PhpIniValue): void {
    this.noteKey(key);
    this.map.set(key, v);
  }
  /** add_next_index_zval */
  append(v: PhpArray | PhpIniValue): void {
    const k = String(this.nextFree);
    this.nextFree += 1n;
    this.map.set(k, v);
  }
  get(key: string): PhpArray | PhpIniValue | undefined {
    return this.map.get(key);
  }
  toJSON(): PhpIniObject {
    const o: PhpIniObject = {};
    for (const [k, v] of this.map) o[k] = v instanceof PhpArray ? v.toJSON() : v;
    return o;
  }
}

/** The key php_simple_ini_parser_cb uses for `name[...]`: a "long" numeric string becomes an integer (via atol). */
function arrayNameKey(name: string): string {
  if (name.length > 1 && name[0] === '0') return name;
  const m = /^[ \t\n\r\v\f]*([+-]?\d+)[ \t\n\r\v\f]*$/.exec(name);
  if (!m) return name;
  const n = BigInt(m[1]!);
  if (n < -(1n << 63n) || n >= 1n << 63n) return name;
  return n.toString();
}

/**
 * The key → value view of a php.ini, shaped like
 * `parse_ini_file(FILE, true, INI_SCANNER_NORMAL)` (every array as an object,
 * as `json_encode(..., JSON_FORCE_OBJECT)` prints it): entries before the
 * first section at the top level, `[section]` → { key: "value" }, `a[]` /
 * `a[k]` as nested objects. Returns false, as PHP does, when the file has a
 * syntax error (unless `partial`).
 *
 * `${NAME}` in PHP reads the running PHP's configuration, then the
 * environment; parse_ini_file does not see the file's own keys. So a name that
 * the file itself defined earlier reads as "" (what parse_ini_file returns
 * when no such environment variable exists), any other name makes the value
 * dynamic (unless `env` is given).
 */
export function phpIniValues(file: IniFile, options: PhpIniValuesOptions = {}): PhpIniObject | false {
  if (!options.partial && file.diagnostics.some((d) => d.severity === 'error')) return false;
  const root = new PhpArray();
  let active: PhpArray | null = null;
  const definedKeys = new Set<string>();
  const env = options.env;
  const evalOpts: EvalOptions = {
    variable: (name) => {
      if (env) return env[name] ?? '';
      if (definedKeys.has(name)) return '';
      return undefined;
    },
  };
  const scalar = (r: Evaluated, source: string): PhpIniValue => (r.dynamic ? { dynamic: source } : r.value);
  const text = file.source.text;

  for (const node of file.nodes) {
    if (node.kind === 'section') {
      const r = evaluateAtoms(node.parts, false, evalOpts);
      const name = r.dynamic ? text.slice(node.nameSpan.start, node.nameSpan.end) : r.value;
      active = new PhpArray();
      root.set(isIntegerKey(name) ? name : name, active);
      continue;
    }
    if (node.kind !== 'entry' || !node.value) continue;
    const target = active ?? root;
    const value = scalar(evaluateValue(node.value, evalOpts), text.slice(node.value.span.start, node.value.span.end));
    if (!node.offset) {
      target.set(node.key, value);
    } else {
      const nameKey = arrayNameKey(node.key);
      let arr = target.get(nameKey);
      if (!(arr instanceof PhpArray)) {
        arr = new PhpArray();
        target.set(nameKey, arr);
      }
      const off = evaluateAtoms(node.offset.atoms, true, evalOpts);
      const offKey = off.dynamic ? text.slice(node.offset.span.start, node.offset.span.end) : off.value;
      if (!off.dynamic && offKey === '') arr.append(value);
      else arr.set(offKey, value);
    }
    definedKeys.add(node.key);
  }
  return root.toJSON();
}
