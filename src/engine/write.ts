/**
 * Writing fixed files: all of them or none.
 *
 * For each file: symlinks are resolved (the target is written, the link
 * stays a link); the new bytes go to a temp file in the target's own
 * directory (unique name, O_EXCL, mode 0600 while it is being written),
 * which is fsynced, given the original's owner and mode, and renamed over
 * the target; then the directory is fsynced.
 *
 * Every temp file is prepared before the first rename: when reading,
 * writing, syncing or chowning any of them fails, every temp file is
 * removed and no target is touched. A rename failing after others
 * succeeded (the same directory, the same file system: it does not happen
 * short of a disk error) is reported with the files that were written.
 *
 * Not kept: hard links (a rename gives the target a new inode, other links
 * keep the old content), extended attributes and ACLs (a SELinux label is
 * the directory's default for new files).
 */
import * as nodeFs from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { UsageError, describeFsError } from './errors.js';

export interface FileWrite {
  /** the path as the user named it; a symlink is written through to its target */
  path: string;
  bytes: Uint8Array;
  /**
   * the bytes the new content was computed from: when given and the file
   * no longer holds them (edited meanwhile), nothing is written
   */
  expected?: Uint8Array;
}

export interface WrittenFile {
  /** as given */
  path: string;
  /** the file actually replaced (symlinks resolved) */
  target: string;
}

/** The file system calls writing uses; tests replace one to make it fail. */
export interface WriteOps {
  realpathSync: (p: string) => string;
  statSync: (p: string) => nodeFs.Stats;
  readFileSync: (p: string) => Buffer;
  openSync: (p: string, flags: number, mode?: number) => number;
  writeSync: (fd: number, buffer: Uint8Array, offset: number, length: number) => number;
  fsyncSync: (fd: number) => void;
  fchownSync: (fd: number, uid: number, gid: number) => void;
  fchmodSync: (fd: number, mode: number) => void;
  closeSync: (fd: number) => void;
  renameSync: (from: string, to: string) => void;
  unlinkSync: (p: string) => void;
}

const realOps: WriteOps = {
  realpathSync: (p) => nodeFs.realpathSync(p),
  statSync: (p) => nodeFs.statSync(p),
  readFileSync: (p) => nodeFs.readFileSync(p),
  openSync: (p, flags, mode) => nodeFs.openSync(p, flags, mode),
  writeSync: (fd, buffer, offset, length) => nodeFs.writeSync(fd, buffer, offset, length),
  fsyncSync: (fd) => nodeFs.fsyncSync(fd),
  fchownSync: (fd, uid, gid) => nodeFs.fchownSync(fd, uid, gid),
  fchmodSync: (fd, mode) => nodeFs.fchmodSync(fd, mode),
  closeSync: (fd) => nodeFs.closeSync(fd),
  renameSync: (from, to) => nodeFs.renameSync(from, to),
  unlinkSync: (p) => nodeFs.unlinkSync(p),
};

const isRoot = () => process.getuid?.() === 0;

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}

interface Prepared {
  change: FileWrite;
  target: string;
  temp: string;
}

/**
 * Write every change atomically, or none of them. Throws a UsageError with a
 * one-line reason (and the promise that nothing was written) when any file
 * cannot be prepared.
 */
export function writeFilesAtomically(changes: readonly FileWrite[], overrides: Partial<WriteOps> = {}): WrittenFile[] {
  const ops: WriteOps = { ...realOps, ...overrides };
  const prepared: Prepared[] = [];
  const targets = new Map<string, string>();

  const cleanup = () => {
    for (const p of prepared) {
      try {
        ops.unlinkSync(p.temp);
      } catch {
        // already gone
      }
    }
  };

  for (const change of changes) {
    let stage = 'read';
    let temp: string | null = null;
    let fd: number | null = null;
    try {
      const target = ops.realpathSync(change.path);
      const other = targets.get(target);
      if (other !== undefined) throw new UsageError(`cannot write "${change.path}": it is the same file as "${other}"; nothing was written`);
      targets.set(target, change.path);
      const st = ops.statSync(target);
      if (!st.isFile()) throw new UsageError(`cannot write "${change.path}": not a regular file; nothing was written`);
      if (change.expected && !sameBytes(ops.readFileSync(target), change.expected)) {
        throw new UsageError(`cannot write "${change.path}": it changed since it was read; nothing was written`);
      }

      stage = 'create a temporary file for';
      const dir = path.dirname(target);
      for (let attempt = 0; fd === null; attempt++) {
        const candidate = path.join(dir, `.${path.basename(target)}.nginx-lint-${process.pid}-${randomBytes(6).toString('hex')}.tmp`);
        try {
          fd = ops.openSync(candidate, nodeFs.constants.O_WRONLY | nodeFs.constants.O_CREAT | nodeFs.constants.O_EXCL, 0o600);
          temp = candidate;
        } catch (err) {
          if ((err as { code?: string }).code !== 'EEXIST' || attempt >= 8) throw err;
        }
      }
      prepared.push({ change, target, temp: temp! });

      stage = 'write';
      for (let off = 0; off < change.bytes.byteLength; ) off += ops.writeSync(fd, change.bytes, off, change.bytes.byteLength - off);
      ops.fsyncSync(fd);
      // owner before mode: chown may clear set-user/group-ID bits, chmod puts them back
      stage = 'keep the owner of';
      try {
        ops.fchownSync(fd, st.uid, st.gid);
      } catch (err) {
        if ((err as { code?: string }).code !== 'EPERM' || isRoot()) throw err;
        // not root: the file becomes ours, as any editor's save would make it
      }
      stage = 'keep the mode of';
      ops.fchmodSync(fd, st.mode & 0o7777);
      stage = 'write';
      ops.fsyncSync(fd);
      ops.closeSync(fd);
      fd = null;
    } catch (err) {
      if (fd !== null) {
        try {
          ops.closeSync(fd);
        } catch {
          // closing is best effort here
        }
      }
      cleanup();
      if (err instanceof UsageError) throw err;
      throw new UsageError(`cannot ${stage} "${change.path}": ${describeFsError(err)}; nothing was written`);
    }
  }

  const written: WrittenFile[] = [];
  for (let i = 0; i < prepared.length; i++) {
    const p = prepared[i]!;
    try {
      ops.renameSync(p.temp, p.target);
    } catch (err) {
      for (const q of prepared.slice(i)) {
        try {
          ops.unlinkSync(q.temp);
        } catch {
          // already gone
        }
      }
      const done = written.length ? `; already written: ${written.map((w) => `"${w.path}"`).join(', ')}` : '; nothing was written';
      throw new UsageError(`cannot replace "${p.change.path}": ${describeFsError(err)}${done}`);
    }
    written.push({ path: p.change.path, target: p.target });
  }

  for (const dir of new Set(prepared.map((p) => path.dirname(p.target)))) syncDirectory(ops, dir);
  return written;
}

/** fsync a directory so the renames survive a crash; file systems that cannot sync directories are let be. */
function syncDirectory(ops: WriteOps, dir: string): void {
  let fd: number | null = null;
  try {
    fd = ops.openSync(dir, nodeFs.constants.O_RDONLY);
    ops.fsyncSync(fd);
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code !== 'EINVAL' && code !== 'ENOTSUP' && code !== 'EISDIR' && code !== 'EBADF' && code !== 'EPERM' && code !== 'EACCES') {
      throw new UsageError(`the files were written, but syncing "${dir}" failed: ${describeFsError(err)}`);
    }
  } finally {
    if (fd !== null) ops.closeSync(fd);
  }
}
