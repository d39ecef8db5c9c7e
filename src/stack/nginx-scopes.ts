/**
 * The nginx configuration as nginx's merge sees it: a tree of scopes (main,
 * http, server, location, if, limit_except, upstream, ...) with includes
 * expanded in place, so every later question ("what is proxy_read_timeout
 * here?") is answered from one structure, wherever the directives were written.
 */
import type { ContextName, Directive, NginxConfig, NginxFile } from '../syntax/nginx/ast.js';
import { directivesOf, nameOf } from '../syntax/nginx/nodes.js';

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

/**
 * Names whose writers buildScopes records as it reads every directive (the
 * pass directives, the buffer sizes of upstream-buffers, the keep-alive
 * settings of keepalive-wrong-module): looked for in big trees. Any other
 * name is found on first request by a walk over the tree's scopes.
 */
const RECORDED_NAMES = [
  ...['proxy_pass', 'fastcgi_pass', 'uwsgi_pass', 'scgi_pass', 'grpc_pass', 'memcached_pass'],
  ...['proxy_http_version', 'proxy_set_header', 'fastcgi_keep_conn'],
  ...['proxy', 'fastcgi', 'uwsgi', 'scgi'].flatMap((f) => ['buffer_size', 'buffers', 'busy_buffers_size', 'temp_file_write_size', 'max_temp_file_size'].map((s) => `${f}_${s}`)),
];

/**
 * Per root made by buildScopes: for each name asked about, the scopes that
 * write it (a scope is listed again when a block inside it writes the name
 * between two of its own).
 */
const writersByRoot = new WeakMap<Scope, Map<string, Scope[]>>();

/**
 * The scopes of the tree under `root` that write a directive of one of
 * `names` (includes expanded). The model and rules that look for a few names
 * in a 10,000-site tree ask here, and test membership while walking
 * allScopes (which keeps its order), instead of reading its million
 * directives again.
 */
export function scopesWriting(root: Scope, names: Iterable<string>): ReadonlySet<Scope> {
  let writers = writersByRoot.get(root);
  if (!writers) writersByRoot.set(root, (writers = new Map()));
  const out = new Set<Scope>();
  for (const name of names) {
    let list = writers.get(name);
    if (!list) {
      list = allScopes(root).filter((s) => s.directives.some((d) => nameOf(d) === name));
      writers.set(name, list);
    }
    for (const s of list) out.add(s);
  }
  return out;
}

export function buildScopes(config: NginxConfig, rootKind: ContextName = 'main'): Scope {
  const root: Scope = { kind: rootKind, block: null, parent: null, children: [], directives: [] };
  const writers = new Map<string, Scope[]>(RECORDED_NAMES.map((n) => [n, []]));
  writersByRoot.set(root, writers);
  const active = new Set<NginxFile>();
  // Every scope's directives and children are gathered on two stacks and
  // copied out, exactly sized, when the scope is done: arrays grown by push
  // keep room for 17 and more, and a 10,000-site tree has 150,000 scopes.
  // Most blocks include nothing: their scope's directives are the block's own
  // list of directives (comments are not in it), not a copy, and the scopes
  // without children (nine in ten) share one empty list. Each stack has its
  // own top (setting an array's length is a runtime call).
  const stack: Directive[] = [];
  const kids: Scope[] = [];
  let top = 0;
  let kidsTop = 0;
  /** fills `scope` from `nodes`; true when the directives differ from `nodes` (an include expanded) */
  const fill = (scope: Scope, nodes: readonly Directive[]): boolean => {
    let differs = false;
    for (let i = 0; i < nodes.length; i++) {
      const node = nodes[i]!;
      stack[top++] = node;
      const name = nameOf(node);
      const recorded = writers.get(name);
      if (recorded !== undefined && recorded[recorded.length - 1] !== scope) recorded.push(scope);
      if (name === 'include') {
        const files = config.includes.get(node);
        if (files) {
          differs = true;
          for (const f of files) fillFile(scope, f);
          continue;
        }
      }
      if (node.block) {
        const child: Scope = { kind: childKind(nameOf(node), scope.kind) ?? scope.kind, block: node, parent: scope, children: NO_SCOPES, directives: [] };
        kids[kidsTop++] = child;
        fillScope(child, directivesOf(node.block));
      }
    }
    return differs;
  };
  const fillScope = (scope: Scope, nodes: readonly Directive[]) => {
    const from = top;
    const kidsFrom = kidsTop;
    scope.directives = fill(scope, nodes) ? stack.slice(from, top) : (nodes as Directive[]);
    top = from;
    if (kidsTop > kidsFrom) scope.children = kids.slice(kidsFrom, kidsTop);
    kidsTop = kidsFrom;
  };
  // only a file can be reached again while being read: an include cycle the loader let through
  const fillFile = (scope: Scope, file: NginxFile) => {
    if (active.has(file)) return;
    active.add(file);
    fill(scope, directivesOf(file));
    active.delete(file);
  };
  fillFile(root, config.root);
  root.directives = stack.slice(0, top);
  root.children = kids.slice(0, kidsTop);
  return root;
}

/** the children of every scope that has none: one shared list (frozen: scopes do not change once built) */
const NO_SCOPES = Object.freeze([]) as unknown as Scope[];

const flattened = new WeakMap<Scope, readonly Scope[]>();

/**
 * Every scope of a tree, depth first (parents before children). Scopes do not
 * change once built, so the list is made once per scope asked about and
 * shared: rules walk a tree of 100,000 scopes several times.
 */
export function allScopes(scope: Scope): readonly Scope[] {
  let list = flattened.get(scope);
  if (!list) {
    const out: Scope[] = [];
    const visit = (s: Scope): void => {
      out.push(s);
      const children = s.children;
      for (let i = 0; i < children.length; i++) visit(children[i]!);
    };
    visit(scope);
    list = out;
    flattened.set(scope, list);
  }
  return list;
}

/** The nearest scope of `kind` around `scope` (itself included), or null. */
export function enclosingScope(scope: Scope, kind: ContextName): Scope | null {
  for (let s: Scope | null = scope; s; s = s.parent) if (s.kind === kind) return s;
  return null;
}
