/**
 * `TIMING=1 nginx-lint ...`: how long each rule took, as ESLint prints it
 * (lib/linter/timing.js): the slowest rules first, at least ten of them
 * (`TIMING=25` shows 25, `TIMING=all` every rule), in a Markdown table with
 * each rule's share of the rules' total. ESLint prints it on stdout; here it
 * goes to stderr, so that JSON, SARIF and GitHub output stay parseable.
 *
 * The times are wall time of each rule's check over the whole stack model.
 * Parsing, include resolution and building the model are not in them: the
 * first rule to ask for an effective value at a scope may pay for indexing
 * that scope, which later rules then read for free.
 */

/** ESLint's minimum list size */
const MIN_LIST = 10;

/** How many rules to list for this value of TIMING: 0 when unset or empty (no table). */
export function timingListSize(env: string | undefined): number {
  if (env === undefined || env === '') return 0;
  if (env.toLowerCase() === 'all') return Number.POSITIVE_INFINITY;
  const n = Number.parseInt(env, 10);
  return n > MIN_LIST ? n : MIN_LIST;
}

/** The table for `timings` (ms per rule id), `size` rows at most; empty when no rule ran. */
export function formatRuleTimings(timings: ReadonlyMap<string, number>, size: number): string {
  if (timings.size === 0) return '';
  const total = [...timings.values()].reduce((a, b) => a + b, 0);
  const rows = [...timings]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, size)
    .map(([id, ms]) => [id, ms.toFixed(3), `${(total > 0 ? (100 * ms) / total : 0).toFixed(1)}%`]);
  const header = ['Rule', 'Time (ms)', 'Relative'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const cell = (text: string, i: number) => (i === 0 ? text.padEnd(widths[i]!) : text.padStart(widths[i]!));
  const line = (r: string[]) => r.map(cell).join(' | ');
  // the alignment row, as wide as the cells with the blanks around their ` | `
  const last = widths.length - 1;
  const rule = widths.map((w, i) => (i === 0 ? `:${'-'.repeat(w)}` : `${'-'.repeat(i === last ? w : w + 1)}:`)).join('|');
  return [line(header), rule, ...rows.map(line)].join('\n') + '\n';
}
