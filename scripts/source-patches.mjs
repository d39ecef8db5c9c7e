// An esbuild plugin for the bundled CLI: exact-text patches to dependencies'
// sources, each for start-up time and each checked: the build fails when a
// patch no longer applies (a new version of the package), instead of
// shipping an unpatched bundle silently.
import { readFileSync } from 'node:fs';

const PATCHES = [
  {
    // yargs' platform shim reads process.stdout.columns when it loads. Making
    // process.stdout loads Node's whole stream stack (15 internal modules),
    // and nginx-lint writes its report with writeSync (src/cli/output.ts); the
    // width is needed only for --help. A getter reads it then.
    file: /[\\/]yargs[\\/]lib[\\/]platform-shims[\\/]esm\.mjs$/,
    from: "stdColumns: typeof process.stdout.columns !== 'undefined' ? process.stdout.columns : null",
    to: "get stdColumns() { return typeof process.stdout.columns !== 'undefined' ? process.stdout.columns : null; }",
  },
];

export const sourcePatches = {
  name: 'source-patches',
  setup(build) {
    for (const patch of PATCHES) {
      build.onLoad({ filter: patch.file }, (args) => {
        const source = readFileSync(args.path, 'utf8');
        if (source.split(patch.from).length !== 2) throw new Error(`source-patches: "${patch.from}" is not in ${args.path} exactly once (a new version of the package?)`);
        return { contents: source.replace(patch.from, patch.to), loader: 'js' };
      });
    }
  },
};
