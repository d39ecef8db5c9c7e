/**
 * The CLI lowers TurboFan's inlining budget once a run has read a big tree's
 * worth of configuration (src/cli/jit-budget.ts), and never for a small run.
 * Its effect on speed is measured by `npm run bench`, not here; here: when
 * it happens, that it happens once, and that reads pass through unchanged.
 */
import { readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import type * as V8 from 'node:v8';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { memoryFileSystem } from '../../src/fs.js';
import { BIG_RUN_BYTES, BIG_RUN_INLINING, withBigRunBudget } from '../../src/cli/jit-budget.js';

const files = {
  '/a.conf': 'x'.repeat(600),
  '/b.conf': 'y'.repeat(500),
  '/dir/c.conf': 'z'.repeat(10),
};

afterEach(() => vi.restoreAllMocks());

describe('withBigRunBudget', () => {
  it('calls onBig once, when the bytes read reach the threshold', () => {
    const onBig = vi.fn();
    const fs = withBigRunBudget(memoryFileSystem(files), 1000, onBig);
    fs.readFile('/a.conf');
    expect(onBig).not.toHaveBeenCalled();
    fs.readFile('/dir/c.conf');
    expect(onBig).not.toHaveBeenCalled();
    fs.readFile('/b.conf');
    expect(onBig).toHaveBeenCalledTimes(1);
    fs.readFile('/a.conf');
    fs.readFile('/b.conf');
    expect(onBig).toHaveBeenCalledTimes(1);
  });

  it('counts reads only: stat, readdir and realpath move nothing', () => {
    const onBig = vi.fn();
    const fs = withBigRunBudget(memoryFileSystem(files), 1, onBig);
    expect(fs.stat('/a.conf')).toMatchObject({ isFile: true, size: 600 });
    expect(fs.stat('/nope')).toBeNull();
    expect(fs.readdir('/dir')).toEqual(['c.conf']);
    expect(fs.realpath('/dir/../a.conf')).toBe('/a.conf');
    expect(onBig).not.toHaveBeenCalled();
  });

  it('passes the bytes and the errors of the file system through', () => {
    const fs = withBigRunBudget(memoryFileSystem(files), 1000, () => {});
    expect(Buffer.from(fs.readFile('/b.conf')).toString()).toBe(files['/b.conf']);
    expect(() => fs.readFile('/missing.conf')).toThrow(/ENOENT/);
  });

  it("by default lowers V8's inlining budget, through node:v8", () => {
    const v8 = createRequire(import.meta.url)('node:v8') as typeof V8;
    const set = vi.spyOn(v8, 'setFlagsFromString').mockImplementation(() => {});
    const fs = withBigRunBudget(memoryFileSystem(files), 1000);
    fs.readFile('/a.conf');
    expect(set).not.toHaveBeenCalled();
    fs.readFile('/b.conf');
    expect(set).toHaveBeenCalledTimes(1);
    expect(set).toHaveBeenCalledWith(BIG_RUN_INLINING);
    expect(BIG_RUN_INLINING).toMatch(/^--max-inlined-bytecode-size-cumulative=\d+$/);
  });

  it('leaves a run of the bundled example stack alone (start-up stays that of Node)', () => {
    const root = fileURLToPath(new URL('../../examples/stack', import.meta.url));
    let bytes = 0;
    for (const e of readdirSync(root, { recursive: true, withFileTypes: true })) if (e.isFile()) bytes += statSync(path.join(e.parentPath ?? e.path, e.name)).size;
    expect(bytes).toBeGreaterThan(0);
    expect(bytes * 20).toBeLessThan(BIG_RUN_BYTES);
  });
});
