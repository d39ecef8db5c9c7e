/**
 * What the rules ask of nginx's side, in one place: effective times with
 * where they were set, the keepalive an upstream asks for, the worker user,
 * and the edits that lower timeouts.
 */
import type { TextEdit } from '../../src/diagnostic.js';
import type { RuleOptions } from '../../src/engine/rule.js';
import type { Directive } from '../../src/syntax/nginx/ast.js';
import { lineRef } from '../../src/syntax/source.js';
import type { EffectiveValue } from '../../src/stack/nginx-effective.js';
import type { Scope } from '../../src/stack/nginx-scopes.js';
import { reachedApps, type BackendApp, type NginxTree, type Pass, type StackModel, type UpstreamBlock } from '../../src/stack/model.js';
import { formatNginxTime, parseNginxTime } from '../../src/stack/units.js';
import { insertNginxDirectives, replaceNginxArgs } from '../../src/stack/edits.js';
import { argValue, nameOf } from '../../src/syntax/nginx/nodes.js';

/** A stable key for a directive (the same node may be reached through several includes). */
export function directiveKey(d: Directive): string {
  return `${d.file.path}\0${d.span.start}`;
}

/** An effective nginx time value at a scope, in ms; null when unset or unparsable (variables, typos). */
export interface NginxTime {
  name: string;
  ms: number;
  text: string;
  eff: EffectiveValue;
  /** the directive that sets it; null for nginx's default */
  directive: Directive | null;
}

/** An nginx time directive's effective value at `scope`, in ms; null when unset and without a default, or unparsable. */
export function nginxTime(model: StackModel, scope: Scope, name: string): NginxTime | null {
  const eff = model.effective(scope, name);
  const text = eff.args?.[0];
  if (text === undefined) return null;
  const ms = parseNginxTime(text);
  if (ms === null) return null;
  return { name, ms, text, eff, directive: eff.directives[0] ?? null };
}

/** `proxy_read_timeout 120s at nginx.conf:12` / `proxy_read_timeout 60s (nginx default)` */
export function describeNginxValue(v: { name: string; text: string; directive: Directive | null }): string {
  return v.directive ? `${v.name} ${v.text} at ${lineRef(v.directive.file, v.directive.span.start)}` : `${v.name} ${v.text} (nginx default)`;
}

/** The smallest whole number of seconds strictly above `ms`. */
export function secondsAbove(ms: number): number {
  return Math.floor(ms / 1000) + 1;
}

/** An nginx time strictly below `seconds` (one second less; half of it for 1s). */
export function nginxTimeBelow(seconds: number): string {
  return formatNginxTime(seconds >= 2 ? (seconds - 1) * 1000 : seconds * 500);
}

/** "a at x" / "a and b at y" / "a, b and c" */
export function joinAnd(parts: string[]): string {
  return parts.length <= 1 ? (parts[0] ?? '') : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}

/**
 * Edits that lower or set nginx time directives: a directive written
 * somewhere gets `value` where it is written; an unset (default) one is
 * added to each location, after its pass directive when it stands there.
 */
export function lowerNginxTimes(sets: Map<string, { directive: Directive; value: string }>, inserts: Map<Scope, { lines: Map<string, string>; after: Directive | undefined }>): TextEdit[] {
  const edits: TextEdit[] = [];
  for (const { directive, value } of sets.values()) edits.push(replaceNginxArgs(directive, [value]));
  for (const [loc, { lines, after }] of inserts) {
    const e = insertNginxDirectives(loc, [...lines].map(([n, v]) => `${n} ${v};`), after);
    if (e) edits.push(e);
  }
  return edits;
}

/** The `keepalive` directive written in an upstream{} block. */
export function explicitKeepalive(u: UpstreamBlock): Directive | null {
  return u.scope.directives.find((d) => nameOf(d) === 'keepalive') ?? null;
}

/** nginx's worker user and group, as the `user` directive (or, without one, the configured nginxUser) says. */
export interface NginxUser {
  user: string;
  group: string;
  /** the `user` directive; null when the configured nginxUser stands in */
  directive: Directive | null;
  /** where it was set, for messages: `nginx.conf:3`, `nginxUser in .nginx-lint.json` */
  where: string;
}

/**
 * The `user` directive of a tree's main context. Without one (the build's
 * default, never guessed; or a fragment, whose main file is not in the run)
 * the configured nginxUser stands in; null when there is none either.
 */
export function nginxUser(tree: NginxTree, configured?: RuleOptions['nginxUser']): NginxUser | null {
  const d = tree.root.kind === 'main' ? tree.root.directives.find((x) => nameOf(x) === 'user') : undefined;
  const user = d ? argValue(d, 0) : undefined;
  if (d && user && !/\$/.test(user)) return { user, group: argValue(d, 1) ?? user, directive: d, where: lineRef(d.file, d.span.start) };
  if (d) return null; // a user directive that cannot be read statically: not overridden by the config
  return configured ? { user: configured.user, group: configured.group, directive: null, where: configured.source } : null;
}

/** The `related` entry that points at nginx's `user` directive (none for a configured user). */
export function nginxUserRelated(nu: NginxUser): { file: Directive['file']; span: Directive['span']; message: string }[] {
  return nu.directive ? [{ file: nu.directive.file, span: nu.directive.span, message: "nginx's worker user" }] : [];
}

/**
 * Each app of one kind that a non-root nginx worker connects to, once per
 * nginx tree (root connects anywhere, so it is never asked about): what the
 * socket-permission rules check.
 */
export function* appsReachedByWorker<K extends BackendApp['kind']>(model: StackModel, configured: RuleOptions['nginxUser'], kind: K): Generator<{ app: Extract<BackendApp, { kind: K }>; nu: NginxUser }> {
  const seen = new Set<string>();
  // one user per tree, however many of its passes there are
  const users = new Map<NginxTree, NginxUser | null>();
  for (const pass of model.passes) {
    let nu = users.get(pass.tree);
    if (nu === undefined) users.set(pass.tree, (nu = nginxUser(pass.tree, configured)));
    if (!nu || nu.user === 'root' || nu.user === '0') continue;
    for (const app of reachedApps(pass)) {
      if (app.kind !== kind) continue;
      const key = `${pass.tree.id}\0${app.id}`;
      if (seen.has(key)) continue;
      seen.add(key);
      yield { app: app as Extract<BackendApp, { kind: K }>, nu };
    }
  }
}

/**
 * `f` of a pass, worked out once per scope: rules that look at every pass ask
 * the same question of a scope for each of its passes, and a scope can hold
 * thousands of them (a generated location, duplicated lines). `f` must depend
 * only on the pass's scope (and what follows from it: its tree, its
 * location). model.passes lists a scope's passes one after another, so the
 * last answer is all that is kept (a map of every scope cost a big tree more
 * than it saved).
 */
export function oncePerScope<T>(f: (pass: Pass) => T): (pass: Pass) => T {
  let scope: Scope | null = null;
  let value: T;
  return (pass) => {
    if (pass.scope !== scope) {
      value = f(pass);
      scope = pass.scope;
    }
    return value;
  };
}
