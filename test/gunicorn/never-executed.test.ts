/**
 * A gunicorn config is Python that gunicorn executes; nginx-lint must never
 * execute it. fixtures/gunicorn/configs/never-execute.conf.py would write a
 * file, run commands and exit the process at its top level: reading it must
 * leave no trace (and this test process must still be running afterwards).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeFileSystem } from '../../src/fs.js';
import { loadGunicorn, readGunicornConfig } from '../../src/syntax/gunicorn/index.js';
import { decodeSource } from '../../src/syntax/source.js';

const FIXTURE = path.resolve(__dirname, '../../fixtures/gunicorn/configs/never-execute.conf.py');
const TRACES = ['/tmp/nginx-lint-gunicorn-executed.txt', '/tmp/nginx-lint-gunicorn-os-system.txt', '/tmp/nginx-lint-gunicorn-subprocess.txt'];
const clean = () => TRACES.forEach((t) => fs.rmSync(t, { force: true }));

describe('a gunicorn config is never executed', () => {
  beforeAll(clean);
  afterAll(clean);

  it('reading, evaluating and resolving it leaves no trace', () => {
    const text = fs.readFileSync(FIXTURE, 'utf8');
    // the fixture really is the kind of file the test claims it is
    for (const t of TRACES) expect(text).toContain(path.basename(t, '.txt'));
    expect(text).toContain('sys.exit(3)');

    const config = readGunicornConfig(decodeSource(FIXTURE, fs.readFileSync(FIXTURE)), { version: '20.1' });
    const loaded = loadGunicorn(FIXTURE, { fs: nodeFileSystem, envComplete: true });

    for (const t of TRACES) expect(fs.existsSync(t), `${t} exists`).toBe(false);
    // we still know what gunicorn would do: it exits while reading the file
    expect(config.loadable).toBe(false);
    expect(config.diagnostics.map((d) => d.message)).toEqual(['the file calls sys.exit(3) while gunicorn reads it: gunicorn exits']);
    expect(config.settings.get('workers')?.value).toEqual({ kind: 'known', value: 2 });
    expect(loaded.configs).toHaveLength(1);
    expect(process.exitCode ?? 0).toBe(0);
  });
});
