/**
 * The project's own files as seeds for mutation: every fixture and the
 * example stack, grouped by the parser that reads them.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { detectKind } from '../../../src/stack/kind.js';
import { gunicornFileKind } from '../../../src/syntax/gunicorn/index.js';

export const REPO = path.resolve(import.meta.dirname, '../../..');

export type SeedKind = 'nginx' | 'php-ini' | 'fpm' | 'gunicorn-config' | 'systemd' | 'procfile' | 'shell';

export interface Seed {
  /** path relative to the repository */
  rel: string;
  text: string;
  kind: SeedKind;
}

function walk(dir: string, out: string[]): void {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else if (e.isFile()) out.push(p);
  }
}

function kindOf(rel: string, text: string): SeedKind | null {
  if (rel.startsWith('fixtures/gunicorn/cmdline/') || rel.startsWith('fixtures/gunicorn/shell/')) return 'shell';
  if (rel.startsWith('fixtures/fpm/')) return 'fpm';
  if (rel.startsWith('fixtures/ini/')) return 'php-ini';
  const k = detectKind(rel, text);
  switch (k) {
    case 'nginx':
    case 'php-ini':
    case 'fpm':
    case 'procfile':
      return k;
    case 'systemd':
      return 'systemd';
    case 'gunicorn':
      return gunicornFileKind(rel, text) === 'config' ? 'gunicorn-config' : 'shell';
    default:
      return null;
  }
}

let cache: Seed[] | null = null;

/** Every seed file (read once per process). */
export function seeds(): Seed[] {
  if (cache) return cache;
  const files: string[] = [];
  walk(path.join(REPO, 'fixtures'), files);
  walk(path.join(REPO, 'examples/stack'), files);
  const out: Seed[] = [];
  for (const f of files.sort()) {
    const rel = path.relative(REPO, f);
    if (rel.endsWith('.json') || rel.endsWith('.md')) continue;
    const text = fs.readFileSync(f, 'latin1');
    const kind = kindOf(rel, text);
    if (kind) out.push({ rel, text, kind });
  }
  cache = out;
  return out;
}

export function seedsOf(...kinds: SeedKind[]): Seed[] {
  const list = seeds().filter((s) => kinds.includes(s.kind));
  if (list.length === 0) throw new Error(`no seed files of kind ${kinds.join(', ')}`);
  return list;
}

/** The example stack as a map of repository-relative path → bytes (for a memory file system). */
export function exampleStack(): Record<string, Buffer> {
  const files: string[] = [];
  const root = path.join(REPO, 'examples/stack');
  walk(root, files);
  const out: Record<string, Buffer> = {};
  for (const f of files) if (!f.endsWith('.md')) out[path.relative(root, f)] = fs.readFileSync(f);
  return out;
}
