import type { Formatter } from './types.js';

const paint = (on: boolean, code: string, s: string) => (on ? `\u001b[${code}m${s}\u001b[0m` : s);

/**
 * One line a finding, `path:line:col  severity  message  rule`, which terminals
 * and editors turn into links, then a summary line.
 */
export const formatStylish: Formatter = (report, { color }) => {
  const out: string[] = [];
  for (const d of report.diagnostics) {
    const sev = d.severity === 'error' ? paint(color, '31', 'error') : d.severity === 'warning' ? paint(color, '33', 'warning') : paint(color, '36', 'info');
    out.push(`${d.file}:${d.line}:${d.column}  ${sev}  ${d.message}  ${paint(color, '2', d.rule)}`);
    for (const r of d.related) out.push(`    ${paint(color, '2', `${r.file}:${r.line}:${r.column}`)}  ${r.message}`);
  }
  const { errors, warnings, infos, fixable } = report.summary;
  const total = errors + warnings + infos;
  if (total === 0) {
    out.push(`${report.files.length} file${report.files.length === 1 ? '' : 's'} checked, no problems`);
  } else {
    out.push('');
    const parts = [`${errors} error${errors === 1 ? '' : 's'}`, `${warnings} warning${warnings === 1 ? '' : 's'}`];
    if (infos) parts.push(`${infos} info`);
    const line = `${total} problem${total === 1 ? '' : 's'} (${parts.join(', ')}) in ${report.files.length} file${report.files.length === 1 ? '' : 's'}`;
    out.push(paint(color, errors ? '31;1' : '33;1', line));
    if (fixable) out.push(`${fixable} with a suggested fix`);
  }
  return out.join('\n') + '\n';
};
