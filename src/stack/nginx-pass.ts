/**
 * What a `proxy_pass` / `fastcgi_pass` / `uwsgi_pass` / `scgi_pass` /
 * `grpc_pass` points at, read as nginx reads it: a URL or address, a named
 * `upstream{}`, or something only known at request time (variables).
 */
import type { Directive } from '../syntax/nginx/ast.js';
import { parseNginxAddress, type Endpoint } from './address.js';
import { argValue, nameOf } from '../syntax/nginx/nodes.js';

export type PassModule = 'proxy' | 'fastcgi' | 'uwsgi' | 'scgi' | 'grpc';

interface PassSyntax {
  module: PassModule;
  /** URL schemes and their default ports; the address is bare when empty */
  schemes: Record<string, number>;
  /** a scheme must be written (proxy_pass) */
  schemeRequired: boolean;
}

/** The content handlers that hand a request to a backend, and how their address is written. */
export const PASS_DIRECTIVES: Record<string, PassSyntax> = {
  proxy_pass: { module: 'proxy', schemes: { http: 80, https: 443 }, schemeRequired: true },
  fastcgi_pass: { module: 'fastcgi', schemes: {}, schemeRequired: false },
  scgi_pass: { module: 'scgi', schemes: {}, schemeRequired: false },
  uwsgi_pass: { module: 'uwsgi', schemes: { uwsgi: 0, suwsgi: 0 }, schemeRequired: false },
  grpc_pass: { module: 'grpc', schemes: { grpc: 80, grpcs: 443 }, schemeRequired: false },
};

/** The address part of a pass directive, before upstream names are looked up. */
export type PassAddress =
  /** an address nginx connects to directly (or the name of an upstream{} when `name` is set and one exists) */
  | { kind: 'address'; endpoint: Endpoint; name: string | null; tls: boolean }
  /** a name with no port: only an upstream{} of that name makes it valid (fastcgi_pass php;) */
  | { kind: 'name'; name: string; tls: boolean }
  /** contains variables: resolved per request (a resolver, or an upstream named by the value) */
  | { kind: 'variable'; text: string }
  | { kind: 'invalid'; text: string; reason: string };

/**
 * `host:port/uri` less its URI: what /\/.*$/ removed (from the first `/` of
 * the last line to the end; a value with a line break is nonsense anyway),
 * without its quadratic rescans of a long run of slashes.
 */
export function withoutUri(rest: string): string {
  let lineStart = 0;
  for (let i = rest.length - 1; i >= 0; i--) {
    const c = rest[i];
    if (c === '\n' || c === '\r' || c === '\u2028' || c === '\u2029') {
      lineStart = i + 1;
      break;
    }
  }
  const slash = rest.indexOf('/', lineStart);
  return slash < 0 ? rest : rest.slice(0, slash);
}

export function parsePass(d: Directive): PassAddress | null {
  const syntax = PASS_DIRECTIVES[nameOf(d)];
  if (!syntax) return null;
  const text = argValue(d, 0);
  if (text === undefined) return { kind: 'invalid', text: '', reason: 'no address' };
  if (text.includes('$')) return { kind: 'variable', text };
  let rest = text;
  let defaultPort: number | null = null;
  let tls = false;
  const scheme = /^([a-z]+):\/\//i.exec(rest);
  if (scheme) {
    const s = scheme[1]!.toLowerCase();
    if (!(s in syntax.schemes)) return { kind: 'invalid', text, reason: `invalid URL prefix "${scheme[0]}"` };
    defaultPort = syntax.schemes[s] || null;
    tls = s.endsWith('s');
    rest = rest.slice(scheme[0].length);
  } else if (syntax.schemeRequired) {
    return { kind: 'invalid', text, reason: 'invalid URL prefix' };
  }
  if (/^unix:/i.test(rest)) {
    // proxy_pass http://unix:/path:/uri — the socket path ends at the next ':'
    const body = rest.slice(5);
    const colon = syntax.module === 'proxy' ? body.indexOf(':') : -1;
    const ep = parseNginxAddress(`unix:${colon >= 0 ? body.slice(0, colon) : body}`, null);
    return ep ? { kind: 'address', endpoint: ep, name: null, tls } : { kind: 'invalid', text, reason: 'invalid unix socket path' };
  }
  if (syntax.module === 'proxy' || syntax.module === 'grpc') rest = withoutUri(rest);
  const hasPort = /:\d+$/.test(rest) && !/^\[[^\]]*\]$/.test(rest);
  if (!hasPort) {
    const ep = defaultPort !== null ? parseNginxAddress(rest, defaultPort) : null;
    if (ep) return { kind: 'address', endpoint: ep, name: rest.toLowerCase(), tls };
    return /^[\w.-]+$/.test(rest) ? { kind: 'name', name: rest.toLowerCase(), tls } : { kind: 'invalid', text, reason: 'invalid host' };
  }
  const ep = parseNginxAddress(rest, defaultPort);
  return ep ? { kind: 'address', endpoint: ep, name: null, tls } : { kind: 'invalid', text, reason: 'invalid address' };
}

/** An upstream `server` directive's address (default port 80), or null for forms we do not read. */
export function parseUpstreamServer(d: Directive): Endpoint | null {
  const text = argValue(d, 0);
  if (!text || text.includes('$')) return null;
  return parseNginxAddress(text, 80);
}
