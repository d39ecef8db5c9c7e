/**
 * The README's bad-input table, from the CLI itself: builds the bundle, runs
 * every case of test/cli/bad-input-cases.ts and prints one Markdown row per
 * case with the exit code and what the user sees (the stderr line for exit 2,
 * the finding for exit 1, as the default output prints it).
 *
 *   npx tsx scripts/fuzz/bad-input-table.ts
 */
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { BAD_INPUTS, findingsOf, plainDir, runCli } from '../../test/cli/bad-input-cases.js';
import { buildPrivateCli } from '../../test/support/private-cli.js';

const cli = buildPrivateCli();
fs.chmodSync(path.dirname(path.dirname(cli.cli)), 0o755);
const rows: string[] = ['| input | exit | what you get |', '| --- | :---: | --- |'];
let mismatches = 0;
try {
  for (const c of BAD_INPUTS) {
    const dir = fs.mkdtempSync(path.join(tmpdir(), 'nl-bad-'));
    fs.chmodSync(dir, 0o755);
    try {
      const r = runCli(cli.cli, c.setup(dir), dir);
      const plain = plainDir(dir);
      let got: string;
      if (r.status === 2) got = plain(r.stderr.trim());
      else {
        const f = findingsOf(r.stdout, plain).find((x) => x.rule === c.finding?.rule) ?? findingsOf(r.stdout, plain)[0];
        got = f ? `${f.at}  error  ${f.message}  ${f.rule}` : '(no finding)';
      }
      const expected = c.code === 2 ? `nginx-lint: ${c.stderr}` : `${c.finding!.at}  error  ${c.finding!.message}  ${c.finding!.rule}`;
      if (r.status !== c.code || got !== expected) {
        mismatches++;
        console.error(`differs from the test table: ${c.input}: exit ${r.status}, ${got}`);
      }
      rows.push(`| ${c.input} | ${r.status} | \`${got.replace(/\|/g, '\\|')}\` |`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
} finally {
  cli.dispose();
}
console.log(rows.join('\n'));
process.exit(mismatches ? 1 : 0);
