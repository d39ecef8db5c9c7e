/** The stack flags (--root, --nginx, --fpm, --php-ini, --gunicorn) as lint options; shared by lint and graph. */
import type { LintOptions } from '../engine/lint.js';
import { typedPaths } from '../config/stack-paths.js';
import type { ConfigStack } from '../config/types.js';

export interface StackArgs {
  root?: string;
  nginx?: string[];
  fpm?: string[];
  phpIni?: string[];
  gunicorn?: string[];
}

export function lintOptionsForStack(s: StackArgs): Pick<LintOptions, 'root' | 'typed'> {
  const typed = typedPaths(s);
  return { ...(s.root !== undefined ? { root: s.root } : {}), ...(typed.length ? { typed } : {}) };
}

/** Does the command line name any file of the stack? */
export function namesFiles(paths: readonly string[], s: StackArgs): boolean {
  return paths.length > 0 || s.root !== undefined || s.nginx !== undefined || s.fpm !== undefined || s.phpIni !== undefined || s.gunicorn !== undefined;
}

/** With only --root or --nginx/--fpm/... given, no directory is walked; with nothing, the current directory is. */
export function defaultPaths(paths: string[], s: StackArgs): string[] {
  if (paths.length) return paths;
  return namesFiles([], s) ? [] : ['.'];
}

/**
 * The files of the run: the command line's when it names any (paths or a
 * stack flag: then the config's paths, root, nginx, fpm, phpIni and gunicorn
 * are all left out, since mixing the two would lint a stack nobody
 * described), otherwise the config file's.
 */
export function mergeStack(paths: string[], cli: StackArgs, config: ConfigStack): { paths: string[]; stack: StackArgs } {
  if (namesFiles(paths, cli)) return { paths: defaultPaths(paths, cli), stack: cli };
  const stack: StackArgs = {
    ...(config.root !== undefined ? { root: config.root } : {}),
    ...(config.nginx ? { nginx: config.nginx } : {}),
    ...(config.fpm ? { fpm: config.fpm } : {}),
    ...(config.phpIni ? { phpIni: config.phpIni } : {}),
    ...(config.gunicorn ? { gunicorn: config.gunicorn } : {}),
  };
  return { paths: defaultPaths(config.paths ?? [], stack), stack };
}
