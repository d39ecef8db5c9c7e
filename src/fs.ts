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

/**
 * Files larger than this are not read (EFBIG): no configuration is, and a
 * parsed file takes about fifteen times its size in memory. Past it, one
 * clear error instead of a process that runs out of heap.
 */
export const MAX_FILE_BYTES = 64 * 1024 * 1024;

function tooLarge(what: string, size: number): Error {
  return Object.assign(new Error(`EFBIG: file too large (${size} bytes), read '${what}'`), { code: 'EFBIG' });
}

export const nodeFileSystem: FileSystem = {
  readFile(p) {
    const size = nodeFs.statSync(p).size;
    if (size > MAX_FILE_BYTES) throw tooLarge(p, size);
    return nodeFs.readFileSync(p);
  },
  stat(p) {
    try {
      // a missing file is the common answer (discovery probes many paths): no exception made for it
      const s = nodeFs.statSync(p, { throwIfNoEntry: false });
      return s ? { isFile: s.isFile(), isDirectory: s.isDirectory(), size: s.size, mode: s.mode, uid: s.uid, gid: s.gid } : null;
    } catch {
      return null; // ENOTDIR, EACCES, ...
    }
  },
  readdir: (p) => nodeFs.readdirSync(p),
  realpath(p) {
    try {
      // the system's realpath(3), not Node's lstat per path component
      return nodeFs.realpathSync.native(p);
    } catch {
      return p;
    }
  },
};

/** Standard input, up to MAX_FILE_BYTES (then an EFBIG error); waits out EAGAIN on a non-blocking pipe. */
export function readStdin(limit = MAX_FILE_BYTES): Uint8Array {
  const chunks: Buffer[] = [];
  const buf = Buffer.alloc(1 << 16);
  let total = 0;
  for (;;) {
    let n: number;
    try {
      n = nodeFs.readSync(0, buf, 0, buf.length, null);
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code === 'EOF') break;
      if (code !== 'EAGAIN') throw err;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
      continue;
    }
    if (n === 0) break;
    total += n;
    if (total > limit) throw tooLarge('<stdin>', total);
    chunks.push(Buffer.from(buf.subarray(0, n)));
  }
  return Buffer.concat(chunks);
}

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
