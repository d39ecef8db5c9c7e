/**
 * One pool name defined twice. Inside one php-fpm master the later section
 * silently reopens the pool and its `listen` wins, so nginx may point at a
 * socket nobody opens; across files of one PHP version that nothing
 * includes together, the image or package decides which one runs.
 */
import * as path from 'node:path';
import type { Rule } from '../src/engine/rule.js';
import { formatEndpoint } from '../src/stack/address.js';
import type { FpmPoolApp } from '../src/stack/model.js';
import { lineRef } from '../src/syntax/source.js';

/** Deploy-time templates (`%backend%`, `__APP__`, `<PHP_SOCKET>`, `{{VAR}}`): alternatives, not pools php-fpm loads together. */
const TEMPLATE = /%[A-Za-z_]+%|__[A-Z][A-Z_]*__|<[A-Z][A-Z_]*>|\{\{/;

function templated(p: FpmPoolApp): boolean {
  return TEMPLATE.test(p.name) || p.pool.sections.some((s) => /\.(tpl|stpl|template|tmpl)$/.test(s.file.source.path)) || p.listeners.some((l) => l.endpoint.kind === 'unix' && TEMPLATE.test(l.endpoint.path));
}

/** Pools that php-fpm could load into one master: the same config, or configs side by side in one directory. */
function groupKey(p: FpmPoolApp): string {
  return `${path.dirname(path.resolve(p.config.path))}\0${p.name.toLowerCase()}`;
}

export const fpmPoolCollision: Rule = {
  meta: { id: 'fpm-pool-collision', family: 'sockets', description: 'an FPM pool name is defined twice with different listen addresses', severity: 'warning', fixable: false },
  check({ model, report }) {
    // a pool reopened in a later file of the same master: its earlier listen is dropped
    for (const p of model.pools) {
      const listens = p.pool.settings.filter((s) => s.key === null && s.name === 'listen');
      const last = listens.at(-1);
      const earlier = listens.filter((s) => s !== last && s.file !== last?.file && s.value !== last?.value);
      if (!last || earlier.length === 0) continue;
      const first = earlier[0]!;
      report({
        file: last.file.source,
        span: last.entry.span,
        message: `pool [${p.name}] is reopened here and its listen = ${String(last.value)} replaces listen = ${String(first.value)} from ${lineRef(first.file.source, first.entry.span.start)}`,
        related: [{ file: first.file.source, span: first.entry.span, message: 'the replaced listen' }],
      });
    }
    // the same pool name in two configs that sit together (e.g. php-fpm.conf and www.conf of one image)
    const groups = new Map<string, FpmPoolApp[]>();
    for (const p of model.pools) if (!templated(p)) groups.set(groupKey(p), [...(groups.get(groupKey(p)) ?? []), p]);
    for (const list of groups.values()) {
      const configs = new Set(list.map((p) => p.config));
      if (configs.size < 2) continue;
      const [first, ...others] = list;
      for (const other of others) {
        if (other.config === first!.config) continue;
        const a = first!.listeners[0];
        const b = other.listeners[0];
        if (a && b && formatEndpoint(a.endpoint) === formatEndpoint(b.endpoint)) continue;
        const head = other.pool.sections[0]!;
        const firstHead = first!.pool.sections[0]!;
        report({
          file: head.file.source,
          span: head.node.span,
          message: `pool [${other.name}] is also defined in ${lineRef(firstHead.file.source, firstHead.node.span.start)}${a && b ? ` (listen ${formatEndpoint(b.endpoint)} here, ${formatEndpoint(a.endpoint)} there)` : ''}; if one php-fpm loads both, the later file's settings win and one of these listen addresses is never opened`,
          related: [{ file: firstHead.file.source, span: firstHead.node.span, message: `the other [${first!.name}]` }],
        });
      }
    }
  },
};
