/**
 * The default report: grouped by file, aligned, related locations beneath
 * their finding, a summary; colours only when asked, and the CLI asks exactly
 * when stdout is a terminal and NO_COLOR is unset or empty, or --color says so.
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lint } from '../../src/engine/lint.js';
import { buildReport } from '../../src/engine/report.js';
import { formatStylish } from '../../src/format/stylish.js';
import { buildPrivateCli } from '../support/private-cli.js';
import { findingsAt, reportOf as report } from '../support/report.js';
import { stylishRows } from '../support/stylish-rows.js';

const root = path.resolve(import.meta.dirname, '../..');
const ANSI = /\u001b\[[0-9;]*m/g;

const finding = findingsAt({ file: 'etc/nginx/nginx.conf', line: 1, column: 1, endLine: 1, endColumn: 2 });

const SAMPLE = report(
  [
    finding({ line: 5, column: 9, rule: 'nginx-unknown-directive', message: 'unknown directive "proxy_conect_timeout"' }),
    finding({ line: 12, column: 13, severity: 'warning', rule: 'gunicorn-timeout-order', message: 'proxy_read_timeout 120s outlasts gunicorn timeout 30s', fixable: true, related: [{ file: 'srv/gunicorn.conf.py', line: 2, column: 11, endLine: 2, endColumn: 13, message: 'gunicorn timeout 30s' }] }),
    finding({ file: 'srv/gunicorn.conf.py', line: 3, severity: 'info', rule: 'backend-not-found', message: 'first line\nsecond line' }),
  ],
  ['etc/nginx/nginx.conf', 'srv/gunicorn.conf.py', 'etc/php/php.ini'],
);

describe('stylish', () => {
  it('groups by file, aligns the columns, indents related locations and continuation lines under the message', () => {
    expect(formatStylish(SAMPLE, { color: false })).toBe(
      [
        'etc/nginx/nginx.conf',
        '  5:9    error    unknown directive "proxy_conect_timeout"               nginx-unknown-directive',
        '  12:13  warning  proxy_read_timeout 120s outlasts gunicorn timeout 30s  gunicorn-timeout-order',
        '                  srv/gunicorn.conf.py:2:11  gunicorn timeout 30s',
        '',
        'srv/gunicorn.conf.py',
        '  3:1  info  first line  backend-not-found',
        '             second line',
        '',
        '3 problems (1 error, 1 warning, 1 info) in 3 files',
        '1 fixable with --fix',
        '',
      ].join('\n'),
    );
  });

  it('colours only when asked, and the colours add nothing but escapes', () => {
    const plain = formatStylish(SAMPLE, { color: false });
    const coloured = formatStylish(SAMPLE, { color: true });
    expect(plain).not.toMatch(ANSI);
    expect(coloured.replace(ANSI, '')).toBe(plain);
    expect(coloured).toContain('\u001b[31merror  \u001b[0m');
    expect(coloured).toContain('\u001b[33mwarning\u001b[0m');
    expect(coloured).toContain('\u001b[36minfo\u001b[0m');
    expect(coloured).toContain('\u001b[4metc/nginx/nginx.conf\u001b[0m');
  });

  it('does not pad every row to the longest message', () => {
    const long = 'x'.repeat(300);
    const out = formatStylish(report([finding({ line: 1, message: 'short', rule: 'a-rule' }), finding({ line: 2, message: 'a bit longer', rule: 'b-rule' }), finding({ line: 3, message: long, rule: 'c-rule' })]), { color: false });
    const lines = out.split('\n');
    expect(lines[1]).toBe('  1:1  error  short         a-rule');
    expect(lines[2]).toBe('  2:1  error  a bit longer  b-rule');
    expect(lines[3]).toBe(`  3:1  error  ${long}  c-rule`);
  });

  it('says when there is nothing, and leaves out infos and the fixable line when there are none', () => {
    expect(formatStylish(report([], ['a.conf', 'b.conf']), { color: false })).toBe('2 files checked, no problems\n');
    expect(formatStylish(report([], ['a.conf']), { color: false })).toBe('1 file checked, no problems\n');
    expect(formatStylish(report([finding({})]), { color: false }).split('\n').slice(-2)).toEqual(['1 problem (1 error, 0 warnings) in 1 file', '']);
  });

  it('shows a real run: every finding once, under its file, with its related locations', () => {
    const rep = buildReport(lint([path.join(root, 'examples/stack')]));
    const out = formatStylish(rep, { color: false });
    expect(stylishRows(out)).toEqual(rep.diagnostics.map((d) => `${d.file}:${d.line}:${d.column}  ${d.severity}  ${d.message.split('\n')[0]}  ${d.rule}`));
    for (const d of rep.diagnostics) for (const r of d.related) expect(out).toMatch(new RegExp(`^ +${r.file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:${r.line}:${r.column}  `, 'm'));
    expect(out).toMatch(new RegExp(`\\n${rep.summary.fixable} fixable with --fix\\n$`));
  });
});

describe('colour decisions of the CLI', () => {
  let build: ReturnType<typeof buildPrivateCli>;
  beforeAll(() => {
    build = buildPrivateCli();
  });
  afterAll(() => build.dispose());

  /** run in a pseudo-terminal (util-linux `script`, in Debian's essential set), so stdout is a TTY */
  function inTerminal(args: string[], env: Record<string, string | undefined>) {
    const { NO_COLOR: _, ...base } = process.env;
    const quoted = [process.execPath, build.cli, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
    const r = spawnSync('script', ['-qec', quoted, '/dev/null'], { cwd: root, encoding: 'utf8', env: { ...base, ...env } });
    if (r.error) throw new Error(`script(1) is needed for this test (apt-get install bsdutils): ${r.error.message}`);
    return { status: r.status, stdout: r.stdout };
  }
  const piped = (args: string[], env: Record<string, string>) => {
    const { NO_COLOR: _, ...base } = process.env;
    return spawnSync(process.execPath, [build.cli, ...args], { cwd: root, encoding: 'utf8', env: { ...base, ...env } });
  };
  const target = ['fixtures/format/warnings'];

  it('colours a terminal unless NO_COLOR is set to something or --no-color is given', () => {
    const tty = inTerminal(target, {});
    expect(tty.status).toBe(0);
    expect(tty.stdout).toMatch(ANSI);
    expect(tty.stdout.replace(ANSI, '')).toContain('gunicorn-unknown-setting');
    expect(inTerminal(target, { NO_COLOR: '1' }).stdout).not.toMatch(ANSI);
    // no-color.org: an empty NO_COLOR does not count
    expect(inTerminal(target, { NO_COLOR: '' }).stdout).toMatch(ANSI);
    expect(inTerminal(['--no-color', ...target], {}).stdout).not.toMatch(ANSI);
    // the flag wins over the environment
    expect(inTerminal(['--color', ...target], { NO_COLOR: '1' }).stdout).toMatch(ANSI);
  });

  it('does not colour a pipe unless --color says so', () => {
    expect(piped(target, {}).stdout).not.toMatch(ANSI);
    expect(piped(['--color', ...target], {}).stdout).toMatch(ANSI);
    expect(piped(['--no-color', ...target], {}).stdout).not.toMatch(ANSI);
  });
});
