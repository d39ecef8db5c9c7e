/** `nginx-lint … | head`: a reader that goes away early ends the run quietly, never with a trace. */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { buildPrivateCli } from '../support/private-cli.js';

const built = buildPrivateCli();
afterAll(() => built.dispose());
const root = path.resolve(import.meta.dirname, '../..');

it.each([['--format', 'sarif'], ['--list-rules'], ['--explain', 'upstream-buffers']])('nginx-lint examples/stack %s %s | head -c 1', (...args) => {
  // the shell reports the CLI's own status through PIPESTATUS; stderr is the CLI's
  const r = spawnSync('bash', ['-c', `"${process.execPath}" "${built.cli}" examples/stack ${args.join(' ')} 2>"$0" | head -c 1 >/dev/null; echo "\${PIPESTATUS[0]}"`, path.join(built.cli, '../stderr.txt')], { cwd: root, encoding: 'utf8' });
  const stderr = spawnSync('cat', [path.join(built.cli, '../stderr.txt')], { encoding: 'utf8' }).stdout;
  expect(stderr).toBe('');
  expect(['0', '1']).toContain(r.stdout.trim());
});
