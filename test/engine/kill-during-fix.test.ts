/**
 * SIGKILL in the middle of `--fix`: the bundled CLI fixes the example stack
 * (five files change, in four directories) and is killed, many times, at
 * random points, and after each kill:
 *
 * - every file holds either its old or its new content, never a mix or a
 *   truncation (a torn file);
 * - a temp file left by the kill (the rename had not happened yet) is not
 *   read as configuration by the next run, which finishes the fix and removes
 *   the leftover: afterwards every file is new and no temp file remains.
 *
 * Two kinds of kill point:
 * - at the k-th file-system call of the write itself (open, write, fsync,
 *   chown, chmod, close, rename, unlink, read-back of the targets), through a
 *   preloaded module that counts them and sends SIGKILL to its own process:
 *   every k from the first call to past the last, then random ones;
 * - after a random delay from the start of the process (signal sent from
 *   outside), anywhere in the run.
 *
 * KILL_TRIALS=n (npm run fuzz -- --kill-trials n) runs more.
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isFixTempFile } from '../../src/engine/write.js';
import { buildPrivateCli } from '../support/private-cli.js';

const EXAMPLE = path.resolve(import.meta.dirname, '../../examples/stack');
const TRIALS = Number(process.env.KILL_TRIALS) > 0 ? Number(process.env.KILL_TRIALS) : 200;
const CONCURRENCY = 2;

/** Counts the write's file-system calls (from the first temp file on) and kills this process at the NL_KILL_AT-th. */
const KILLER = `
import { createRequire, syncBuiltinESMExports } from 'node:module';
const fs = createRequire(import.meta.url)('node:fs');
const at = Number(process.env.NL_KILL_AT || 0);
const countFile = process.env.NL_KILL_COUNT_FILE;
const writeFileSync = fs.writeFileSync;
let started = false;
let n = 0;
for (const name of ['openSync', 'writeSync', 'fsyncSync', 'fchownSync', 'fchmodSync', 'closeSync', 'renameSync', 'unlinkSync', 'readFileSync', 'readdirSync']) {
  const orig = fs[name];
  fs[name] = function (...args) {
    if (!started && name === 'openSync' && /\\.nginx-lint-\\d+-[0-9a-f]+\\.tmp$/.test(String(args[0]))) started = true;
    if (started && ++n === at) process.kill(process.pid, 'SIGKILL');
    return orig.apply(this, args);
  };
}
syncBuiltinESMExports();
if (countFile) process.on('exit', () => writeFileSync(countFile, String(n)));
`;

let cli: { cli: string; dispose(): void };
let work: string;
let killer: string;
/** relative path → bytes, before and after a complete --fix */
let before: Map<string, Buffer>;
let after: Map<string, Buffer>;
/** file-system calls of a complete write */
let writeCalls: number;
/** how long a complete run takes, ms */
let fullMs: number;

function snapshot(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.set(path.relative(dir, p), fs.readFileSync(p));
    }
  };
  walk(dir);
  return out;
}

function freshStack(): string {
  const dir = fs.mkdtempSync(path.join(work, 'trial-'));
  fs.cpSync(EXAMPLE, dir, { recursive: true });
  return dir;
}

const fixArgs = (dir: string) => [cli.cli, '--fix', '--format', 'json', dir];

beforeAll(() => {
  cli = buildPrivateCli();
  work = fs.mkdtempSync(path.join(tmpdir(), 'nl-kill-'));
  killer = path.join(work, 'killer.mjs');
  fs.writeFileSync(killer, KILLER);
  const dir = freshStack();
  before = snapshot(dir);
  const countFile = path.join(work, 'count');
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ['--import', killer, ...fixArgs(dir)], { encoding: 'utf8', env: { ...process.env, NL_KILL_COUNT_FILE: countFile } });
  fullMs = performance.now() - t0;
  expect(r.status, r.stderr).toBe(1);
  after = snapshot(dir);
  writeCalls = Number(fs.readFileSync(countFile, 'utf8'));
}, 120_000);

afterAll(() => {
  cli?.dispose();
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

interface Trial {
  /** kill at this write call (1-based), or after this many ms */
  killAt?: number;
  delayMs?: number;
}

interface Outcome {
  killed: boolean;
  torn: string[];
  changed: number;
  leftovers: number;
  /** problems after the next run */
  recovery: string[];
}

function run(args: string[], env: Record<string, string>, delayMs?: number): Promise<{ status: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = delayMs !== undefined ? setTimeout(() => child.kill('SIGKILL'), delayMs) : null;
    child.on('close', (status, signal) => {
      if (timer) clearTimeout(timer);
      resolve({ status, signal, stdout, stderr });
    });
  });
}

async function trial(t: Trial): Promise<Outcome> {
  const dir = freshStack();
  const r = await run(['--import', killer, ...fixArgs(dir)], t.killAt !== undefined ? { NL_KILL_AT: String(t.killAt) } : {}, t.delayMs);
  const state = snapshot(dir);
  const torn: string[] = [];
  let changed = 0;
  let leftovers = 0;
  for (const [rel, bytes] of state) {
    if (isFixTempFile(path.basename(rel))) {
      leftovers++;
      continue;
    }
    const old = before.get(rel);
    const neu = after.get(rel);
    if (!old) torn.push(`${rel}: a file that was not there`);
    else if (!bytes.equals(old) && !(neu && bytes.equals(neu))) torn.push(rel);
    else if (!bytes.equals(old)) changed++;
  }
  for (const rel of before.keys()) if (!state.has(rel)) torn.push(`${rel}: gone`);

  // the next run: never trips over a leftover, finishes the job, leaves no temp file
  // (a run killed before it created anything left the stack as it was: nothing to recover)
  const recovery: string[] = [];
  if (changed === 0 && leftovers === 0 && torn.length === 0) {
    fs.rmSync(dir, { recursive: true, force: true });
    return { killed: r.signal === 'SIGKILL', torn, changed, leftovers, recovery };
  }
  const next = await run(fixArgs(dir), {});
  if (next.status !== 1) recovery.push(`next run exit ${next.status}: ${next.stderr.trim()}`);
  else {
    const files = (JSON.parse(next.stdout) as { files: string[] }).files;
    for (const f of files) if (isFixTempFile(path.basename(f))) recovery.push(`next run read ${f}`);
  }
  const final = snapshot(dir);
  for (const [rel, bytes] of final) {
    if (isFixTempFile(path.basename(rel))) recovery.push(`${rel} left after the next run`);
    else if (!after.get(rel)?.equals(bytes)) recovery.push(`${rel} is not the fixed file after the next run`);
  }
  fs.rmSync(dir, { recursive: true, force: true });
  return { killed: r.signal === 'SIGKILL', torn, changed, leftovers, recovery };
}

/** A small deterministic generator: the trials are the same every run. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('SIGKILL during --fix', () => {
  it(`leaves every file old or new, and nothing the next run trips over (${TRIALS} trials)`, async () => {
    expect([...after].filter(([rel, b]) => !before.get(rel)!.equals(b)).length, 'the fix changes several files').toBeGreaterThanOrEqual(4);
    expect(writeCalls).toBeGreaterThan(20);

    const random = rng(20240611);
    const trials: Trial[] = [];
    // every call of the write, then past the last one (a run that completes)
    for (let k = 1; k <= writeCalls + 1 && trials.length < TRIALS / 2; k++) trials.push({ killAt: k });
    while (trials.length < (TRIALS * 3) / 4) trials.push({ killAt: 1 + Math.floor(random() * writeCalls) });
    while (trials.length < TRIALS) trials.push({ delayMs: Math.floor(random() * fullMs * 1.2) });

    const outcomes: Outcome[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < trials.length) {
          const t = trials[next++]!;
          outcomes.push(await trial(t));
        }
      }),
    );

    const torn = outcomes.flatMap((o) => o.torn);
    const killed = outcomes.filter((o) => o.killed);
    const changing = [...after].filter(([rel, b]) => !before.get(rel)!.equals(b)).length;
    const midway = killed.filter((o) => o.changed > 0 && o.changed < changing);
    const withLeftovers = outcomes.filter((o) => o.leftovers > 0);
    const recovery = outcomes.flatMap((o) => o.recovery);
    console.log(
      `kill-during-fix: ${writeCalls} file-system calls in a complete write; ${outcomes.length} trials (${killed.length} killed: ${killed.filter((o) => o.changed === 0).length} before any rename, ${midway.length} between renames), ` +
        `${withLeftovers.length} left temp files (all removed by the next run), torn files: ${torn.length}`,
    );
    expect(torn).toEqual([]);
    expect(recovery).toEqual([]);
    // the trials did reach the interesting places
    expect(midway.length).toBeGreaterThan(0);
    expect(withLeftovers.length).toBeGreaterThan(0);
  }, 600_000);
});
