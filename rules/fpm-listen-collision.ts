/**
 * Two differently named pools listening on one address. Inside one php-fpm
 * master, pools whose `listen` is the same address share one listening
 * socket (fpm_sockets.c reuses it by key), so each request lands in either
 * pool; addresses that are written differently but overlap (0.0.0.0:9000
 * and 127.0.0.1:9000, /var/run/x.sock and /run/x.sock) make php-fpm fail to
 * start. Two masters (configs side by side) cannot both bind it either.
 * The same pool name twice is fpm-pool-collision's business.
 */
import * as path from 'node:path';
import type { Rule } from '../src/engine/rule.js';
import { canonicalPath, formatEndpoint, sameSocket, type Endpoint } from '../src/stack/address.js';
import type { FpmPoolApp } from '../src/stack/model.js';
import { lineRef } from '../src/syntax/source.js';

/** The key php-fpm files a listening socket under: the path, or address:port (a bare port binds "::"). */
function socketKey(e: Endpoint): string {
  if (e.kind === 'tcp' && (e.host === '' || e.host === '*')) return `[::]:${e.port}`;
  return formatEndpoint(e);
}

/** Endpoints that can be one socket have one bucket (a path, or a TCP port: hosts may overlap by wildcard). */
function bucketKey(e: Endpoint): string {
  return e.kind === 'unix' ? `unix:${canonicalPath(e.path)}` : e.kind === 'tcp' ? `tcp:${e.port}` : `fd:${e.fd}`;
}

function failure(e: Endpoint, listen: string): string {
  return e.kind === 'unix' ? `"Another FPM instance seems to already listen on ${listen}"` : `"unable to bind listening socket for address '${listen}': Address already in use (98)"`;
}

export const fpmListenCollision: Rule = {
  meta: { id: 'fpm-listen-collision', family: 'sockets', description: 'two PHP-FPM pools listen on the same socket or port', severity: 'error', fixable: false },
  check({ model, report }) {
    const pools = model.pools.filter((p) => p.listeners.length > 0 && p.listen);
    const reported = new Set<FpmPoolApp>();
    // each pool is compared with the earlier pools of its bucket only: a file of thousands of pools stays linear
    const buckets = new Map<string, FpmPoolApp[]>();
    for (let j = 0; j < pools.length; j++) {
      const b = pools[j]!;
      const key = bucketKey(b.listeners[0]!.endpoint);
      let earlier = buckets.get(key);
      if (!earlier) buckets.set(key, (earlier = []));
      for (const a of earlier) {
        if (reported.has(b)) break;
        if (a.name.toLowerCase() === b.name.toLowerCase()) continue; // fpm-pool-collision
        const oneMaster = a.config === b.config;
        if (!oneMaster && path.dirname(path.resolve(a.config.path)) !== path.dirname(path.resolve(b.config.path))) continue;
        const ea = a.listeners[0]!.endpoint;
        const eb = b.listeners[0]!.endpoint;
        if (!sameSocket(ea, eb)) continue;
        reported.add(b);
        const la = a.listeners[0]!;
        const lb = b.listeners[0]!;
        const listenB = String(b.listen!.value);
        const shared = socketKey(ea) === socketKey(eb);
        const what = oneMaster
          ? shared
            ? `php-fpm opens it once for both, so either pool's workers take each request (its user, limits and php_admin_values apply at random)`
            : `php-fpm fails to start: ${failure(eb, listenB)}`
          : shared
            ? `a php-fpm that loads both shares it between them (either pool takes each request); two php-fpm processes cannot both open it: ${failure(eb, listenB)}`
            : `php-fpm fails to start: ${failure(eb, listenB)}`;
        report({
          file: lb.file,
          span: lb.span,
          message: `pool [${b.name}] listens on ${formatEndpoint(eb)}, which pool [${a.name}] already listens on (${formatEndpoint(ea)} at ${lineRef(la.file, la.span.start)}); ${what}`,
          related: [{ file: la.file, span: la.span, message: `pool [${a.name}] listens here` }],
        });
      }
      earlier.push(b);
    }
  },
};
