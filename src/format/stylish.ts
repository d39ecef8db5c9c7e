/**
 * The default report, ESLint's "stylish": findings grouped under their file,
 * one aligned row each (`line:col  severity  message  rule`), the other side
 * of a cross-file finding indented beneath it, then a summary line.
 */
import type { ReportedDiagnostic, Severity } from '../diagnostic.js';
import type { Formatter } from './types.js';

const SGR = { bold: '1', dim: '2', underline: '4', red: '31', yellow: '33', cyan: '36' } as const;
const SEVERITY_COLOUR: Record<Severity, keyof typeof SGR> = { error: 'red', warning: 'yellow', info: 'cyan' };

/** messages up to this width are padded so that the rule ids after them line up */
const ALIGN_LIMIT = 72;
const plural = (n: number, word: string, words = `${word}s`) => `${n} ${n === 1 ? word : words}`;
/** width as a terminal shows it, near enough: code points, not UTF-16 units (the same unless there are surrogate pairs) */
const SURROGATE = /[\uD800-\uDFFF]/;
const width = (s: string) => (SURROGATE.test(s) ? [...s].length : s.length);
const padEnd = (s: string, n: number) => s + ' '.repeat(Math.max(0, n - width(s)));

export const formatStylish: Formatter = (report, { color }) => {
  const paint = (style: keyof typeof SGR, s: string) => (color ? `\u001b[${SGR[style]}m${s}\u001b[0m` : s);

  const byFile = new Map<string, ReportedDiagnostic[]>();
  for (const d of report.diagnostics) {
    const list = byFile.get(d.file);
    if (list) list.push(d);
    else byFile.set(d.file, [d]);
  }

  const out: string[] = [];
  for (const [file, ds] of byFile) {
    out.push(paint('underline', file));
    const rows = ds.map((d) => {
      const [first = '', ...more] = d.message.split('\n');
      return { d, pos: `${d.line}:${d.column}`, first, more };
    });
    const posW = Math.max(...rows.map((r) => width(r.pos)));
    const sevW = Math.max(...rows.map((r) => width(r.d.severity)));
    // rule ids line up after the messages, but a long message (many are) does not push every row across the screen
    const msgW = Math.max(0, ...rows.map((r) => width(r.first)).filter((w) => w <= ALIGN_LIMIT));
    // where the message column starts: continuation lines and related locations line up under it
    const indent = ' '.repeat(2 + posW + 2 + sevW + 2);
    for (const { d, pos, first, more } of rows) {
      const sev = paint(SEVERITY_COLOUR[d.severity], padEnd(d.severity, sevW));
      out.push(`  ${paint('dim', padEnd(pos, posW))}  ${sev}  ${padEnd(first, msgW)}  ${paint('dim', d.rule)}`);
      for (const line of more) out.push(`${indent}${line}`);
      for (const r of d.related) out.push(`${indent}${paint('dim', `${r.file}:${r.line}:${r.column}`)}  ${r.message}`);
    }
    out.push('');
  }

  const { errors, warnings, infos, fixable } = report.summary;
  const total = errors + warnings + infos;
  const files = plural(report.files.length, 'file');
  if (total === 0) return `${files} checked, no problems\n`;
  const counts = [plural(errors, 'error'), plural(warnings, 'warning'), ...(infos ? [plural(infos, 'info', 'infos')] : [])];
  out.push(paint('bold', paint(errors ? 'red' : warnings ? 'yellow' : 'cyan', `${plural(total, 'problem')} (${counts.join(', ')}) in ${files}`)));
  if (fixable) out.push(`${fixable} fixable with --fix`);
  return out.join('\n') + '\n';
};
