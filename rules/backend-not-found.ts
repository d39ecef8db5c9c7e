/**
 * A pass whose target no pool or app of the stack listens on. An error when
 * a backend listens on an almost identical socket (a typo: nginx gets
 * "connect() to unix:... failed (2: No such file or directory)" and answers
 * 502); info when the backend is simply outside the files given.
 */
import * as path from 'node:path';
import type { Rule } from '../src/engine/rule.js';
import { canonicalPath, formatEndpoint } from '../src/stack/address.js';
import { describeTarget, type BackendApp, type Listener } from '../src/stack/model.js';
import { appLabel } from '../src/stack/describe.js';
import { editDistance } from '../src/edit-distance.js';
import { isPlainNginxWord } from '../src/stack/edits.js';
import { lineRef } from '../src/syntax/source.js';
import { argSpan, argValue, nameOf } from '../src/syntax/nginx/nodes.js';

/** A listener whose socket path differs from `p` by a small edit in the file name, or only in its directory. */
function nearMiss(p: string, listeners: { app: BackendApp; listener: Listener }[]): { app: BackendApp; listener: Listener }[] {
  const target = canonicalPath(p);
  return listeners.filter(({ listener }) => {
    if (listener.endpoint.kind !== 'unix') return false;
    const other = canonicalPath(listener.endpoint.path);
    const a = path.basename(target);
    const b = path.basename(other);
    if (a === b) return true; // same socket name in another directory
    return path.dirname(target) === path.dirname(other) && editDistance(a, b) <= Math.max(2, Math.floor(Math.min(a.length, b.length) / 4));
  });
}

export const backendNotFound: Rule = {
  meta: { id: 'backend-not-found', family: 'links', description: 'nginx passes requests to a socket or address no pool or app of the stack listens on', severity: 'error', fixable: true },
  check({ model, report }) {
    const listeners = [...model.pools, ...model.apps].flatMap((app) => app.listeners.map((listener) => ({ app, listener })));
    if (listeners.length === 0) return; // nothing to link to: only nginx was given
    // per tree, the pass targets (as written) already decided: 15,000 passes name a few thousand
    const seenIn = new Map<string, Set<string | undefined>>();
    for (const pass of model.passes) {
      const t = pass.target;
      if (t.kind === 'variable' || t.kind === 'invalid') continue;
      let seen = seenIn.get(pass.tree.id);
      if (!seen) seenIn.set(pass.tree.id, (seen = new Set()));
      const key = argValue(pass.directive, 0);
      if (seen.has(key)) continue;
      if (t.kind === 'missing-upstream') {
        seen.add(key);
        report({ file: pass.directive.file, span: argSpan(pass.directive, 0)!, severity: 'info', message: `${nameOf(pass.directive)} names upstream "${t.name}", which is not defined in the files given (generated at deploy time?)` });
        continue;
      }
      // reached (a partly reached upstream is the upstream's business)
      if (pass.backends.length === 0 || pass.backends.some((b) => b.apps.length > 0)) continue;
      seen.add(key);
      for (const b of pass.backends) {
        const at = b.server ? { file: b.server.directive.file, span: argSpan(b.server.directive, 0)! } : { file: pass.directive.file, span: argSpan(pass.directive, 0)! };
        const near = b.endpoint.kind === 'unix' ? nearMiss(b.endpoint.path, listeners) : [];
        if (near.length > 0) {
          const cands = near.map((n) => `${formatEndpoint(n.listener.endpoint)} (${appLabel(n.app)}, ${lineRef(n.listener.file, n.listener.span.start)})`);
          const one = near.length === 1 ? near[0]! : null;
          const written = at.file.text.slice(at.span.start, at.span.end);
          // a path nginx would not read back as one plain word (a blank, `;`, a quote...) is not written into the config
          const replacement = one && one.listener.endpoint.kind === 'unix' && b.endpoint.kind === 'unix' && isPlainNginxWord(one.listener.endpoint.path) ? written.replace(b.endpoint.path, one.listener.endpoint.path) : null;
          report({
            ...at,
            message: `nothing listens on ${formatEndpoint(b.endpoint)}; did you mean ${cands.join(' or ')}? nginx answers 502 (connect() failed: No such file or directory)`,
            related: near.map((n) => ({ file: n.listener.file, span: n.listener.span, message: `${appLabel(n.app)} listens on ${formatEndpoint(n.listener.endpoint)}` })),
            ...(replacement && replacement !== written && one?.listener.endpoint.kind === 'unix' ? { fix: { description: `use ${one.listener.endpoint.path}`, edits: [{ file: at.file, span: at.span, text: replacement }] } } : {}),
          });
        } else {
          // joined into one flat string: a big tree has thousands of these, kept until the report is printed
          const message = ['no pool or app in the files given listens on ', formatEndpoint(b.endpoint), ' (', describeTarget(t), '); its settings are not checked'].join('');
          report({ file: at.file, span: at.span, severity: 'info', message });
        }
      }
    }
  },
};
