/**
 * The bundled CLI, built by the project's own build script into a private
 * directory: suites that run it never race another suite's rebuild of dist/.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');

export function buildPrivateCli(): { cli: string; dispose(): void } {
  const dir = fs.mkdtempSync(path.join(tmpdir(), 'nl-build-'));
  fs.symlinkSync(path.join(root, 'src'), path.join(dir, 'src'));
  fs.symlinkSync(path.join(root, 'rules'), path.join(dir, 'rules'));
  fs.symlinkSync(path.join(root, 'package.json'), path.join(dir, 'package.json'));
  fs.symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'));
  execFileSync(process.execPath, [path.join(root, 'scripts/build.mjs')], { cwd: dir });
  return { cli: path.join(dir, 'dist/cli.js'), dispose: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/**
 * A suite's private CLI and a scratch directory, made before its tests and
 * removed after: `run(args, cwd)` runs the CLI without colour.
 */
export function privateCliWorkspace(prefix: string): { readonly work: string; run(args: string[], cwd: string): { code: number | null; stdout: string; stderr: string } } {
  let built: ReturnType<typeof buildPrivateCli>;
  let work = '';
  beforeAll(() => {
    built = buildPrivateCli();
    work = fs.mkdtempSync(path.join(tmpdir(), prefix));
  });
  afterAll(() => {
    built?.dispose();
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });
  return {
    get work() {
      return work;
    },
    run(args, cwd) {
      const r = spawnSync(process.execPath, [built.cli, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
      return { code: r.status, stdout: r.stdout, stderr: r.stderr };
    },
  };
}
