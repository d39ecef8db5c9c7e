import type { FileSystem } from '../fs.js';

/** Reads each file once per run, however many includes and stages ask for it. */
export function cachingFileSystem(fs: FileSystem): FileSystem {
  const contents = new Map<string, Uint8Array>();
  const real = new Map<string, string>();
  return {
    readFile(p) {
      let c = contents.get(p);
      if (!c) {
        c = fs.readFile(p);
        contents.set(p, c);
      }
      return c;
    },
    stat: (p) => fs.stat(p),
    readdir: (p) => fs.readdir(p),
    realpath(p) {
      let r = real.get(p);
      if (r === undefined) {
        r = fs.realpath(p);
        real.set(p, r);
      }
      return r;
    },
  };
}
