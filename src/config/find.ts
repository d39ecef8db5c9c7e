/**
 * Where the config file is: `--config FILE`, or the first directory upward
 * from the current one that holds `.nginx-lint.json` or
 * `nginx-lint.config.json`. Cheap on purpose (a few stat calls): it runs on
 * every start, and nothing heavier is loaded unless a file is found.
 */
import { statSync } from 'node:fs';
import * as path from 'node:path';
import { UsageError } from '../engine/errors.js';

export const CONFIG_FILE_NAMES = ['.nginx-lint.json', 'nginx-lint.config.json'] as const;

function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

/**
 * The config file for a run started in `from`: the nearest directory upward
 * (up to the file-system root) holding one of CONFIG_FILE_NAMES; null when
 * none does. Both names in one directory is an error: which one wins would
 * be a guess.
 */
export function findConfigFile(from: string = process.cwd()): string | null {
  let dir = path.resolve(from);
  for (;;) {
    const found = CONFIG_FILE_NAMES.map((n) => path.join(dir, n)).filter(isFile);
    if (found.length > 1) throw new UsageError(`two config files in ${dir}: ${found.map((f) => path.basename(f)).join(' and ')}; keep one`);
    if (found.length === 1) return found[0]!;
    const up = path.dirname(dir);
    if (up === dir) return null;
    dir = up;
  }
}
