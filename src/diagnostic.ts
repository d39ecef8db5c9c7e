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

/** The reported form: what formatters print. Pure data, JSON-ready. */
export interface ReportedDiagnostic {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  rule: string;
  severity: Severity;
  message: string;
  related: { file: string; line: number; column: number; message: string }[];
  fixable: boolean;
}

export function toReported(d: Diagnostic): ReportedDiagnostic {
  const start = positionAt(d.file, d.span.start);
  const end = positionAt(d.file, d.span.end);
  return {
    file: d.file.path,
    line: start.line,
    column: start.column,
    endLine: end.line,
    endColumn: end.column,
    rule: d.rule,
    severity: d.severity,
    message: d.message,
    related: (d.related ?? []).map((r) => {
      const p = positionAt(r.file, r.span.start);
      return { file: r.file.path, line: p.line, column: p.column, message: r.message };
    }),
    fixable: d.fix !== undefined,
  };
}

/** Sort key: file, then position. */
export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  if (a.file.path !== b.file.path) return a.file.path < b.file.path ? -1 : 1;
  return a.span.start - b.span.start || a.rule.localeCompare(b.rule);
}
