/**
 * An upstream{} with `keepalive` only reuses connections for proxy_pass when
 * the location speaks HTTP/1.1 to it and does not send `Connection: close`
 * (nginx's default before 1.29.7). Otherwise every request opens a new
 * connection and the keepalive cache stays empty. From 1.29.7 both are
 * nginx's defaults, so only older targets are checked.
 */
import type { TextEdit } from '../src/diagnostic.js';
import type { Rule } from '../src/engine/rule.js';
import type { Directive } from '../src/syntax/nginx/ast.js';
import { lineRef } from '../src/syntax/source.js';
import { atLeast, formatVersion } from '../src/syntax/nginx/version.js';
import { effectiveProxyHeaders } from '../src/stack/nginx-effective.js';
import type { Scope } from '../src/stack/nginx-scopes.js';
import type { Pass, UpstreamBlock } from '../src/stack/model.js';
import { insertNginxDirectives, replaceNginxArgs } from '../src/stack/edits.js';
import { directiveKey, joinAnd, explicitKeepalive } from './support/nginx.js';
import { argValue, nameOf } from '../src/syntax/nginx/nodes.js';

/** A `proxy_set_header Connection ""` written in a scope outside `from` (what an inner proxy_set_header list dropped). */
function droppedConnectionClear(from: Scope): Directive | null {
  for (let s = from.parent; s; s = s.parent) {
    const d = s.directives.find((x) => nameOf(x) === 'proxy_set_header' && argValue(x, 0)?.toLowerCase() === 'connection' && argValue(x, 1) === '');
    if (d) return d;
  }
  return null;
}

interface Problem {
  pass: Pass;
  /** what is wrong with the HTTP version: null when it is 1.1 */
  version: { text: string; directive: Directive | null } | null;
  /** what is wrong with the Connection header: null when cleared */
  connection: { value: string; directive: Directive | null; listScope: Scope | null; dropped: Directive | null } | null;
}

export const upstreamKeepaliveProtocol: Rule = {
  meta: { id: 'upstream-keepalive-protocol', family: 'keepalive', description: 'proxy_pass to an upstream with keepalive without proxy_http_version 1.1 and a cleared Connection header', severity: 'error', fixable: true },
  check({ model, report }) {
    if (atLeast(model.nginxVersion, '1.29.7')) return;
    const version = formatVersion(model.nginxVersion);
    const groups = new Map<string, { upstream: UpstreamBlock; keepalive: Directive; problems: Problem[] }>();
    for (const pass of model.passes) {
      if (pass.module !== 'proxy' || pass.target.kind !== 'upstream') continue;
      const upstream = pass.target.upstream;
      const keepalive = explicitKeepalive(upstream);
      if (!keepalive) continue;
      const hv = model.effective(pass.scope, 'proxy_http_version');
      const hvText = hv.args?.[0] ?? '1.0';
      const versionProblem = hvText === '1.1' ? null : { text: hvText, directive: hv.directives[0] ?? null };
      const conn = effectiveProxyHeaders(pass.scope, model.nginxVersion).get('connection');
      let connectionProblem: Problem['connection'] = null;
      if (conn && conn.value !== '') {
        if (conn.value.includes('$')) {
          // a map such as $connection_upgrade: known only per request
          if (!versionProblem) continue;
        } else {
          const listScope = model.effective(pass.scope, 'proxy_set_header').scope;
          connectionProblem = { value: conn.value, directive: conn.directive, listScope, dropped: conn.directive || !listScope ? null : droppedConnectionClear(listScope) };
        }
      }
      if (!versionProblem && !connectionProblem) continue;
      const key = `${upstream.id}\0${versionProblem ? (versionProblem.directive ? directiveKey(versionProblem.directive) : 'default') : '-'}\0${connectionProblem ? (connectionProblem.directive ? directiveKey(connectionProblem.directive) : connectionProblem.listScope?.block ? directiveKey(connectionProblem.listScope.block) : 'default') : '-'}`;
      const g = groups.get(key);
      const problem = { pass, version: versionProblem, connection: connectionProblem };
      if (g) g.problems.push(problem);
      else groups.set(key, { upstream, keepalive, problems: [problem] });
    }

    for (const { upstream, keepalive, problems } of groups.values()) {
      const first = problems[0]!;
      const where = `${nameOf(first.pass.directive)} at ${lineRef(first.pass.directive.file, first.pass.directive.span.start)}${problems.length > 1 ? ` and ${problems.length - 1} more` : ''}`;
      const parts: string[] = [];
      if (first.version) parts.push(first.version.directive ? `proxy_http_version ${first.version.text} at ${lineRef(first.version.directive.file, first.version.directive.span.start)}` : `proxy_http_version ${first.version.text} (default of nginx ${version})`);
      const c = first.connection;
      if (c) {
        if (c.directive) parts.push(`proxy_set_header Connection "${c.value}" at ${lineRef(c.directive.file, c.directive.span.start)}`);
        else if (c.dropped && c.listScope?.block)
          parts.push(
            `Connection: ${c.value} (the proxy_set_header list at ${lineRef(c.listScope.block.file, c.listScope.block.span.start)} replaces the inherited one, dropping proxy_set_header Connection "" at ${lineRef(c.dropped.file, c.dropped.span.start)})`,
          );
        else parts.push(`Connection: ${c.value} (nginx's default header)`);
      }
      const message = `${where} sends ${joinAnd(parts)} to upstream ${upstream.name}, which has keepalive at ${lineRef(keepalive.file, keepalive.span.start)}: the upstream closes every connection and nginx opens a new one per request`;

      // fix: per location, what is missing
      const edits: TextEdit[] = [];
      const done = new Set<string>();
      let fixable = true;
      for (const p of problems) {
        const loc = p.pass.location;
        const lines: string[] = [];
        if (p.version) {
          if (p.version.directive && (loc.directives.includes(p.version.directive) || p.pass.scope.directives.includes(p.version.directive))) {
            const k = directiveKey(p.version.directive);
            if (!done.has(k)) edits.push(replaceNginxArgs(p.version.directive, ['1.1']));
            done.add(k);
          } else lines.push('proxy_http_version 1.1;');
        }
        if (p.connection) {
          if (p.connection.directive) fixable = false; // a Connection value someone wrote: theirs to change
          else if (p.connection.listScope) {
            // add to the list in force (a new list at the location would drop the inherited headers)
            const list = model.effective(p.pass.scope, 'proxy_set_header').directives;
            const last = list[list.length - 1]!;
            const k = `conn\0${directiveKey(last)}`;
            if (!done.has(k)) {
              const e = insertNginxDirectives(p.connection.listScope, ['proxy_set_header Connection "";'], last);
              if (e) edits.push(e);
              else fixable = false;
            }
            done.add(k);
          } else lines.push('proxy_set_header Connection "";');
        }
        if (lines.length) {
          const k = `loc\0${loc.block ? directiveKey(loc.block) : ''}`;
          if (!done.has(k)) {
            const e = insertNginxDirectives(loc, lines, loc.directives.find((d) => d === p.pass.directive));
            if (e) edits.push(e);
            else fixable = false;
          }
          done.add(k);
        }
      }
      const primary = first.version?.directive && edits.length && !first.connection ? first.version.directive : first.pass.directive;
      report({
        file: primary.file,
        span: primary.span,
        message,
        related: [{ file: keepalive.file, span: keepalive.span, message: `keepalive of upstream ${upstream.name}` }],
        ...(fixable && edits.length ? { fix: { description: 'speak HTTP/1.1 with a cleared Connection header to the upstream', edits } } : {}),
      });
    }
  },
};
