/**
 * Socket addresses on both sides of a link, and whether a connection from
 * one reaches the other as the OS would decide it: nginx's `*_pass` and
 * upstream `server` addresses (clients), FPM `listen`, gunicorn `bind` and
 * systemd `ListenStream=` (listeners).
 */

export type Endpoint =
  | { kind: 'unix'; path: string }
  | { kind: 'tcp'; host: string; port: number }
  /** an inherited file descriptor (gunicorn `fd://3`); reached through whatever socket was passed in */
  | { kind: 'fd'; fd: number };

/** Hosts a listener on which accepts connections on every address (Linux: `::` is dual-stack by default). */
const WILDCARD = new Set(['0.0.0.0', '::', '*', '']);

function normalizeHost(host: string): string {
  const lower = host.toLowerCase();
  const h = lower.charCodeAt(0) === 91 ? lower.replace(/^\[(.*)\]$/, '$1') : lower;
  if (h === '::0' || h === '0:0:0:0:0:0:0:0') return '::';
  if (h === '0:0:0:0:0:0:0:1') return '::1';
  return h;
}

function isLoopbackV4(h: string): boolean {
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

/** The addresses a host name stands for, when the OS decides it without a resolver (localhost); null for other names. */
function localAddresses(h: string): string[] | null {
  if (h === 'localhost' || h.endsWith('.localhost')) return ['127.0.0.1', '::1'];
  if (/^[\d.]+$/.test(h) || h.includes(':')) return [h];
  return null;
}

function normalizePath(p: string): string {
  return p.replace(/\/{2,}/g, '/').replace(/(.)\/$/, '$1');
}

/** /var/run is a symlink to /run on every current Linux distribution. */
export function canonicalPath(p: string): string {
  return p.replace(/^\/var\/run\//, '/run/');
}

function port(text: string): number | null {
  if (text.length === 0 || text.length > 5) return null;
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return null;
    n = n * 10 + c;
  }
  return n > 0 && n < 65536 ? n : null;
}

/** `host:port`, `[v6]:port`, `host`, `port` (with `bareIsPort`), with a default port; null when malformed. */
function hostPort(text: string, defaultPort: number | null, bareIsPort: boolean): Endpoint | null {
  const v6 = text.charCodeAt(0) === 91 ? /^\[([^\]]*)\](?::(\d+))?$/.exec(text) : null;
  if (v6) {
    const p = v6[2] !== undefined ? port(v6[2]) : defaultPort;
    return p === null ? null : { kind: 'tcp', host: normalizeHost(v6[1]!), port: p };
  }
  if (bareIsPort && /^\d+$/.test(text)) {
    const p = port(text);
    return p === null ? null : { kind: 'tcp', host: '', port: p };
  }
  const colon = text.lastIndexOf(':');
  if (colon >= 0 && text.indexOf(':') === colon) {
    const p = port(text.slice(colon + 1));
    return p === null ? null : { kind: 'tcp', host: normalizeHost(text.slice(0, colon)), port: p };
  }
  if (colon >= 0) return null; // a bare IPv6 address needs brackets
  if (defaultPort === null || text === '') return null;
  return { kind: 'tcp', host: normalizeHost(text), port: defaultPort };
}

/** nginx `unix:/path` or `host[:port]` as upstream `server` and `fastcgi_pass` take it. */
export function parseNginxAddress(text: string, defaultPort: number | null): Endpoint | null {
  if (/^unix:/i.test(text)) {
    const p = text.slice(5);
    return p.startsWith('/') || p !== '' ? { kind: 'unix', path: normalizePath(p) } : null;
  }
  return hostPort(text, defaultPort, false);
}

/** php-fpm `listen`: a path, `addr:port`, `[v6]:port` or a bare port (every address). */
export function parseFpmListen(text: string): Endpoint | null {
  const t = text.trim();
  if (t === '') return null;
  if (t.includes('/') || (!t.includes(':') && !/^\d+$/.test(t))) return { kind: 'unix', path: normalizePath(t) };
  return hostPort(t, null, true);
}

/** gunicorn `bind` (util.parse_address): `unix:PATH`, `fd://N`, `tcp://host:port`, `host:port`, `host` (port 8000). */
export function parseGunicornBind(text: string): Endpoint | null {
  const t = text.trim();
  const unix = /^unix:(?:\/\/)?(.*)$/.exec(t);
  if (unix) return unix[1] ? { kind: 'unix', path: normalizePath(unix[1]) } : null;
  const fd = /^fd:\/\/(\d+)$/.exec(t);
  if (fd) return { kind: 'fd', fd: Number(fd[1]) };
  const rest = t.replace(/^tcp:\/\//, '');
  const ep = hostPort(rest.startsWith(':') ? `0.0.0.0${rest}` : rest, 8000, false);
  return ep;
}

/** systemd `ListenStream=`: a path (or `@abstract`), a port (every address), `addr:port`, `[v6]:port`. */
export function parseListenStream(text: string): Endpoint | null {
  const t = text.trim();
  if (t.startsWith('/') || t.startsWith('@')) return { kind: 'unix', path: normalizePath(t) };
  return hostPort(t, null, true);
}

export function formatEndpoint(e: Endpoint): string {
  if (e.kind === 'unix') return `unix:${e.path}`;
  if (e.kind === 'fd') return `fd://${e.fd}`;
  const host = e.host === '' ? '*' : e.host.includes(':') ? `[${e.host}]` : e.host;
  return `${host}:${e.port}`;
}

/**
 * How a connection to `target` reaches a socket listening on `listener`:
 * `exact` when the OS would connect them (same path; same port and an
 * address the listener accepts), `port` when only the port agrees and the
 * target's host is a name we cannot resolve (a container's service name, a
 * host name) while the listener accepts every address; null otherwise.
 */
export function reaches(target: Endpoint, listener: Endpoint): 'exact' | 'port' | null {
  if (target.kind === 'unix' || listener.kind === 'unix') {
    return target.kind === 'unix' && listener.kind === 'unix' && canonicalPath(target.path) === canonicalPath(listener.path) ? 'exact' : null;
  }
  if (target.kind !== 'tcp' || listener.kind !== 'tcp' || target.port !== listener.port) return null;
  const lh = listener.host;
  const th = target.host;
  if (th === lh) return 'exact';
  const targets = localAddresses(th);
  if (!targets) return WILDCARD.has(lh) ? 'port' : null;
  const listens = WILDCARD.has(lh) ? null : localAddresses(lh);
  for (const t of targets) {
    if (listens === null) {
      // a wildcard listener takes every address of its machine; '0.0.0.0' takes IPv4 only
      if (lh === '0.0.0.0' && t.includes(':')) continue;
      if (isLoopbackV4(t) || t === '::1') return 'exact';
      return 'port'; // a non-loopback address may be this machine's or another's
    }
    if (listens.includes(t)) return 'exact';
  }
  return null;
}

/** Same socket, for "two pools listen on one address": equal paths, or equal ports whose addresses overlap. */
export function sameSocket(a: Endpoint, b: Endpoint): boolean {
  if (a.kind === 'unix' && b.kind === 'unix') return canonicalPath(a.path) === canonicalPath(b.path);
  if (a.kind !== 'tcp' || b.kind !== 'tcp' || a.port !== b.port) return false;
  return a.host === b.host || WILDCARD.has(a.host) || WILDCARD.has(b.host);
}
