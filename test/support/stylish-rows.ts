/**
 * The findings of a stylish report (grouped by file, aligned columns) as one
 * `path:line:col  severity  message  rule` string each: tests assert on the
 * facts, not on the padding.
 */
export function stylishRows(report: string): string[] {
  const rows: string[] = [];
  let file = '';
  for (const line of report.split('\n')) {
    const row = /^ {2}(\d+):(\d+) +(error|warning|info) +(.*?) {2,}(\S+)$/.exec(line);
    if (row) rows.push(`${file}:${row[1]}:${row[2]}  ${row[3]}  ${row[4]}  ${row[5]}`);
    else if (line && !line.startsWith(' ')) file = line;
  }
  return rows;
}
