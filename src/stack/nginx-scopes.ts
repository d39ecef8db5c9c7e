/**
 * The nginx configuration as nginx's merge sees it: a tree of scopes (main,
 * http, server, location, if, limit_except, upstream, ...) with includes
 * expanded in place, so every later question ("what is proxy_read_timeout
 * here?") is answered from one structure, wherever the directives were written.
 */
import type { ContextName, Directive, NginxConfig, Node } from '../syntax/nginx/ast.js';

export interface Scope {
  kind: ContextName;
  /** the block directive that opens this scope; null for the root */
  block: Directive | null;
  parent: Scope | null;
  children: Scope[];
  /** the directives written directly in this scope (includes expanded), in order */
  directives: Directive[];
}

/** Which scope a block directive opens, given the scope it stands in. */
function childKind(name: string, parent: ContextName): ContextName | null {
  switch (name) {
    case 'events':
      return 'events';
    case 'http':
      return 'http';
    case 'stream':
      return 'stream';
    case 'mail':
      return 'mail';
    case 'server':
      return parent === 'stream' ? 'stream_server' : parent === 'mail' ? 'mail_server' : 'server';
    case 'upstream':
      return parent === 'stream' ? 'stream_upstream' : 'upstream';
    case 'location':
      return 'location';
    case 'if':
      return parent === 'server' ? 'if' : 'lif';
    case 'limit_except':
      return 'limit_except';
    case 'map':
      return 'map';
    case 'geo':
      return 'geo';
    case 'split_clients':
      return 'split_clients';
    case 'types':
      return 'types';
    case 'charset_map':
      return 'charset_map';
    case 'match':
      return 'match';
    default:
      return null;
  }
}

export function buildScopes(config: NginxConfig, rootKind: ContextName = 'main'): Scope {
  const root: Scope = { kind: rootKind, block: null, parent: null, children: [], directives: [] };
  const active = new Set<Node[]>();
  const fill = (scope: Scope, nodes: Node[]) => {
    if (active.has(nodes)) return; // an include cycle the loader let through
    active.add(nodes);
    for (const node of nodes) {
      if (node.kind !== 'directive') continue;
      if (node.name.value === 'include') {
        const files = config.includes.get(node);
        if (files) {
          scope.directives.push(node);
          for (const f of files) fill(scope, f.children);
          continue;
        }
      }
      scope.directives.push(node);
      if (node.block) {
        const child: Scope = { kind: childKind(node.name.value, scope.kind) ?? scope.kind, block: node, parent: scope, children: [], directives: [] };
        scope.children.push(child);
        fill(child, node.block.children);
      }
    }
    active.delete(nodes);
  };
  fill(root, config.root.children);
  return root;
}

/** Every scope of a tree, depth first. */
export function* allScopes(scope: Scope): Generator<Scope> {
  yield scope;
  for (const c of scope.children) yield* allScopes(c);
}

/** The nearest scope of `kind` around `scope` (itself included), or null. */
export function enclosingScope(scope: Scope, kind: ContextName): Scope | null {
  for (let s: Scope | null = scope; s; s = s.parent) if (s.kind === kind) return s;
  return null;
}
