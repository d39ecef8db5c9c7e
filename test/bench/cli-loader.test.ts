/**
 * dist/cli.js is a loader for the one-file CLI bundle and the V8 code cache
 * the build makes (scripts/build.mjs, scripts/cli-loader.cjs). The cache
 * only saves start-up time: with it, without it, or with a stale one, the
 * CLI must behave the same. So must the bundle's start-up shims
 * (scripts/shims/) and its pre-decoded lezer tables (scripts/lezer-tables.mjs).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { build } from 'esbuild';
import { createRequire } from 'node:module';
import { afterAll, describe, expect, it } from 'vitest';
import { buildPrivateCli } from '../support/private-cli.js';
// @ts-expect-error: a build script in plain JavaScript
import { lezerTables } from '../../scripts/lezer-tables.mjs';

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

describe('what the bundle changes to start faster', () => {
  it('prints the same --help and usage errors as the unbundled CLI (string-width and assert shims)', () => {
    const tsx = path.join(root, 'node_modules/tsx/dist/cli.mjs');
    for (const args of [['--help'], ['graph', '--help'], ['--format', 'nope', 'x']]) {
      const source = spawnSync(process.execPath, [tsx, 'src/cli/main.ts', ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
      const bundled = run(...args);
      expect(bundled.stdout).toBe(source.stdout);
      expect(bundled.stderr).toBe(source.stderr);
      expect(bundled.status).toBe(source.status);
    }
    expect(run('--help').stdout).toMatch(/--fix-strategy/);
  });

  it('the tables decoded at build time are the tables lezer decodes at load time', async () => {
    const out = await build({ stdin: { contents: "export { parser } from '@lezer/python';", resolveDir: root }, bundle: true, platform: 'node', format: 'cjs', write: false, plugins: [lezerTables], mainFields: ['module', 'main'] });
    const bundled = { exports: {} as { parser: { states: Uint32Array; data: Uint16Array; goto: Uint16Array } } };
    new Function('module', 'exports', 'require', out.outputFiles[0]!.text)(bundled, bundled.exports, createRequire(import.meta.url));
    const { parser } = await import('@lezer/python');
    const lezer = parser as unknown as typeof bundled.exports.parser;
    expect(out.outputFiles[0]!.text).toMatch(/__nlTable\(/);
    expect(bundled.exports.parser.states).toBeInstanceOf(Uint32Array);
    expect([...bundled.exports.parser.states]).toEqual([...lezer.states]);
    expect([...bundled.exports.parser.data]).toEqual([...lezer.data]);
    expect([...bundled.exports.parser.goto]).toEqual([...lezer.goto]);
    // and it parses: the same tree for a gunicorn.conf.py
    const text = 'import multiprocessing\nbind = "unix:/run/app.sock"\nworkers = multiprocessing.cpu_count() * 2 + 1\ntimeout = 30\n';
    expect(String((bundled.exports as unknown as { parser: typeof parser }).parser.parse(text))).toBe(String(parser.parse(text)));
  });
});
