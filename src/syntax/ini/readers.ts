/**
 * Typed readers for INI values, each following the program that reads the
 * value: PHP's size shorthand (`128M`), php-fpm's durations (`30s`, `5m`),
 * integers and booleans, octal socket modes (`0660`).
 *
 * Each returns `{ ok: true, value }` or `{ ok: false, error }` with the
 * wording of the program's own error where it has one.
 */

export type ReadResult<T> = { ok: true; value: T } | { ok: false; error: string; value?: T };

const ok = <T>(value: T): ReadResult<T> => ({ ok: true, value });
const fail = <T>(error: string): ReadResult<T> => ({ ok: false, error });

/** C atoi (no 32-bit wrap: php-fpm stores into int, see cAtoi in evaluate.ts for the exact wrap) */
function atoi(s: string): number {
  const m = /^[ \t\n\v\f\r]*([+-]?\d+)/.exec(s);
  return m ? Number.parseInt(m[1]!, 10) : 0;
}

/**
 * A PHP size (zend_ini_parse_quantity, PHP 8.2): an integer (decimal, or
 * 0x / 0o / 0b / leading-0 octal), blanks allowed, then at most one of
 * k K m M g G. `-1` is "no limit" for memory_limit. Returns bytes.
 * Where PHP accepts text with a warning, reading what it can, the result is
 * `ok: false` with PHP's warning and `value` set to what PHP uses.
 */
export function parsePhpSize(input: string): ReadResult<number> & { value?: number } {
  const s = input.replace(/^[ \t\n\v\f\r]+|[ \t\n\v\f\r]+$/g, '');
  if (s === '') return ok(0);
  let i = 0;
  let neg = false;
  if (s[i] === '-' || s[i] === '+') neg = s[i++] === '-';
  let base = 10;
  let digitRe = /[0-9]/;
  if (s[i] === '0' && /[xX]/.test(s[i + 1] ?? '')) {
    base = 16;
    digitRe = /[0-9a-fA-F]/;
    i += 2;
  } else if (s[i] === '0' && /[oO]/.test(s[i + 1] ?? '')) {
    base = 8;
    digitRe = /[0-7]/;
    i += 2;
  } else if (s[i] === '0' && /[bB]/.test(s[i + 1] ?? '')) {
    base = 2;
    digitRe = /[01]/;
    i += 2;
  } else if (s[i] === '0' && /[0-9]/.test(s[i + 1] ?? '')) {
    base = 8;
    digitRe = /[0-7]/;
    i += 1;
  }
  const digitsStart = i;
  while (i < s.length && digitRe.test(s[i]!)) i++;
  if (i === digitsStart && !(base === 10 && s[digitsStart - 1] === '0')) {
    return { ok: false, error: `Invalid quantity "${input}": no valid leading digits, interpreting as "0" for backwards compatibility`, value: 0 };
  }
  let n = i > digitsStart ? Number.parseInt(s.slice(digitsStart, i), base) : 0;
  if (neg) n = -n;
  let j = i;
  while (j < s.length && /[ \t\n\v\f\r]/.test(s[j]!)) j++;
  if (j === s.length) return ok(n);
  const last = s[s.length - 1]!;
  const mult = ({ k: 1024, m: 1024 ** 2, g: 1024 ** 3 } as Record<string, number>)[last.toLowerCase()];
  const shown = s.slice(0, i);
  if (mult === undefined) {
    return { ok: false, error: `Invalid quantity "${input}": unknown multiplier "${last}", interpreting as "${shown}" for backwards compatibility`, value: n };
  }
  if (j !== s.length - 1) {
    return { ok: false, error: `Invalid quantity "${input}", interpreting as "${shown}${last}" for backwards compatibility`, value: n * mult };
  }
  return ok(n * mult);
}

/** Format bytes back in PHP shorthand when exact (134217728 → "128M"). */
export function formatPhpSize(bytes: number): string {
  for (const [suffix, mult] of [
    ['G', 1024 ** 3],
    ['M', 1024 ** 2],
    ['K', 1024],
  ] as const) {
    if (bytes !== 0 && bytes % mult === 0) return `${bytes / mult}${suffix}`;
  }
  return String(bytes);
}

/**
 * A php-fpm duration (fpm_conf_set_time): a number of seconds with an
 * optional suffix s, m, h or d (lowercase only). Like php-fpm, the number is
 * read with atoi ("1.5" is 1 second, "abc5" is 0).
 */
export function parseFpmDuration(input: string): ReadResult<number> {
  if (input.length === 0) return fail('invalid time value');
  const suffix = input[input.length - 1]!;
  const mult: Record<string, number> = { m: 60, h: 3600, d: 86400, s: 1 };
  if (suffix in mult) return ok(mult[suffix]! * atoi(input.slice(0, -1)));
  if (suffix < '0' || suffix > '9') return fail('unknown suffix used in time value');
  return ok(atoi(input));
}

/**
 * A php-fpm integer (fpm_conf_set_integer): digits, with one optional leading
 * `-`; the empty string reads as 0.
 */
export function parseFpmInteger(input: string): ReadResult<number> {
  for (let i = 0; i < input.length; i++) {
    const c = input[i]!;
    if (i === 0 && c === '-') continue;
    if (c < '0' || c > '9') return fail('is not a valid number (greater or equal than zero)');
  }
  return ok(atoi(input));
}

/**
 * A php-fpm boolean (fpm_conf_set_boolean, PHP 8.2): after INI evaluation
 * On/Yes/True are "1" and Off/No/None/False/Null are "", so those plus the
 * words themselves (as written inside quotes, lowercase) are accepted.
 */
export function parseFpmBoolean(input: string): ReadResult<boolean> {
  if (input === '1' || input === 'yes' || input === 'true' || input === 'on') return ok(true);
  if (input === '' || input === '0' || input === 'no' || input === 'none' || input === 'false' || input === 'off') return ok(false);
  return fail('invalid boolean value');
}

/** rlimit_core (fpm_conf_set_rlimit_core): `unlimited` (any case) or a non-negative integer. -1 stands for unlimited. */
export function parseFpmRlimit(input: string): ReadResult<number> {
  if (input.toLowerCase() === 'unlimited') return ok(-1);
  const n = parseFpmInteger(input);
  if (!n.ok) return n;
  if (n.value < 0) return fail("must be greater than zero or 'unlimited'");
  return n;
}

export type FpmPm = 'static' | 'dynamic' | 'ondemand';
export function parseFpmPm(input: string): ReadResult<FpmPm> {
  const v = input.toLowerCase();
  if (v === 'static' || v === 'dynamic' || v === 'ondemand') return ok(v);
  return fail('invalid process manager (static, dynamic or ondemand)');
}

export type FpmLogLevel = 'debug' | 'notice' | 'warning' | 'error' | 'alert';
export function parseFpmLogLevel(input: string): ReadResult<FpmLogLevel> {
  const v = input.toLowerCase();
  if (v === 'warn') return ok('warning');
  if (v === 'debug' || v === 'notice' || v === 'warning' || v === 'error' || v === 'alert') return ok(v);
  return fail("invalid value for 'log_level'");
}

export const SYSLOG_FACILITIES = [
  'AUTH',
  'AUTHPRIV',
  'CRON',
  'DAEMON',
  'FTP',
  'KERN',
  'LPR',
  'MAIL',
  'NEWS',
  'SYSLOG',
  'USER',
  'UUCP',
  'LOCAL0',
  'LOCAL1',
  'LOCAL2',
  'LOCAL3',
  'LOCAL4',
  'LOCAL5',
  'LOCAL6',
  'LOCAL7',
] as const;
export function parseSyslogFacility(input: string): ReadResult<string> {
  const v = input.toUpperCase();
  return (SYSLOG_FACILITIES as readonly string[]).includes(v) ? ok(v) : fail('invalid value');
}

/**
 * A file mode in octal as php-fpm reads listen.mode (strtoul(s, 0, 8)):
 * "0660" and "660" are 0o660. Strict: anything but octal digits is an error
 * (php-fpm would silently read the leading digits).
 */
export function parseOctalMode(input: string): ReadResult<number> {
  const s = input.trim();
  if (!/^[0-7]{1,4}$/.test(s)) return fail(`'${input}' is not an octal file mode`);
  return ok(Number.parseInt(s, 8));
}

/**
 * A PHP boolean ini setting as PHP reads it (zend_ini_parse_bool): "true",
 * "yes", "on" (any case) are true, anything else is its integer value.
 */
export function parsePhpBool(input: string): boolean {
  const v = input.toLowerCase();
  if (v === 'true' || v === 'yes' || v === 'on') return true;
  return atoi(input) !== 0;
}
