/**
 * The stack as a graph: server → location → upstream / address → FPM pool /
 * gunicorn app, each edge labelled with the effective values on its side
 * (nginx's timeouts, protocol and buffers; the backend's own limits), so a
 * path from a location to what it reaches can be followed.
 */
import { formatEndpoint } from './address.js';
import { reachedApps, type BackendApp, type Pass, type StackModel } from './model.js';
import { enclosingScope, type Scope } from './nginx-scopes.js';
import { fpmSetting } from '../syntax/ini/fpm.js';
import { positionAt, type SourceFile } from '../syntax/source.js';
import { argValue, nameOf } from '../syntax/nginx/nodes.js';

export type GraphNodeKind = 'server' | 'location' | 'upstream' | 'address' | 'fpm-pool' | 'gunicorn-app';

export interface GraphNode {
  id: string;
  kind: GraphNodeKind;
  label: string;
  file: string;
  line: number;
}

export interface GraphEdge {
  from: string;
  to: string;
  label: string;
}

export interface StackGraph {
  nodes: GraphNode[];
  edges: GraphEdge[];
}

/** nginx's side of a pass: the effective values that decide 502/504s, per module. */
const NGINX_SIDE: Record<Pass['module'], string[]> = {
  proxy: ['proxy_connect_timeout', 'proxy_read_timeout', 'proxy_send_timeout', 'proxy_http_version', 'proxy_buffer_size', 'proxy_buffers'],
  fastcgi: ['fastcgi_connect_timeout', 'fastcgi_read_timeout', 'fastcgi_send_timeout', 'fastcgi_keep_conn', 'fastcgi_buffer_size', 'fastcgi_buffers'],
  uwsgi: ['uwsgi_connect_timeout', 'uwsgi_read_timeout', 'uwsgi_send_timeout', 'uwsgi_buffer_size', 'uwsgi_buffers'],
  scgi: ['scgi_read_timeout', 'scgi_buffer_size', 'scgi_buffers'],
  grpc: ['grpc_read_timeout', 'grpc_buffer_size'],
};

function where(file: SourceFile, offset: number, map: (p: string) => string): { file: string; line: number } {
  return { file: map(file.path), line: positionAt(file, offset).line };
}

function words(scope: Scope): string {
  return scope.block ? `${nameOf(scope.block)} ${scope.block.args.map((a) => a.raw).join(' ')}`.trim() : scope.kind;
}

function backendSide(app: BackendApp): string {
  if (app.kind === 'fpm-pool') {
    const rtt = fpmSetting(app.pool, 'request_terminate_timeout');
    const met = app.php.get('max_execution_time');
    const post = app.php.get('post_max_size');
    return [`request_terminate_timeout ${rtt ? String(rtt.value) : '0 (off)'}`, `max_execution_time ${met.value ?? met.text}`, `post_max_size ${post.value ?? post.text}`].join(', ');
  }
  const get = (n: string) => {
    const v = app.gunicorn.settings.get(n)?.value;
    return v?.kind === 'known' ? String(v.value) : '?';
  };
  return [`worker_class ${get('worker_class')}`, `timeout ${get('timeout')}`, `keepalive ${get('keepalive')}`].join(', ');
}

export function buildGraph(model: StackModel, map: (p: string) => string = (p) => p): StackGraph {
  const nodes = new Map<unknown, GraphNode>();
  const edges = new Map<string, GraphEdge>();
  const node = (key: unknown, kind: GraphNodeKind, label: string, at: { file: string; line: number }): string => {
    let n = nodes.get(key);
    if (!n) {
      n = { id: `n${nodes.size}`, kind, label, ...at };
      nodes.set(key, n);
    }
    return n.id;
  };
  const edge = (from: string, to: string, label: string) => {
    const k = `${from}>${to}>${label}`;
    if (!edges.has(k)) edges.set(k, { from, to, label });
  };

  for (const pass of model.passes) {
    const loc = pass.location;
    const server = enclosingScope(pass.scope, 'server');
    if (!loc?.block) continue;
    const locId = node(loc, 'location', words(loc), where(loc.block.file, loc.block.span.start, map));
    if (server?.block) {
      const names = model.effective(server, 'server_name').args?.join(' ') ?? '';
      const listen = server.directives.filter((d) => nameOf(d) === 'listen').map((d) => argValue(d, 0) ?? '');
      const serverId = node(server, 'server', `server ${names || '_'}${listen.length ? ` (${listen.join(', ')})` : ''}`, where(server.block.file, server.block.span.start, map));
      edge(serverId, locId, '');
    }
    const nginxLabel = NGINX_SIDE[pass.module]
      .map((n) => {
        const v = model.effective(pass.scope, n);
        return v.args ? `${n} ${v.args.join(' ')}` : null;
      })
      .filter((x): x is string => x !== null)
      .join(', ');
    const t = pass.target;
    let targetId: string;
    if (t.kind === 'upstream') {
      const u = t.upstream;
      const keepalive = model.effective(u.scope, 'keepalive').args;
      const kt = model.effective(u.scope, 'keepalive_timeout').args;
      targetId = node(u, 'upstream', `upstream ${u.name}${keepalive ? ` (keepalive ${keepalive.join(' ')}, keepalive_timeout ${kt?.join(' ') ?? '-'})` : ' (no keepalive)'}`, where(u.scope.block!.file, u.scope.block!.span.start, map));
    } else {
      const label = t.kind === 'address' ? formatEndpoint(t.endpoint) : t.kind === 'variable' ? `${t.text} (per request)` : t.kind === 'missing-upstream' ? `upstream ${t.name} (not in the files)` : `${t.text} (${t.reason})`;
      targetId = node(`addr:${pass.tree.id}:${label}`, 'address', label, where(pass.directive.file, pass.directive.span.start, map));
    }
    edge(locId, targetId, `${nameOf(pass.directive)}: ${nginxLabel}`);
    for (const app of reachedApps(pass)) {
      const listener = pass.backends.flatMap((b) => b.apps).find((a) => a.app === app)!.listener;
      const appId = node(app, app.kind, app.kind === 'fpm-pool' ? `FPM pool [${app.name}] ${formatEndpoint(listener.endpoint)}` : `gunicorn ${app.name} ${formatEndpoint(listener.endpoint)}`, where(listener.file, listener.span.start, map));
      edge(targetId, appId, backendSide(app));
    }
  }
  return { nodes: [...nodes.values()], edges: [...edges.values()] };
}
