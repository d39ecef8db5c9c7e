/**
 * Keep-alive settings of one upstream module written where another module
 * passes the request: proxy_http_version / proxy_set_header Connection in a
 * location that uses fastcgi_pass or uwsgi_pass, or fastcgi_keep_conn in a
 * location that uses proxy_pass. They do nothing there; usually the setting
 * the author meant is missing. Reported only when no location the directive
 * applies to uses the module it belongs to. No fix: which setting was meant
 * is the author's call.
 */
import type { Rule } from '../src/engine/rule.js';
import type { Directive } from '../src/syntax/nginx/ast.js';
import { lineRef } from '../src/syntax/source.js';
import { allScopes, scopesWriting, type Scope } from '../src/stack/nginx-scopes.js';
import type { PassModule } from '../src/stack/nginx-pass.js';
import { argValue, nameOf } from '../src/syntax/nginx/nodes.js';

const HINT: Partial<Record<PassModule, string>> = {
  fastcgi: 'FastCGI connections are kept with fastcgi_keep_conn on',
  uwsgi: 'the uwsgi module has no keep-alive setting of its own',
  proxy: 'HTTP connections are kept with proxy_http_version 1.1 and proxy_set_header Connection ""',
};

/** the names belongsTo can claim */
const KEEPALIVE_NAMES = ['proxy_http_version', 'proxy_set_header', 'fastcgi_keep_conn'];

function belongsTo(d: Directive): PassModule | null {
  const n = nameOf(d);
  if (n === 'proxy_http_version') return 'proxy';
  if (n === 'proxy_set_header' && argValue(d, 0)?.toLowerCase() === 'connection') return 'proxy';
  if (n === 'fastcgi_keep_conn') return 'fastcgi';
  return null;
}

interface PassUse {
  module: PassModule;
  directive: Directive;
}

interface Verdict {
  directive: Directive;
  own: PassModule;
  /** a pass of another module where the directive applies */
  wrong: PassUse | null;
  /** some location it applies to passes with its own module (or passes nowhere) */
  useful: boolean;
}

/** the passes written in `scope` and the scopes inside it, parents first */
function passesIn(scope: Scope, passesAt: ReadonlyMap<Scope, PassUse[]>): PassUse[] {
  const out: PassUse[] = [];
  const visit = (s: Scope): void => {
    const here = passesAt.get(s);
    if (here) for (const p of here) out.push(p);
    for (const c of s.children) visit(c);
  };
  visit(scope);
  return out;
}

export const keepaliveWrongModule: Rule = {
  meta: { id: 'keepalive-wrong-module', family: 'keepalive', description: "a keep-alive directive of one upstream module in a location that passes with another (proxy_http_version at a fastcgi_pass, fastcgi_keep_conn at a proxy_pass)", severity: 'warning', fixable: false },
  check({ model, report }) {
    // the pass directives written in each scope; a location's passes are those of its subtree
    const passesAt = new Map<Scope, PassUse[]>();
    for (const p of model.passes) {
      const list = passesAt.get(p.scope);
      if (list) list.push({ module: p.module, directive: p.directive });
      else passesAt.set(p.scope, [{ module: p.module, directive: p.directive }]);
    }
    /**
     * One verdict per written directive, found by its file's path and its
     * offset (a directive read through several includes, or in several
     * trees, is one line to report): no key string made per visit.
     */
    const verdicts = new Map<string, Map<number, Verdict>>();
    const ordered: Verdict[] = [];
    for (const tree of model.trees) {
      // the scopes that write any of those directives, met in allScopes' order
      const writing = scopesWriting(tree.root, KEEPALIVE_NAMES);
      const scopes = allScopes(tree.root);
      for (let i = 0; i < scopes.length; i++) {
        const scope = scopes[i]!;
        if ((scope.kind !== 'location' && scope.kind !== 'lif') || !writing.has(scope)) continue;
        let passes: PassUse[] | null = null;
        const directives = scope.directives;
        for (let j = 0; j < directives.length; j++) {
          const d = directives[j]!;
          const own = belongsTo(d);
          if (!own) continue;
          passes ??= passesIn(scope, passesAt);
          let inFile = verdicts.get(d.file.path);
          if (!inFile) verdicts.set(d.file.path, (inFile = new Map()));
          let v = inFile.get(d.span.start);
          if (!v) {
            inFile.set(d.span.start, (v = { directive: d, own, wrong: null, useful: false }));
            ordered.push(v);
          }
          if (passes.length === 0 || passes.some((p) => p.module === own)) v.useful = true;
          else v.wrong ??= passes.find((p) => p.module === 'fastcgi' || p.module === 'uwsgi' || p.module === 'proxy') ?? null;
        }
      }
    }
    for (const { directive: d, own, wrong, useful } of ordered) {
      if (useful || !wrong) continue;
      const written = `${nameOf(d)} ${d.args.map((a) => a.raw).join(' ')}`;
      report({
        file: d.file,
        span: d.span,
        message: `${written} does nothing here: the location passes requests with ${nameOf(wrong.directive)} at ${lineRef(wrong.directive.file, wrong.directive.span.start)}, which ignores ${own}_* settings; ${HINT[wrong.module] ?? 'see that module\'s own keep-alive settings'}`,
        related: [{ file: wrong.directive.file, span: wrong.directive.span, message: `the ${nameOf(wrong.directive)} of this location` }],
      });
    }
  },
};
