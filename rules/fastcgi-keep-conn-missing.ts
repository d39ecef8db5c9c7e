/**
 * `keepalive` in an upstream{} reached by fastcgi_pass does nothing unless
 * fastcgi_keep_conn is on: without it nginx asks the FastCGI server to close
 * the connection after each request (FCGI_KEEP_CONN unset), so every request
 * opens a new connection to PHP-FPM. Only a `keepalive` someone wrote is
 * checked (nginx 1.29.7+ gives every upstream{} an implicit one).
 */
import type { TextEdit } from '../src/diagnostic.js';
import type { Rule } from '../src/engine/rule.js';
import type { Directive } from '../src/syntax/nginx/ast.js';
import { lineRef } from '../src/syntax/source.js';
import type { Pass, UpstreamBlock } from '../src/stack/model.js';
import type { Scope } from '../src/stack/nginx-scopes.js';
import { insertNginxDirectives, replaceNginxArgs } from '../src/stack/edits.js';
import { directiveKey, explicitKeepalive } from './support/nginx.js';

export const fastcgiKeepConnMissing: Rule = {
  meta: { id: 'fastcgi-keep-conn-missing', family: 'keepalive', description: 'fastcgi_pass to an upstream with keepalive while fastcgi_keep_conn is off', severity: 'warning', fixable: true },
  check({ model, report }) {
    const groups = new Map<string, { upstream: UpstreamBlock; keepalive: Directive; off: Directive | null; passes: Pass[] }>();
    for (const pass of model.passes) {
      if (pass.module !== 'fastcgi' || pass.target.kind !== 'upstream') continue;
      const upstream = pass.target.upstream;
      const keepalive = explicitKeepalive(upstream);
      if (!keepalive) continue;
      const eff = model.effective(pass.scope, 'fastcgi_keep_conn');
      if (eff.args?.[0] === 'on') continue;
      const off = eff.directives[0] ?? null;
      const key = `${upstream.id}\0${off ? directiveKey(off) : 'default'}`;
      const g = groups.get(key);
      if (g) g.passes.push(pass);
      else groups.set(key, { upstream, keepalive, off, passes: [pass] });
    }
    for (const { upstream, keepalive, off, passes } of groups.values()) {
      const first = passes[0]!;
      const where = `fastcgi_pass at ${lineRef(first.directive.file, first.directive.span.start)}${passes.length > 1 ? ` and ${passes.length - 1} more` : ''}`;
      const state = off ? `fastcgi_keep_conn off at ${lineRef(off.file, off.span.start)}` : 'fastcgi_keep_conn off (nginx default)';
      const message = `${where} reaches upstream ${upstream.name} with keepalive at ${lineRef(keepalive.file, keepalive.span.start)}, but ${state} makes the FastCGI server close the connection after each request: nothing is reused`;
      const edits: TextEdit[] = [];
      const done = new Set<string>();
      // whether a scope writes the `off` itself, looked up once per scope (a location may hold thousands of passes)
      const writesOff = new Map<Scope, boolean>();
      const holdsOff = (s: Scope): boolean => {
        let v = writesOff.get(s);
        if (v === undefined) writesOff.set(s, (v = off !== null && s.directives.includes(off)));
        return v;
      };
      for (const p of passes) {
        const loc = p.location;
        if (off && (holdsOff(loc) || holdsOff(p.scope))) {
          if (!done.has(directiveKey(off))) edits.push(replaceNginxArgs(off, ['on']));
          done.add(directiveKey(off));
          continue;
        }
        const k = loc.block ? directiveKey(loc.block) : '';
        if (done.has(k)) continue;
        done.add(k);
        const e = insertNginxDirectives(loc, ['fastcgi_keep_conn on;'], loc.directives.find((d) => d === p.directive));
        if (e) edits.push(e);
      }
      const primary = off && edits.length === 1 && done.has(directiveKey(off)) ? off : first.directive;
      report({
        file: primary.file,
        span: primary.span,
        message,
        related: [{ file: keepalive.file, span: keepalive.span, message: `keepalive of upstream ${upstream.name}` }],
        ...(edits.length ? { fix: { description: 'set fastcgi_keep_conn on', edits } } : {}),
      });
    }
  },
};
