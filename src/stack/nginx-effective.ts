/**
 * Effective nginx values with nginx's real merge rules: a directive not set
 * at a level is inherited from the nearest enclosing level that sets it, and
 * array-type directives (proxy_set_header, fastcgi_param, add_header, ...)
 * are replaced as a whole by any definition at an inner level.
 */
import type { Directive } from '../syntax/nginx/ast.js';
import type { NginxVersion } from '../syntax/nginx/version.js';
import { nginxDefault } from './nginx-defaults.js';
import type { Scope } from './nginx-scopes.js';

/**
 * Directives whose occurrences form one array per level; a level that has any
 * member of the group replaces the whole inherited array. allow/deny share one.
 */
const ARRAY_GROUP: Record<string, string> = {};
for (const name of [
  'proxy_set_header', 'proxy_hide_header', 'proxy_pass_header', 'proxy_redirect', 'proxy_cookie_domain', 'proxy_cookie_path', 'proxy_cookie_flags',
  'fastcgi_param', 'fastcgi_hide_header', 'fastcgi_pass_header',
  'uwsgi_param', 'uwsgi_hide_header', 'uwsgi_pass_header',
  'scgi_param', 'scgi_hide_header', 'scgi_pass_header',
  'grpc_set_header', 'grpc_hide_header', 'grpc_pass_header',
  'add_header', 'add_trailer', 'error_page', 'access_log', 'index', 'sub_filter', 'ssl_certificate', 'ssl_certificate_key', 'log_not_found',
]) ARRAY_GROUP[name] = name;
ARRAY_GROUP.allow = 'access';
ARRAY_GROUP.deny = 'access';

/** Never inherited: rewrite-module script, and per-location settings nginx does not merge. */
const NOT_INHERITED = new Set(['rewrite', 'return', 'set', 'break', 'if', 'try_files', 'alias', 'internal', 'location', 'limit_except']);

/** Content handlers: inherited only into `if` and `limit_except` inside their location (nginx's noname/lmt_excpt merge). */
const HANDLERS = new Set(['proxy_pass', 'fastcgi_pass', 'uwsgi_pass', 'scgi_pass', 'grpc_pass', 'memcached_pass']);

/** Scope kinds that inherit from their parent (the http and stream trees); others stand alone. */
const INHERITS = new Set(['server', 'location', 'lif', 'if', 'limit_except', 'stream_server']);

export interface EffectiveValue {
  /** the directives that define the value (several for array-type directives), in order */
  directives: Directive[];
  /** where they were written; null when nginx's default applies */
  scope: Scope | null;
  /** the arguments of the value: the directive's, or nginx's default; null when unset */
  args: string[] | null;
}

function ownDirectives(scope: Scope, name: string): Directive[] {
  const group = ARRAY_GROUP[name];
  if (group) return scope.directives.filter((d) => ARRAY_GROUP[d.name.value] === group);
  return scope.directives.filter((d) => d.name.value === name);
}

/** The effective value of `name` at `scope` under nginx `version`. */
export function effective(scope: Scope, name: string, version: NginxVersion): EffectiveValue {
  let s: Scope | null = scope;
  while (s) {
    const own = ownDirectives(s, name);
    if (own.length > 0) {
      const directives = ARRAY_GROUP[name] ? own : [own[0]!];
      return { directives, scope: s, args: directives[0]!.args.map((a) => a.value) };
    }
    if (NOT_INHERITED.has(name)) break;
    if (HANDLERS.has(name) && s.kind !== 'lif' && s.kind !== 'limit_except') break;
    if (!INHERITS.has(s.kind)) break;
    s = s.parent;
  }
  return { directives: [], scope: null, args: nginxDefault(name, scope.kind, version) };
}
