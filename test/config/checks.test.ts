/**
 * Every rule id the parsers can emit is in CHECKS (src/engine/checks.ts), so
 * the config file, --list-rules, --explain and SARIF know it. Shown two ways:
 * the rule-id literals of the parser sources, and the ids of every finding
 * the parsers report over the project's fixtures.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHECKS, findCheck } from '../../src/engine/checks.js';
import { UsageError } from '../../src/engine/errors.js';
import { lint } from '../../src/engine/lint.js';
import { FILE_KINDS, type FileKind } from '../../src/stack/kind.js';
import { RULES } from '../../rules/index.js';

const root = path.resolve(import.meta.dirname, '../..');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = path.join(dir, n);
    return statSync(p).isDirectory() ? files(p) : [p];
  });
}

/** String literals of the form of a parser check id, in the parser sources. */
function idLiterals(): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const f of files(path.join(root, 'src/syntax')).filter((f) => f.endsWith('.ts'))) {
    const text = readFileSync(f, 'utf8');
    for (const m of text.matchAll(/['"`]((?:nginx|ini|fpm|php|gunicorn)-[a-z]+(?:-[a-z]+)*)['"`]/g)) out.set(m[1]!, [...(out.get(m[1]!) ?? []), path.relative(root, f)]);
  }
  return out;
}

/** Literals of that form that are not rule ids: file kinds and a value (syslog.ident's default "php-fpm"). */
const NOT_IDS = new Set(['php-ini', 'php-fpm']);

describe('CHECKS', () => {
  it('ids are unique and distinct from the rules', () => {
    const ids = CHECKS.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const r of RULES) expect(findCheck(r.meta.id), r.meta.id).toBeUndefined();
  });

  it('holds every rule-id literal of src/syntax (the ids parsers report)', () => {
    const literals = idLiterals();
    expect(literals.size).toBeGreaterThan(20);
    for (const n of NOT_IDS) expect(FILE_KINDS.includes(n as FileKind) || n === 'php-fpm', n).toBe(true);
    const missing = [...literals].filter(([id]) => !NOT_IDS.has(id) && !findCheck(id)).map(([id, where]) => `${id} (${where.join(', ')})`);
    expect(missing).toEqual([]);
  });

  it('has no id that nothing in src/ reports', () => {
    const sources = files(path.join(root, 'src'))
      .filter((f) => f.endsWith('.ts') && !f.endsWith(path.join('engine', 'checks.ts')))
      .map((f) => readFileSync(f, 'utf8'))
      .join('\n');
    for (const c of CHECKS) expect(sources.includes(`'${c.id}'`), `${c.id} appears nowhere in src/ but checks.ts`).toBe(true);
  });

  it("holds the id of every finding the parsers report over the project's fixtures", () => {
    const seen = new Map<string, string>();
    const record = (paths: string[], kind?: FileKind) => {
      try {
        for (const d of lint(paths, { rules: false, ...(kind ? { kind } : {}) }).diagnostics) if (!seen.has(d.rule)) seen.set(d.rule, d.file.path);
      } catch (err) {
        if (!(err instanceof UsageError)) throw err; // a fixture that is not a stack on its own (e.g. a missing include)
      }
    };
    const fixtures = path.join(root, 'fixtures');
    const forced: Record<string, FileKind> = { nginx: 'nginx', 'nginx-t': 'nginx', effective: 'nginx', fpm: 'fpm', ini: 'php-ini' };
    for (const top of readdirSync(fixtures)) {
      const dir = path.join(fixtures, top);
      if (!statSync(dir).isDirectory()) continue;
      record([dir]);
      for (const f of files(dir)) {
        record([f]);
        if (forced[top]) record([f], forced[top]);
      }
    }
    const unknown = [...seen].filter(([id]) => !findCheck(id)).map(([id, file]) => `${id} (${path.relative(root, file)})`);
    expect(unknown).toEqual([]);
    // the fixtures exercise most checks, so the assertion above is about something
    expect(seen.size).toBeGreaterThanOrEqual(20);
  });
});
