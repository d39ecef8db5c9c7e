/**
 * RuleTester, after ESLint's: a table of valid and invalid stacks per rule.
 * Each case is a set of files in memory; invalid cases list every finding
 * (message, file, line, column, severity, related lines) exactly, and the
 * files as the rule's fixes leave them. The fixes must add no error of the
 * programs' own checks, and fixing the output again must change nothing and
 * leave none of the rule's findings behind.
 */
import { describe, expect, it } from 'vitest';
import type { Severity } from '../../src/diagnostic.js';
import { toReported } from '../../src/diagnostic.js';
import { memoryFileSystem } from '../../src/fs.js';
import { fixUntilStable } from '../../src/engine/fix.js';
import { lint, type LintOptions, type LintResult } from '../../src/engine/lint.js';
import type { Rule } from '../../src/engine/rule.js';

export interface RuleCase {
  name: string;
  /** path → content (absolute paths; the stack is linted from `paths`) */
  files: Record<string, string>;
  /** what to lint (default: "/") */
  paths?: string[];
  options?: Pick<LintOptions, 'nginxVersion' | 'fixStrategy' | 'context' | 'typed' | 'root'>;
}

export interface ExpectedFinding {
  message: string | RegExp;
  file: string;
  line: number;
  column?: number;
  severity?: Severity;
  /** `file:line` of each related location, in order */
  related?: string[];
}

export interface InvalidCase extends RuleCase {
  errors: ExpectedFinding[];
  /** every file the fixes change, with its text afterwards; omit when the rule has no fix here; {} when it must change nothing */
  output?: Record<string, string>;
}

function run(rule: Rule, c: RuleCase, files: Record<string, string>) {
  const fs = memoryFileSystem(files);
  return lint(c.paths ?? ['/'], { ...c.options, fs, rules: [rule] });
}

export function testRule(rule: Rule, cases: { valid: RuleCase[]; invalid: InvalidCase[] }): void {
  describe(rule.meta.id, () => {
    it('has meta', () => {
      expect(rule.meta.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(rule.meta.description.length).toBeGreaterThan(10);
    });
    for (const c of cases.valid) {
      it(`valid: ${c.name}`, () => {
        const found = run(rule, c, c.files).diagnostics.filter((d) => d.rule === rule.meta.id);
        expect(found.map((d) => `${toReported(d).file}:${toReported(d).line} ${d.message}`)).toEqual([]);
      });
    }
    for (const c of cases.invalid) {
      it(`invalid: ${c.name}`, () => {
        const found = run(rule, c, c.files)
          .diagnostics.filter((d) => d.rule === rule.meta.id)
          .map(toReported);
        expect(found.length, found.map((f) => `${f.file}:${f.line} ${f.message}`).join('\n')).toBe(c.errors.length);
        c.errors.forEach((e, i) => {
          const f = found[i]!;
          if (typeof e.message === 'string') expect(f.message).toBe(e.message);
          else expect(f.message).toMatch(e.message);
          expect(`${f.file}:${f.line}`).toBe(`${e.file}:${e.line}`);
          if (e.column !== undefined) expect(f.column).toBe(e.column);
          expect(f.severity).toBe(e.severity ?? rule.meta.severity);
          if (e.related) expect(f.related.map((r) => `${r.file}:${r.line}`)).toEqual(e.related);
        });
        if (c.output === undefined) {
          expect(found.some((f) => f.fixable), 'a fix was offered but the case gives no output').toBe(false);
          return;
        }
        const fs = memoryFileSystem(c.files);
        const outcome = fixUntilStable((ofs) => lint(c.paths ?? ['/'], { ...c.options, fs: ofs, rules: [rule] }), fs);
        const changed = Object.fromEntries([...outcome.files.values()].map((f) => [f.original.path, f.text]));
        expect(changed).toEqual(c.output);
        // and the fixes add nothing nginx -t, php-fpm -t, PHP or gunicorn would refuse
        expect(outcome.introducedErrors.map((d) => `${toReported(d).file}:${toReported(d).line} ${d.rule} ${d.message}`)).toEqual([]);
        // the fixed stack: no finding of this rule that has a fix, and fixing again changes nothing
        const after = { ...c.files, ...changed };
        const again = fixUntilStable((ofs) => lint(c.paths ?? ['/'], { ...c.options, fs: ofs, rules: [rule] }), memoryFileSystem(after));
        expect(again.files.size).toBe(0);
        expect(again.result.diagnostics.filter((d) => d.rule === rule.meta.id && d.fix)).toEqual([]);
      });
    }
  });
}

/**
 * Lint `files` with `rule` alone, counting the rule's effective-value lookups
 * (model.effective): how tests see that a rule reads a scope once however
 * many passes it holds, without timing anything.
 */
export function lintCountingLookups(rule: Rule, files: Record<string, string>): { diagnostics: LintResult['diagnostics']; lookups: number } {
  let lookups = 0;
  const counting: Rule = {
    meta: rule.meta,
    check(ctx) {
      const effective: typeof ctx.model.effective = (scope, name) => {
        lookups++;
        return ctx.model.effective(scope, name);
      };
      rule.check({ ...ctx, model: { ...ctx.model, effective } });
    },
  };
  const result = lint(['/'], { fs: memoryFileSystem(files), rules: [counting] });
  return { diagnostics: result.diagnostics.filter((d) => d.rule === rule.meta.id), lookups };
}
