/**
 * The long fuzz run (`npm run fuzz`): every target of test/fuzz/targets.ts,
 * many inputs each, in worker threads. A worker whose current case does not
 * finish within --timeout-ms is killed and the case counted as a hang; an
 * exception or a broken promise is a crash. Every failing input is written
 * to the output directory and can be replayed from (seed, index).
 *
 *   npm run fuzz                                   100000 inputs per target, random seed
 *   npm run fuzz -- --runs 20000 --targets nginx,php-ini --seed 42
 *   npm run fuzz -- --replay nginx --seed 42 --index 1234    run one case in this process
 *   npm run fuzz -- --runs 0 --kill-trials 2000            only the SIGKILL-during---fix trials
 *
 * Options: --runs N (per target), --targets a,b, --seed S, --jobs J (parallel
 * workers, default: CPUs), --timeout-ms T (hang, default 10000), --big-every K
 * (every K-th chunk of 100 cases has huge tokens and deep nesting, default 20),
 * --slow-ms T (report cases slower than this, default 1000), --out DIR,
 * --kill-trials N (then run test/engine/kill-during-fix.test.ts with N trials).
 * Exits 1 when anything crashed, hung or tore a file.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { TARGETS } from '../../test/fuzz/targets.js';
import { caseInput, type WorkerJob } from './cases.js';

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i !== -1 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : fallback;
}

const runs = Number(option('runs', '100000'));
const seed = Number(option('seed', String(Date.now() % 1_000_000_007)));
const jobs = Number(option('jobs', String(availableParallelism())));
const timeoutMs = Number(option('timeout-ms', '10000'));
const bigEvery = Number(option('big-every', '20'));
const slowMs = Number(option('slow-ms', '1000'));
const names = option('targets', TARGETS.map((t) => t.name).join(',')).split(',');
const outDir = option('out', path.join(tmpdir(), `nginx-lint-fuzz-${seed}`));
const SLICE = 5000;

const unknown = names.filter((n) => !TARGETS.some((t) => t.name === n));
if (unknown.length) {
  console.error(`unknown target(s) ${unknown.join(', ')}; targets: ${TARGETS.map((t) => t.name).join(', ')}`);
  process.exit(2);
}

if (process.argv.includes('--replay')) {
  const target = TARGETS.find((t) => t.name === option('replay', ''))!;
  const input = caseInput(target, seed, Number(option('index', '0')), bigEvery);
  console.log(target.show(input).slice(0, 4000));
  const t0 = performance.now();
  target.run(input);
  console.log(`ok (${Math.round(performance.now() - t0)} ms)`);
  process.exit(0);
}

interface Tally {
  tried: number;
  crashes: { index: number; message: string; file: string }[];
  hangs: { index: number; file: string }[];
  slowest: number;
  ms: number;
}
const tally = new Map<string, Tally>(names.map((n) => [n, { tried: 0, crashes: [], hangs: [], slowest: 0, ms: 0 }]));

const queue: { target: string; from: number; to: number }[] = [];
for (const n of names) for (let from = 0; from < runs; from += SLICE) queue.push({ target: n, from, to: Math.min(runs, from + SLICE) });

mkdirSync(outDir, { recursive: true });
const save = (target: string, index: number, kind: string, body: string): string => {
  const file = path.join(outDir, `${target}-${kind}-seed${seed}-case${index}.txt`);
  writeFileSync(file, body);
  return file;
};

console.log(`fuzzing ${names.join(', ')}: ${runs} inputs each, seed ${seed}, ${jobs} workers, hang timeout ${timeoutMs} ms, failures to ${outDir}`);
const started = performance.now();

function runSlice(item: { target: string; from: number; to: number }): Promise<void> {
  return new Promise((resolve) => {
    const progress = new SharedArrayBuffer(8);
    const cur = new Int32Array(progress);
    Atomics.store(cur, 0, item.from - 1);
    const job: WorkerJob = { target: item.target, seed, from: item.from, to: item.to, bigEvery, slowMs, progress };
    const worker = new Worker(new URL('./worker-entry.mjs', import.meta.url), { workerData: job });
    const t = tally.get(item.target)!;
    const t0 = performance.now();
    let last = -2;
    let lastMove = performance.now();
    let settled = false;
    const finish = (doneTo: number) => {
      if (settled) return;
      settled = true;
      clearInterval(watch);
      t.tried += doneTo - item.from;
      t.ms += performance.now() - t0;
      resolve();
    };
    const watch = setInterval(() => {
      const now = Atomics.load(cur, 0);
      // loading modules and generating inputs are not cases: the clock runs only while a case does
      if (now !== last || Atomics.load(cur, 1) === 0) {
        last = now;
        lastMove = performance.now();
        return;
      }
      if (performance.now() - lastMove < timeoutMs) return;
      void worker.terminate();
      const target = TARGETS.find((x) => x.name === item.target)!;
      const file = save(item.target, now, 'hang', target.show(caseInput(target, seed, now, bigEvery)));
      t.hangs.push({ index: now, file });
      console.log(`HANG ${item.target} case ${now} (seed ${seed}): no progress for ${timeoutMs} ms; input in ${file}`);
      finish(now + 1);
      if (now + 1 < item.to) queue.unshift({ target: item.target, from: now + 1, to: item.to });
    }, 250);
    worker.on('message', (m: { kind: string; index: number; message?: string; input?: string; ms?: number }) => {
      if (m.kind === 'crash') {
        const file = save(item.target, m.index, 'crash', `${m.message}\n\n${m.input}`);
        t.crashes.push({ index: m.index, message: m.message!, file });
        console.log(`CRASH ${item.target} case ${m.index} (seed ${seed}): ${m.message!.split('\n')[0]}; input in ${file}`);
      } else if (m.kind === 'slow') t.slowest = Math.max(t.slowest, m.ms!);
      else if (m.kind === 'done') finish(item.to);
    });
    worker.on('error', (err) => {
      const at = Atomics.load(cur, 0);
      if (at < item.from) {
        // it never reached a case: the harness is broken, not a parser
        console.error(`the fuzz worker does not start: ${err.stack ?? err.message}`);
        process.exit(2);
      }
      console.log(`worker for ${item.target} died at case ${at}: ${err.message}`);
      t.crashes.push({ index: at, message: `worker died: ${err.message}`, file: '' });
      finish(at + 1);
      if (at + 1 < item.to) queue.unshift({ target: item.target, from: at + 1, to: item.to });
    });
    worker.on('exit', () => finish(Math.max(item.from, Atomics.load(cur, 0))));
  });
}

async function lane(): Promise<void> {
  for (let item = queue.shift(); item; item = queue.shift()) {
    await runSlice(item);
    const done = [...tally.values()].reduce((a, t) => a + t.tried, 0);
    process.stdout.write(`  ${done} / ${runs * names.length} inputs, ${Math.round((performance.now() - started) / 1000)} s\r`);
  }
}

await Promise.all(Array.from({ length: jobs }, lane));

console.log(`\n\n| target | reads | inputs | crashes | hangs | slowest case |`);
console.log(`| --- | --- | ---: | ---: | ---: | ---: |`);
for (const n of names) {
  const t = tally.get(n)!;
  const reads = TARGETS.find((x) => x.name === n)!.reads;
  console.log(`| ${n} | ${reads} | ${t.tried} | ${t.crashes.length} | ${t.hangs.length} | ${t.slowest ? `${Math.round(t.slowest)} ms` : `< ${slowMs} ms`} |`);
}
const bad = [...tally.values()].reduce((a, t) => a + t.crashes.length + t.hangs.length, 0);
console.log(`\nseed ${seed}, ${Math.round((performance.now() - started) / 1000)} s; ${bad ? `${bad} failing inputs in ${outDir} (replay: npm run fuzz -- --replay TARGET --seed ${seed} --index N)` : 'no crashes, no hangs'}`);

const killTrials = Number(option('kill-trials', '0'));
let killFailed = false;
if (killTrials > 0) {
  console.log(`\nSIGKILL during --fix: ${killTrials} trials`);
  const root = path.resolve(import.meta.dirname, '../..');
  const r = spawnSync(process.execPath, [path.join(root, 'node_modules/vitest/vitest.mjs'), 'run', 'test/engine/kill-during-fix.test.ts'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, KILL_TRIALS: String(killTrials) },
  });
  killFailed = r.status !== 0;
}
process.exit(bad || killFailed ? 1 : 0);
