import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Stack } from './harness.js';

const empty = mkdtempSync(path.join(tmpdir(), 'nginx-lint-empty-fixture-'));
afterAll(() => rmSync(empty, { recursive: true, force: true }));

describe('Stack process logs', () => {
  it('output that arrives after the process exited and the stack was disposed is dropped, not written to a path that is gone', async () => {
    const errors: unknown[] = [];
    const onError = (e: unknown) => errors.push(e);
    process.on('uncaughtException', onError);
    try {
      const stack = await Stack.create(empty);
      // the shell exits at once; its background child keeps the pipes and writes later (as a daemon's workers can)
      const child = stack.start('/bin/sh', ['-c', 'echo early; (sleep 0.3; echo late; echo late >&2) & exit 0']);
      await new Promise((resolve) => child.once('exit', resolve));
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(stack.logs()).toContain('early');
      await stack.dispose();
      expect(existsSync(stack.dir)).toBe(false);
      await new Promise((resolve) => setTimeout(resolve, 600));
    } finally {
      process.off('uncaughtException', onError);
    }
    expect(errors).toEqual([]);
  });

  it('keeps output written before the process exits, even when its pipes drain after exit', async () => {
    const stack = await Stack.create(empty);
    try {
      const child = stack.start('/bin/sh', ['-c', 'for i in 1 2 3 4 5 6 7 8; do echo line-$i; done; echo to-stderr >&2']);
      await new Promise((resolve) => child.once('close', resolve));
      const log = stack.logs();
      for (let i = 1; i <= 8; i++) expect(log).toContain(`line-${i}`);
      expect(log).toContain('to-stderr');
    } finally {
      await stack.dispose();
    }
  });
});
