import type { SourceFile, Span } from './syntax/source.js';
import { positionAt } from './syntax/source.js';

export type Severity = 'error' | 'warning' | 'info';

/** One replacement of a span of a file's original text. */
export interface TextEdit {
  file: SourceFile;
  /** offsets into file.text; start === end inserts */
  span: Span;
  text: string;
}

export interface Fix {
  /** what applying the fix does, in one line ("set listen.group = www-data") */
  description: string;
  edits: TextEdit[];
}

export interface RelatedLocation {
  file: SourceFile;
  span: Span;
  message: string;
}

/**
 * A finding, before it is reported: positions are spans into a SourceFile.
 * Parsers produce these with `rule` naming the syntax check (e.g. `nginx-syntax`).
 */
export interface Diagnostic {
  rule: string;
  severity: Severity;
  message: string;
  file: SourceFile;
  span: Span;
  related?: RelatedLocation[];
  fix?: Fix;
}

/** A position in the reported form: 1-based line and column (UTF-16 code units; a tab is one column). */
export interface ReportedRange {
  file: string;
  line: number;
  column: number;
  /** the end is exclusive: the position just after the last character */
  endLine: number;
  endColumn: number;
}

/** One edit of a reported fix: replace the range with `text` (an empty range inserts). */
export interface ReportedEdit extends ReportedRange {
  text: string;
}

/** The reported form: what formatters print. Pure data, JSON-ready. */
export interface ReportedDiagnostic extends ReportedRange {
  rule: string;
  severity: Severity;
  message: string;
  related: (ReportedRange & { message: string })[];
  fixable: boolean;
  /** present when fixable: what the fix does and its edits (positions in the original text) */
  fix?: { description: string; edits: ReportedEdit[] };
}

function range(file: SourceFile, span: Span, path: (p: string) => string): ReportedRange {
  const start = positionAt(file, span.start);
  const end = span.end === span.start ? start : positionAt(file, span.end);
  return { file: path(file.path), line: start.line, column: start.column, endLine: end.line, endColumn: end.column };
}

/** a range with one more field after its own (an object made in one step: a report can have thousands) */
function rangeWith<K extends string, V>(file: SourceFile, span: Span, path: (p: string) => string, key: K, value: V): ReportedRange & Record<K, V> {
  const r = range(file, span, path);
  (r as unknown as Record<string, V>)[key] = value;
  return r as ReportedRange & Record<K, V>;
}

const asIs = (p: string) => p;

export function toReported(d: Diagnostic): ReportedDiagnostic {
  return reportedAt(d, asIs);
}

/** toReported with every path (of the finding, its related locations and its edits) mapped: the report's paths under --root. */
export function reportedAt(d: Diagnostic, path: (p: string) => string): ReportedDiagnostic {
  // built field by field in the order of ReportedDiagnostic (the JSON output's order), not spread
  const out = range(d.file, d.span, path) as ReportedDiagnostic;
  out.rule = d.rule;
  out.severity = d.severity;
  out.message = d.message;
  out.related = d.related ? d.related.map((r) => rangeWith(r.file, r.span, path, 'message', r.message)) : [];
  out.fixable = d.fix !== undefined;
  if (d.fix) out.fix = { description: d.fix.description, edits: d.fix.edits.map((e) => rangeWith(e.file, e.span, path, 'text', e.text)) };
  return out;
}

/** Sort key: file, then position. */
export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  if (a.file.path !== b.file.path) return a.file.path < b.file.path ? -1 : 1;
  return a.span.start - b.span.start || a.rule.localeCompare(b.rule);
}
