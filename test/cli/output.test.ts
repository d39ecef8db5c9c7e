/**
 * The CLI writes its output with writeSync (src/cli/output.ts) instead of
 * process.stdout, so every way stdout can be connected must still get all of
 * it: a file, a pipe, a pipe that is non-blocking and full (EAGAIN: the rest
 * goes through a stream that waits for the reader), and a terminal (colours
 * on, as before).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildPrivateCli } from '../support/private-cli.js';
import { describeWithBinaries } from '../support/binaries.js';

const built = buildPrivateCli();
afterAll(() => built.dispose());
const root = path.resolve(import.meta.dirname, '../..');
const env = { ...process.env, NO_COLOR: '1' };
const args = ['--format', 'json', 'fixtures/stacks', 'examples/stack'];

const expected = spawnSync(process.execPath, [built.cli, ...args], { cwd: root, encoding: 'utf8', env });

describe('output written with writeSync', () => {
  it('a pipe gets everything (more than a pipe buffer holds)', () => {
    expect(expected.status).toBe(1);
    expect(Buffer.byteLength(expected.stdout)).toBeGreaterThan(70_000);
    expect(JSON.parse(expected.stdout).diagnostics.length).toBeGreaterThan(10);
  });

  it('a file gets the same bytes', () => {
    const out = path.join(path.dirname(built.cli), 'out.json');
    const fd = fs.openSync(out, 'w');
    const r = spawnSync(process.execPath, [built.cli, ...args], { cwd: root, stdio: ['ignore', fd, 'pipe'], env });
    fs.closeSync(fd);
    expect(r.status).toBe(1);
    expect(fs.readFileSync(out, 'utf8')).toBe(expected.stdout);
  });
});

describeWithBinaries(['python3', 'script'], 'output to a full non-blocking pipe and to a terminal', (bins) => {
  it('a non-blocking pipe that fills up: the rest waits for the reader, nothing is lost', () => {
    // the write end is O_NONBLOCK (shared with the child) and nobody reads for a while, so writeSync meets EAGAIN
    const script = `
import fcntl, os, subprocess, sys, time
r, w = os.pipe()
fcntl.fcntl(w, fcntl.F_SETFL, fcntl.fcntl(w, fcntl.F_GETFL) | os.O_NONBLOCK)
p = subprocess.Popen(sys.argv[1:], stdout=w, env=dict(os.environ, NO_COLOR='1'))
os.close(w)
time.sleep(0.5)
data = b''
while True:
    chunk = os.read(r, 65536)
    if not chunk:
        break
    data += chunk
sys.stdout.buffer.write(data)
sys.exit(p.wait())
`;
    const r = spawnSync(bins.python3, ['-c', script, process.execPath, built.cli, ...args], { cwd: root, encoding: 'utf8', maxBuffer: 64 << 20 });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(1);
    expect(r.stdout).toBe(expected.stdout);
  });

  it('a terminal gets colours by default (script(1) gives the CLI a pty)', () => {
    const r = spawnSync(bins.script, ['-qc', `"${process.execPath}" "${built.cli}" examples/stack`, '/dev/null'], { cwd: root, encoding: 'utf8', env: { ...process.env, NO_COLOR: '' } });
    expect(r.stdout).toMatch(/\x1b\[31merror\x1b\[0m/);
    const plain = spawnSync(process.execPath, [built.cli, 'examples/stack'], { cwd: root, encoding: 'utf8', env: { ...process.env, NO_COLOR: '' } });
    expect(plain.stdout).not.toMatch(/\x1b\[/);
    expect(plain.stdout).toMatch(/fpm-timeout-order/);
  });
});
