/**
 * The bundled CLI, built by the project's own build script into a private
 * directory: suites that run it never race another suite's rebuild of dist/.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

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
