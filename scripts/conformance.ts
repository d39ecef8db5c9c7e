/**
 * Conformance against the real programs' recorded outputs for a corpus:
 *   npm run conformance -- ../shared/corpus [nginx|nginx-analyze|php|gunicorn ...]
 * Prints, per parser: files parsed, round-trip failures, crashes, mismatches.
 * Exits 1 when any crash or round-trip failure was seen.
 */
import * as path from 'node:path';

const [corpusArg, ...only] = process.argv.slice(2);
if (!corpusArg) {
  console.error('usage: npm run conformance -- CORPUS_DIR [nginx|nginx-analyze|php|gunicorn ...]');
  process.exit(2);
}
const corpus = path.resolve(corpusArg);
const suites: Record<string, () => Promise<boolean>> = {
  nginx: async () => (await import('./conformance/nginx.js')).main(corpus),
  'nginx-analyze': async () => (await import('./conformance/nginx-analyze.js')).main(corpus),
  php: async () => (await import('./conformance/php.js')).main(corpus),
  gunicorn: async () => (await import('./conformance/gunicorn.js')).main(corpus),
};
let ok = true;
for (const [name, run] of Object.entries(suites)) {
  if (only.length && !only.includes(name)) continue;
  console.log(`\n## ${name}`);
  ok = (await run()) && ok;
}
process.exit(ok ? 0 : 1);
