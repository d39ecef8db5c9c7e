/**
 * Where a CI system expects file paths to start: the repository root. GitHub
 * code scanning and workflow annotations both resolve paths against the
 * checkout, whatever directory nginx-lint ran in.
 */
import { existsSync, realpathSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

/** The git top-level at or above `cwd` (a `.git` directory, or the `.git` file of a worktree or submodule), else `cwd`. */
export function repositoryRoot(cwd: string): string {
  let dir = path.resolve(cwd);
  for (;;) {
    if (existsSync(path.join(dir, '.git'))) return dir;
    const up = path.dirname(dir);
    if (up === dir) return path.resolve(cwd);
    dir = up;
  }
}

/** The real path when the file exists: GitHub cannot show a result reported through a symlink. */
function realOr(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return p;
  }
}

export interface SourcePaths {
  /** the root as a file:// URL ending in '/' */
  rootUri: string;
  /**
   * A report path against the root: `relative` (URI-encoded, '/'-separated,
   * for SARIF) and `path` (plain, for annotations) when the file lies inside
   * the root; otherwise `relative` is null and `uri` is its absolute file:// URL.
   */
  locate(file: string): { relative: string | null; uri: string; path: string };
}

export function sourcePaths(options: { cwd?: string | undefined; sourceRoot?: string | undefined }): SourcePaths {
  const cwd = path.resolve(options.cwd ?? process.cwd());
  const root = realOr(path.resolve(cwd, options.sourceRoot ?? repositoryRoot(cwd)));
  const rootUri = pathToFileURL(root).href.replace(/\/?$/, '/');
  const cache = new Map<string, { relative: string | null; uri: string; path: string }>();
  return {
    rootUri,
    locate(file) {
      const hit = cache.get(file);
      if (hit) return hit;
      const abs = realOr(path.resolve(cwd, file));
      const uri = pathToFileURL(abs).href;
      const inside = uri.startsWith(rootUri);
      const located = inside ? { relative: uri.slice(rootUri.length), uri, path: path.relative(root, abs).split(path.sep).join('/') } : { relative: null, uri, path: abs };
      cache.set(file, located);
      return located;
    },
  };
}
