/**
 * dist/cli.js is a loader for the one-file CLI bundle and the V8 code cache
 * the build makes (scripts/build.mjs, scripts/cli-loader.mjs). The cache
 * only saves start-up time: with it, without it, or with a stale one, the
 * CLI must behave the same.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildPrivateCli } from '../support/private-cli.js';

const root = path.resolve(import.meta.dirname, '../..');
const built = buildPrivateCli();
afterAll(() => built.dispose());
const dist = path.dirname(built.cli);

function run(...args: string[]) {
  const r = spawnSync(process.execPath, [built.cli, ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('the CLI loader and its code cache', () => {
  it('the build leaves the bundle, its code cache and the loader in dist/', () => {
    expect(fs.statSync(path.join(dist, 'cli-bundle.cjs')).size).toBeGreaterThan(100_000);
    expect(fs.statSync(path.join(dist, 'cli-bundle.cache')).size).toBeGreaterThan(10_000);
    expect(fs.readFileSync(built.cli, 'utf8')).toMatch(/^#!\/usr\/bin\/env node\n/);
    expect(fs.readFileSync(path.join(dist, 'cli-bundle.cjs'), 'utf8')).not.toMatch(/^#!/);
  });

  it('lints the same with the cache, without it, and with a cache that does not fit', () => {
    const withCache = run('examples/stack');
    expect(withCache.status).toBe(1);
    expect(withCache.stdout).toMatch(/fpm-timeout-order/);
    const cache = path.join(dist, 'cli-bundle.cache');
    const saved = fs.readFileSync(cache);
    try {
      fs.rmSync(cache);
      expect(run('examples/stack')).toEqual(withCache);
      fs.writeFileSync(cache, saved.subarray(0, saved.length >> 1));
      expect(run('examples/stack')).toEqual(withCache);
    } finally {
      fs.writeFileSync(cache, saved);
    }
  });

  it('usage errors still exit 2 with one line and no stack trace', () => {
    const r = run('--no-such-flag', 'examples/stack');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^nginx-lint: /);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
