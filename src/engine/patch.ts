/**
 * Fixes as a unified diff that `git apply` and `patch -p1` accept.
 *
 * Headers are the traditional `--- a/<path>` / `+++ b/<path>` pair, without
 * git's `diff --git` line: git apply reads a git diff's paths from the top
 * of the repository (and silently skips files outside the current
 * directory), while a traditional patch applies relative to where it is run,
 * as with patch -p1.
 *
 * Paths: `a/<path>` and `b/<path>`, relative to the patch root. The root is
 * the directory the tool ran in (`cwd`) when every changed file is inside
 * it; when any is outside, the root is `/` for all of them (`a/etc/nginx/…`),
 * so one patch still applies from one place: `patch -p1 -d /` or
 * `cd / && git apply`. `patchRoot` says which, so a caller can tell the user.
 *
 * Names are quoted the way git quotes them (C-style, UTF-8 octal escapes)
 * when they hold a control character, a quote, a backslash or non-ASCII; a
 * name with a space gets git's trailing tab on the ---/+++ lines so that GNU
 * patch reads it whole.
 *
 * Content: three lines of context; line ends are kept as they are (a CRLF
 * line's `\r` stays in the line, as git emits it); a last line without a
 * newline is followed by `\ No newline at end of file`. A Latin-1 file's
 * hunks must reach the applier as Latin-1 bytes: `unifiedDiffBytes` encodes
 * each file's part in that file's encoding, `unifiedDiff` is the same patch
 * as a string (identical for UTF-8 files).
 */
import * as path from 'node:path';
import { structuredPatch } from 'diff';
import type { SourceEncoding } from '../syntax/source.js';

export interface FileChange {
  /** as the user named it: relative to cwd, or absolute */
  path: string;
  oldText: string;
  newText: string;
  /** how the file is stored (default utf8); the patch carries its bytes in the same encoding */
  encoding?: SourceEncoding;
}

const CONTEXT = 3;

function isInside(rel: string): boolean {
  return rel !== '' && !rel.startsWith('..' + path.sep) && rel !== '..' && !path.isAbsolute(rel);
}

/** The directory the patch's paths are relative to: `cwd` when every file is inside it, else `/`. */
export function patchRoot(changes: readonly Pick<FileChange, 'path'>[], cwd: string): string {
  const base = path.resolve(cwd);
  const allInside = changes.every((c) => isInside(path.relative(base, path.resolve(base, c.path))));
  return allInside ? base : path.parse(base).root;
}

function patchPath(root: string, file: string, cwd: string): string {
  return path.relative(root, path.resolve(cwd, file)).split(path.sep).join('/');
}

/** git's quoting of a name in a diff header (the inverse of what git apply parses). */
export function quotePatchName(name: string): string {
  if (!/[\u0000-\u001f\u007f"\\]|[^\u0000-\u007f]/.test(name)) return name;
  const escapes: Record<number, string> = { 7: '\\a', 8: '\\b', 9: '\\t', 10: '\\n', 11: '\\v', 12: '\\f', 13: '\\r', 34: '\\"', 92: '\\\\' };
  let out = '"';
  for (const b of Buffer.from(name, 'utf8')) {
    if (escapes[b]) out += escapes[b];
    else if (b >= 0x20 && b <= 0x7e) out += String.fromCharCode(b);
    else out += '\\' + b.toString(8).padStart(3, '0');
  }
  return out + '"';
}

/** One file's part of the patch ('' when the texts are equal). */
function filePatch(change: FileChange, root: string, cwd: string): string {
  if (change.oldText === change.newText) return '';
  const rel = patchPath(root, change.path, cwd);
  const a = quotePatchName(`a/${rel}`);
  const b = quotePatchName(`b/${rel}`);
  const tab = / /.test(rel) && a[0] !== '"' ? '\t' : '';
  const p = structuredPatch(`a/${rel}`, `b/${rel}`, change.oldText, change.newText, undefined, undefined, { context: CONTEXT });
  // no `diff --git` line: git reads a git diff's paths from the top of the repository and skips
  // those outside the current directory; a traditional patch applies relative to where it is run
  const lines = [`--- ${a}${tab}`, `+++ ${b}${tab}`];
  for (const h of p.hunks) {
    // an empty side's range is written as its line before the change, with length 0
    const oldStart = h.oldLines === 0 ? h.oldStart - 1 : h.oldStart;
    const newStart = h.newLines === 0 ? h.newStart - 1 : h.newStart;
    lines.push(`@@ -${range(oldStart, h.oldLines)} +${range(newStart, h.newLines)} @@`);
    lines.push(...h.lines);
  }
  return lines.join('\n') + '\n';
}

const range = (start: number, count: number) => (count === 1 ? `${start}` : `${start},${count}`);

/** The unified diff of every change, as a string; files in the order given, unchanged ones left out. */
export function unifiedDiff(changes: readonly FileChange[], cwd: string): string {
  const root = patchRoot(changes, cwd);
  return changes.map((c) => filePatch(c, root, cwd)).join('');
}

/** The same patch as bytes, each file's part in its own encoding: what to hand to `git apply` / `patch`. */
export function unifiedDiffBytes(changes: readonly FileChange[], cwd: string): Buffer {
  const root = patchRoot(changes, cwd);
  return Buffer.concat(changes.map((c) => Buffer.from(filePatch(c, root, cwd), c.encoding ?? 'utf8')));
}
