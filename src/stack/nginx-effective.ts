/**
 * Effective nginx values with nginx's real merge rules: a directive not set
 * at a level is inherited from the nearest enclosing level that sets it, and
 * array-type directives (proxy_set_header, fastcgi_param, add_header, ...)
 * are replaced as a whole by any definition at an inner level.
 *
 * The rules here are held to a running nginx by
 * test/stack/effective-differential.test.ts (fixtures/effective/*.conf).
 *
 * Exported API (for rules):
 * - effective(scope, name, version, platform?) → EffectiveValue
 * - describeOrigin(value, version) → "file:line:col" or "default of nginx X.Y.Z"
 * - directiveLocation(directive) → "file:line:col"
 * - effectiveProxyHeaders(scope, version) → the request headers proxy_pass sends
 * - DEFAULT_PROXY_HEADERS(version, cache) → nginx's implicit proxy headers
 * - bufferUnit(scope, family, version) → what *_busy_buffers_size is checked against
 * - proxyKeepalive(scope, version) → whether proxy_pass here can reuse upstream connections
 * - isArrayDirective(name)
 */
import type { Directive } from '../syntax/nginx/ast.js';
import { positionAt } from '../syntax/source.js';
import { atLeast, formatVersion, type NginxVersion } from '../syntax/nginx/version.js';
import { DEFAULT_PLATFORM, nginxDefault, type Platform } from './nginx-defaults.js';
import type { Scope } from './nginx-scopes.js';
import { formatNginxSize, parseNginxSize } from './units.js';
import { argValue, argValues, nameOf } from '../syntax/nginx/nodes.js';

/**
 * Directives whose occurrences form one array per level; a level that has any
 * member of the group replaces the whole inherited array. allow/deny share one
 * (ngx_http_access_module inherits its rules only when a level has none).
 */
const ARRAY_GROUP = new Map<string, string>();
for (const name of [
  'proxy_set_header', 'proxy_hide_header', 'proxy_pass_header', 'proxy_redirect', 'proxy_cookie_domain', 'proxy_cookie_path', 'proxy_cookie_flags',
  'proxy_cache_valid', 'proxy_cache_bypass', 'proxy_no_cache', 'proxy_ssl_conf_command',
  'fastcgi_param', 'fastcgi_hide_header', 'fastcgi_pass_header', 'fastcgi_cache_valid', 'fastcgi_cache_bypass', 'fastcgi_no_cache', 'fastcgi_catch_stderr',
  'uwsgi_param', 'uwsgi_hide_header', 'uwsgi_pass_header', 'uwsgi_cache_valid', 'uwsgi_cache_bypass', 'uwsgi_no_cache',
  'scgi_param', 'scgi_hide_header', 'scgi_pass_header', 'scgi_cache_valid', 'scgi_cache_bypass', 'scgi_no_cache',
  'grpc_set_header', 'grpc_hide_header', 'grpc_pass_header',
  'add_header', 'add_trailer', 'error_page', 'access_log', 'index', 'sub_filter', 'ssl_certificate', 'ssl_certificate_key', 'ssl_conf_command',
  'limit_req', 'limit_conn', 'mirror', 'set_real_ip_from',
]) ARRAY_GROUP.set(name, name);
// a key no directive name can be
ARRAY_GROUP.set('allow', '\0access');
ARRAY_GROUP.set('deny', '\0access');

/**
 * Never inherited: the rewrite module's script (return, rewrite, set, break,
 * if run where they are written), try_files (a location's own; the server
 * level one only serves requests no location matches), and per-location
 * settings nginx does not merge.
 *
 * Not inherited is not "does not apply": the server level's own return /
 * rewrite run (server rewrite phase) before any location is chosen, so
 * `return 418;` in a server answers every request although effective() at
 * each location says unset. Likewise client_max_body_size is enforced for a
 * Content-Length body once, with the value of the location the URI matched:
 * a named location's own value (try_files / error_page fallback) never
 * applies to it. Both measured on nginx 1.22 by the differential test.
 */
const NOT_INHERITED = new Set(['rewrite', 'return', 'set', 'break', 'if', 'try_files', 'alias', 'internal', 'location', 'limit_except']);

/** Content handlers: inherited only into `if` and `limit_except` inside their location (nginx's noname/lmt_excpt merge). */
const HANDLERS = new Set(['proxy_pass', 'fastcgi_pass', 'uwsgi_pass', 'scgi_pass', 'grpc_pass', 'memcached_pass']);

/** Scope kinds that inherit from their parent (the http and stream trees); others stand alone. */
const INHERITS = new Set(['server', 'location', 'lif', 'if', 'limit_except', 'stream_server']);

/**
 * add_header / add_trailer with their `*_inherit` switch (nginx 1.29.3+):
 * `on` (default) inherits the outer array only when a level has none, `off`
 * never inherits, `merge` appends the outer (already merged) array after the
 * level's own entries. The switch itself is inherited like any scalar. A
 * Map, not an object: it is looked up with every name asked about, and a
 * miss in an object's keys is a megamorphic keyed load.
 */
const INHERIT_SWITCH = new Map([
  ['add_header', 'add_header_inherit'],
  ['add_trailer', 'add_trailer_inherit'],
]);
const INHERIT_SWITCH_SINCE = '1.29.3';

export interface EffectiveValue {
  /**
   * the directives that define the value (several for array-type
   * directives), in the order nginx applies them; with `add_header_inherit
   * merge` they come from several levels, innermost first
   */
  directives: Directive[];
  /** where the (first) directive was written; null when nginx's default applies */
  scope: Scope | null;
  /** the arguments of the value: the (first) directive's, or nginx's default; null when unset */
  args: string[] | null;
}

/**
 * Each scope's own directives by name, indexed on first lookup. The http
 * level of a many-site tree holds tens of thousands of directives (every
 * server, map and upstream of every included file), and most effective values
 * are looked up through it: scanning it per lookup made a lint quadratic in
 * the number of sites.
 *
 * A tree's 20,000 mid-sized scopes (servers, busy locations) are looked up a
 * dozen times each. A Map of name → directives per scope kept 27 MB alive at
 * 10,000 sites; instead each tree numbers its directive names once, and such
 * a scope keeps the numbers of its directives in one shared array (4 bytes a
 * directive), scanned per lookup without touching the directives.
 */
interface TreeNames {
  /** directive name → number; allow and deny share one (their array group) */
  ids: Map<string, number>;
  /** the name numbers of every indexed scope's directives, scope after scope */
  arena: Uint32Array;
  used: number;
}
const treeNames = new WeakMap<Scope, TreeNames>();
/** where an indexed scope's name numbers start in its tree's arena */
const arenaOffset = new WeakMap<Scope, number>();
/** the directives of a big scope by name number (the http level of a many-site tree) */
const bigIndex = new WeakMap<Scope, Map<number, Directive[]>>();
const NONE: readonly Directive[] = Object.freeze([]);
/** below this many directives a scope is scanned: cheaper than numbering its names */
const INDEX_FROM = 12;
/** from this many directives a scope gets a Map: scanning the numbers per lookup would be quadratic again */
const MAP_FROM = 512;

function namesOf(scope: Scope): TreeNames {
  let root = scope;
  while (root.parent) root = root.parent;
  let names = treeNames.get(root);
  if (!names) {
    // allow and deny are one array group: one number matches both
    names = { ids: new Map([['allow', 0], ['deny', 0]]), arena: new Uint32Array(1024), used: 0 };
    treeNames.set(root, names);
  }
  return names;
}

function idOf(names: TreeNames, name: string): number {
  let id = names.ids.get(name);
  if (id === undefined) names.ids.set(name, (id = names.ids.size - 1));
  return id;
}

/**
 * The directives of `scope` itself (not inherited) that are `name` or in its
 * array group, in written order; `first`: only the first one. Returns NONE
 * when there is none.
 */
function own(scope: Scope, name: string, first: boolean): readonly Directive[] {
  const all = scope.directives;
  const n = all.length;
  if (n < INDEX_FROM) {
    const key = ARRAY_GROUP.get(name) ?? name;
    // only allow and deny have a group key of another name
    const aliased = key !== name;
    let found: Directive[] | null = null;
    for (let i = 0; i < n; i++) {
      const d = all[i]!;
      const dn = nameOf(d);
      if (aliased ? (ARRAY_GROUP.get(dn) ?? dn) === key : dn === name) {
        if (first) return [d];
        (found ??= []).push(d);
      }
    }
    return found ?? NONE;
  }
  const names = namesOf(scope);
  if (n >= MAP_FROM) {
    let index = bigIndex.get(scope);
    if (!index) {
      index = new Map();
      for (let i = 0; i < n; i++) {
        const d = all[i]!;
        const id = idOf(names, nameOf(d));
        const list = index.get(id);
        if (list) list.push(d);
        else index.set(id, [d]);
      }
      bigIndex.set(scope, index);
    }
    const id = names.ids.get(name);
    const list = id === undefined ? undefined : index.get(id);
    return list === undefined ? NONE : first ? [list[0]!] : list.slice();
  }
  let at = arenaOffset.get(scope);
  if (at === undefined) {
    if (names.used + n > names.arena.length) {
      const grown = new Uint32Array(Math.max(2 * names.arena.length, names.used + n));
      grown.set(names.arena.subarray(0, names.used));
      names.arena = grown;
    }
    at = names.used;
    for (let i = 0; i < n; i++) names.arena[at + i] = idOf(names, nameOf(all[i]!));
    names.used += n;
    arenaOffset.set(scope, at);
  }
  const id = names.ids.get(name);
  if (id === undefined) return NONE;
  const arena = names.arena;
  let found: Directive[] | null = null;
  for (let i = 0; i < n; i++) {
    if (arena[at + i] !== id) continue;
    if (first) return [all[i]!];
    (found ??= []).push(all[i]!);
  }
  return found ?? NONE;
}

/** true when `name` is merged as one array per level (a level's own entries replace the outer ones). */
export function isArrayDirective(name: string): boolean {
  return ARRAY_GROUP.has(name);
}

/** The effective value of `name` at `scope` under nginx `version` (defaults for the given platform). */
export function effective(scope: Scope, name: string, version: NginxVersion, platform: Platform = DEFAULT_PLATFORM): EffectiveValue {
  const inheritSwitch = INHERIT_SWITCH.get(name);
  if (inheritSwitch && atLeast(version, INHERIT_SWITCH_SINCE)) return mergedHeaders(scope, name, inheritSwitch, version, platform);
  return writtenValue(scope, name) ?? { directives: [], scope: null, args: derivedDefault(scope, name, version, platform) ?? nginxDefault(name, scope.kind, version, platform) };
}

/**
 * The value of `name` at `scope` where a level writes it (nginx's
 * inheritance), or null where nginx's default would apply: effective()
 * without making the default, for callers that only need the written
 * directive (a derived default costs two more lookups). Not for add_header /
 * add_trailer from nginx 1.29.3, whose levels merge (use effective()).
 */
export function writtenValue(scope: Scope, name: string): EffectiveValue | null {
  const isArray = ARRAY_GROUP.has(name);
  const notInherited = NOT_INHERITED.has(name);
  const handler = HANDLERS.has(name);
  let s: Scope | null = scope;
  while (s) {
    const directives = own(s, name, !isArray);
    if (directives.length > 0) return { directives: directives as Directive[], scope: s, args: argValues(directives[0]!) };
    if (notInherited) break;
    if (handler && s.kind !== 'lif' && s.kind !== 'limit_except') break;
    if (!INHERITS.has(s.kind)) break;
    s = s.parent;
  }
  return null;
}

/**
 * Defaults nginx computes from other effective values of the same level
 * (ngx_http_proxy_merge_loc_conf and its fastcgi/uwsgi/scgi twins): when
 * unset, *_busy_buffers_size and *_temp_file_write_size are twice the larger
 * of *_buffer_size and one *_buffers buffer. So `proxy_buffer_size 16k` alone
 * makes the busy size 32k, more than the default 8 × 4k buffers less one,
 * and nginx refuses to start.
 */
const DERIVED_FROM_BUFFERS = new Map(['proxy', 'fastcgi', 'uwsgi', 'scgi'].flatMap((f) => [`${f}_busy_buffers_size`, `${f}_temp_file_write_size`].map((n) => [n, f] as const)));

function derivedDefault(scope: Scope, name: string, version: NginxVersion, platform: Platform): string[] | null {
  const family = DERIVED_FROM_BUFFERS.get(name);
  if (family === undefined) return null;
  const size = bufferUnit(scope, family, version, platform);
  return size === null ? null : [formatNginxSize(2 * size)];
}

/**
 * The larger of `<family>_buffer_size` and one `<family>_buffers` buffer at a
 * scope, in bytes: what nginx checks `*_busy_buffers_size` and
 * `*_temp_file_write_size` against. null when a value does not parse.
 */
export function bufferUnit(scope: Scope, family: string, version: NginxVersion, platform: Platform = DEFAULT_PLATFORM): number | null {
  const bufferSize = parseNginxSize(effective(scope, `${family}_buffer_size`, version, platform).args?.[0] ?? '');
  const buffers = parseNginxSize(effective(scope, `${family}_buffers`, version, platform).args?.[1] ?? '');
  if (bufferSize === null || buffers === null) return null;
  return Math.max(bufferSize, buffers);
}

/** ngx_http_headers_merge_conf of nginx 1.29.3+, level by level from the outermost. */
function mergedHeaders(scope: Scope, name: string, inheritSwitch: string, version: NginxVersion, platform: Platform): EffectiveValue {
  const mine = own(scope, name, false) as Directive[];
  const parent = INHERITS.has(scope.kind) ? scope.parent : null;
  const outer = parent ? mergedHeaders(parent, name, inheritSwitch, version, platform) : null;
  const mode = effective(scope, inheritSwitch, version, platform).args?.[0] ?? 'on';
  let directives = mine;
  if (mode !== 'off' && outer && outer.directives.length > 0) {
    if (mine.length === 0) return outer;
    if (mode === 'merge') directives = [...mine, ...outer.directives];
  }
  if (directives.length === 0) return { directives: [], scope: null, args: null };
  return { directives, scope: mine.length > 0 ? scope : outer!.scope, args: argValues(directives[0]!) };
}

/** Where a directive is written: `path:line:col` (1-based, of its name). */
export function directiveLocation(d: Directive): string {
  const p = positionAt(d.file, d.name.span.start);
  return `${d.file.path}:${p.line}:${p.column}`;
}

/**
 * Where an effective value comes from, for messages: `path:line:col` of the
 * directive that sets it (the first one of an array), `default of nginx X.Y.Z`
 * when nginx's built-in default applies, `unset in nginx X.Y.Z` when nothing
 * sets it and nginx has no default.
 */
export function describeOrigin(value: EffectiveValue, version: NginxVersion): string {
  const d = value.directives[0];
  if (d) return directiveLocation(d);
  return value.args === null ? `unset in nginx ${formatVersion(version)}` : `default of nginx ${formatVersion(version)}`;
}

/** One request header that proxy_pass sets (or removes, when `value` is ""). */
export interface ProxyHeader {
  /** the name as written (nginx sends it with this spelling) */
  name: string;
  /**
   * the value as written, variables unexpanded; "" means the header is not
   * sent and the client's header of that name is not passed either. A value
   * whose variables expand to "" is not sent either.
   */
  value: string;
  /** the proxy_set_header directive; null for nginx's implicit default */
  directive: Directive | null;
  /** further proxy_set_header directives for the same name (nginx sends each non-empty one) */
  duplicates?: Directive[];
}

/**
 * nginx's implicit proxy_set_header list (ngx_http_proxy_headers and, when
 * proxy_cache is on, ngx_http_proxy_cache_headers). Before 1.29.7 nginx
 * sends `Connection: close`; from 1.29.7 (proxy_http_version 1.1 and upstream
 * keepalive by default) it sends no Connection header. Later nginx spells the
 * Host default `$proxy_internal_host`, which is `$proxy_host` for HTTP/1.x;
 * it is reported as `$proxy_host` for every version.
 */
export function DEFAULT_PROXY_HEADERS(version: NginxVersion, cache = false): Array<[string, string]> {
  const list: Array<[string, string]> = [
    ['Host', '$proxy_host'],
    ['Connection', atLeast(version, '1.29.7') ? '' : 'close'],
    ['Content-Length', '$proxy_internal_body_length'],
    ['Transfer-Encoding', '$proxy_internal_chunked'],
    ['TE', ''],
    ['Keep-Alive', ''],
    ['Expect', ''],
    ['Upgrade', ''],
  ];
  if (cache) {
    list.push(
      ['If-Modified-Since', '$upstream_cache_last_modified'],
      ['If-Unmodified-Since', ''],
      ['If-None-Match', '$upstream_cache_etag'],
      ['If-Match', ''],
      ['Range', ''],
      ['If-Range', ''],
    );
  }
  return list;
}

/**
 * The request headers proxy_pass sets at `scope` (ngx_http_proxy_init_headers):
 * the effective proxy_set_header array (inherited as a whole, see the
 * "array trap") followed by nginx's implicit headers for every name the
 * array does not set. Keys are lowercased names, in nginx's order. Any
 * client header whose name is a key is not passed to the upstream; every
 * other client header is (unless proxy_pass_request_headers is off).
 */
export function effectiveProxyHeaders(scope: Scope, version: NginxVersion): Map<string, ProxyHeader> {
  const out = new Map<string, ProxyHeader>();
  for (const d of effective(scope, 'proxy_set_header', version).directives) {
    const name = argValue(d, 0) ?? '';
    const key = name.toLowerCase();
    const seen = out.get(key);
    if (seen) (seen.duplicates ??= []).push(d);
    else out.set(key, { name, value: argValue(d, 1) ?? '', directive: d });
  }
  const cache = effective(scope, 'proxy_cache', version).args;
  for (const [name, value] of defaultProxyHeaders(version, cache !== null && cache[0] !== 'off')) {
    const key = name.toLowerCase();
    if (!out.has(key)) out.set(key, { name, value, directive: null });
  }
  return out;
}

/** DEFAULT_PROXY_HEADERS per version object, made once: effectiveProxyHeaders runs for every proxy_pass of a tree */
const proxyDefaults = new WeakMap<NginxVersion, [Array<[string, string]>, Array<[string, string]>]>();

function defaultProxyHeaders(version: NginxVersion, cache: boolean): ReadonlyArray<readonly [string, string]> {
  let lists = proxyDefaults.get(version);
  if (!lists) proxyDefaults.set(version, (lists = [DEFAULT_PROXY_HEADERS(version, false), DEFAULT_PROXY_HEADERS(version, true)]));
  return lists[cache ? 1 : 0];
}

/** Whether requests proxied at a scope can reuse upstream connections, and why. */
export interface ProxyKeepalive {
  /** the proxy_pass URL */
  pass: string;
  /** the upstream{} block proxy_pass names; null for an address, a variable or an unknown name (an implicit upstream) */
  upstream: Scope | null;
  /** the upstream's effective `keepalive` (null args: no cache); null without an upstream{} block */
  keepalive: EffectiveValue | null;
  /** the upstream's effective `keepalive_timeout` (idle time of a cached connection); null without an upstream{} block */
  idleTimeout: EffectiveValue | null;
  httpVersion: EffectiveValue;
  /** the Connection request header nginx sends (its value as written, "" when none is sent) */
  connection: ProxyHeader;
  reusable: boolean;
  /** why not, in words; "" when reusable */
  reason: string;
}

/** The upstream{} blocks of the http tree around `scope`, by name. */
function upstreamByName(scope: Scope, name: string): Scope | null {
  let top: Scope = scope;
  while (top.parent) top = top.parent;
  const walk = (s: Scope): Scope | null => {
    if (s.kind === 'upstream' && s.block && argValue(s.block, 0) === name) return s;
    if (s.kind !== 'main' && s.kind !== 'http') return null;
    for (const c of s.children) {
      const hit = walk(c);
      if (hit) return hit;
    }
    return null;
  };
  return walk(top);
}

/**
 * Upstream connection reuse for proxy_pass at `scope` (null when no
 * proxy_pass applies there). nginx caches a connection after a response when
 * the proxy_pass names an upstream{} block with `keepalive` (the default
 * `keepalive 32 local` from 1.29.7; an address in proxy_pass never keeps
 * connections) and the upstream did not close it. The upstream closes it when
 * nginx asks (`Connection: close`, nginx's own default before 1.29.7, which
 * a single proxy_set_header at an inner level brings back) or when the request
 * is HTTP/1.0 without `Connection: keep-alive`. HTTP/1.1 is not required as
 * such: measured against nginx 1.22, `proxy_http_version 1.0` with
 * `proxy_set_header Connection keep-alive` reuses connections too.
 * Values with variables are taken as written.
 */
export function proxyKeepalive(scope: Scope, version: NginxVersion): ProxyKeepalive | null {
  const passValue = effective(scope, 'proxy_pass', version);
  const pass = passValue.args?.[0];
  if (!pass) return null;
  const m = /^https?:\/\/([^/:?$]+)(:\d+)?(?:[/?]|$)/.exec(pass);
  const upstream = m && !m[2] && !pass.includes('$') ? upstreamByName(scope, m[1]!) : null;
  const keepalive = upstream ? effective(upstream, 'keepalive', version) : null;
  const idleTimeout = upstream ? effective(upstream, 'keepalive_timeout', version) : null;
  const httpVersion = effective(scope, 'proxy_http_version', version);
  const connection = effectiveProxyHeaders(scope, version).get('connection')!;
  const value = connection.value.toLowerCase();
  let reason = '';
  if (!upstream) reason = `proxy_pass ${pass} names no upstream{} block, so no connection is kept`;
  else if (!keepalive?.args || Number(keepalive.args[0]) <= 0) reason = `upstream ${upstream.block?.args[0]?.value ?? ''} has no keepalive`;
  else if (/\bclose\b/.test(value)) reason = `nginx sends "Connection: ${connection.value}"`;
  else if (httpVersion.args?.[0] !== '1.1' && !/keep-alive/.test(value)) reason = `HTTP/${httpVersion.args?.[0] ?? '1.0'} without "Connection: keep-alive" makes the upstream close`;
  return { pass, upstream, keepalive, idleTimeout, httpVersion, connection, reusable: reason === '', reason };
}
