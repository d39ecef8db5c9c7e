import type { FileSystem } from '../fs.js';

export interface CachingFileSystem extends FileSystem {
  /**
   * Let go of the bytes read so far. Each file is decoded into its
   * SourceFile once (syntax/source.ts), and every stage that reads files
   * (discovery, the include loader, FPM, gunicorn, accounts) has run by the
   * time the model is built: keeping the bytes after that held a second copy
   * of the tree (32 MB at 10,000 sites) to the end of the run. A later read
   * goes to the file system again.
   */
  release(): void;
}

/**
 * Reads each file once per run, however many includes and stages ask for it;
 * likewise each stat, directory listing and realpath (discovery alone probes
 * the same few directories for a dozen patterns).
 */
export function cachingFileSystem(fs: FileSystem): CachingFileSystem {
  const contents = new Map<string, Uint8Array>();
  const stats = new Map<string, ReturnType<FileSystem['stat']>>();
  const lists = new Map<string, string[]>();
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
    stat(p) {
      let st = stats.get(p);
      if (st === undefined) stats.set(p, (st = fs.stat(p)));
      return st;
    },
    readdir(p) {
      let names = lists.get(p);
      if (!names) lists.set(p, (names = fs.readdir(p)));
      // a copy: callers sort in place
      return names.slice();
    },
    realpath(p) {
      let r = real.get(p);
      if (r === undefined) {
        r = fs.realpath(p);
        real.set(p, r);
      }
      return r;
    },
    release: () => contents.clear(),
  };
}
