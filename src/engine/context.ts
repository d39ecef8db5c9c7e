/**
 * The context of an nginx file that nobody includes: `main` for a whole
 * nginx.conf, otherwise the outermost context in which every top-level
 * directive it holds is allowed (a conf.d file → http, a snippet of
 * `listen`/`location` → server, a `fastcgi_param` list → http).
 */
import type { ContextName, NginxFile } from '../syntax/nginx/ast.js';
import { allowedIn, existsIn, lookupDirective } from '../syntax/nginx/directives.js';
import type { NginxVersion } from '../syntax/nginx/version.js';
import { directivesOf, nameOf } from '../syntax/nginx/nodes.js';

const CANDIDATES: ContextName[] = ['main', 'http', 'server', 'location', 'stream', 'stream_server', 'upstream', 'stream_upstream', 'mail', 'mail_server', 'lif', 'if'];

export function inferRootContext(file: NginxFile, version: NginxVersion): ContextName {
  const names: string[] = [];
  for (const n of directivesOf(file)) names.push(nameOf(n));
  const known = names.map((name) => lookupDirective(name).filter((s) => existsIn(s, version))).filter((specs) => specs.length > 0);
  if (known.length === 0) return 'main';
  let best: ContextName = 'main';
  let bestScore = -1;
  for (const ctx of CANDIDATES) {
    const score = known.filter((specs) => specs.some((s) => allowedIn(s, ctx))).length;
    if (score === known.length) return ctx;
    if (score > bestScore) {
      best = ctx;
      bestScore = score;
    }
  }
  return best;
}
