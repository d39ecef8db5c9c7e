#!/usr/bin/env node
// dist/cli.js, written by scripts/build.mjs from scripts/cli-loader.mjs.
//
// Start-up is most of a small run, and most of start-up was V8 parsing and
// compiling the bundled CLI. So the CLI is one CommonJS bundle
// (cli-bundle.cjs) compiled through vm.Script with a V8 code cache
// (cli-bundle.cache) that the build made by running it once. A cache from
// another Node version is rejected by V8 and the bundle compiles as usual.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, URL } from 'node:url';
import vm from 'node:vm';

const file = fileURLToPath(new URL('./cli-bundle.cjs', import.meta.url));
const cacheFile = fileURLToPath(new URL('./cli-bundle.cache', import.meta.url));
let cachedData;
try {
  cachedData = readFileSync(cacheFile);
} catch {
  cachedData = undefined; // no cache: compile from source
}
// Module.wrap's parameters, and __nlImport: the bundle's import() calls (plugins), made from here
const source = `(function (exports, require, module, __filename, __dirname, __nlImport) {${readFileSync(file, 'utf8')}\n})`;
const script = new vm.Script(source, { filename: file, cachedData });
// the build's warm-up run: keep what V8 compiled, for the next start
const cacheOut = process.env.NGINX_LINT_CODE_CACHE_OUT;
if (cacheOut) process.once('exit', () => writeFileSync(cacheOut, script.createCachedData()));
const module = { exports: {} };
script.runInThisContext()(module.exports, createRequire(file), module, file, fileURLToPath(new URL('.', import.meta.url)), (specifier) => import(specifier));
