/**
 * gunicorn's validators, applied to statically known values: what
 * `Config.set(name, value)` stores, or the exception it raises, in gunicorn's
 * own words. Values that depend on the machine (a user name's uid, a relative
 * `chdir`, a hook given as an import string) come back as dynamic.
 */
import { fromJson, PyError, pyIntFromString, pyStrip, repr, toJson, toStr, truthy, typeName, Unsupported, type PyVal } from './pyvalue.js';
import { versionAtLeast, type GunicornVersion, type SettingDef } from './settings.js';

/** A setting's value as far as we can know it. */
export type SettingValue =
  | { kind: 'known'; value: unknown }
  | {
      kind: 'dynamic';
      /** the expression as written (or a description of a merged value) */
      expression: string;
      /** true when `default` holds the value with the environment variables it reads unset */
      hasDefault: boolean;
      default?: unknown;
      /** why it cannot be known, each a short phrase */
      why: string[];
      /** the values it can take, when they are few and known (both sides of an if) */
      candidates?: unknown[];
    }
  | { kind: 'invalid'; message: string };

export type Validated =
  | { kind: 'ok'; value: unknown; py?: PyVal }
  | { kind: 'error'; exception: string; message: string }
  | { kind: 'dynamic'; expression: string; why: string; partial?: unknown };

export interface ValidateContext {
  version: GunicornVersion;
  /** the directory gunicorn starts in, when known (systemd WorkingDirectory=) */
  cwd?: string | null;
}

const ok = (value: unknown, py?: PyVal): Validated => (py ? { kind: 'ok', value, py } : { kind: 'ok', value });
const err = (exception: string, message: string): Validated => ({ kind: 'error', exception, message });

/** Python's str() of a value, for messages; falls back to repr-ish text. */
export function pyStr(v: PyVal): string {
  if (v.t === 'func') return `<function ${v.qualname}>`;
  try {
    return toStr(v);
  } catch {
    return `<${typeName(v)}>`;
  }
}

function validateString(v: PyVal): PyVal | PyError {
  if (v.t === 'none') return v;
  if (v.t !== 'str') return new PyError('TypeError', `Not a string: ${pyStr(v)}`);
  return { t: 'str', v: pyStrip(v.v) };
}

function validatePosInt(v: PyVal): Validated {
  let n: bigint;
  if (v.t === 'bool') n = v.v ? 1n : 0n;
  else if (v.t === 'int') n = v.v;
  else if (v.t === 'str' || v.t === 'bytes') {
    const r = pyIntFromString(v.v, 0);
    if (r === null) return err('ValueError', `invalid literal for int() with base 0: ${repr(v)}`);
    n = r;
  } else return err('TypeError', "int() can't convert non-string with explicit base");
  if (n < 0n) return err('ValueError', `Value must be positive: ${n}`);
  return ok(toJson({ t: 'int', v: n }), { t: 'int', v: n });
}

function validateBool(v: PyVal): Validated {
  if (v.t === 'none') return ok(null, v);
  if (v.t === 'bool') return ok(v.v, v);
  if (v.t !== 'str') return err('TypeError', `Invalid type for casting: ${pyStr(v)}`);
  const s = pyStrip(v.v.toLowerCase());
  if (s === 'true') return ok(true, { t: 'bool', v: true });
  if (s === 'false') return ok(false, { t: 'bool', v: false });
  return err('ValueError', `Invalid boolean: ${v.v}`);
}

function validateListString(v: PyVal): Validated {
  // os.environ is always non-empty in practice; pyvalue's truthy() refuses to guess
  const isTruthy = v.t === 'environ' || truthy(v);
  if (!isTruthy) return ok([], { t: 'list', items: [] });
  let items: PyVal[];
  if (v.t === 'str') items = [v];
  else if (v.t === 'list' || v.t === 'tuple') items = v.items;
  else if (v.t === 'set') {
    if (v.items.length > 1) return { kind: 'dynamic', expression: repr({ t: 'list', items: v.items }), why: 'the order of a set' };
    items = v.items;
  } else if (v.t === 'dict') items = v.entries.map(([k]) => k);
  else if (v.t === 'bytes') items = [...v.v].map((c) => ({ t: 'int', v: BigInt(c.charCodeAt(0)) }) as PyVal);
  else return err('TypeError', `'${typeName(v)}' object is not iterable`);
  const out: PyVal[] = [];
  for (const x of items) {
    const s = validateString(x);
    if (s instanceof PyError) return err(s.type, s.pyMessage);
    out.push(s);
  }
  return ok(out.map(toJson), { t: 'list', items: out });
}

function validateStringToList(v: PyVal): Validated {
  const s = validateString(v);
  if (s instanceof PyError) return err(s.type, s.pyMessage);
  if (s.t === 'none' || (s.t === 'str' && s.v === '')) return ok([], { t: 'list', items: [] });
  const parts = (s as { v: string }).v
    .split(',')
    .filter((x) => x !== '')
    .map((x) => pyStrip(x));
  return ok(parts, { t: 'list', items: parts.map((x) => ({ t: 'str', v: x }) as PyVal) });
}

function isIpAddress(s: string): boolean {
  if (/^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.test(s)) return s.split('.').every((p) => Number(p) <= 255 && (p === '0' || !p.startsWith('0')));
  if (!/^[0-9a-fA-F:.]+$/.test(s) || !s.includes(':')) return false;
  const dbl = s.split('::');
  if (dbl.length > 2) return false;
  const groups = s.replace('::', ':x:').split(':').filter((g) => g !== '');
  let count = 0;
  for (const g of groups) {
    if (g === 'x') continue;
    if (g.includes('.')) {
      if (!isIpAddress(g)) return false;
      count += 2;
    } else if (/^[0-9a-fA-F]{1,4}$/.test(g)) count += 1;
    else return false;
  }
  return dbl.length === 2 ? count < 8 : count === 8;
}

function validateClass(v: PyVal): Validated {
  if (v.t === 'func') return { kind: 'dynamic', expression: `${v.name}()`, why: 'gunicorn calls the function to get the class' };
  if (v.t === 'class') return { kind: 'dynamic', expression: `<class '__config__.${v.name}'>`, why: 'a class defined in the config file' };
  const s = validateString(v);
  if (s instanceof PyError) return err(s.type, s.pyMessage);
  return ok(toJson(s), s);
}

function validateCallable(v: PyVal, arity: number): Validated {
  if (v.t === 'str') {
    const dot = v.v.lastIndexOf('.');
    if (dot < 0) return err('TypeError', `Value '${v.v}' is not import string. Format: module[.submodules...].object`);
    return { kind: 'dynamic', expression: v.v, why: `gunicorn imports ${v.v.slice(0, dot)} to find ${v.v.slice(dot + 1)}` };
  }
  if (v.t === 'func') {
    if (arity !== -1 && v.arity !== arity) return err('TypeError', `Value must have an arity of: ${arity}`);
    return ok(`<${v.qualname}()>`, v);
  }
  if (v.t === 'builtin' || v.t === 'class' || v.t === 'exc') return { kind: 'dynamic', expression: v.t === 'builtin' ? v.name : v.name, why: 'a callable we do not model' };
  return err('TypeError', `Value is not callable: ${pyStr(v)}`);
}

function validatePostRequest(v: PyVal): Validated {
  const r = validateCallable(v, -1);
  if (r.kind !== 'ok' || v.t !== 'func') return r;
  if (v.arity === 4) return r;
  if (v.arity === 3 || v.arity === 2) return ok('<validate_post_request.<locals>.<lambda>()>', v);
  return err('TypeError', 'Value must have an arity of: 4');
}

function validateUser(v: PyVal, what: 'user' | 'group'): Validated {
  const fn = what === 'user' ? 'os.geteuid()' : 'os.getegid()';
  if (v.t === 'none') return { kind: 'dynamic', expression: fn, why: `the ${what} gunicorn starts as` };
  if (v.t === 'int') return ok(toJson(v), v);
  if (v.t === 'bool') return ok(v.v, v);
  if (v.t !== 'str') return err('AttributeError', `'${typeName(v)}' object has no attribute 'isdigit'`);
  if (/^\d+$/.test(v.v)) return ok(Number(v.v), { t: 'int', v: BigInt(v.v) });
  const lookup = what === 'user' ? `pwd.getpwnam(${repr(v)}).pw_uid` : `grp.getgrnam(${repr(v)}).gr_gid`;
  return { kind: 'dynamic', expression: lookup, why: `the ${what === 'user' ? 'uid' : 'gid'} of ${v.v} on the machine`, partial: v.v };
}

function normpath(p: string): string {
  const abs = p.startsWith('/');
  const out: string[] = [];
  for (const c of p.split('/')) {
    if (c === '' || c === '.') continue;
    if (c === '..') {
      if (out.length && out[out.length - 1] !== '..') out.pop();
      else if (!abs) out.push('..');
      continue;
    }
    out.push(c);
  }
  return (abs ? '/' : '') + out.join('/') || (abs ? '/' : '.');
}

function validateChdir(v: PyVal, cwd: string | null | undefined): Validated {
  const s = validateString(v);
  if (s instanceof PyError) return err(s.type, s.pyMessage);
  if (s.t === 'none') return err('TypeError', 'expected str, bytes or os.PathLike object, not NoneType');
  const p = (s as { v: string }).v;
  if (p.startsWith('/')) return ok(normpath(p), { t: 'str', v: normpath(p) });
  if (cwd && cwd.startsWith('/')) {
    const r = normpath(cwd + '/' + p);
    return ok(r, { t: 'str', v: r });
  }
  return { kind: 'dynamic', expression: `os.path.abspath(${repr({ t: 'str', v: p })})`, why: 'relative to the directory gunicorn starts in', partial: p };
}

function validateHostPort(v: PyVal): Validated {
  const s = validateString(v);
  if (s instanceof PyError) return err(s.type, s.pyMessage);
  if (s.t === 'none') return ok(null, s);
  const parts = (s as { v: string }).v.split(':');
  if (parts.length !== 2) return err('TypeError', 'Value must consist of: hostname:port');
  const port = pyIntFromString(parts[1]!, 10);
  if (port === null) return err('ValueError', `invalid literal for int() with base 10: ${repr({ t: 'str', v: parts[1]! })}`);
  return ok([parts[0], Number(port)]);
}

/** gunicorn.util.parse_address as validate_statsd_address (21.0+) uses it. */
function validateStatsdAddress(v: PyVal): Validated {
  const s = validateString(v);
  if (s instanceof PyError) return err(s.type, s.pyMessage);
  if (s.t === 'none') return ok(null, s);
  const val = (s as { v: string }).v;
  const m = /^unix:(\d+)$/.exec(val);
  if (m) return ok(['unix', Number(m[1])]);
  if (/^unix:(\/\/)?/.test(val)) return ok(val.replace(/^unix:(\/\/)?/, ''));
  if (val.startsWith('fd://')) {
    const fd = pyIntFromString(val.slice(5), 10);
    if (fd === null) return err('TypeError', "Value must be one of ('host:port', 'unix://PATH')");
    return ok(Number(fd));
  }
  const netloc = val.startsWith('tcp://') ? val.slice(6) : val;
  let host = netloc;
  let port = '8125';
  if (netloc.includes('[') && netloc.includes(']')) {
    host = netloc.split(']')[0]!.slice(1);
    port = netloc.split(']:')[1] ?? '8125';
  } else if (netloc.includes(':')) {
    [host, port] = [netloc.split(':')[0]!, netloc.split(':')[1] ?? '8125'];
  } else if (netloc === '') {
    host = '0.0.0.0';
  }
  const p = pyIntFromString(port, 10);
  if (p === null) return err('TypeError', "Value must be one of ('host:port', 'unix://PATH')");
  return ok([host.toLowerCase(), Number(p)]);
}

/** ssl.PROTOCOL_* of the Python that runs gunicorn (CPython 3.11 on Linux). */
const SSL_VERSIONS: Record<string, number> = { SSLv23: 2, TLS: 2, TLS_CLIENT: 16, TLS_SERVER: 17, TLSv1: 3, TLSv1_1: 4, TLSv1_2: 5 };

function validateSslVersion(v: PyVal): Validated {
  if (v.t === 'str' && v.v in SSL_VERSIONS) return ok(SSL_VERSIONS[v.v]);
  if (v.t === 'list' || v.t === 'dict' || v.t === 'set') return err('TypeError', `unhashable type: '${v.t}'`);
  const n = validatePosInt(v);
  if (n.kind === 'ok' && Object.values(SSL_VERSIONS).includes(n.value as number)) return n;
  return err('ValueError', `Invalid ssl_version: ${pyStr(v)}. Valid options: ${Object.keys(SSL_VERSIONS).join(', ')}`);
}

function validateDict(v: PyVal): Validated {
  if (v.t !== 'dict') return err('TypeError', `Value is not a dictionary: ${pyStr(v)} `);
  return ok(toJson(v), v);
}

/** What `Config.set(def.name, v)` stores, or the exception gunicorn raises. */
export function validateSetting(def: SettingDef, v: PyVal, ctx: ValidateContext): Validated {
  try {
    switch (def.validator) {
      case 'pos_int':
        return validatePosInt(v);
      case 'bool':
        return validateBool(v);
      case 'string': {
        const s = validateString(v);
        if (s instanceof PyError) return err(s.type, s.pyMessage);
        return ok(toJson(s), s);
      }
      case 'list_string':
      case 'list_of_existing_files':
        return validateListString(v);
      case 'string_to_list':
        return validateStringToList(v);
      case 'string_to_addr_list': {
        const r = validateStringToList(v);
        if (r.kind !== 'ok') return r;
        for (const a of r.value as string[]) {
          if (a !== '*' && !isIpAddress(a)) return err('ValueError', `'${a}' does not appear to be an IPv4 or IPv6 address`);
        }
        return r;
      }
      case 'dict':
        return validateDict(v);
      case 'class':
        return validateClass(v);
      case 'callable':
        return validateCallable(v, def.arity ?? -1);
      case 'post_request':
        return validatePostRequest(v);
      case 'user':
        return validateUser(v, 'user');
      case 'group':
        return validateUser(v, 'group');
      case 'chdir':
        return validateChdir(v, ctx.cwd);
      case 'hostport':
        return validateHostPort(v);
      case 'statsd_address':
        return validateStatsdAddress(v);
      case 'reload_engine':
        if (v.t === 'str' && ['auto', 'poll', 'inotify'].includes(v.v)) return ok(v.v, v);
        if (v.t === 'list' || v.t === 'dict' || v.t === 'set') return err('TypeError', `unhashable type: '${v.t}'`);
        return err('ConfigError', `Invalid reload_engine: ${repr(v)}`);
      case 'ssl_version':
        return validateSslVersion(v);
      case 'ssl_version_deprecated':
        return ok(toJson(v), v);
      case 'header_map': {
        if (v.t === 'none') return ok(null, v);
        if (v.t !== 'str') return err('TypeError', `Invalid type for casting: ${pyStr(v)}`);
        const s = pyStrip(v.v.toLowerCase());
        if (s === 'drop' || s === 'refuse' || s === 'dangerous') return ok(s);
        return err('ValueError', `Invalid header map behaviour: ${v.v}`);
      }
    }
  } catch (e) {
    if (e instanceof Unsupported) return { kind: 'dynamic', expression: pyStr(v), why: e.message };
    throw e;
  }
}

/**
 * Convert a command-line value the way argparse's `type=` does before
 * gunicorn validates it: int() for INT flags, gunicorn's auto_int for --umask.
 * Returns the value to validate, or argparse's complaint.
 */
export function convertCliValue(def: SettingDef, raw: string): { value: PyVal } | { error: string } {
  if (def.cliType === 'int') {
    const n = pyIntFromString(raw, 10);
    if (n === null) return { error: `invalid int value: ${repr({ t: 'str', v: raw })}` };
    return { value: { t: 'int', v: n } };
  }
  if (def.cliType === 'auto_int') {
    let x = raw;
    if (/^0\d/.test(x)) x = x.replace('0', '0o');
    const n = pyIntFromString(x, 0);
    if (n === null) return { error: `invalid auto_int value: ${repr({ t: 'str', v: raw })}` };
    return { value: { t: 'int', v: n } };
  }
  return { value: { t: 'str', v: raw } };
}

/** Is this version's behaviour different from 20.1 for the validator (used in notes). */
export function validatorNote(def: SettingDef, version: GunicornVersion): string | null {
  if (def.name === 'ssl_version' && versionAtLeast(version, '21')) return 'ssl_version is deprecated and ignored since gunicorn 21.0; use ssl_context';
  return null;
}

export interface DefaultContext {
  version: GunicornVersion;
  /** environment variables known to be set */
  env: Record<string, string>;
  /** every other variable is known to be unset */
  envComplete: boolean;
  cwd?: string | null;
}

function fromValidated(r: Validated, expression: string): SettingValue {
  if (r.kind === 'ok') return { kind: 'known', value: r.value };
  if (r.kind === 'error') return { kind: 'invalid', message: `${r.exception}: ${r.message}` };
  return { kind: 'dynamic', expression: r.expression || expression, hasDefault: false, why: [r.why] };
}

/** gunicorn's default for a setting, which may depend on the environment or the machine. */
export function gunicornDefault(def: SettingDef, ctx: DefaultContext): SettingValue {
  const vctx: ValidateContext = { version: ctx.version, cwd: ctx.cwd ?? null };
  const d = def.default;
  switch (d.kind) {
    case 'value':
      if (d.value === null && (def.validator === 'callable' || def.validator === 'post_request')) {
        return { kind: 'known', value: `<${def.defaultQualname ?? def.name}()>` };
      }
      return fromValidated(validateSetting(def, fromJson(d.value), vctx), JSON.stringify(d.value));
    case 'env': {
      const set = ctx.env[d.env];
      const withValue = (raw: string | null): SettingValue => {
        if (def.name === 'workers') {
          // int(os.environ.get('WEB_CONCURRENCY', 1)) runs when gunicorn imports its config module
          const n = raw === null ? 1n : pyIntFromString(raw, 10);
          if (n === null) return { kind: 'invalid', message: `ValueError: invalid literal for int() with base 10: ${repr({ t: 'str', v: raw! })}` };
          return fromValidated(validateSetting(def, { t: 'int', v: n }, vctx), d.expression);
        }
        return fromValidated(validateSetting(def, raw === null ? fromJson(d.fallback) : { t: 'str', v: raw }, vctx), d.expression);
      };
      if (set !== undefined) return withValue(set);
      const fallback = withValue(null);
      if (ctx.envComplete) return fallback;
      return { kind: 'dynamic', expression: d.expression, hasDefault: fallback.kind === 'known', ...(fallback.kind === 'known' ? { default: fallback.value } : {}), why: [`environment variable ${d.env}`] };
    }
    case 'bind': {
      const port = ctx.env.PORT;
      if (port !== undefined) return { kind: 'known', value: [`0.0.0.0:${port}`] };
      if (ctx.envComplete) return { kind: 'known', value: ['127.0.0.1:8000'] };
      return { kind: 'dynamic', expression: "['0.0.0.0:' + os.environ['PORT']] if 'PORT' in os.environ else ['127.0.0.1:8000']", hasDefault: true, default: ['127.0.0.1:8000'], why: ['environment variable PORT'] };
    }
    case 'machine':
      if (def.validator === 'chdir' && ctx.cwd && ctx.cwd.startsWith('/')) return fromValidated(validateSetting(def, { t: 'str', v: ctx.cwd }, vctx), d.expression);
      return { kind: 'dynamic', expression: d.expression, hasDefault: false, why: [def.validator === 'chdir' ? 'the directory gunicorn starts in' : `the ${def.name} gunicorn starts as`] };
  }
}
