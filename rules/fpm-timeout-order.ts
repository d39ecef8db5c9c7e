/**
 * nginx must give up on a PHP-FPM worker before php-fpm kills it: the
 * effective fastcgi_read_timeout at a fastcgi_pass must be strictly shorter
 * than the pool's request_terminate_timeout (0 or unset: never killed).
 * Otherwise php-fpm logs "[pool www] child 123, script '...' execution timed
 * out (91.2 sec), terminating", nginx logs "upstream prematurely closed
 * FastCGI stdout while reading response header from upstream" and answers
 * 502 instead of its own 504.
 */
import type { Rule } from '../src/engine/rule.js';
import { lineRef } from '../src/syntax/source.js';
import { fpmSetting } from '../src/syntax/ini/fpm.js';
import { setFpmPoolValue } from '../src/stack/edits.js';
import { checkFpmTimeout } from './support/fpm-timeout.js';

/** A new FPM duration in the style of the written one: `181` or `181s`. */
function fpmSeconds(written: string, seconds: number): string {
  return /^\d+$/.test(written.trim()) ? String(seconds) : `${seconds}s`;
}

export const fpmTimeoutOrder: Rule = {
  meta: { id: 'fpm-timeout-order', family: 'timeouts', description: "fastcgi_read_timeout is not shorter than the FPM pool's request_terminate_timeout", severity: 'error', fixable: true },
  check(ctx) {
    checkFpmTimeout(ctx, {
      limitName: 'request_terminate_timeout',
      defaultsCount: true,
      limit(pool) {
        const s = fpmSetting(pool.pool, 'request_terminate_timeout');
        if (!s || typeof s.typed !== 'number' || typeof s.value !== 'string') return null;
        const written = s.entry.value ? s.file.source.text.slice(s.entry.value.span.start, s.entry.value.span.end) : s.value;
        return {
          seconds: s.typed,
          text: `request_terminate_timeout ${written} at ${lineRef(s.file.source, s.entry.span.start)}`,
          place: { file: s.file.source, span: s.entry.span },
          fixKey: pool.id,
          fix: (n) => {
            const e = setFpmPoolValue(pool.pool, 'request_terminate_timeout', fpmSeconds(s.value as string, n));
            return e ? [e] : null;
          },
        };
      },
      message: (nginxSide, limit, pool) =>
        `${nginxSide} outlasts ${limit.text} (FPM pool [${pool.name}]): php-fpm kills the worker after ${limit.seconds}s and nginx answers 502 (upstream prematurely closed FastCGI stdout) instead of its own 504`,
    });
  },
};
