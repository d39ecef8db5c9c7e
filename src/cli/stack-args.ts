/** The stack flags (--root, --nginx, --fpm, --php-ini, --gunicorn) as lint options; shared by lint and graph. */
import type { TypedPath } from '../engine/collect.js';
import type { LintOptions } from '../engine/lint.js';

export interface StackArgs {
  root?: string;
  nginx?: string[];
  fpm?: string[];
  phpIni?: string[];
  gunicorn?: string[];
}

export function lintOptionsForStack(s: StackArgs): Pick<LintOptions, 'root' | 'typed'> {
  const typed: TypedPath[] = [
    ...(s.nginx ?? []).map((path) => ({ path, kind: 'nginx' as const })),
    ...(s.fpm ?? []).map((path) => ({ path, kind: 'fpm' as const })),
    ...(s.phpIni ?? []).map((path) => ({ path, kind: 'php-ini' as const })),
    ...(s.gunicorn ?? []).map((path) => ({ path, kind: 'gunicorn' as const })),
  ];
  return { ...(s.root !== undefined ? { root: s.root } : {}), ...(typed.length ? { typed } : {}) };
}
