/**
 * Writing fixed files: all of them or none.
 *
 * For each file: symlinks are resolved (the target is written, the link
 * stays a link); the new bytes go to a temp file in the target's own
 * directory (`.NAME.nginx-lint-PID-HEX.tmp`, O_EXCL, mode 0600 while it is
 * being written), which is fsynced and given the original's owner and mode.
 *
 * Every temp file is prepared before the first rename: when reading,
 * writing, syncing or chowning any of them fails, every temp file is
 * removed and no target is touched. Right before the renames every target
 * is read again: one that changed since the run read it (an editor saved it
 * meanwhile) stops the write, nothing renamed. Then each temp file is
 * renamed over its target and the directories are fsynced. A rename
 * failing after others succeeded (same directory, same file system: short
 * of a disk error it does not happen) is reported with the files written
 * and the files not written.
 *
 * A process killed in the middle (SIGKILL, power loss) leaves every target
 * either as it was or as it should become, never a mix: rename(2) replaces
 * a file in one step. What it can leave is a temp file whose rename never
 * came: directory walks ignore such names (isFixTempFile), and the next
 * write into that directory removes the ones whose process is gone.
 *
 * With `within`, a target whose real path (symlinks resolved) lies outside
 * that directory is refused, nothing written: under `--root`, fixes never
 * write through a symlink or include that leads out of the image.
 *
 * Not kept: hard links (a rename gives the target a new inode, other links
 * keep the old content), extended attributes and ACLs (a SELinux label is
 * the directory's default for new files).
 */
import * as nodeFs from 'node:fs';
import * as path from 'node:path';
import { nodeCrypto } from '../node-crypto.js';
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

export interface WriteOptions {
  /** refuse (write nothing) when a target's real path is not inside this directory */
  within?: string;
}

/** The file system calls writing uses; tests replace one to make it fail. */
export interface WriteOps {
  realpathSync: (p: string) => string;
  statSync: (p: string) => nodeFs.Stats;
  readFileSync: (p: string) => Buffer;
  readdirSync: (p: string) => string[];
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
  readdirSync: (p) => nodeFs.readdirSync(p),
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

/** `.NAME.nginx-lint-PID-HEX.tmp`: the name of a temp file while a fix is written. */
const TEMP_NAME = /^\.(.+)\.nginx-lint-(\d+)-[0-9a-f]+\.tmp$/;

/** A temp file of a fix being written (or of a run killed before its rename): never configuration. */
export function isFixTempFile(name: string): boolean {
  return TEMP_NAME.test(name);
}

function tempPath(target: string): string {
  return path.join(path.dirname(target), `.${path.basename(target)}.nginx-lint-${process.pid}-${nodeCrypto().randomBytes(6).toString('hex')}.tmp`);
}

/** Whether a process of this id exists (EPERM: it does, as another user's). */
function alive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as { code?: string }).code === 'EPERM';
  }
}

/** Remove the temp files a killed run left in a directory (best effort: a failure here stops nothing). */
function removeStaleTemps(ops: WriteOps, dir: string): void {
  let names: string[];
  try {
    names = ops.readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const m = TEMP_NAME.exec(name);
    if (!m || alive(Number(m[2]))) continue;
    try {
      ops.unlinkSync(path.join(dir, name));
    } catch {
      // someone else removed it, or we may not: it stays ignored
    }
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}

function inside(dir: string, p: string): boolean {
  const rel = path.relative(dir, p);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

interface Prepared {
  change: FileWrite;
  target: string;
  temp: string;
}

const names = (list: readonly { path: string }[]) => list.map((w) => `"${w.path}"`).join(', ');

/**
 * Write every change atomically, or none of them. Throws a UsageError with a
 * one-line reason (and which files were written, if any) when it cannot.
 */
export function writeFilesAtomically(changes: readonly FileWrite[], overrides: Partial<WriteOps> = {}, options: WriteOptions = {}): WrittenFile[] {
  const ops: WriteOps = { ...realOps, ...overrides };
  const prepared: Prepared[] = [];
  const targets = new Map<string, string>();
  let within: string | null = null;
  if (options.within !== undefined) {
    try {
      within = ops.realpathSync(options.within);
    } catch (err) {
      throw new UsageError(`cannot write under "${options.within}": ${describeFsError(err)}; nothing was written`);
    }
  }

  const removeTemps = (list: readonly Prepared[]) => {
    for (const p of list) {
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
      if (within !== null && !inside(within, target)) {
        throw new UsageError(`cannot write "${change.path}": it is "${target}", outside the root "${options.within}"; nothing was written`);
      }
      const other = targets.get(target);
      if (other !== undefined) throw new UsageError(`cannot write "${change.path}": it is the same file as "${other}"; nothing was written`);
      targets.set(target, change.path);
      const st = ops.statSync(target);
      if (!st.isFile()) throw new UsageError(`cannot write "${change.path}": not a regular file; nothing was written`);
      if (change.expected && !sameBytes(ops.readFileSync(target), change.expected)) {
        throw new UsageError(`cannot write "${change.path}": it changed since it was read; nothing was written`);
      }

      stage = 'create a temporary file for';
      removeStaleTemps(ops, path.dirname(target));
      for (let attempt = 0; fd === null; attempt++) {
        const candidate = tempPath(target);
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
      removeTemps(prepared);
      if (err instanceof UsageError) throw err;
      throw new UsageError(`cannot ${stage} "${change.path}": ${describeFsError(err)}; nothing was written`);
    }
  }

  // the last look before anything is replaced: a file edited while we prepared is not overwritten
  for (const p of prepared) {
    if (!p.change.expected) continue;
    let now: Buffer | null;
    try {
      now = ops.readFileSync(p.target);
    } catch {
      now = null;
    }
    if (now === null || !sameBytes(now, p.change.expected)) {
      removeTemps(prepared);
      throw new UsageError(`cannot write "${p.change.path}": it changed since it was read; nothing was written`);
    }
  }

  const written: WrittenFile[] = [];
  for (let i = 0; i < prepared.length; i++) {
    const p = prepared[i]!;
    try {
      ops.renameSync(p.temp, p.target);
    } catch (err) {
      removeTemps(prepared.slice(i));
      const left = prepared.slice(i).map((q) => q.change);
      const done = written.length ? `; written: ${names(written)}; not written: ${names(left)}` : '; nothing was written';
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
