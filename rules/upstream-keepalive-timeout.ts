/**
 * nginx must drop an idle upstream connection before the backend does: the
 * upstream's keepalive_timeout (default 60s) must be shorter than gunicorn's
 * `keepalive` (default 2s) for workers that keep connections open (gthread,
 * gevent, eventlet, uvicorn). Otherwise nginx can send a request on a
 * connection gunicorn has just closed: a sporadic 502 with "upstream
 * prematurely closed connection" or "recv() failed (104: Connection reset by
 * peer)". Sync workers close every connection after one response.
 */
import type { Rule } from '../src/engine/rule.js';
import type { Directive } from '../src/syntax/nginx/ast.js';
import { lineRef } from '../src/syntax/source.js';
import { atLeast } from '../src/syntax/nginx/version.js';
import { effectiveProxyHeaders } from '../src/stack/nginx-effective.js';
import { linkedApps, type GunicornApp, type StackModel, type UpstreamBlock, type Pass } from '../src/stack/model.js';
import { insertNginxDirectives, replaceNginxArgs, setGunicornSetting } from '../src/stack/edits.js';
import { type NginxTime, nginxTime, secondsAbove, nginxTimeBelow } from './support/nginx.js';
import { gunicornSettingPlace, gunicornInt, describeGunicornValue, type GunicornWorker, gunicornWorker } from './support/gunicorn.js';
import { nameOf } from '../src/syntax/nginx/nodes.js';

/** true when proxy_pass at this pass can reuse a cached connection (HTTP/1.1, Connection cleared). */
export function proxyReuses(model: StackModel, pass: Pass): boolean {
  if (model.effective(pass.scope, 'proxy_http_version').args?.[0] !== '1.1') return false;
  return effectiveProxyHeaders(pass.scope, model.nginxVersion).get('connection')?.value === '';
}

interface Finding {
  upstream: UpstreamBlock;
  timeout: NginxTime;
  app: GunicornApp;
  worker: GunicornWorker;
  keepalive: number;
}

export const upstreamKeepaliveTimeout: Rule = {
  meta: { id: 'upstream-keepalive-timeout', family: 'keepalive', description: "an upstream's keepalive_timeout is not shorter than the gunicorn keepalive of its servers", severity: 'warning', fixable: true },
  check({ model, options, report }) {
    const findings: Finding[] = [];
    const longest = new Map<GunicornApp, number>();
    const shortest = new Map<UpstreamBlock, number>();
    // proxy passes by the upstream{} they name, in model order (one walk, not one per upstream)
    const proxied = new Map<UpstreamBlock, Pass[]>();
    for (const p of model.passes) {
      if (p.module !== 'proxy' || p.target.kind !== 'upstream') continue;
      const list = proxied.get(p.target.upstream);
      if (list) list.push(p);
      else proxied.set(p.target.upstream, [p]);
    }
    // per app: its keep-alive worker and keepalive seconds, or null (another worker, or 0: gunicorn closes after each response)
    const keepalives = new Map<GunicornApp, { worker: GunicornWorker; keepalive: number } | null>();
    const keepaliveOf = (app: GunicornApp): { worker: GunicornWorker; keepalive: number } | null => {
      let k = keepalives.get(app);
      if (k === undefined) {
        const worker = gunicornWorker(app);
        const keepalive = worker.kind === 'keepalive' ? gunicornInt(app, 'keepalive') : null;
        k = keepalive === null || keepalive <= 0 ? null : { worker, keepalive };
        keepalives.set(app, k);
      }
      return k;
    };
    for (const upstream of model.upstreams) {
      if (!model.effective(upstream.scope, 'keepalive').args) continue;
      const timeout = nginxTime(model, upstream.scope, 'keepalive_timeout');
      if (!timeout) continue;
      // the apps this upstream's connection-reusing passes reach whose keepalive the timeout outlasts;
      // whether a pass reuses connections (its effective proxy headers) is asked only of a pass that
      // reaches such an app
      const apps = new Set<GunicornApp>();
      for (const p of proxied.get(upstream) ?? []) {
        let reuses: boolean | undefined;
        for (const a of linkedApps(p)) {
          if (a.kind !== 'gunicorn-app' || apps.has(a)) continue;
          const k = keepaliveOf(a);
          if (!k || timeout.ms < k.keepalive * 1000) continue;
          if (!(reuses ??= proxyReuses(model, p))) break;
          apps.add(a);
        }
      }
      for (const app of apps) {
        const { worker, keepalive } = keepaliveOf(app)!;
        findings.push({ upstream, timeout, app, worker, keepalive });
        longest.set(app, Math.max(longest.get(app) ?? 0, timeout.ms));
        shortest.set(upstream, Math.min(shortest.get(upstream) ?? Infinity, keepalive));
      }
    }
    for (const { upstream, timeout, app, worker, keepalive } of findings) {
      const keepaliveDirective: Directive | null = upstream.scope.directives.find((d) => nameOf(d) === 'keepalive') ?? null;
      const block = upstream.scope.block!;
      const nginxDirective = timeout.directive ?? keepaliveDirective ?? block;
      const nginxSide = timeout.directive ? `keepalive_timeout ${timeout.text} of upstream ${upstream.name} at ${lineRef(timeout.directive.file, timeout.directive.span.start)}` : `keepalive_timeout ${timeout.text} (nginx default) of upstream ${upstream.name} at ${lineRef(block.file, block.span.start)}`;
      const message = `${nginxSide} outlasts ${describeGunicornValue(app, 'keepalive', keepalive, worker)}: gunicorn closes idle connections after ${keepalive}s and nginx may send a request on one it just closed, a sporadic 502 (upstream prematurely closed connection, or recv() failed (104: Connection reset by peer))`;
      const place = gunicornSettingPlace(app, 'keepalive');
      const nginxAt = { file: nginxDirective.file, span: nginxDirective.span };
      if (options.fixStrategy === 'nginx') {
        const value = nginxTimeBelow(shortest.get(upstream)!);
        const edit = timeout.directive ? replaceNginxArgs(timeout.directive, [value]) : atLeast(model.nginxVersion, '1.15.3') ? insertNginxDirectives(upstream.scope, [`keepalive_timeout ${value};`], keepaliveDirective ?? undefined) : null;
        report({ ...nginxAt, message, ...(place ? { related: [{ ...place, message: `gunicorn keepalive ${keepalive}` }] } : {}), ...(edit ? { fix: { description: `set keepalive_timeout ${value} in upstream ${upstream.name}`, edits: [edit] } } : {}) });
        continue;
      }
      const raised = secondsAbove(longest.get(app)!);
      const edits = setGunicornSetting(app.gunicorn, 'keepalive', String(raised), `--keep-alive ${raised}`);
      const fix = edits ? { fix: { description: `set gunicorn keepalive = ${raised}`, edits } } : {};
      if (place) report({ ...place, message, related: [{ ...nginxAt, message: `keepalive_timeout ${timeout.text}` }], ...fix });
      else report({ ...nginxAt, message, ...fix });
    }
  },
};
