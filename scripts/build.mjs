// Builds dist/ with esbuild (paths are relative to the working directory:
// test/support/private-cli.ts builds into a directory of its own):
//
// - dist/index.mjs (+ dist/chunks/*.mjs): the library, ESM, formatters and
//   other rarely used parts in lazily imported chunks;
// - dist/cli.js: the command line. It is a small CommonJS loader (scripts/cli-loader.cjs;
//   dist/package.json makes dist/*.js CommonJS, an ES-module entry starts slower)
//   for dist/cli-bundle.cjs, the whole CLI in one CommonJS file, compiled with
//   the V8 code cache dist/cli-bundle.cache that this build makes by running
//   the CLI once on a small generated stack. Parsing and compiling the bundle
//   was most of the start-up of a small run; with the cache V8 skips it.
//   Lazily imported modules stay lazy: esbuild runs their top-level code on
//   first import.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateTree } from './bench/generate.mjs';
import { lezerTables } from './lezer-tables.mjs';
import { sourcePatches } from './source-patches.mjs';

const scripts = path.dirname(fileURLToPath(import.meta.url));

rmSync('dist', { recursive: true, force: true });
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  packages: 'bundle',
  sourcemap: false,
  legalComments: 'none',
  logLevel: 'warning',
  // packages' ESM builds first: a UMD build (jsonc-parser's "main") hands its
  // own require() calls to the real require, which cannot find its files in dist/
  mainFields: ['module', 'main'],
};

await build({
  ...common,
  entryPoints: { index: 'src/index.ts' },
  outdir: 'dist',
  splitting: true,
  format: 'esm',
  chunkNames: 'chunks/[name]-[hash]',
  outExtension: { '.js': '.mjs' },
  // yargs and friends use require() of node builtins in places
  banner: { js: "import { createRequire as __nlCreateRequire } from 'node:module'; const require = __nlCreateRequire(import.meta.url);" },
});

// `import * as path from 'node:path'` in 25 modules: esbuild copies the module's properties
// into a namespace object for each; routed through one ES module, they share one copy
const sharedBuiltinNamespaces = {
  name: 'shared-builtin-namespaces',
  setup(b) {
    b.onResolve({ filter: /^node:(path|fs)$/ }, (args) => (args.importer.includes(`${path.sep}shims${path.sep}`) ? undefined : { path: path.join(scripts, `shims/node-${args.path.slice(5)}.mjs`) }));
  },
};

await build({
  ...common,
  entryPoints: ['src/cli/main.ts'],
  outfile: 'dist/cli-bundle.cjs',
  format: 'cjs',
  // a third less to read at every start; identifiers stay, so traces and profiles keep their names
  minifyWhitespace: true,
  minifySyntax: true,
  // start-up: string-width only on first use (yargs' --help tables need it, a lint does not),
  // yargs' two assert checks without loading node:assert, and yargs' package.json lookup
  // pointed at nginx-lint's own (see scripts/shims/)
  alias: {
    'string-width': path.join(scripts, 'shims/string-width.mjs'),
    assert: path.join(scripts, 'shims/assert.mjs'),
    'escalade/sync': path.join(scripts, 'shims/escalade-sync.mjs'),
  },
  // @lezer/python's parse tables decoded at build time (see scripts/lezer-tables.mjs), and
  // checked patches to dependencies (scripts/source-patches.mjs)
  plugins: [lezerTables, sharedBuiltinNamespaces, sourcePatches],
  // import.meta.url of the ESM sources is the bundle file's URL
  define: { 'import.meta.url': '__nlImportMetaUrl' },
  banner: { js: 'var __nlImportMetaUrl = require("node:url").pathToFileURL(__filename).href;' },
});
// The loader wraps the bundle in a function, so no `#!` line. And import() of
// a plugin cannot run inside vm.Script code on Node 20 (it needs
// --experimental-vm-modules, and a code cache drops the callback), so the
// bundle's `await import(` calls go to the loader's own import().
let bundle = readFileSync('dist/cli-bundle.cjs', 'utf8');
if (bundle.startsWith('#!')) bundle = bundle.slice(bundle.indexOf('\n') + 1);
bundle = bundle.replaceAll('await import(', 'await __nlImport(');
const stray = /(?<![\w$.])import\(/.exec(bundle);
if (stray) throw new Error(`dist/cli-bundle.cjs has an import() the loader does not route (write it as \`await import(...)\`): ${bundle.slice(stray.index - 60, stray.index + 40)}`);
// The loader hands this file to vm.Script as it is (no copy to wrap it, read as latin1: esbuild
// escapes every non-ASCII character), so the file is the function that Node's Module.wrap would make,
// with one more parameter, __nlImport.
if (/[^\x00-\x7f]/.test(bundle)) throw new Error('dist/cli-bundle.cjs has a non-ASCII character; the loader reads it as latin1');
writeFileSync('dist/cli-bundle.cjs', `(function (exports, require, module, __filename, __dirname, __nlImport) {${bundle}\n})`);
copyFileSync(path.join(scripts, 'cli-loader.cjs'), 'dist/cli.js');
// dist/*.js are CommonJS (the loader); the declarations tsc writes to dist/types are ES modules
writeFileSync('dist/package.json', `${JSON.stringify({ type: 'commonjs' })}\n`);
mkdirSync('dist/types', { recursive: true });
writeFileSync('dist/types/package.json', `${JSON.stringify({ type: 'module' })}\n`);
chmodSync('dist/cli.js', 0o755);

// the code cache: what V8 compiled during one lint of a small nginx + PHP-FPM + gunicorn stack
const warm = mkdtempSync(path.join(tmpdir(), 'nginx-lint-warm-'));
try {
  generateTree(warm, { servers: 4 });
  // --root: the tree's absolute paths (php-fpm.conf's include=/etc/php/...) stay inside it
  const run = spawnSync(process.execPath, ['dist/cli.js', '--root', warm], { env: { ...process.env, NGINX_LINT_CODE_CACHE_OUT: 'dist/cli-bundle.cache', NO_COLOR: '1' }, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  if (run.status !== 0 && run.status !== 1) throw new Error(`the warm-up run of dist/cli.js failed (exit ${run.status}):\n${run.stderr}`);
} finally {
  rmSync(warm, { recursive: true, force: true });
}
