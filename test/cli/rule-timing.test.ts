import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatRuleTimings, timingListSize } from '../../src/cli/rule-timing.js';
import { RULES } from '../../rules/index.js';
import { buildPrivateCli } from '../support/private-cli.js';

const root = path.resolve(import.meta.dirname, '../..');
const built = buildPrivateCli();
afterAll(() => built.dispose());

function run(args: string[], timing: string | undefined) {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete env.TIMING;
  if (timing !== undefined) env.TIMING = timing;
  const r = spawnSync(process.execPath, [built.cli, ...args], { cwd: root, encoding: 'utf8', env });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** the table's rows after its header and alignment row, as [rule, ms, percent] */
function rows(table: string): [string, number, number][] {
  const lines = table.trimEnd().split('\n');
  expect(lines[0]).toMatch(/^Rule +\| Time \(ms\) \| Relative$/);
  expect(lines[1]).toMatch(/^:-+\|-+:\|-+:$/);
  return lines.slice(2).map((l) => {
    const [id, ms, pct] = l.split('|').map((c) => c.trim());
    return [id!, Number(ms), Number(pct!.replace('%', ''))];
  });
}

describe('TIMING list size (as ESLint reads it)', () => {
  it('is off when unset or empty, ten at least, any larger number, or all', () => {
    expect(timingListSize(undefined)).toBe(0);
    expect(timingListSize('')).toBe(0);
    expect(timingListSize('1')).toBe(10);
    expect(timingListSize('0')).toBe(10);
    expect(timingListSize('yes')).toBe(10);
    expect(timingListSize('25')).toBe(25);
    expect(timingListSize('ALL')).toBe(Number.POSITIVE_INFINITY);
  });
});

describe('the timing table', () => {
  it('lists the slowest first with their share of the total, columns aligned under the header', () => {
    const table = formatRuleTimings(new Map([['fast', 1], ['slowest-rule', 6], ['mid', 3]]), 10);
    const lines = table.split('\n');
    expect(lines.slice(2)).toEqual(['slowest-rule |     6.000 |    60.0%', 'mid          |     3.000 |    30.0%', 'fast         |     1.000 |    10.0%', '']);
    expect(lines[0]).toBe('Rule         | Time (ms) | Relative');
    // the alignment row: left, right, right; as wide as the rows, its bars under theirs
    expect(lines[1]).toMatch(/^:-+\|-+:\|-+:$/);
    const bars = (l: string) => [...l].flatMap((c, i) => (c === '|' ? [i] : []));
    for (const l of [lines[1]!, ...lines.slice(2, 5)]) {
      expect(l.length).toBe(lines[0]!.length);
      expect(bars(l)).toEqual(bars(lines[0]!));
    }
  });

  it('keeps `size` rows (the share is of every rule), and is empty when no rule ran', () => {
    const table = formatRuleTimings(new Map([['a', 1], ['b', 1], ['c', 2]]), 1);
    expect(rows(table)).toEqual([['c', 2, 50]]);
    expect(formatRuleTimings(new Map(), 10)).toBe('');
  });
});

describe('TIMING=1 nginx-lint', () => {
  it('prints the ten slowest rules on stderr and leaves the report on stdout as it was', () => {
    const plain = run(['--root', 'examples/stack', '--format', 'json'], undefined);
    const timed = run(['--root', 'examples/stack', '--format', 'json'], '1');
    expect(plain.stderr).toBe('');
    expect(timed.code).toBe(plain.code);
    expect(JSON.parse(timed.stdout)).toEqual(JSON.parse(plain.stdout));
    const listed = rows(timed.stderr);
    expect(listed).toHaveLength(10);
    const ids = new Set(RULES.map((r) => r.meta.id));
    for (const [id, ms, pct] of listed) {
      expect(ids.has(id)).toBe(true);
      expect(ms).toBeGreaterThanOrEqual(0);
      expect(pct).toBeGreaterThanOrEqual(0);
    }
    const times = listed.map((r) => r[1]);
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });

  it('TIMING=all lists every rule that ran, and their shares add up to the whole', () => {
    const r = run(['--root', 'examples/stack'], 'all');
    const listed = rows(r.stderr.slice(r.stderr.indexOf('Rule ')));
    expect(listed.map((x) => x[0]).sort()).toEqual(RULES.map((x) => x.meta.id).sort());
    const sum = listed.reduce((a, x) => a + x[2], 0);
    expect(sum).toBeGreaterThan(99);
    expect(sum).toBeLessThan(101);
  });

  it('prints nothing when no rule ran (a usage error exits 2 with its message only)', () => {
    const r = run(['--root', 'no/such/dir'], '1');
    expect(r.code).toBe(2);
    expect(r.stderr).not.toContain('Time (ms)');
  });
});
