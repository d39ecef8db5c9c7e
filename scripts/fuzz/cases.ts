/** Which input is case i of a fuzz run: shared by the workers and the parent (to show a hang's input). */
import fc from 'fast-check';
import type { FuzzTarget } from '../../test/fuzz/targets.js';

/** cases per fc.sample call (one seed each) */
export const CHUNK = 100;

export interface WorkerJob {
  target: string;
  seed: number;
  from: number;
  to: number;
  /** every bigEvery-th chunk uses huge tokens and deep nesting */
  bigEvery: number;
  /** cases slower than this are reported (not failures: the hang timeout is the parent's) */
  slowMs: number;
  /** SharedArrayBuffer of two Int32: the case being run, and 1 while it runs (0 while inputs are generated) */
  progress: SharedArrayBuffer;
}

export const isBigChunk = (chunk: number, bigEvery: number) => bigEvery > 0 && chunk % bigEvery === bigEvery - 1;

export function* caseInputs(target: FuzzTarget, job: Pick<WorkerJob, 'seed' | 'from' | 'to' | 'bigEvery'>): Generator<{ index: number; input: unknown }> {
  for (let chunk = Math.floor(job.from / CHUNK); chunk * CHUNK < job.to; chunk++) {
    const inputs = fc.sample(target.arbitrary(isBigChunk(chunk, job.bigEvery)), { seed: job.seed + chunk, numRuns: CHUNK });
    for (let k = 0; k < CHUNK; k++) {
      const index = chunk * CHUNK + k;
      if (index < job.from || index >= job.to) continue;
      yield { index, input: inputs[k] };
    }
  }
}

export function caseInput(target: FuzzTarget, seed: number, index: number, bigEvery: number): unknown {
  for (const c of caseInputs(target, { seed, from: index, to: index + 1, bigEvery })) return c.input;
  return undefined;
}
