/**
 * The file system as the linter sees it. The CLI uses the real one; the
 * library can lint strings through an in-memory one (editors, tests).
 */
import * as nodeFs from 'node:fs';
import * as nodePath from 'node:path';

export interface FileStat {
  isFile: boolean;
  isDirectory: boolean;
  size: number;
  mode: number;
  uid: number;
  gid: number;
}

export interface FileSystem {
  readFile(path: string): Uint8Array;
  stat(path: string): FileStat | null;
  /** entry names of a directory (not paths), unsorted */
  readdir(path: string): string[];
  /** canonical path (symlinks resolved), or the path itself when it does not exist */
  realpath(path: string): string;
}

export const nodeFileSystem: FileSystem = {
  readFile: (p) => nodeFs.readFileSync(p),
  stat(p) {
    try {
      const s = nodeFs.statSync(p);
      return { isFile: s.isFile(), isDirectory: s.isDirectory(), size: s.size, mode: s.mode, uid: s.uid, gid: s.gid };
    } catch {
      return null;
    }
  },
  readdir: (p) => nodeFs.readdirSync(p),
  realpath(p) {
    try {
      return nodeFs.realpathSync(p);
    } catch {
      return p;
    }
  },
};

/** An in-memory file system: paths are normalised POSIX paths. */
export function memoryFileSystem(files: Record<string, string | Uint8Array>): FileSystem {
  const map = new Map<string, Uint8Array>();
  for (const [p, content] of Object.entries(files)) {
    map.set(nodePath.posix.resolve('/', p), typeof content === 'string' ? Buffer.from(content, 'utf8') : content);
  }
  const norm = (p: string) => nodePath.posix.resolve('/', p);
  const isDir = (p: string) => {
    const prefix = p.endsWith('/') ? p : p + '/';
    for (const k of map.keys()) if (k.startsWith(prefix)) return true;
    return false;
  };
  return {
    readFile(p) {
      const c = map.get(norm(p));
      if (!c) throw Object.assign(new Error(`ENOENT: no such file or directory, open '${p}'`), { code: 'ENOENT' });
      return c;
    },
    stat(p) {
      const n = norm(p);
      const c = map.get(n);
      if (c) return { isFile: true, isDirectory: false, size: c.byteLength, mode: 0o100644, uid: 0, gid: 0 };
      if (isDir(n)) return { isFile: false, isDirectory: true, size: 0, mode: 0o40755, uid: 0, gid: 0 };
      return null;
    },
    readdir(p) {
      const n = norm(p);
      const prefix = n.endsWith('/') ? n : n + '/';
      const names = new Set<string>();
      for (const k of map.keys()) if (k.startsWith(prefix)) names.add(k.slice(prefix.length).split('/')[0]!);
      return [...names];
    },
    realpath: (p) => norm(p),
  };
}
