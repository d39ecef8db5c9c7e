// The bundled CLI's `node:fs` for `import * as fs from 'node:fs'` (see scripts/build.mjs and node-path.mjs).
export * from 'node:fs';
