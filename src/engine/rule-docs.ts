/**
 * The documentation of a rule: built-in rules have rules/<id>.md in the
 * package (shipped by package.json "files"); plugin rules carry theirs in
 * meta.docs. Read on demand only (--explain, SARIF help), never at start-up.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RuleMeta } from './rule.js';

let rulesDir: string | null | undefined;

/** The package's rules/ directory, found upward from this module (src/engine in development, dist/ or dist/chunks when bundled). */
export function builtinRulesDir(): string | null {
  if (rulesDir !== undefined) return rulesDir;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    if (existsSync(path.join(dir, 'package.json')) && existsSync(path.join(dir, 'rules'))) return (rulesDir = path.join(dir, 'rules'));
    const up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return (rulesDir = null);
}

/** The markdown doc of a rule, or undefined when it has none. */
export function ruleDoc(meta: Pick<RuleMeta, 'id'> & { docs?: string | undefined }): string | undefined {
  if (meta.docs !== undefined) return meta.docs;
  const dir = builtinRulesDir();
  if (!dir || !/^[a-z0-9-]+$/.test(meta.id)) return undefined;
  const file = path.join(dir, `${meta.id}.md`);
  return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
}
