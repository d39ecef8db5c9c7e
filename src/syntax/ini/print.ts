/**
 * Printing an INI tree back: the tokens in order, which must cover the file
 * exactly. Anything between tokens would be bytes the parser lost, so it is
 * only tolerated when it is whitespace, and reported.
 */
import type { IniFile } from './ast.js';

export interface GapReport {
  /** byte ranges not covered by any token */
  gaps: { start: number; end: number; text: string }[];
  /** true when some uncovered byte is not whitespace */
  lost: boolean;
}

/** Uncovered or overlapping stretches of the file (empty for a healthy tree). */
export function checkCoverage(file: IniFile): GapReport {
  const text = file.source.text;
  const gaps: GapReport['gaps'] = [];
  let pos = 0;
  for (const t of file.tokens) {
    if (t.span.start > pos) gaps.push({ start: pos, end: t.span.start, text: text.slice(pos, t.span.start) });
    if (t.span.start < pos) gaps.push({ start: t.span.start, end: pos, text: '<overlap>' });
    pos = Math.max(pos, t.span.end);
  }
  if (pos < text.length) gaps.push({ start: pos, end: text.length, text: text.slice(pos) });
  return { gaps, lost: gaps.some((g) => !/^[ \t\r\n]*$/.test(g.text)) };
}

/**
 * The file's text rebuilt from its tokens. Throws if the tree lost a
 * non-whitespace byte (a parser bug, never a property of the input).
 */
export function printIni(file: IniFile): string {
  const text = file.source.text;
  const report = checkCoverage(file);
  if (report.lost) {
    const g = report.gaps.find((x) => !/^[ \t\r\n]*$/.test(x.text))!;
    throw new Error(`INI tree of ${file.source.path} does not cover offsets ${g.start}-${g.end}: ${JSON.stringify(g.text.slice(0, 40))}`);
  }
  let out = '';
  let pos = 0;
  for (const t of file.tokens) {
    if (t.span.start > pos) out += text.slice(pos, t.span.start);
    if (t.span.end > pos) out += text.slice(Math.max(pos, t.span.start), t.span.end);
    pos = Math.max(pos, t.span.end);
  }
  out += text.slice(pos);
  return out;
}
