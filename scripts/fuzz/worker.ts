/**
 * One fuzz worker: runs cases [from, to) of one target and reports failures.
 * Case i is the (i % CHUNK)-th value of fc.sample(arbitrary, { seed: seed + chunk })
 * with chunk = floor(i / CHUNK), so the parent can regenerate any case from
 * (seed, i) alone — that is how a hang (this worker killed mid-case) is shown.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { caseInputs, type WorkerJob } from './cases.js';
import { TARGETS } from '../../test/fuzz/targets.js';

const job = workerData as WorkerJob;
const target = TARGETS.find((t) => t.name === job.target)!;
const progress = new Int32Array(job.progress);

for (const { index, input } of caseInputs(target, job)) {
  // the parent watches these: a case running with an index that stops moving is a hang
  Atomics.store(progress, 0, index);
  Atomics.store(progress, 1, 1);
  const t0 = performance.now();
  try {
    target.run(input);
    const ms = performance.now() - t0;
    if (ms > job.slowMs) parentPort!.postMessage({ kind: 'slow', index, ms });
  } catch (err) {
    const message = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    parentPort!.postMessage({ kind: 'crash', index, message: message.slice(0, 2000), input: target.show(input) });
  }
  // generating the next inputs is not part of any case
  Atomics.store(progress, 1, 0);
}
Atomics.store(progress, 0, job.to);
parentPort!.postMessage({ kind: 'done' });
