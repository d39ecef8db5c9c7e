/**
 * Turning the paths a user named into the files to lint: directories are
 * walked (bounded, hidden folders and node_modules skipped, symlink loops
 * cut), each file is read once and its kind detected.
 */
import * as path from 'node:path';
import type { FileSystem } from '../fs.js';
import { decodeSource, type SourceFile } from '../syntax/source.js';
import { detectKind, type FileKind } from '../stack/kind.js';
import { UsageError, describeFsError } from './errors.js';
import { isFixTempFile } from './write.js';

export interface CollectedFile {
  source: SourceFile;
  kind: FileKind;
  /** named on the command line (not found by walking a directory) */
  explicit: boolean;
}

export const WALK_LIMITS = { files: 100_000, depth: 40 } as const;
const SKIP_DIRS = new Set(['node_modules', '.git', '.hg', '.svn']);

/** Read a file the user named: a clear UsageError (exit 2) when it is missing, not a file, or unreadable. */
export function readNamedFile(fs: FileSystem, file: string): SourceFile {
  const st = fs.stat(file);
  if (!st) throw unreadable(fs, file);
  if (!st.isFile) throw new UsageError(`cannot read "${file}": ${st.isDirectory ? 'Is a directory' : 'not a regular file'}`);
  return readSource(fs, file);
}

/** A path stat() cannot see: say why (missing, a symlink loop, a parent that is not a directory, ...). */
function unreadable(fs: FileSystem, file: string): UsageError {
  try {
    fs.readFile(file);
  } catch (err) {
    return new UsageError(`cannot read "${file}": ${describeFsError(err)}`);
  }
  return new UsageError(`cannot read "${file}": No such file or directory`);
}


function readSource(fs: FileSystem, file: string): SourceFile {
  let bytes: Uint8Array;
  try {
    bytes = fs.readFile(file);
  } catch (err) {
    throw new UsageError(`cannot read "${file}": ${describeFsError(err)}`);
  }
  return decodeSource(file, bytes);
}

/** A file named with its kind (`--nginx FILE`, `--fpm FILE`, ...): read as that kind, never guessed. */
export interface TypedPath {
  path: string;
  kind: FileKind;
}

/** `ignored`: files and directories a directory walk skips (the config file's `ignore`); files named explicitly are read anyway. */
export function collectFiles(fs: FileSystem, paths: string[], forcedKind?: FileKind, typed: TypedPath[] = [], ignored?: (p: string) => boolean): CollectedFile[] {
  const out: CollectedFile[] = [];
  const seen = new Set<string>();
  const visitedDirs = new Set<string>();

  const walk = (dir: string, depth: number) => {
    const real = fs.realpath(dir);
    if (visitedDirs.has(real) || depth > WALK_LIMITS.depth) return;
    visitedDirs.add(real);
    let names: string[];
    try {
      names = fs.readdir(dir).sort();
    } catch (err) {
      throw new UsageError(`cannot read directory "${dir}": ${describeFsError(err)}`);
    }
    for (const name of names) {
      const p = path.join(dir, name);
      const st = fs.stat(p);
      if (!st) continue; // dangling symlink
      if (ignored?.(p)) continue;
      if (st.isDirectory) {
        if (!name.startsWith('.') && !SKIP_DIRS.has(name)) walk(p, depth + 1);
        continue;
      }
      // a --fix killed before its rename can leave its temp file: never configuration
      if (!st.isFile || isFixTempFile(name) || seen.has(fs.realpath(p))) continue;
      if (out.length >= WALK_LIMITS.files) throw new UsageError(`more than ${WALK_LIMITS.files} files under "${dir}"; name the stack's files or a smaller directory`);
      const source = readSource(fs, p);
      const kind = forcedKind ?? detectKind(p, source.text);
      if (!kind) continue;
      seen.add(fs.realpath(p));
      out.push({ source, kind, explicit: false });
    }
  };

  for (const t of typed) {
    const real = fs.realpath(t.path);
    if (seen.has(real)) continue;
    seen.add(real);
    out.push({ source: readNamedFile(fs, t.path), kind: t.kind, explicit: true });
  }
  for (const p of paths) {
    const st = fs.stat(p);
    if (!st) throw unreadable(fs, p);
    if (st.isDirectory) {
      walk(p, 0);
      continue;
    }
    const real = fs.realpath(p);
    if (seen.has(real)) continue;
    seen.add(real);
    const source = readNamedFile(fs, p);
    out.push({ source, kind: forcedKind ?? detectKind(p, source.text) ?? 'nginx', explicit: true });
  }
  return out;
}
