/**
 * `npm run bench`'s arguments: --help prints the options, and a wrong
 * argument is a one-line message, the usage and exit 2 (no stack trace,
 * nothing generated or run).
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const script = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../scripts/bench/run.mjs');
const bench = (...args: string[]) => spawnSync(process.execPath, [script, ...args], { encoding: 'utf8' });

describe('npm run bench arguments', () => {
  it('--help lists every option and exits 0', () => {
    const r = bench('--help');
    expect(r.status).toBe(0);
    for (const o of ['--sizes', '--runs', '--big-runs', '--startup-runs', '--seed', '--cache', '--no-nginx', '--json']) expect(r.stdout).toContain(o);
  });

  it.each([
    [['--bogus'], "bench: Unknown option '--bogus'"],
    [['--runs', 'x'], 'bench: --runs takes a positive integer, not "x"'],
    [['--big-runs', '0'], 'bench: --big-runs takes a positive integer, not "0"'],
    [['--seed', '1.5'], 'bench: --seed takes an integer, not "1.5"'],
    [['--sizes', '10,a'], 'bench: --sizes takes positive integers, not "10,a"'],
  ])('%j: one line, exit 2', (args, message) => {
    const r = bench(...args);
    expect([r.status, r.stderr.split('\n')[0], r.stdout]).toEqual([2, message, '']);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
