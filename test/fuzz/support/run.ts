/**
 * Running a fuzz target under vitest: a bounded number of cases (the suite
 * stays fast), more with FUZZ_RUNS=n, a fixed seed with FUZZ_SEED=n.
 * fast-check prints the seed, the path and the shrunk counterexample on
 * failure; replay with FUZZ_SEED and the printed path.
 */
import fc from 'fast-check';
import type { FuzzTarget } from '../targets.js';

/** A case slower than this is taken for a hang. A guard against loops, not a performance assertion. */
export const HANG_MS = 5000;

export function runsFor(base: number): number {
  const env = Number(process.env.FUZZ_RUNS);
  return Number.isFinite(env) && env > 0 ? env : base;
}

/** Check `runs` inputs of a target; returns how many were tried. */
export function fuzz<T>(target: FuzzTarget<T>, runs: number, big = false): number {
  let tried = 0;
  const seed = process.env.FUZZ_SEED !== undefined ? Number(process.env.FUZZ_SEED) : undefined;
  fc.assert(
    fc.property(target.arbitrary(big), (input) => {
      tried++;
      const t0 = performance.now();
      target.run(input);
      const ms = performance.now() - t0;
      if (ms > HANG_MS) throw new Error(`${target.name}: one input took ${Math.round(ms)} ms (hang guard ${HANG_MS} ms): ${target.show(input).slice(0, 300)}`);
    }),
    { numRuns: runsFor(runs), ...(seed !== undefined ? { seed } : {}) },
  );
  return tried;
}
