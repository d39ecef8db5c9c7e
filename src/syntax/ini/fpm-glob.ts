/**
 * glob(3) as php-fpm calls it for `include=` (glibc, flags GLOB_ERR |
 * GLOB_MARK): `*`, `?` and `[...]` per path component, backslash escapes, no
 * braces, a leading dot only matched literally, results sorted bytewise,
 * directories marked with a trailing `/` (php-fpm then skips them). Reads
 * through the FileSystem interface so it works on an in-memory tree.
 */
import * as nodePath from 'node:path';
import type { FileSystem } from '../../fs.js';
import { trimTrailing } from '../../text-trim.js';

export type GlobResult = { status: 'ok'; paths: string[] } | { status: 'nomatch' } | { status: 'aborted'; path: string };

/** GLOB_NOMATCH and GLOB_ABORTED as glibc numbers them (php-fpm prints `ret=`) */
export const GLOB_ABORTED = 2;
export const GLOB_NOMATCH = 3;

function hasMagic(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (c === '*' || c === '?' || c === '[') return true;
  }
  return false;
}

function unescape(s: string): string {
  return s.replace(/\\(.)/g, '$1');
}

/** fnmatch(pattern, name, FNM_PERIOD) for one path component */
export function fnmatch(pattern: string, name: string): boolean {
  const memo = new Map<string, boolean>();
  const rec = (pi: number, ni: number): boolean => {
    const key = `${pi},${ni}`;
    const hit = memo.get(key);
    if (hit !== undefined) return hit;
    let result: boolean;
    if (pi === pattern.length) result = ni === name.length;
    else {
      const c = pattern[pi]!;
      const leadingDot = ni === 0 && name[0] === '.';
      if (c === '*') {
        if (leadingDot) result = false;
        else {
          result = false;
          for (let k = ni; k <= name.length && !result; k++) result = rec(pi + 1, k);
        }
      } else if (c === '?') {
        result = ni < name.length && !leadingDot && rec(pi + 1, ni + 1);
      } else if (c === '[') {
        const cls = parseClass(pattern, pi);
        if (!cls) result = ni < name.length && name[ni] === '[' && rec(pi + 1, ni + 1);
        else result = ni < name.length && !leadingDot && cls.test(name[ni]!) && rec(cls.end, ni + 1);
      } else if (c === '\\' && pi + 1 < pattern.length) {
        result = ni < name.length && name[ni] === pattern[pi + 1] && rec(pi + 2, ni + 1);
      } else {
        result = ni < name.length && name[ni] === c && rec(pi + 1, ni + 1);
      }
    }
    memo.set(key, result);
    return result;
  };
  return rec(0, 0);
}

function parseClass(p: string, start: number): { test: (c: string) => boolean; end: number } | null {
  let i = start + 1;
  let negate = false;
  if (p[i] === '!' || p[i] === '^') {
    negate = true;
    i++;
  }
  const items: ([string, string] | string)[] = [];
  let first = true;
  while (i < p.length) {
    let c = p[i]!;
    if (c === ']' && !first) {
      const end = i + 1;
      return {
        end,
        test: (ch) => {
          const inSet = items.some((it) => (typeof it === 'string' ? it === ch : ch >= it[0] && ch <= it[1]));
          return negate ? !inSet : inSet;
        },
      };
    }
    first = false;
    if (c === '\\' && i + 1 < p.length) c = p[++i]!;
    if (p[i + 1] === '-' && p[i + 2] !== undefined && p[i + 2] !== ']') {
      let hi = p[i + 2]!;
      let skip = 3;
      if (hi === '\\' && p[i + 3] !== undefined) {
        hi = p[i + 3]!;
        skip = 4;
      }
      items.push([c, hi]);
      i += skip;
      continue;
    }
    items.push(c);
    i++;
  }
  return null;
}

const byteOrder = (a: string, b: string) => {
  const ba = Buffer.from(a);
  const bb = Buffer.from(b);
  return Buffer.compare(ba, bb);
};

/** glob(pattern, GLOB_ERR | GLOB_MARK) over `fs`. */
export function fpmGlob(fs: FileSystem, pattern: string): GlobResult {
  const out: string[] = [];
  const r = expand(fs, pattern, out);
  if (r) return r;
  if (!out.length) return { status: 'nomatch' };
  out.sort(byteOrder);
  return { status: 'ok', paths: out };
}

function mark(fs: FileSystem, path: string): string {
  const st = fs.stat(path);
  return st?.isDirectory && !path.endsWith('/') ? path + '/' : path;
}

/**
 * glibc's glob recurses on the directory part of the pattern; this walks the
 * components left to right instead (same result: from the first component
 * with magic on, every component is matched against its directory's
 * listing, a missing directory aborts), so a pattern of thousands of
 * components cannot exhaust the stack.
 */
function expand(fs: FileSystem, pattern: string, out: string[]): GlobResult | null {
  if (!hasMagic(pattern)) {
    const p = unescape(pattern);
    if (fs.stat(p)) out.push(mark(fs, p));
    return null;
  }
  const comps = pattern.split('/');
  let k = 0;
  while (k < comps.length && !hasMagic(comps[k]!)) k++;
  if (k === comps.length) {
    // the magic was only an escape across a '/': a literal path
    const p = unescape(pattern);
    if (fs.stat(p)) out.push(mark(fs, p));
    return null;
  }
  const literal = comps.slice(0, k).join('/');
  // the directory part before the first magic component, as the recursion would see it
  let dirs = [k === 0 ? '.' : literal === '' ? '/' : unescape(literal)];
  for (let i = k; i < comps.length; i++) {
    const base = comps[i]!;
    const bare = i === 0; // a relative pattern that starts with magic: matches are bare names
    const found: string[] = [];
    for (const dir of dirs) {
      if (base === '') {
        // a '/' after a component: only directories match
        found.push(dir.endsWith('/') ? dir : dir + '/');
        continue;
      }
      let names: string[];
      try {
        const st = fs.stat(dir);
        if (!st) throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
        if (!st.isDirectory) continue; // ENOTDIR is not an error for glob
        names = fs.readdir(dir);
      } catch {
        return { status: 'aborted', path: dir };
      }
      for (const name of names) {
        if (!fnmatch(base, name)) continue;
        found.push(mark(fs, bare ? name : dir === '/' ? '/' + name : nodePath.posix.join(dir, name)));
      }
    }
    if (i === comps.length - 1) out.push(...found);
    else dirs = found.filter((d) => d.endsWith('/')).map((d) => trimTrailing(d, '/') || '/');
  }
  return null;
}
