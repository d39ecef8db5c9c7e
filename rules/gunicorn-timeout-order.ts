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
 * Option `margin` (seconds, default 0): nginx must give up more than that
 * many seconds before gunicorn's timeout, not merely before it.
 */
import type { Rule } from '../src/engine/rule.js';
import type { Directive } from '../src/syntax/nginx/ast.js';
import { lineRef } from '../src/syntax/source.js';
import type { Scope } from '../src/stack/nginx-scopes.js';
import { linkedApps, type GunicornApp, type Pass } from '../src/stack/model.js';
import { setGunicornSetting } from '../src/stack/edits.js';
import { directiveKey, type NginxTime, nginxTime, describeNginxValue, secondsAbove, nginxTimeBelow, joinAnd, lowerNginxTimes } from './support/nginx.js';
import { gunicornSettingPlace, gunicornInt, describeGunicornValue, type GunicornWorker, gunicornWorker } from './support/gunicorn.js';
import { nameOf } from '../src/syntax/nginx/nodes.js';

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

// a type, not an interface: it must fit Rule's Record<string, unknown> default
export type GunicornTimeoutOrderOptions = {
  /** nginx must give up more than this many seconds before gunicorn's timeout (0: any time before) */
  margin: number;
};

export const gunicornTimeoutOrder: Rule<GunicornTimeoutOrderOptions> = {
  meta: {
    id: 'gunicorn-timeout-order',
    family: 'timeouts',
    description: "nginx's read/send timeout toward a gunicorn sync worker is not shorter than gunicorn's timeout",
    severity: 'error',
    fixable: true,
    options: {
      type: 'object',
      properties: {
        margin: {
          type: 'integer',
          minimum: 0,
          default: 0,
          description:
            "nginx's read/send timeout must end more than this many seconds before gunicorn's timeout (0: strictly shorter is enough). gunicorn counts from the worker's last heartbeat, before it read the request, and its arbiter checks about once a second; a margin leaves room for that and for slow request bodies. Fixes keep the margin.",
        },
      },
      additionalProperties: false,
    },
  },
  check({ model, options, config, report }) {
    const margin = config.margin ?? 0;
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
          if (t && t.ms + margin * 1000 >= timeout * 1000) culprits.push({ ...t, pass });
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
            const loc = pass.location;
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
      const nginxSide = joinAnd(culprits.map((c) => (c.directive ? describeNginxValue(c) : `${c.name} ${c.text} (nginx default, for ${nameOf(c.pass.directive)} at ${lineRef(c.pass.directive.file, c.pass.directive.span.start)}${more})`)));
      const outlasts = culprits.some((c) => c.ms >= timeout * 1000);
      const verb = outlasts ? (culprits.length > 1 ? 'outlast' : 'outlasts') : `${culprits.length > 1 ? 'leave' : 'leaves'} no more than the ${margin}s margin (option "margin") before`;
      const message = `${nginxSide} ${verb} ${gunicornSide}: gunicorn kills the worker after ${timeout}s and nginx answers 502 (upstream prematurely closed connection) instead of its own 504`;
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
            if (m.seconds - margin >= 1) sets.set(directiveKey(c.directive), { directive: c.directive, value: nginxTimeBelow(m.seconds - margin) });
          }
        }
        for (const pass of passes) {
          const loc = pass.location;
          const m = insertMin.get(loc);
          const lines = m ? [...m.lines].filter(([, s]) => s - margin >= 1) : [];
          if (m && lines.length && culprits.some((c) => !c.directive)) inserts.set(loc, { lines: new Map(lines.map(([n, s]) => [n, nginxTimeBelow(s - margin)])), after: m.after });
        }
        const edits = lowerNginxTimes(sets, inserts);
        const below = margin ? `${timeout - margin}s (gunicorn's ${timeout}s less the ${margin}s margin)` : `${timeout}s`;
        report({ ...nginxAt, message, related: [...gunicornRelated, ...nginxRelated.slice(1)], ...(edits.length ? { fix: { description: `lower ${joinAnd(culprits.map((c) => c.name))} below ${below}`, edits } } : {}) });
        continue;
      }
      const raised = secondsAbove(longest.get(app)! + margin * 1000);
      const edits = setGunicornSetting(app.gunicorn, 'timeout', String(raised), `--timeout ${raised}`);
      const fix = edits ? { description: `set gunicorn timeout = ${raised}`, edits } : undefined;
      if (place) report({ ...place, message, related: nginxRelated, ...(fix ? { fix } : {}) });
      else report({ ...nginxAt, message, related: nginxRelated.slice(1), ...(fix ? { fix } : {}) });
    }
  },
};
