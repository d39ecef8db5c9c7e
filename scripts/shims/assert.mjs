// The bundled CLI's `assert` (scripts/build.mjs aliases yargs' import of it
// here). Loading Node's assert module loads its AssertionError, whose colour
// support opens process.stderr: about 2 ms of every start, for checks that
// pass. These have node:assert's semantics (Object.is) and call the real
// module only to throw its error when a check fails.
export function notStrictEqual(actual, expected, message) {
  if (Object.is(actual, expected)) require('node:assert').notStrictEqual(actual, expected, message);
}

export function strictEqual(actual, expected, message) {
  if (!Object.is(actual, expected)) require('node:assert').strictEqual(actual, expected, message);
}
