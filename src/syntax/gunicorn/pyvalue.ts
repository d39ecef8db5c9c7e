/**
 * Python values as the static evaluator knows them, and the parts of Python's
 * semantics a gunicorn config needs: int()/float()/str()/repr(), truthiness,
 * equality, arithmetic, and the three string-formatting languages
 * (f-strings / str.format format specs, and %-formatting).
 *
 * Everything here is pure and deterministic; when Python's answer depends on
 * something we cannot know (set order, object identity) the functions throw
 * `Unsupported`, which the evaluator turns into a dynamic value.
 */

export type PyVal =
  | { t: 'none' }
  | { t: 'bool'; v: boolean }
  | { t: 'int'; v: bigint }
  | { t: 'float'; v: number }
  | { t: 'str'; v: string }
  | { t: 'bytes'; v: string }
  | { t: 'list'; items: PyVal[] }
  | { t: 'tuple'; items: PyVal[] }
  | { t: 'set'; items: PyVal[] }
  | { t: 'dict'; entries: [PyVal, PyVal][] }
  /** a function defined in the file (def or lambda) */
  | { t: 'func'; name: string; qualname: string; arity: number; id: number }
  | { t: 'class'; name: string }
  /** a module we model (os, multiprocessing, ...) or an opaque one */
  | { t: 'module'; name: string; known: boolean }
  /** a builtin function or a method bound to a value, by dotted name */
  | { t: 'builtin'; name: string; self?: PyVal }
  /** an exception class (ValueError, ...) */
  | { t: 'exc'; name: string }
  /** os.environ */
  | { t: 'environ' };

export const NONE: PyVal = { t: 'none' };
export const TRUE: PyVal = { t: 'bool', v: true };
export const FALSE: PyVal = { t: 'bool', v: false };
export const int = (v: bigint | number): PyVal => ({ t: 'int', v: typeof v === 'bigint' ? v : BigInt(v) });
export const str = (v: string): PyVal => ({ t: 'str', v });
export const bool = (v: boolean): PyVal => (v ? TRUE : FALSE);
export const float = (v: number): PyVal => ({ t: 'float', v });

/** A Python exception we know would be raised. */
export class PyError extends Error {
  constructor(
    readonly type: string,
    readonly pyMessage: string,
  ) {
    super(`${type}: ${pyMessage}`);
  }
}

/** Python's answer depends on something we do not model. */
export class Unsupported extends Error {}

export function typeName(v: PyVal): string {
  switch (v.t) {
    case 'none':
      return 'NoneType';
    case 'func':
      return 'function';
    case 'class':
      return 'type';
    case 'builtin':
      return 'builtin_function_or_method';
    case 'exc':
      return 'type';
    case 'environ':
      return '_Environ';
    default:
      return v.t;
  }
}

// ---------------------------------------------------------------- truthiness, equality

export function truthy(v: PyVal): boolean {
  switch (v.t) {
    case 'none':
      return false;
    case 'bool':
      return v.v;
    case 'int':
      return v.v !== 0n;
    case 'float':
      return v.v !== 0;
    case 'str':
    case 'bytes':
      return v.v.length > 0;
    case 'list':
    case 'tuple':
    case 'set':
      return v.items.length > 0;
    case 'dict':
      return v.entries.length > 0;
    case 'environ':
      throw new Unsupported('truthiness of os.environ');
    default:
      return true;
  }
}

function numeric(v: PyVal): { kind: 'int'; v: bigint } | { kind: 'float'; v: number } | null {
  if (v.t === 'bool') return { kind: 'int', v: v.v ? 1n : 0n };
  if (v.t === 'int') return { kind: 'int', v: v.v };
  if (v.t === 'float') return { kind: 'float', v: v.v };
  return null;
}

export function pyEquals(a: PyVal, b: PyVal): boolean {
  const na = numeric(a);
  const nb = numeric(b);
  if (na && nb) {
    if (na.kind === 'int' && nb.kind === 'int') return na.v === nb.v;
    return toFloat(na) === toFloat(nb);
  }
  if (na || nb) return false;
  if ((a.t === 'list' && b.t === 'list') || (a.t === 'tuple' && b.t === 'tuple')) {
    return a.items.length === b.items.length && a.items.every((x, i) => pyEquals(x, b.items[i]!));
  }
  if (a.t === 'set' && b.t === 'set') {
    return a.items.length === b.items.length && a.items.every((x) => b.items.some((y) => pyEquals(x, y)));
  }
  if (a.t === 'dict' && b.t === 'dict') {
    if (a.entries.length !== b.entries.length) return false;
    return a.entries.every(([k, v]) => {
      const other = b.entries.find(([k2]) => pyEquals(k, k2));
      return other !== undefined && pyEquals(v, other[1]);
    });
  }
  if (a.t !== b.t) return false;
  switch (a.t) {
    case 'none':
      return true;
    case 'str':
    case 'bytes':
      return a.v === (b as typeof a).v;
    case 'func':
      return a.id === (b as typeof a).id;
    case 'class':
    case 'exc':
      return a.name === (b as typeof a).name;
    case 'module':
      return a.name === (b as typeof a).name;
    case 'builtin':
      return a.name === (b as typeof a).name && a.self === (b as typeof a).self;
    case 'environ':
      return true;
    default:
      return false;
  }
}

function toFloat(n: { kind: 'int'; v: bigint } | { kind: 'float'; v: number }): number {
  return n.kind === 'int' ? Number(n.v) : n.v;
}

export function isHashable(v: PyVal): boolean {
  if (v.t === 'list' || v.t === 'dict' || v.t === 'set') return false;
  if (v.t === 'tuple') return v.items.every(isHashable);
  return true;
}

// ---------------------------------------------------------------- repr / str

const PY_SPACE = /[\t\n\v\f\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/;

export function isPySpace(ch: string): boolean {
  return PY_SPACE.test(ch);
}

/** str.strip() with Python's notion of whitespace (or the given characters). */
export function pyStrip(s: string, chars?: string, which: 'both' | 'left' | 'right' = 'both'): string {
  const isStrip = chars === undefined ? isPySpace : (c: string) => chars.includes(c);
  let a = 0;
  let b = s.length;
  if (which !== 'right') while (a < b && isStrip(s[a]!)) a++;
  if (which !== 'left') while (b > a && isStrip(s[b - 1]!)) b--;
  return s.slice(a, b);
}

function isPrintable(cp: number): boolean {
  if (cp < 0x20 || cp === 0x7f) return false;
  if (cp >= 0x80 && cp < 0xa0) return false;
  if (cp === 0xad) return false;
  if (cp >= 0xd800 && cp <= 0xdfff) return false;
  if (cp === 0x2028 || cp === 0x2029) return false;
  // Zs other than the plain space is not printable for repr()
  if (cp !== 0x20 && /\p{Zs}/u.test(String.fromCodePoint(cp))) return false;
  if (/\p{Cc}|\p{Cf}|\p{Cn}|\p{Co}/u.test(String.fromCodePoint(cp))) return false;
  return true;
}

export function reprStr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (ch === quote || ch === '\\') out += '\\' + ch;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (isPrintable(cp)) out += ch;
    else if (cp < 0x100) out += '\\x' + cp.toString(16).padStart(2, '0');
    else if (cp < 0x10000) out += '\\u' + cp.toString(16).padStart(4, '0');
    else out += '\\U' + cp.toString(16).padStart(8, '0');
  }
  return out + quote;
}

function reprBytes(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = 'b' + quote;
  for (const ch of s) {
    const c = ch.charCodeAt(0);
    if (ch === quote || ch === '\\') out += '\\' + ch;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c < 0x20 || c >= 0x7f) out += '\\x' + c.toString(16).padStart(2, '0');
    else out += ch;
  }
  return out + quote;
}

/** repr(float), as Python prints it: the shortest round-trip digits. */
export function reprFloat(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const { digits, exp, neg } = shortestDigits(x);
  const sign = neg ? '-' : '';
  // Python uses scientific notation when the decimal exponent is < -4 or >= 16
  if (exp < -4 || exp >= 16) {
    const mant = digits.length > 1 ? digits[0] + '.' + digits.slice(1) : digits;
    const e = exp < 0 ? '-' + String(-exp).padStart(2, '0') : '+' + String(exp).padStart(2, '0');
    return sign + mant + 'e' + e;
  }
  if (exp < 0) return sign + '0.' + '0'.repeat(-exp - 1) + digits;
  if (digits.length <= exp + 1) return sign + digits + '0'.repeat(exp + 1 - digits.length) + '.0';
  return sign + digits.slice(0, exp + 1) + '.' + digits.slice(exp + 1);
}

/** The shortest digit string d1d2... and decimal exponent e with |x| = 0.d1d2... * 10^(e+1). */
function shortestDigits(x: number): { digits: string; exp: number; neg: boolean } {
  const s = Math.abs(x).toExponential();
  const m = /^(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(s)!;
  const digits = (m[1]! + (m[2] ?? '')).replace(/0+$/, '') || '0';
  return { digits, exp: parseInt(m[3]!, 10), neg: x < 0 };
}

export function repr(v: PyVal): string {
  switch (v.t) {
    case 'none':
      return 'None';
    case 'bool':
      return v.v ? 'True' : 'False';
    case 'int':
      return v.v.toString();
    case 'float':
      return reprFloat(v.v);
    case 'str':
      return reprStr(v.v);
    case 'bytes':
      return reprBytes(v.v);
    case 'list':
      return '[' + v.items.map(repr).join(', ') + ']';
    case 'tuple':
      return v.items.length === 1 ? '(' + repr(v.items[0]!) + ',)' : '(' + v.items.map(repr).join(', ') + ')';
    case 'set':
      if (v.items.length === 0) return 'set()';
      if (v.items.length > 1) throw new Unsupported('the order of a set');
      return '{' + repr(v.items[0]!) + '}';
    case 'dict':
      return '{' + v.entries.map(([k, x]) => repr(k) + ': ' + repr(x)).join(', ') + '}';
    case 'exc':
      return `<class '${v.name}'>`;
    default:
      throw new Unsupported(`repr() of a ${typeName(v)}`);
  }
}

export function toStr(v: PyVal): string {
  if (v.t === 'str') return v.v;
  return repr(v);
}

// ---------------------------------------------------------------- numbers

/** Parse a Python integer literal as written in source (already known valid). */
export function parseIntLiteral(text: string): bigint | null {
  const t = text.replace(/_/g, '');
  if (/^0[xX][0-9a-fA-F]+$/.test(t) || /^0[oO][0-7]+$/.test(t) || /^0[bB][01]+$/.test(t)) {
    const radix = { x: 16, o: 8, b: 2 }[t[1]!.toLowerCase() as 'x' | 'o' | 'b'];
    return parseBig(t.slice(2), radix);
  }
  if (/^(0+|[1-9]\d*)$/.test(t)) return BigInt(t);
  return null;
}

function parseBig(digits: string, radix: number): bigint {
  let n = 0n;
  const r = BigInt(radix);
  for (const c of digits.toLowerCase()) n = n * r + BigInt(parseInt(c, 36));
  return n;
}

/** int(s, base) for a str, exactly as CPython accepts it; null when it raises ValueError. */
export function pyIntFromString(s: string, base: number): bigint | null {
  let t = pyStrip(s);
  let neg = false;
  if (t.startsWith('+') || t.startsWith('-')) {
    neg = t[0] === '-';
    t = t.slice(1);
  }
  if (t === '') return null;
  let b = base;
  const prefixed = /^0[xXoObB]/.test(t);
  if (b === 0) {
    if (prefixed) {
      b = { x: 16, o: 8, b: 2 }[t[1]!.toLowerCase() as 'x' | 'o' | 'b'];
      t = t.slice(2);
      if (t.startsWith('_')) t = t.slice(1);
    } else {
      b = 10;
      // with base 0, a decimal literal may not have leading zeros (except 0 itself)
      const plain = t.replace(/_/g, '');
      if (/^0+$/.test(plain)) {
        if (!/^0(_?0)*$/.test(t)) return null;
        return 0n;
      }
      if (plain.startsWith('0')) return null;
    }
  } else if (prefixed && ((b === 16 && /^0[xX]/.test(t)) || (b === 8 && /^0[oO]/.test(t)) || (b === 2 && /^0[bB]/.test(t)))) {
    t = t.slice(2);
    if (t.startsWith('_')) t = t.slice(1);
  }
  if (t === '' || t.startsWith('_') || t.endsWith('_') || t.includes('__')) return null;
  const digits = t.replace(/_/g, '');
  for (const c of digits) {
    const d = /[0-9]/.test(c) ? c.charCodeAt(0) - 48 : /[a-z]/i.test(c) ? c.toLowerCase().charCodeAt(0) - 87 : 99;
    if (d >= b) return null;
  }
  const n = parseBig(digits, b);
  return neg ? -n : n;
}

/** float(s) for a str; null when it raises ValueError. */
export function pyFloatFromString(s: string): number | null {
  const t = pyStrip(s);
  const m = /^([+-]?)(inf|infinity|nan)$/i.exec(t);
  if (m) {
    if (m[2]!.toLowerCase() === 'nan') return NaN;
    return m[1] === '-' ? -Infinity : Infinity;
  }
  if (!/^[+-]?((\d(_?\d)*)?\.\d(_?\d)*|\d(_?\d)*\.?)([eE][+-]?\d(_?\d)*)?$/.test(t)) return null;
  return Number(t.replace(/_/g, ''));
}

export function bigFromFloat(x: number): bigint {
  return BigInt(Math.trunc(x));
}

/** Exact value of a finite double as sign * mant * 2^exp. */
function decompose(x: number): { neg: boolean; mant: bigint; exp: number } {
  const buf = new DataView(new ArrayBuffer(8));
  buf.setFloat64(0, x);
  const hi = buf.getUint32(0);
  const lo = buf.getUint32(4);
  const neg = hi >>> 31 === 1;
  const e = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let exp: number;
  if (e === 0) exp = -1074;
  else {
    mant |= 1n << 52n;
    exp = e - 1075;
  }
  return { neg, mant, exp };
}

/** |x| * 10^scale rounded half-to-even to an integer (exact, as CPython's dtoa). */
function scaledRound(x: number, scale: number): bigint {
  const { mant, exp } = decompose(x);
  let num = mant;
  let den = 1n;
  if (exp >= 0) num <<= BigInt(exp);
  else den <<= BigInt(-exp);
  if (scale >= 0) num *= 10n ** BigInt(scale);
  else den *= 10n ** BigInt(-scale);
  const q = num / den;
  const r = num - q * den;
  const twice = 2n * r;
  if (twice > den || (twice === den && q % 2n === 1n)) return q + 1n;
  return q;
}

/** format(x, '.Nf') without sign handling of specials. */
function fixedDigits(x: number, prec: number): string {
  const q = scaledRound(x, prec).toString();
  if (prec === 0) return q;
  const padded = q.padStart(prec + 1, '0');
  return padded.slice(0, padded.length - prec) + '.' + padded.slice(padded.length - prec);
}

/** Digits and exponent for '.Ne' formatting: d.ddd * 10^exp with prec digits after the point. */
function expDigits(x: number, prec: number): { mant: string; exp: number } {
  if (x === 0) return { mant: prec > 0 ? '0.' + '0'.repeat(prec) : '0', exp: 0 };
  let exp = Math.floor(Math.log10(Math.abs(x)));
  let q = scaledRound(x, prec - exp);
  const limit = 10n ** BigInt(prec + 1);
  if (q >= limit) {
    exp += 1;
    q = scaledRound(x, prec - exp);
  } else if (q < limit / 10n) {
    exp -= 1;
    q = scaledRound(x, prec - exp);
  }
  const s = q.toString();
  return { mant: prec > 0 ? s[0] + '.' + s.slice(1) : s, exp };
}

// ---------------------------------------------------------------- format specs

interface Spec {
  fill: string;
  align: string;
  sign: string;
  alt: boolean;
  zero: boolean;
  width: number;
  grouping: string;
  precision: number | null;
  type: string;
}

function parseSpec(spec: string): Spec {
  const m = /^(?:(.)?([<>=^]))?([+\- ])?(z)?(#)?(0)?(\d+)?([,_])?(?:\.(\d+))?([bcdeEfFgGnosxX%])?$/su.exec(spec);
  if (!m) throw new PyError('ValueError', 'Invalid format specifier');
  return {
    fill: m[1] ?? (m[6] && !m[2] ? '0' : ' '),
    align: m[2] ?? (m[6] ? '=' : ''),
    sign: m[3] ?? '-',
    alt: !!m[5],
    zero: !!m[6],
    width: m[7] ? parseInt(m[7], 10) : 0,
    grouping: m[8] ?? '',
    precision: m[9] !== undefined ? parseInt(m[9], 10) : null,
    type: m[10] ?? '',
  };
}

function pad(body: string, prefix: string, spec: Spec, defaultAlign: string): string {
  const align = spec.align || defaultAlign;
  const len = [...prefix].length + [...body].length;
  const n = Math.max(0, spec.width - len);
  if (n === 0) return prefix + body;
  const fill = spec.fill.repeat(n);
  switch (align) {
    case '<':
      return prefix + body + fill;
    case '^': {
      const left = Math.floor(n / 2);
      return spec.fill.repeat(left) + prefix + body + spec.fill.repeat(n - left);
    }
    case '=':
      return prefix + fill + body;
    default:
      return fill + prefix + body;
  }
}

function group(intDigits: string, sep: string, every: number): string {
  if (!sep) return intDigits;
  let out = '';
  for (let i = 0; i < intDigits.length; i++) {
    if (i > 0 && (intDigits.length - i) % every === 0) out += sep;
    out += intDigits[i];
  }
  return out;
}

function signPrefix(neg: boolean, sign: string): string {
  if (neg) return '-';
  if (sign === '+') return '+';
  if (sign === ' ') return ' ';
  return '';
}

function formatIntSpec(n: bigint, spec: Spec): string {
  const neg = n < 0n;
  const a = neg ? -n : n;
  let digits: string;
  let prefix = '';
  switch (spec.type) {
    case 'b':
      digits = a.toString(2);
      if (spec.alt) prefix = '0b';
      break;
    case 'o':
      digits = a.toString(8);
      if (spec.alt) prefix = '0o';
      break;
    case 'x':
      digits = a.toString(16);
      if (spec.alt) prefix = '0x';
      break;
    case 'X':
      digits = a.toString(16).toUpperCase();
      if (spec.alt) prefix = '0X';
      break;
    case 'c':
      return pad(String.fromCodePoint(Number(n)), '', spec, '<');
    case '':
    case 'd':
    case 'n':
      digits = a.toString();
      break;
    default:
      return formatFloatSpec(Number(n), spec);
  }
  if (spec.precision !== null) throw new PyError('ValueError', 'Precision not allowed in integer format specifier');
  const every = spec.type === '' || spec.type === 'd' || spec.type === 'n' ? 3 : 4;
  const fullPrefix = signPrefix(neg, spec.sign) + prefix;
  if (spec.zero && !spec.align && spec.grouping) {
    // zero padding with grouping inserts separators into the padding too
    const target = Math.max(0, spec.width - fullPrefix.length);
    let d = digits;
    while (group(d, spec.grouping, every).length < target) d = '0' + d;
    return fullPrefix + group(d, spec.grouping, every);
  }
  return pad(group(digits, spec.grouping, every), fullPrefix, spec, '>');
}

function formatFloatSpec(x: number, spec: Spec): string {
  const neg = x < 0 || Object.is(x, -0);
  const a = Math.abs(x);
  let body: string;
  let type = spec.type;
  if (type === 'n') type = 'g';
  if (!Number.isFinite(a)) {
    body = Number.isNaN(a) ? 'nan' : 'inf';
    if (type === 'E' || type === 'F' || type === 'G') body = body.toUpperCase();
    if (type === '%') body += '%';
  } else if (type === '' && spec.precision === null) {
    body = reprFloat(a);
  } else {
    const p = spec.precision ?? 6;
    switch (type) {
      case 'f':
      case 'F':
        body = fixedDigits(a, p);
        if (spec.alt && p === 0) body += '.';
        break;
      case '%':
        body = fixedDigits(a * 100, p) + '%';
        break;
      case 'e':
      case 'E': {
        const { mant, exp } = expDigits(a, p);
        body = mant + (spec.alt && p === 0 ? '.' : '') + 'e' + (exp < 0 ? '-' : '+') + String(Math.abs(exp)).padStart(2, '0');
        if (type === 'E') body = body.toUpperCase();
        break;
      }
      default: {
        // 'g', 'G' and '' with a precision
        const pp = p === 0 ? 1 : p;
        const { mant, exp } = expDigits(a, pp - 1);
        if (exp >= -4 && exp < pp) {
          body = fixedDigits(a, pp - 1 - exp);
          if (!spec.alt && body.includes('.')) body = body.replace(/\.?0+$/, '');
          if (type === '' && !body.includes('.')) body += '.0';
        } else {
          let m = mant;
          if (!spec.alt && m.includes('.')) m = m.replace(/\.?0+$/, '');
          body = m + 'e' + (exp < 0 ? '-' : '+') + String(Math.abs(exp)).padStart(2, '0');
        }
        if (type === 'G') body = body.toUpperCase();
      }
    }
  }
  const prefix = signPrefix(neg && !(Number.isNaN(x)), spec.sign);
  if (spec.grouping && Number.isFinite(a)) {
    const [ip, rest] = splitNumber(body);
    body = group(ip, spec.grouping, 3) + rest;
  }
  return pad(body, prefix, spec, '>');
}

function splitNumber(body: string): [string, string] {
  const m = /^(\d+)(.*)$/s.exec(body);
  return m ? [m[1]!, m[2]!] : ['', body];
}

/** format(value, spec): what f"{value:spec}" and "{:spec}".format(value) produce. */
export function formatValue(v: PyVal, specText: string): string {
  if (specText === '') return toStr(v);
  const spec = parseSpec(specText);
  switch (v.t) {
    case 'str': {
      if (spec.type !== '' && spec.type !== 's') throw new PyError('ValueError', `Unknown format code '${spec.type}' for object of type 'str'`);
      if (spec.sign !== '-' || spec.align === '=') throw new PyError('ValueError', 'Sign not allowed in string format specifier');
      const body = spec.precision !== null ? [...v.v].slice(0, spec.precision).join('') : v.v;
      return pad(body, '', spec, '<');
    }
    case 'bool':
    case 'int':
      return formatIntSpec(v.t === 'bool' ? (v.v ? 1n : 0n) : v.v, spec);
    case 'float':
      if ('bcdoxX'.includes(spec.type) && spec.type !== '') throw new PyError('ValueError', `Unknown format code '${spec.type}' for object of type 'float'`);
      return formatFloatSpec(v.v, spec);
    default:
      throw new PyError('TypeError', `unsupported format string passed to ${typeName(v)}.__format__`);
  }
}

// ---------------------------------------------------------------- %-formatting

/** `fmt % args` for str. */
export function percentFormat(fmt: string, args: PyVal): string {
  const tuple = args.t === 'tuple' ? args.items : [args];
  const mapping = args.t === 'dict' ? args : null;
  let ai = 0;
  let out = '';
  const next = (): PyVal => {
    if (mapping && args.t !== 'tuple') return args;
    const v = tuple[ai++];
    if (v === undefined) throw new PyError('TypeError', 'not enough arguments for format string');
    return v;
  };
  let i = 0;
  while (i < fmt.length) {
    const c = fmt[i]!;
    if (c !== '%') {
      out += c;
      i++;
      continue;
    }
    i++;
    let key: string | null = null;
    if (fmt[i] === '(') {
      let depth = 1;
      let j = i + 1;
      while (j < fmt.length && depth > 0) {
        if (fmt[j] === '(') depth++;
        else if (fmt[j] === ')') depth--;
        j++;
      }
      if (depth > 0) throw new PyError('ValueError', 'incomplete format key');
      key = fmt.slice(i + 1, j - 1);
      i = j;
    }
    let flags = '';
    while (i < fmt.length && '-+ #0'.includes(fmt[i]!)) flags += fmt[i++];
    let width = '';
    if (fmt[i] === '*') {
      const w = next();
      if (w.t !== 'int') throw new PyError('TypeError', '* wants int');
      width = w.v.toString();
      i++;
    } else while (i < fmt.length && /\d/.test(fmt[i]!)) width += fmt[i++];
    let precision: string | null = null;
    if (fmt[i] === '.') {
      i++;
      precision = '';
      if (fmt[i] === '*') {
        const p = next();
        if (p.t !== 'int') throw new PyError('TypeError', '* wants int');
        precision = p.v.toString();
        i++;
      } else while (i < fmt.length && /\d/.test(fmt[i]!)) precision += fmt[i++];
    }
    while (i < fmt.length && 'hlL'.includes(fmt[i]!)) i++;
    const conv = fmt[i++];
    if (conv === undefined) throw new PyError('ValueError', 'incomplete format');
    if (conv === '%') {
      out += '%';
      continue;
    }
    let value: PyVal;
    if (key !== null) {
      if (!mapping) throw new PyError('TypeError', 'format requires a mapping');
      const entry = mapping.entries.find(([k]) => k.t === 'str' && k.v === key);
      if (!entry) throw new PyError('KeyError', reprStr(key));
      value = entry[1];
    } else value = next();
    const left = flags.includes('-');
    const zero = flags.includes('0') && !left;
    const signFlag = flags.includes('+') ? '+' : flags.includes(' ') ? ' ' : '-';
    let spec: string;
    let text: string;
    switch (conv) {
      case 's':
        text = toStr(value);
        if (precision !== null) text = text.slice(0, parseInt(precision || '0', 10));
        break;
      case 'r':
      case 'a':
        text = repr(value);
        if (precision !== null) text = text.slice(0, parseInt(precision || '0', 10));
        break;
      case 'd':
      case 'i':
      case 'u': {
        const n = numeric(value);
        if (!n) throw new PyError('TypeError', `%${conv} format: a real number is required, not ${typeName(value)}`);
        const iv = n.kind === 'int' ? n.v : bigFromFloat(n.v);
        text = formatIntSpec(iv, parseSpec((signFlag === '-' ? '' : signFlag) + 'd'));
        if (precision !== null) {
          const neg = text.startsWith('-');
          const digits = text.replace(/^[-+ ]/, '');
          text = text.slice(0, text.length - digits.length) + digits.padStart(parseInt(precision || '0', 10), '0');
          void neg;
        }
        break;
      }
      case 'x':
      case 'X':
      case 'o': {
        if (value.t !== 'int' && value.t !== 'bool') throw new PyError('TypeError', `%${conv} format: an integer is required, not ${typeName(value)}`);
        spec = (signFlag === '-' ? '' : signFlag) + (flags.includes('#') ? '#' : '') + conv;
        text = formatIntSpec(value.t === 'bool' ? (value.v ? 1n : 0n) : value.v, parseSpec(spec));
        break;
      }
      case 'e':
      case 'E':
      case 'f':
      case 'F':
      case 'g':
      case 'G': {
        const n = numeric(value);
        if (!n) throw new PyError('TypeError', `must be real number, not ${typeName(value)}`);
        spec = (signFlag === '-' ? '' : signFlag) + (flags.includes('#') ? '#' : '') + '.' + (precision === null ? '6' : precision || '0') + conv;
        text = formatFloatSpec(toFloat(n), parseSpec(spec));
        break;
      }
      case 'c':
        if (value.t === 'str' && [...value.v].length === 1) text = value.v;
        else if (value.t === 'int') text = String.fromCodePoint(Number(value.v));
        else throw new PyError('TypeError', '%c requires int or char');
        break;
      default:
        throw new PyError('ValueError', `unsupported format character '${conv}' (0x${conv.charCodeAt(0).toString(16)}) at index ${i - 1}`);
    }
    const w = width ? parseInt(width, 10) : 0;
    if (text.length < w) {
      if (left) text = text + ' '.repeat(w - text.length);
      else if (zero && 'diuxXoeEfFgG'.includes(conv)) {
        const m = /^([-+ ]?(?:0[xXo])?)(.*)$/s.exec(text)!;
        text = m[1]! + m[2]!.padStart(w - m[1]!.length, '0');
      } else text = ' '.repeat(w - text.length) + text;
    }
    out += text;
  }
  if (!mapping && args.t === 'tuple' && ai < tuple.length) throw new PyError('TypeError', 'not all arguments converted during string formatting');
  if (!mapping && args.t !== 'tuple' && ai === 0 && args.t !== 'dict') throw new PyError('TypeError', 'not all arguments converted during string formatting');
  return out;
}

// ---------------------------------------------------------------- arithmetic

const MAX_BITS = 4096;

function checkSize(n: bigint): bigint {
  const bits = (n < 0n ? -n : n).toString(2).length;
  if (bits > MAX_BITS) throw new Unsupported('a very large integer');
  return n;
}

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return (a % b !== 0n && (a < 0n) !== (b < 0n)) ? q - 1n : q;
}

function pyFloatMod(a: number, b: number): number {
  const m = a % b;
  return m !== 0 && (m < 0) !== (b < 0) ? m + b : m;
}

function unsupportedOperand(op: string, a: PyVal, b: PyVal): PyError {
  return new PyError('TypeError', `unsupported operand type(s) for ${op}: '${typeName(a)}' and '${typeName(b)}'`);
}

function repeatSeq(seq: PyVal, n: bigint): PyVal {
  const count = n < 0n ? 0 : Number(n);
  if (seq.t === 'str' || seq.t === 'bytes') {
    if (seq.v.length * count > 1_000_000) throw new Unsupported('a very long string');
    return { t: seq.t, v: seq.v.repeat(count) };
  }
  if (seq.t === 'list' || seq.t === 'tuple') {
    if (seq.items.length * count > 100_000) throw new Unsupported('a very long list');
    const items: PyVal[] = [];
    for (let i = 0; i < count; i++) items.push(...seq.items);
    return { t: seq.t, items };
  }
  throw new Unsupported('repeat');
}

/** a <op> b for the binary operators of Python. */
export function binaryOp(op: string, a: PyVal, b: PyVal): PyVal {
  const na = numeric(a);
  const nb = numeric(b);
  if (na && nb) {
    if (na.kind === 'int' && nb.kind === 'int') {
      const x = na.v;
      const y = nb.v;
      switch (op) {
        case '+':
          return int(checkSize(x + y));
        case '-':
          return int(checkSize(x - y));
        case '*':
          return int(checkSize(x * y));
        case '/':
          if (y === 0n) throw new PyError('ZeroDivisionError', 'division by zero');
          return float(Number(x) / Number(y));
        case '//':
          if (y === 0n) throw new PyError('ZeroDivisionError', 'integer division or modulo by zero');
          return int(floorDiv(x, y));
        case '%':
          if (y === 0n) throw new PyError('ZeroDivisionError', 'integer division or modulo by zero');
          return int(x - floorDiv(x, y) * y);
        case '**':
          if (y < 0n) {
            if (x === 0n) throw new PyError('ZeroDivisionError', '0.0 cannot be raised to a negative power');
            return float(Math.pow(Number(x), Number(y)));
          }
          if (y > BigInt(MAX_BITS)) throw new Unsupported('a very large power');
          return int(checkSize(x ** y));
        case '<<':
          if (y < 0n) throw new PyError('ValueError', 'negative shift count');
          if (y > BigInt(MAX_BITS)) throw new Unsupported('a very large shift');
          return int(checkSize(x << y));
        case '>>':
          if (y < 0n) throw new PyError('ValueError', 'negative shift count');
          return int(x >> y);
        case '&':
          if (a.t === 'bool' && b.t === 'bool') return bool(a.v && b.v);
          return int(x & y);
        case '|':
          if (a.t === 'bool' && b.t === 'bool') return bool(a.v || b.v);
          return int(x | y);
        case '^':
          if (a.t === 'bool' && b.t === 'bool') return bool(a.v !== b.v);
          return int(x ^ y);
      }
      throw unsupportedOperand(op, a, b);
    }
    const x = toFloat(na);
    const y = toFloat(nb);
    switch (op) {
      case '+':
        return float(x + y);
      case '-':
        return float(x - y);
      case '*':
        return float(x * y);
      case '/':
        if (y === 0) throw new PyError('ZeroDivisionError', 'float division by zero');
        return float(x / y);
      case '//':
        if (y === 0) throw new PyError('ZeroDivisionError', 'float floor division by zero');
        return float(Math.floor(x / y));
      case '%':
        if (y === 0) throw new PyError('ZeroDivisionError', 'float modulo');
        return float(pyFloatMod(x, y));
      case '**':
        if (x === 0 && y < 0) throw new PyError('ZeroDivisionError', '0.0 cannot be raised to a negative power');
        if (x < 0 && !Number.isInteger(y)) throw new Unsupported('a complex power');
        return float(Math.pow(x, y));
    }
    throw unsupportedOperand(op, a, b);
  }
  if (op === '+') {
    if ((a.t === 'str' && b.t === 'str') || (a.t === 'bytes' && b.t === 'bytes')) return { t: a.t, v: a.v + b.v };
    if ((a.t === 'list' && b.t === 'list') || (a.t === 'tuple' && b.t === 'tuple')) return { t: a.t, items: [...a.items, ...b.items] };
    if (a.t === 'str' || b.t === 'str') {
      const other = a.t === 'str' ? b : a;
      if (a.t === 'str') throw new PyError('TypeError', `can only concatenate str (not "${typeName(other)}") to str`);
      throw new PyError('TypeError', `unsupported operand type(s) for +: '${typeName(a)}' and 'str'`);
    }
  }
  if (op === '*') {
    if (nb && nb.kind === 'int' && (a.t === 'str' || a.t === 'bytes' || a.t === 'list' || a.t === 'tuple')) return repeatSeq(a, nb.v);
    if (na && na.kind === 'int' && (b.t === 'str' || b.t === 'bytes' || b.t === 'list' || b.t === 'tuple')) return repeatSeq(b, na.v);
    if ((a.t === 'str' || b.t === 'str') && (na?.kind === 'float' || nb?.kind === 'float')) throw new PyError('TypeError', "can't multiply sequence by non-int of type 'float'");
  }
  if (op === '%' && a.t === 'str') return str(percentFormat(a.v, b));
  if (op === '|' && a.t === 'dict' && b.t === 'dict') {
    const entries = [...a.entries];
    for (const [k, v] of b.entries) {
      const i = entries.findIndex(([k2]) => pyEquals(k, k2));
      if (i >= 0) entries[i] = [entries[i]![0], v];
      else entries.push([k, v]);
    }
    return { t: 'dict', entries };
  }
  if (op === '-' && a.t === 'set' && b.t === 'set') return { t: 'set', items: a.items.filter((x) => !b.items.some((y) => pyEquals(x, y))) };
  if ((op === '|' || op === '&') && a.t === 'set' && b.t === 'set') {
    if (op === '&') return { t: 'set', items: a.items.filter((x) => b.items.some((y) => pyEquals(x, y))) };
    return { t: 'set', items: [...a.items, ...b.items.filter((x) => !a.items.some((y) => pyEquals(x, y)))] };
  }
  throw unsupportedOperand(op, a, b);
}

export function unaryOp(op: string, a: PyVal): PyVal {
  if (op === 'not') return bool(!truthy(a));
  const n = numeric(a);
  if (!n) throw new PyError('TypeError', `bad operand type for unary ${op}: '${typeName(a)}'`);
  if (op === '-') return n.kind === 'int' ? int(-n.v) : float(-n.v);
  if (op === '+') return n.kind === 'int' ? int(n.v) : float(n.v);
  if (op === '~') {
    if (n.kind !== 'int') throw new PyError('TypeError', "bad operand type for unary ~: 'float'");
    return int(-n.v - 1n);
  }
  throw new Unsupported(op);
}

function compareOrder(a: PyVal, b: PyVal, op: string): number {
  const na = numeric(a);
  const nb = numeric(b);
  if (na && nb) {
    if (na.kind === 'int' && nb.kind === 'int') return na.v < nb.v ? -1 : na.v > nb.v ? 1 : 0;
    const x = toFloat(na);
    const y = toFloat(nb);
    if (Number.isNaN(x) || Number.isNaN(y)) return NaN;
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if ((a.t === 'str' && b.t === 'str') || (a.t === 'bytes' && b.t === 'bytes')) {
    const x = [...a.v].map((c) => c.codePointAt(0)!);
    const y = [...b.v].map((c) => c.codePointAt(0)!);
    for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i]! < y[i]! ? -1 : 1;
    return x.length - y.length;
  }
  if ((a.t === 'list' && b.t === 'list') || (a.t === 'tuple' && b.t === 'tuple')) {
    for (let i = 0; i < Math.min(a.items.length, b.items.length); i++) {
      if (!pyEquals(a.items[i]!, b.items[i]!)) return compareOrder(a.items[i]!, b.items[i]!, op);
    }
    return a.items.length - b.items.length;
  }
  throw new PyError('TypeError', `'${op}' not supported between instances of '${typeName(a)}' and '${typeName(b)}'`);
}

export function contains(container: PyVal, item: PyVal): boolean {
  switch (container.t) {
    case 'str':
      if (item.t !== 'str') throw new PyError('TypeError', `'in <string>' requires string as left operand, not ${typeName(item)}`);
      return container.v.includes(item.v);
    case 'bytes':
      if (item.t !== 'bytes') throw new Unsupported('in bytes');
      return container.v.includes(item.v);
    case 'list':
    case 'tuple':
    case 'set':
      return container.items.some((x) => pyEquals(x, item));
    case 'dict':
      return container.entries.some(([k]) => pyEquals(k, item));
    default:
      throw new PyError('TypeError', `argument of type '${typeName(container)}' is not iterable`);
  }
}

export function compareOp(op: string, a: PyVal, b: PyVal): boolean {
  switch (op) {
    case '==':
      return pyEquals(a, b);
    case '!=':
    case '<>':
      return !pyEquals(a, b);
    case 'in':
      return contains(b, a);
    case 'not in':
      return !contains(b, a);
    case 'is':
    case 'is not': {
      let same: boolean;
      if (a.t === 'none' || b.t === 'none' || a.t === 'bool' || b.t === 'bool') same = a.t === b.t && pyEquals(a, b);
      else if (a.t === 'func' && b.t === 'func') same = a.id === b.id;
      else if (a.t === 'module' && b.t === 'module') same = a.name === b.name;
      else if (a.t !== b.t) same = false;
      else throw new Unsupported('object identity');
      return op === 'is' ? same : !same;
    }
  }
  const c = compareOrder(a, b, op);
  if (Number.isNaN(c)) return false;
  switch (op) {
    case '<':
      return c < 0;
    case '<=':
      return c <= 0;
    case '>':
      return c > 0;
    case '>=':
      return c >= 0;
  }
  throw new Unsupported(op);
}

/** Iterate a value as `for x in v` would; throws for what is not iterable. */
export function iterate(v: PyVal): PyVal[] {
  switch (v.t) {
    case 'str':
      return [...v.v].map(str);
    case 'bytes':
      return [...v.v].map((c) => int(c.charCodeAt(0)));
    case 'list':
    case 'tuple':
      return v.items;
    case 'set':
      if (v.items.length > 1) throw new Unsupported('the order of a set');
      return v.items;
    case 'dict':
      return v.entries.map(([k]) => k);
    case 'environ':
      throw new Unsupported('iterating os.environ');
    default:
      throw new PyError('TypeError', `'${typeName(v)}' object is not iterable`);
  }
}

export function pyLen(v: PyVal): number {
  switch (v.t) {
    case 'str':
      return [...v.v].length;
    case 'bytes':
      return v.v.length;
    case 'list':
    case 'tuple':
    case 'set':
      return v.items.length;
    case 'dict':
      return v.entries.length;
    case 'environ':
      throw new Unsupported('len(os.environ)');
    default:
      throw new PyError('TypeError', `object of type '${typeName(v)}' has no len()`);
  }
}

/** A value as JSON (what a JSON dump of gunicorn's Config shows). */
export function toJson(v: PyVal): unknown {
  switch (v.t) {
    case 'none':
      return null;
    case 'bool':
      return v.v;
    case 'int':
      return v.v >= BigInt(Number.MIN_SAFE_INTEGER) && v.v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v.v) : v.v.toString();
    case 'float':
      return Number.isFinite(v.v) ? v.v : reprFloat(v.v);
    case 'str':
    case 'bytes':
      return v.v;
    case 'list':
    case 'tuple':
    case 'set':
      return v.items.map(toJson);
    case 'dict': {
      const o: Record<string, unknown> = {};
      for (const [k, x] of v.entries) o[k.t === 'str' ? k.v : toStr(k)] = toJson(x);
      return o;
    }
    case 'func':
      return `<${v.qualname}()>`;
    default:
      return `<${typeName(v)}>`;
  }
}

/** Turn a JSON value back into a Python value (list → list, object → dict). */
export function fromJson(j: unknown): PyVal {
  if (j === null || j === undefined) return NONE;
  if (typeof j === 'boolean') return bool(j);
  if (typeof j === 'number') return Number.isInteger(j) ? int(j) : float(j);
  if (typeof j === 'string') return str(j);
  if (Array.isArray(j)) return { t: 'list', items: j.map(fromJson) };
  return { t: 'dict', entries: Object.entries(j as Record<string, unknown>).map(([k, v]) => [str(k), fromJson(v)] as [PyVal, PyVal]) };
}
