// The bundled CLI's `node:path` for `import * as path from 'node:path'` (see scripts/build.mjs):
// esbuild gives each such import its own copy of the module's properties; through this module
// there is one.
export * from 'node:path';
