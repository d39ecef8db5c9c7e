/**
 * --format json: the documented shape (schemas/output.schema.json), with the
 * fields added for fixes and the rules of the run.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { lint } from '../../src/engine/lint.js';
import { applyEdits } from '../../src/engine/fix.js';
import { buildReport } from '../../src/engine/report.js';
import { formatJson } from '../../src/format/json.js';

const root = path.resolve(import.meta.dirname, '../..');
const validate = new Ajv({ allErrors: true }).compile(JSON.parse(readFileSync(path.join(root, 'schemas/output.schema.json'), 'utf8')));

describe('--format json', () => {
  const result = lint([path.join(root, 'examples/stack')]);
  const report = buildReport(result);
  const out = JSON.parse(formatJson(report, { color: false }));

  it('validates against schemas/output.schema.json', () => {
    expect(validate(out), JSON.stringify(validate.errors)).toBe(true);
    expect(out.diagnostics.length).toBeGreaterThan(5);
  });

  it('keeps the documented fields, in their order, and adds fix only to fixable findings', () => {
    for (const d of out.diagnostics) {
      expect(Object.keys(d).slice(0, 10)).toEqual(['file', 'line', 'column', 'endLine', 'endColumn', 'rule', 'severity', 'message', 'related', 'fixable']);
      expect('fix' in d).toBe(d.fixable);
      for (const r of d.related) expect(Object.keys(r)).toEqual(['file', 'line', 'column', 'endLine', 'endColumn', 'message']);
    }
  });

  it("gives each fix's edits as positions whose replacement is what --fix writes", () => {
    const fixable = result.diagnostics.filter((d) => d.fix);
    expect(fixable.length).toBe(out.summary.fixable);
    let edits = 0;
    result.diagnostics.forEach((d, i) => {
      const j = out.diagnostics[i];
      if (!d.fix) return;
      expect(j.fix.description).toBe(d.fix.description);
      for (const file of new Set(d.fix.edits.map((e) => e.file))) {
        const mine = j.fix.edits.filter((e: { file: string }) => e.file === file.path);
        // replace line:col ranges (end exclusive) from the last to the first
        const starts = [0];
        for (let k = file.text.indexOf('\n'); k !== -1; k = file.text.indexOf('\n', k + 1)) starts.push(k + 1);
        const at = (line: number, col: number) => starts[line - 1]! + col - 1;
        let text = file.text;
        for (const e of [...mine].sort((a, b) => at(b.line, b.column) - at(a.line, a.column))) text = text.slice(0, at(e.line, e.column)) + e.text + text.slice(at(e.endLine, e.endColumn));
        expect(text).toBe(applyEdits(file, d.fix.edits.filter((e) => e.file === file)));
        edits += mine.length;
      }
    });
    expect(edits).toBeGreaterThanOrEqual(fixable.length);
  });

  it('lists every rule and check of the run, without their docs', () => {
    expect(out.rules.map((r: { id: string }) => r.id)).toEqual(report.rules.map((r) => r.id));
    expect(out.rules.find((r: { id: string }) => r.id === 'gunicorn-timeout-order')).toEqual({ id: 'gunicorn-timeout-order', description: expect.any(String), severity: 'error', fixable: true, kind: 'rule', family: 'timeouts' });
    expect(out.rules.find((r: { id: string }) => r.id === 'nginx-syntax')).toMatchObject({ kind: 'check', program: 'nginx', fixable: false });
    expect(out.rules.some((r: object) => 'docs' in r)).toBe(false);
  });
});
