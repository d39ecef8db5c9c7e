#!/usr/bin/env node
// dist/cli.js, written by scripts/build.mjs from scripts/cli-loader.cjs.
//
// Start-up is most of a small run, and most of start-up was V8 parsing and
// compiling the bundled CLI. So the CLI is one CommonJS bundle
// (cli-bundle.cjs) compiled through vm.Script with a V8 code cache
// (cli-bundle.cache) that the build made by running it once. A cache from
// another Node version is rejected by V8 and the bundle compiles as usual.
//
// This loader is CommonJS itself (dist/package.json says so): an ES-module
// entry point costs Node 20 about 5 ms more to start.
'use strict';
const { readFileSync, writeFileSync } = require('node:fs');
const { createRequire } = require('node:module');
const path = require('node:path');
const vm = require('node:vm');

const file = path.join(__dirname, 'cli-bundle.cjs');
let cachedData;
try {
  cachedData = readFileSync(path.join(__dirname, 'cli-bundle.cache'));
} catch {
  cachedData = undefined; // no cache: compile from source
}
// the bundle is one function expression: Module.wrap's parameters, and __nlImport for the
// bundle's import() calls (plugins), made from here; all ASCII, so latin1 reads it fastest
const script = new vm.Script(readFileSync(file, 'latin1'), { filename: file, cachedData });
// the build's warm-up run: keep what V8 compiled, for the next start
const cacheOut = process.env.NGINX_LINT_CODE_CACHE_OUT;
if (cacheOut) process.once('exit', () => writeFileSync(cacheOut, script.createCachedData()));
const bundle = { exports: {} };
script.runInThisContext()(bundle.exports, createRequire(file), bundle, file, __dirname, (specifier) => import(specifier));
