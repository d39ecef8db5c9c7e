/**
 * PHP's max_execution_time (pool php_admin_value / php_value over php.ini
 * over PHP's default 30) must outlast an explicitly set fastcgi_read_timeout:
 * otherwise a script nginx was told to wait for stops with "PHP Fatal error:
 * Maximum execution time of 30 seconds exceeded". A warning: on Linux the
 * limit counts the script's CPU time only, so it is a weaker bound than
 * nginx's wall-clock timer. nginx's own default (60s) is not compared.
 */
import type { Rule } from '../src/engine/rule.js';
import { lineRef } from '../src/syntax/source.js';
import { setFpmPoolValue } from '../src/stack/edits.js';
import { checkFpmTimeout } from './support/fpm-timeout.js';

export const phpMaxExecutionTimeOrder: Rule = {
  meta: { id: 'php-max-execution-time-order', family: 'timeouts', description: "an explicit fastcgi_read_timeout is not shorter than PHP's max_execution_time", severity: 'warning', fixable: true },
  check(ctx) {
    checkFpmTimeout(ctx, {
      limitName: 'max_execution_time',
      defaultsCount: false,
      limit(pool) {
        const v = pool.php.get('max_execution_time');
        if (v.value === null || !/^\s*-?\d+\s*$/.test(v.value)) return null;
        const seconds = Number(v.value);
        const place = v.file && v.span ? { file: v.file, span: v.span } : null;
        const where = place ? `at ${lineRef(place.file, place.span.start)}` : '(PHP default)';
        const source = v.source === 'php.ini' ? '' : v.source === 'default' ? '' : ` ${v.source}`;
        return {
          seconds,
          text: `max_execution_time ${v.text}${source ? ` (${source.trim()})` : ''} ${where}`,
          place,
          fixKey: v.source === 'php.ini' && v.file && v.valueSpan ? `${v.file.path}\0${v.valueSpan.start}` : pool.id,
          fix: (n) => {
            if (v.source === 'php.ini') return v.file && v.valueSpan ? [{ file: v.file, span: v.valueSpan, text: String(n) }] : null;
            const e = setFpmPoolValue(pool.pool, `${v.source === 'default' ? 'php_admin_value' : v.source}[max_execution_time]`, String(n));
            return e ? [e] : null;
          },
        };
      },
      message: (nginxSide, limit, pool) =>
        `${nginxSide} outlasts ${limit.text} (FPM pool [${pool.name}]): a script that uses ${limit.seconds}s of CPU time stops with "Maximum execution time of ${limit.seconds} seconds exceeded" before nginx stops waiting`,
    });
  },
};
