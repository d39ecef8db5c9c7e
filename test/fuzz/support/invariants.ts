/**
 * What every parser promises on any input, checked on its diagnostics:
 * spans inside their file (0 ≤ start ≤ end ≤ text.length, integers), start
 * and end map to a line:column that maps back to the same offset, related
 * locations and fix edits too, and no message from a parser's safety net
 * (an exception it caught: a bug, even though nothing crashed).
 */
import type { Diagnostic } from '../../../src/diagnostic.js';
import { offsetOfLine, positionAt, type SourceFile, type Span } from '../../../src/syntax/source.js';

/** Messages the parsers' catch-all handlers produce: each means an exception escaped the parser's own logic. */
export const SAFETY_NET = [/internal parser error/, /internal error while loading/, /cannot evaluate this file \(/, /cannot read this Python file \(/];

/** Words a message should never hold unless the input did: a value printed without being computed. */
const LEAKS = ['undefined', 'NaN', '[object Object]'];

function spanProblem(file: SourceFile, span: Span, what: string): string | null {
  const len = file.text.length;
  const { start, end } = span;
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || start > end || end > len) {
    return `${what}: span ${start}..${end} outside ${file.path} (length ${len})`;
  }
  for (const off of [start, end]) {
    const p = positionAt(file, off);
    if (!(p.line >= 1 && p.column >= 1)) return `${what}: offset ${off} maps to ${p.line}:${p.column}`;
    const back = offsetOfLine(file, p.line) + p.column - 1;
    if (back !== off) return `${what}: offset ${off} maps to ${p.line}:${p.column}, which maps back to ${back}`;
  }
  return null;
}

/** Problems with a list of diagnostics; [] when all is well. `inputs` are the texts the run read (to tell a quoted word from a leak). */
export function diagnosticProblems(diagnostics: readonly Diagnostic[], inputs: readonly string[] = []): string[] {
  const out: string[] = [];
  for (const d of diagnostics) {
    const tag = `${d.rule} "${d.message.slice(0, 120)}"`;
    if (typeof d.rule !== 'string' || d.rule === '') out.push(`diagnostic without a rule: ${tag}`);
    if (d.severity !== 'error' && d.severity !== 'warning' && d.severity !== 'info') out.push(`bad severity ${String(d.severity)}: ${tag}`);
    if (typeof d.message !== 'string' || d.message.trim() === '') out.push(`empty message: ${tag}`);
    if (!d.file || typeof d.file.text !== 'string') {
      out.push(`diagnostic without a file: ${tag}`);
      continue;
    }
    const own = spanProblem(d.file, d.span, tag);
    if (own) out.push(own);
    for (const r of d.related ?? []) {
      const p = spanProblem(r.file, r.span, `${tag} related "${r.message}"`);
      if (p) out.push(p);
    }
    for (const e of d.fix?.edits ?? []) {
      const p = spanProblem(e.file, e.span, `${tag} fix edit`);
      if (p) out.push(p);
    }
    for (const re of SAFETY_NET) if (re.test(d.message)) out.push(`safety net caught an exception: ${tag}`);
    for (const w of LEAKS) if (d.message.includes(w) && !inputs.some((t) => t.includes(w))) out.push(`"${w}" in a message: ${tag}`);
  }
  return out;
}

/** Throw (with every problem listed) when the diagnostics break a promise. */
export function assertDiagnostics(diagnostics: readonly Diagnostic[], inputs: readonly string[] = []): void {
  const problems = diagnosticProblems(diagnostics, inputs);
  if (problems.length) throw new Error(problems.slice(0, 10).join('\n'));
}

/** A span of a tree node (not a diagnostic) inside its file. */
export function assertSpan(file: SourceFile, span: Span | null | undefined, what: string): void {
  if (!span) return;
  const p = spanProblem(file, span, what);
  if (p) throw new Error(p);
}
