/** The files a stack names (config `stack` or the --nginx/--fpm/... flags) as lint()'s `typed` option. */
import type { TypedPath } from '../engine/collect.js';
import type { ConfigStack } from './types.js';

export function typedPaths(s: Pick<ConfigStack, 'nginx' | 'fpm' | 'phpIni' | 'gunicorn'>): TypedPath[] {
  return [
    ...(s.nginx ?? []).map((p) => ({ path: p, kind: 'nginx' as const })),
    ...(s.fpm ?? []).map((p) => ({ path: p, kind: 'fpm' as const })),
    ...(s.phpIni ?? []).map((p) => ({ path: p, kind: 'php-ini' as const })),
    ...(s.gunicorn ?? []).map((p) => ({ path: p, kind: 'gunicorn' as const })),
  ];
}

