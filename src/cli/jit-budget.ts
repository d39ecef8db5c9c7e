/**
 * The JIT budget of a big run (the CLI's, not the library's: a V8 flag is the
 * whole process's business, and a program that calls lint() owns its own).
 *
 * A lint of a 10,000-site tree runs for a second. In that second V8's
 * optimising compiler (TurboFan, on a background thread) compiles about 230
 * hot functions, and by default it inlines up to 920 bytes of bytecode into
 * each: the parser, the analyzer, the rules and Node's own fs functions each
 * pull in much of what they call, and the compile jobs took a second of
 * background time (`--trace-opt`). On a two-core machine that thread shares
 * the second core with the garbage collector's helpers, so the main thread
 * waits longer for both. With 200 bytes the compiles are smaller and the same
 * lint took 5 to 8% less wall time (README, Speed); the code they make was not
 * measurably slower.
 *
 * Small runs never reach the threshold and pay nothing: not even loading
 * `node:v8` (1 ms, a fiftieth of a bare Node start). The flag is set once the
 * run has read BIG_RUN_BYTES of configuration, early in the parse of a big
 * tree and before most of its compiles.
 */
import { createRequire } from 'node:module';
import type * as V8 from 'node:v8';
import type { FileSystem } from '../fs.js';

/** configuration read before the budget is lowered: a few hundred sites (the bundled example stack reads 5 KB) */
export const BIG_RUN_BYTES = 2 << 20;

/** TurboFan's limit on the bytecode inlined into one function (V8's default: 920) */
export const BIG_RUN_INLINING = '--max-inlined-bytecode-size-cumulative=200';

function lowerInliningBudget(): void {
  // loaded only here (builtins resolve from any base path)
  const v8 = createRequire(process.execPath)('node:v8') as typeof V8;
  v8.setFlagsFromString(BIG_RUN_INLINING);
}

/**
 * `fs`, counting the bytes it reads: past `threshold`, `onBig` runs (once).
 * By default that lowers TurboFan's inlining budget.
 */
export function withBigRunBudget(fs: FileSystem, threshold = BIG_RUN_BYTES, onBig: () => void = lowerInliningBudget): FileSystem {
  let read = 0;
  let done = false;
  return {
    readFile(p) {
      const bytes = fs.readFile(p);
      read += bytes.byteLength;
      if (!done && read >= threshold) {
        done = true;
        onBig();
      }
      return bytes;
    },
    stat: (p) => fs.stat(p),
    readdir: (p) => fs.readdir(p),
    realpath: (p) => fs.realpath(p),
  };
}
