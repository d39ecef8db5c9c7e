/**
 * nginx must give up on a gunicorn sync worker before gunicorn kills it:
 * the effective proxy_read_timeout / proxy_send_timeout (uwsgi_* for
 * uwsgi_pass) at a pass must be strictly shorter than gunicorn's `timeout`.
 * Otherwise the arbiter kills the busy worker ("[CRITICAL] WORKER TIMEOUT"),
 * nginx logs "upstream prematurely closed connection while reading response
 * header from upstream" and answers 502 instead of its own 504.
 *
 * Only sync workers: for gthread / gevent / eventlet / tornado / uvicorn
 * workers `timeout` is a heartbeat of the worker process, not a bound on
 * one request.
 *
 * Also home of small helpers the other timeout and keepalive rules share.
 */
import type { TextEdit } from '../src/diagnostic.js';
import type { Rule } from '../src/engine/rule.js';
import type { Directive } from '../src/syntax/nginx/ast.js';
import type { SourceFile, Span } from '../src/syntax/source.js';
import { lineRef } from '../src/syntax/source.js';
import type { EffectiveValue } from '../src/stack/nginx-effective.js';
import type { Scope } from '../src/stack/nginx-scopes.js';
import type { BackendApp, GunicornApp, Pass, StackModel } from '../src/stack/model.js';
import { appLabel } from '../src/stack/describe.js';
import { formatNginxTime, parseNginxTime } from '../src/stack/units.js';
import { insertNginxDirectives, replaceNginxArgs, setGunicornSetting } from '../src/stack/edits.js';

// ---------------------------------------------------------------- shared helpers

/**
 * The apps a pass reaches without ambiguity: an endpoint where several apps
 * listen (a collision, or several apps matched by port only, e.g. unrelated
 * compose files that all bind :8000) is not guessed.
 */
export function linkedApps(pass: Pass): BackendApp[] {
  const out = new Set<BackendApp>();
  for (const b of pass.backends) {
    const apps = new Set(b.apps.map((a) => a.app));
    if (apps.size === 1) out.add([...apps][0]!);
  }
  return [...out];
}

/** The location a pass stands in (its own scope, or the location around an `if` / `limit_except`). */
export function locationOf(scope: Scope): Scope {
  let s: Scope | null = scope;
  while (s && s.kind !== 'location') s = s.parent;
  return s ?? scope;
}

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

/** Where a gunicorn setting was written; null for gunicorn's default (or a source with no place in a file). */
export function gunicornSettingPlace(app: GunicornApp, name: string): { file: SourceFile; span: Span } | null {
  const src = app.gunicorn.settings.get(name)?.source;
  if (!src) return null;
  if (src.kind === 'config-file' || src.kind === 'command-line') return { file: src.file, span: src.span };
  if (src.kind === 'GUNICORN_CMD_ARGS' && src.file && src.span) return { file: src.file, span: src.span };
  return null;
}

/** A gunicorn integer setting when statically known. */
export function gunicornInt(app: GunicornApp, name: string): number | null {
  const s = app.gunicorn.settings.get(name);
  if (!s || s.value.kind !== 'known') return null;
  const v = s.value.value;
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'bigint') return Number(v);
  return null;
}

/** `gunicorn timeout 30s at gunicorn.conf.py:4 (gunicorn app wsgi:app, sync worker)` */
export function describeGunicornValue(app: GunicornApp, name: string, value: number, worker: GunicornWorker): string {
  const place = gunicornSettingPlace(app, name);
  return place ? `gunicorn ${name} ${value}s at ${lineRef(place.file, place.span.start)} (${appLabel(app)}, ${worker.label})` : `gunicorn ${name} ${value}s (default; ${appLabel(app)}, ${worker.label})`;
}

export interface GunicornWorker {
  /**
   * sync: one request at a time, `timeout` bounds a request, no keep-alive;
   * keepalive: an async or threaded worker that honours `keepalive` (gthread, gevent, eventlet, uvicorn);
   * async: another non-sync worker (timeout is a heartbeat; keep-alive handling not modelled);
   * unknown: dynamic value or a third-party class we do not know
   */
  kind: 'sync' | 'keepalive' | 'async' | 'unknown';
  label: string;
}

const KEEPALIVE_WORKERS = [/^gthread$/, /^gevent(_wsgi|_pywsgi)?$/, /^eventlet$/, /ThreadWorker$/, /Gevent\w*Worker$/, /EventletWorker$/, /^uvicorn(_worker)?\.(workers\.)?Uvicorn(H11)?Worker$/];
const OTHER_ASYNC = [/^tornado$/, /TornadoWorker$/, /GunicornWebWorker$/, /^egg:gunicorn#(gevent|eventlet|tornado|gthread)$/];

/**
 * The worker class gunicorn runs: gunicorn's Config.worker_class turns a
 * sync worker with `threads` > 1 into the threaded (gthread) worker.
 */
export function gunicornWorker(app: GunicornApp): GunicornWorker {
  const s = app.gunicorn.settings.get('worker_class');
  const wc = s?.value.kind === 'known' && typeof s.value.value === 'string' ? s.value.value : null;
  if (wc === null) return { kind: 'unknown', label: 'worker class unknown' };
  const sync = wc === 'sync' || wc.endsWith('SyncWorker') || wc === 'egg:gunicorn#sync';
  if (sync) {
    const threads = gunicornInt(app, 'threads');
    if (threads === null) return { kind: 'unknown', label: 'threads unknown' };
    if (threads > 1) return { kind: 'keepalive', label: `gthread worker (sync with threads ${threads})` };
    return { kind: 'sync', label: 'sync worker' };
  }
  if (KEEPALIVE_WORKERS.some((re) => re.test(wc))) return { kind: 'keepalive', label: `${wc} worker` };
  if (OTHER_ASYNC.some((re) => re.test(wc))) return { kind: 'async', label: `${wc} worker` };
  return { kind: 'unknown', label: `${wc} worker` };
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

// ---------------------------------------------------------------- the rule

interface Culprit extends NginxTime {
  pass: Pass;
}

interface Group {
  app: GunicornApp;
  timeout: number;
  worker: GunicornWorker;
  culprits: Culprit[];
  passes: Pass[];
}

const NAMES: Record<string, string[]> = { proxy: ['proxy_read_timeout', 'proxy_send_timeout'], uwsgi: ['uwsgi_read_timeout', 'uwsgi_send_timeout'] };

export const gunicornTimeoutOrder: Rule = {
  meta: { id: 'gunicorn-timeout-order', family: 'timeouts', description: "nginx's read/send timeout toward a gunicorn sync worker is not shorter than gunicorn's timeout", severity: 'error', fixable: true },
  check({ model, options, report }) {
    const groups = new Map<string, Group>();
    /** per app: the longest nginx value it must outlast */
    const longest = new Map<GunicornApp, number>();
    /** per written nginx directive: the shortest gunicorn timeout it must stay under */
    const setMin = new Map<string, { directive: Directive; name: string; seconds: number }>();
    /** per location with a default value: per directive name, the shortest gunicorn timeout */
    const insertMin = new Map<Scope, { lines: Map<string, number>; after: Directive | undefined }>();

    for (const pass of model.passes) {
      const names = NAMES[pass.module];
      if (!names) continue;
      for (const app of linkedApps(pass)) {
        if (app.kind !== 'gunicorn-app') continue;
        const worker = gunicornWorker(app);
        if (worker.kind !== 'sync') continue;
        const timeout = gunicornInt(app, 'timeout');
        if (timeout === null || timeout <= 0) continue; // 0: no timeout
        const culprits: Culprit[] = [];
        for (const name of names) {
          const t = nginxTime(model, pass.scope, name);
          if (t && t.ms >= timeout * 1000) culprits.push({ ...t, pass });
        }
        if (culprits.length === 0) continue;
        const key = `${app.id}\0${culprits.map((c) => `${c.name}@${c.directive ? directiveKey(c.directive) : 'default'}`).join('\0')}`;
        const g = groups.get(key);
        if (g) g.passes.push(pass);
        else groups.set(key, { app, timeout, worker, culprits, passes: [pass] });
        longest.set(app, Math.max(longest.get(app) ?? 0, ...culprits.map((c) => c.ms)));
        for (const c of culprits) {
          if (c.directive) {
            const k = directiveKey(c.directive);
            const seen = setMin.get(k);
            if (!seen || timeout < seen.seconds) setMin.set(k, { directive: c.directive, name: c.name, seconds: timeout });
          } else {
            const loc = locationOf(pass.scope);
            let m = insertMin.get(loc);
            if (!m) insertMin.set(loc, (m = { lines: new Map(), after: loc.directives.find((d) => d === pass.directive) }));
            m.lines.set(c.name, Math.min(m.lines.get(c.name) ?? Infinity, timeout));
          }
        }
      }
    }

    for (const g of groups.values()) {
      const { app, timeout, worker, culprits, passes } = g;
      const gunicornSide = describeGunicornValue(app, 'timeout', timeout, worker);
      const more = passes.length > 1 ? ` and ${passes.length - 1} more` : '';
      const nginxSide = joinAnd(culprits.map((c) => (c.directive ? describeNginxValue(c) : `${c.name} ${c.text} (nginx default, for ${c.pass.directive.name.value} at ${lineRef(c.pass.directive.file, c.pass.directive.span.start)}${more})`)));
      const message = `${nginxSide} ${culprits.length > 1 ? 'outlast' : 'outlasts'} ${gunicornSide}: gunicorn kills the worker after ${timeout}s and nginx answers 502 (upstream prematurely closed connection) instead of its own 504`;
      const place = gunicornSettingPlace(app, 'timeout');
      const first = culprits[0]!;
      const nginxAt = first.directive ? { file: first.directive.file, span: first.directive.span } : { file: first.pass.directive.file, span: first.pass.directive.span };
      const nginxRelated = culprits.map((c) => (c.directive ? { file: c.directive.file, span: c.directive.span, message: `${c.name} ${c.text}` } : { file: c.pass.directive.file, span: c.pass.directive.span, message: `${c.name} ${c.text} by default here` }));
      const gunicornRelated = place ? [{ ...place, message: `gunicorn timeout ${timeout}` }] : [];

      if (options.fixStrategy === 'nginx') {
        const sets = new Map<string, { directive: Directive; value: string }>();
        const inserts = new Map<Scope, { lines: Map<string, string>; after: Directive | undefined }>();
        for (const c of culprits) {
          if (c.directive) {
            const m = setMin.get(directiveKey(c.directive))!;
            sets.set(directiveKey(c.directive), { directive: c.directive, value: nginxTimeBelow(m.seconds) });
          }
        }
        for (const pass of passes) {
          const loc = locationOf(pass.scope);
          const m = insertMin.get(loc);
          if (m && culprits.some((c) => !c.directive)) inserts.set(loc, { lines: new Map([...m.lines].map(([n, s]) => [n, nginxTimeBelow(s)])), after: m.after });
        }
        const edits = lowerNginxTimes(sets, inserts);
        report({ ...nginxAt, message, related: [...gunicornRelated, ...nginxRelated.slice(1)], ...(edits.length ? { fix: { description: `lower ${joinAnd(culprits.map((c) => c.name))} below ${timeout}s`, edits } } : {}) });
        continue;
      }
      const raised = secondsAbove(longest.get(app)!);
      const edits = setGunicornSetting(app.gunicorn, 'timeout', String(raised), `--timeout ${raised}`);
      const fix = edits ? { description: `set gunicorn timeout = ${raised}`, edits } : undefined;
      if (place) report({ ...place, message, related: nginxRelated, ...(fix ? { fix } : {}) });
      else report({ ...nginxAt, message, related: nginxRelated.slice(1), ...(fix ? { fix } : {}) });
    }
  },
};
