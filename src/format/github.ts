/**
 * GitHub Actions workflow commands: one `::error` / `::warning` / `::notice`
 * line a finding, which the runner turns into an annotation on the file and
 * line (in the pull request's diff when the line is part of it).
 *
 * Paths are relative to the repository root (the checkout), whatever
 * directory nginx-lint ran in; a file outside it keeps its absolute path.
 */
import type { Severity } from '../diagnostic.js';
import { sourcePaths } from './source-root.js';
import type { Formatter } from './types.js';

const COMMAND: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'notice' };

/** The message part of a command: '%', CR and LF are escaped, as @actions/core does. */
export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** A property value: as data, plus ':' and ',' which delimit the properties. */
export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export const formatGithub: Formatter = (report, options) => {
  const paths = sourcePaths(options);
  const out: string[] = [];
  for (const d of report.diagnostics) {
    // a span that ends just after a line break ends on the line before; columns only go with a single line (GitHub refuses them otherwise)
    const endLine = d.endLine > d.line && d.endColumn === 1 ? d.endLine - 1 : d.endLine;
    const props: [string, string | number][] = [
      ['file', paths.locate(d.file).path],
      ['line', d.line],
      ['endLine', endLine],
      ...(d.endLine === d.line ? ([['col', d.column], ['endColumn', d.endColumn]] as [string, number][]) : []),
      ['title', d.rule],
    ];
    // an annotation has one place; the other side of a cross-file finding goes into its text
    const related = d.related.map((r) => `\n${paths.locate(r.file).path}:${r.line}:${r.column}: ${r.message}`).join('');
    const head = props.map(([k, v]) => `${k}=${escapeProperty(String(v))}`).join(',');
    out.push(`::${COMMAND[d.severity]} ${head}::${escapeData(d.message + related)}`);
  }
  return out.length ? out.join('\n') + '\n' : '';
};
