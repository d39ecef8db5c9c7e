/**
 * A TCP pool on every address without listen.allowed_clients: FastCGI has
 * no authentication, so whoever reaches the port runs any PHP file the pool
 * can read (and, with PHP_VALUE / PHP_ADMIN_VALUE params, any code).
 */
import type { Rule } from '../src/engine/rule.js';
import { formatEndpoint, type Endpoint } from '../src/stack/address.js';
import { appLabel } from '../src/stack/describe.js';
import { setFpmPoolValue } from '../src/stack/edits.js';
import { fpmSetting } from '../src/syntax/ini/fpm.js';
import type { Directive } from '../src/syntax/nginx/ast.js';

const WILDCARD = new Set(['', '*', '0.0.0.0', '::']);

function loopbackOf(e: Endpoint): string[] | null {
  if (e.kind !== 'tcp') return null;
  if (/^127\.\d+\.\d+\.\d+$/.test(e.host)) return [e.host];
  if (e.host === '::1') return ['::1'];
  if (e.host === 'localhost') return ['127.0.0.1', '::1'];
  return null;
}

export const fpmListenOpen: Rule = {
  meta: { id: 'fpm-listen-open', family: 'sockets', description: 'a PHP-FPM pool listens on every address without listen.allowed_clients', severity: 'warning', fixable: true },
  check({ model, report }) {
    for (const pool of model.pools) {
      const l = pool.listeners[0];
      if (!l || l.endpoint.kind !== 'tcp' || !WILDCARD.has(l.endpoint.host)) continue;
      const allowed = fpmSetting(pool.pool, 'listen.allowed_clients');
      if (allowed && (typeof allowed.value !== 'string' || allowed.value.trim() !== '')) continue;
      // how the stack's nginx reaches it
      const via: { endpoint: Endpoint; directive: Directive }[] = [];
      for (const pass of model.passes) for (const b of pass.backends) if (b.apps.some((a) => a.app === pool)) via.push({ endpoint: b.endpoint, directive: b.server?.directive ?? pass.directive });
      const loop = via.map((v) => loopbackOf(v.endpoint));
      const port = l.endpoint.port;
      const head = `${appLabel(pool)} listens on ${formatEndpoint(l.endpoint)} (every address) without listen.allowed_clients: FastCGI has no authentication, so anyone who can reach port ${port} can run PHP as the pool's user`;
      if (via.length > 0 && loop.every((x) => x !== null)) {
        const clients = [...new Set(loop.flatMap((x) => x!))];
        const value = clients.join(',');
        // a pool templated on the environment (an image's config) is deployed in more than one shape: not fixed
        const templated = pool.pool.settings.some((s) => typeof s.value !== 'string') || pool.name.includes('${');
        const edit = templated ? null : setFpmPoolValue(pool.pool, 'listen.allowed_clients', value);
        report({
          file: l.file,
          span: l.span,
          message: `${head}; nginx reaches it only over loopback (${via.map((v) => formatEndpoint(v.endpoint)).filter((x, i, a) => a.indexOf(x) === i).join(', ')})`,
          related: via.map((v) => ({ file: v.directive.file, span: v.directive.span, message: `nginx connects to ${formatEndpoint(v.endpoint)}` })),
          ...(edit ? { fix: { description: `set listen.allowed_clients = ${value}`, edits: [edit] } } : {}),
        });
      } else if (via.length > 0) {
        const remote = via.filter((_, i) => loop[i] === null);
        report({
          file: l.file,
          span: l.span,
          severity: 'info',
          message: `${head}; nginx reaches it as ${[...new Set(remote.map((v) => formatEndpoint(v.endpoint)))].join(', ')} (another host or container): keep the port off public networks, or list nginx's address in listen.allowed_clients`,
          related: remote.map((v) => ({ file: v.directive.file, span: v.directive.span, message: `nginx connects to ${formatEndpoint(v.endpoint)}` })),
        });
      } else {
        report({ file: l.file, span: l.span, message: `${head}; set listen.allowed_clients to the addresses nginx connects from` });
      }
    }
  },
};
