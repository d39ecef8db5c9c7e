/**
 * Loading a main nginx config with its `include`s, as ngx_conf_include() does:
 *
 * - a relative path resolves against the conf prefix: the directory of the
 *   main config file (nginx's -c), unless `prefix` says otherwise; the path is
 *   joined as nginx and crossplane join it (no normalisation), so a relative
 *   main path gives relative include paths;
 * - a path containing `*`, `?` or `[` is a glob(3) pattern, in any component;
 *   its matches are sorted by byte value (glob(3) in nginx's C locale), names
 *   starting with `.` only match a pattern starting with `.`, and matching
 *   nothing is fine; any other path must open: `open() "p" failed (2: No such
 *   file or directory)`, reported at the include (rule `nginx-include`);
 * - a directory that an include names (or a glob matches) fails as nginx fails
 *   reading it: `pread() "p" failed (21: Is a directory)`;
 * - includes count in every block (http, server, location, map, types, ...),
 *   never inside raw Lua bodies.
 *
 * nginx parses an included file again at each include; here each file is
 * parsed once (NginxConfig.files) and NginxConfig.includes maps every include
 * directive to the files it brings in, so a file included from several
 * places can be analysed in each context. An include that would re-enter a
 * file being included (a cycle; nginx recurses until it runs out of file
 * descriptors) is reported there and not followed, so following `includes`
 * from the root always terminates. Depth and file-count limits are reported
 * at the include that hits them.
 *
 * Only the FileSystem interface is used, so memoryFileSystem works.
 */
import * as nodePath from 'node:path';
import type { Diagnostic } from '../../diagnostic.js';
import { nodeFileSystem, type FileSystem } from '../../fs.js';
import { decodeSource, sourceFromString, type SourceFile } from '../source.js';
import type { Directive, NginxConfig, NginxFile } from './ast.js';
import { argCount, argValue, directivesOf, nameOf } from './nodes.js';
import { parseNginx } from './parser.js';

export const INCLUDE_RULE = 'nginx-include';
export const DEFAULT_MAX_DEPTH = 32;
export const DEFAULT_MAX_FILES = 10000;

export interface LoadOptions {
  fs?: FileSystem;
  /** conf prefix that relative includes resolve against (default: the main file's directory) */
  prefix?: string;
  /** deepest include nesting followed (default 32) */
  maxDepth?: number;
  /** most files loaded, the main file included (default 10000) */
  maxFiles?: number;
}

/** Why a file could not be read, as nginx's error log would say it. */
export interface OpenFailure {
  syscall: 'open' | 'pread';
  errno: number;
  reason: string;
}

export function describeOpenFailure(path: string, f: OpenFailure): string {
  return `${f.syscall}() "${path}" failed (${f.errno}: ${f.reason})`;
}

const ERRNO: Record<string, [number, string]> = {
  EPERM: [1, 'Operation not permitted'],
  ENOENT: [2, 'No such file or directory'],
  EIO: [5, 'Input/output error'],
  EACCES: [13, 'Permission denied'],
  ENOTDIR: [20, 'Not a directory'],
  EISDIR: [21, 'Is a directory'],
  EMFILE: [24, 'Too many open files'],
  ENAMETOOLONG: [36, 'File name too long'],
  ELOOP: [40, 'Too many levels of symbolic links'],
  // not nginx's: the file is over the size nginx-lint reads (fs.ts MAX_FILE_BYTES)
  EFBIG: [27, 'File too large for nginx-lint'],
};

function failureFromError(err: unknown): OpenFailure {
  const code = (err as { code?: unknown } | null)?.code;
  const known = typeof code === 'string' ? ERRNO[code] : undefined;
  if (known) return { syscall: 'open', errno: known[0], reason: known[1] };
  const errno = (err as { errno?: unknown } | null)?.errno;
  return { syscall: 'open', errno: typeof errno === 'number' ? Math.abs(errno) : 0, reason: err instanceof Error ? err.message : String(err) };
}

/** Read and decode a file through a FileSystem, or say why nginx could not. */
export function readSource(fs: FileSystem, path: string): SourceFile | OpenFailure {
  let st;
  try {
    st = fs.stat(path);
  } catch {
    st = null;
  }
  if (st?.isDirectory) return { syscall: 'pread', errno: 21, reason: 'Is a directory' };
  try {
    return decodeSource(path, fs.readFile(path));
  } catch (err) {
    return failureFromError(err);
  }
}

/** How the loader reaches files: a FileSystem for globs, and a way to open sources. */
export interface IncludeHost {
  fs: FileSystem;
  open(path: string): SourceFile | OpenFailure;
}

/** include directives whose target was already being included (cycles), for crossplane's view */
export const includeCycles = new WeakMap<NginxConfig, Map<Directive, NginxFile[]>>();

/** Python's os.path.dirname: '' for a bare name (crossplane joins onto it). */
export function confPrefixOf(path: string): string {
  let i = path.lastIndexOf('/');
  if (nodePath.sep === '\\') i = Math.max(i, path.lastIndexOf('\\'));
  if (i === -1) return '';
  if (i === 0) return path.slice(0, 1);
  return path.slice(0, i);
}

export function isAbsolutePath(p: string): boolean {
  return p.startsWith('/') || (nodePath.sep === '\\' && nodePath.win32.isAbsolute(p));
}

/** nginx's ngx_get_full_name: prefix + name, unless name is absolute. */
export function fullName(prefix: string, name: string): string {
  if (isAbsolutePath(name) || prefix === '') return name;
  return prefix.endsWith('/') || (nodePath.sep === '\\' && prefix.endsWith('\\')) ? prefix + name : prefix + '/' + name;
}

/** nginx's test: strpbrk(path, "*?[") */
export function hasGlobMagic(p: string): boolean {
  for (let i = 0; i < p.length; i++) {
    const c = p.charCodeAt(i);
    if (c === 42 || c === 63 || c === 91) return true;
  }
  return false;
}

/** Match one `[...]` set at p[i] === '['; end is -1 when the set is not closed (then `[` is literal). */
function matchSet(p: string, i: number, ch: string): { end: number; matched: boolean } {
  let j = i + 1;
  let negate = false;
  if (p[j] === '!' || p[j] === '^') {
    negate = true;
    j++;
  }
  let matched = false;
  let first = true;
  for (; j < p.length; j++) {
    let c = p[j]!;
    if (c === ']' && !first) return { end: j + 1, matched: matched !== negate };
    first = false;
    if (c === '\\' && j + 1 < p.length) c = p[++j]!;
    if (p[j + 1] === '-' && j + 2 < p.length && p[j + 2] !== ']') {
      let hi = p[j + 2]!;
      j += 2;
      if (hi === '\\' && j + 1 < p.length) hi = p[++j]!;
      if (ch >= c && ch <= hi) matched = true;
    } else if (ch === c) matched = true;
  }
  return { end: -1, matched: false };
}

/** fnmatch(3) of one path component (no FNM_PERIOD handling here: see expandGlob). */
export function globMatch(p: string, s: string): boolean {
  let pi = 0;
  let si = 0;
  let starP = -1;
  let starS = 0;
  while (si < s.length) {
    let ok = false;
    if (pi < p.length) {
      const pc = p[pi]!;
      if (pc === '*') {
        starP = pi++;
        starS = si;
        continue;
      }
      if (pc === '?') {
        pi++;
        si++;
        continue;
      }
      if (pc === '[') {
        const r = matchSet(p, pi, s[si]!);
        if (r.end === -1) ok = s[si] === '[';
        else if (r.matched) {
          pi = r.end;
          si++;
          continue;
        }
        if (ok) {
          pi++;
          si++;
          continue;
        }
      } else if (pc === '\\' && pi + 1 < p.length) {
        if (p[pi + 1] === s[si]) {
          pi += 2;
          si++;
          continue;
        }
      } else if (pc === s[si]) {
        pi++;
        si++;
        continue;
      }
    }
    if (starP === -1) return false;
    pi = starP + 1;
    si = ++starS;
  }
  while (p[pi] === '*') pi++;
  return pi === p.length;
}

function unescapeGlob(comp: string): string {
  return comp.includes('\\') ? comp.replace(/\\(.)/g, '$1') : comp;
}

/** below U+D800, UTF-16 order is UTF-8 byte order */
function belowSurrogates(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) >= 0xd800) return false;
  return true;
}

function byteCompare(a: string, b: string): number {
  if (a === b) return 0;
  // a glob over thousands of site files sorts thousands of names: compare without encoding when the order is the same
  if (belowSurrogates(a) && belowSurrogates(b)) return a < b ? -1 : 1;
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/**
 * glob(3) over a FileSystem: matching paths, sorted; [] when nothing matches.
 * As glibc's glob, a last component with wildcards gives the directory's
 * entries as they are, and one without is kept when an entry of that name
 * exists (lstat(2), not stat(2)): a symlink whose target is gone, or a
 * directory, is matched, and nginx then fails to open or read it
 * (`open() "sites-enabled/old.conf" failed (2: No such file or directory)`,
 * the usual leftover of a removed site).
 */
export function expandGlob(fs: FileSystem, pattern: string): string[] {
  const absolute = pattern.startsWith('/');
  const comps = pattern.split('/');
  if (absolute) comps.shift();
  let cur: string[] = [absolute ? '/' : ''];
  for (let ci = 0; ci < comps.length; ci++) {
    const comp = comps[ci]!;
    const last = ci === comps.length - 1;
    if (comp === '') {
      // `a//b` or a trailing `/`: keep the slash as written
      if (!last) continue;
      cur = cur.filter((c) => fs.stat(c)?.isDirectory === true);
      continue;
    }
    const next: string[] = [];
    if (!hasGlobMagic(comp)) {
      const name = unescapeGlob(comp);
      for (const c of cur) next.push(c + name + (last ? '' : '/'));
    } else {
      for (const c of cur) {
        const dir = c === '' ? '.' : c.length > 1 ? c.slice(0, -1) : c;
        let names: string[];
        try {
          if (fs.stat(dir)?.isDirectory !== true) continue;
          names = fs.readdir(dir);
        } catch {
          continue;
        }
        for (const name of names) {
          if (name.startsWith('.') && !comp.startsWith('.')) continue;
          if (globMatch(comp, name)) next.push(c + name + (last ? '' : '/'));
        }
      }
    }
    cur = next;
    if (cur.length === 0) return [];
  }
  // entries read from their directory exist, and a trailing `/` kept only directories; a name written out must be one
  const lastComp = comps[comps.length - 1]!;
  const out = lastComp === '' || hasGlobMagic(lastComp) ? cur : cur.filter((p) => entryExists(fs, p));
  return out.sort(byteCompare);
}

/** lstat(2) succeeds: the path is a directory entry (a dangling symlink is one), known through stat or its directory's listing */
function entryExists(fs: FileSystem, p: string): boolean {
  try {
    if (fs.stat(p) !== null) return true;
  } catch {
    // a path stat cannot follow may still be an entry
  }
  const slash = p.lastIndexOf('/');
  const dir = slash === -1 ? '.' : slash === 0 ? '/' : p.slice(0, slash);
  const name = p.slice(slash + 1);
  try {
    return fs.readdir(dir).includes(name);
  } catch {
    return false;
  }
}

export function loadNginxConfig(path: string, opts: LoadOptions = {}): NginxConfig {
  const fs = opts.fs ?? nodeFileSystem;
  return loadWith(path, { fs, open: (p) => readSource(fs, p) }, opts);
}

/** The include walk, for a file system or for the files of an `nginx -T` dump. */
export function loadWith(path: string, host: IncludeHost, opts: LoadOptions, rootSource?: SourceFile): NginxConfig {
  const fs = host.fs;
  const maxDepth = opts.maxDepth ?? DEFAULT_MAX_DEPTH;
  const maxFiles = opts.maxFiles ?? DEFAULT_MAX_FILES;
  const prefix = opts.prefix ?? confPrefixOf(path);
  const files = new Map<string, NginxFile>();
  const byReal = new Map<string, NginxFile>();
  const includes = new Map<Directive, NginxFile[]>();
  const cycles = new Map<Directive, NginxFile[]>();
  const diagnostics: Diagnostic[] = [];
  const active = new Set<NginxFile>();
  const realOf = new Map<NginxFile, string>();

  const realpath = (p: string): string => {
    try {
      return fs.realpath(p);
    } catch {
      return p;
    }
  };
  const report = (file: NginxFile, d: Directive, message: string, related?: Diagnostic['related']): void => {
    diagnostics.push({ rule: INCLUDE_RULE, severity: 'error', message, file: file.source, span: { start: d.span.start, end: d.span.end }, ...(related ? { related } : {}) });
  };

  let root: NginxFile;
  const opened = rootSource ?? host.open(path);
  if ('text' in opened) {
    root = parseNginx(opened);
  } else {
    root = parseNginx(sourceFromString(path, ''));
    diagnostics.push({ rule: INCLUDE_RULE, severity: 'error', message: describeOpenFailure(path, opened), file: root.source, span: { start: 0, end: 0 } });
  }
  files.set(path, root);
  const rootReal = realpath(path);
  byReal.set(rootReal, root);
  realOf.set(root, rootReal);

  const stack: { file: NginxFile; via: Directive | null }[] = [];

  const include = (from: NginxFile, d: Directive, depth: number): void => {
    const arg = argValue(d, 0)!;
    const full = fullName(prefix, arg);
    const targets = hasGlobMagic(full) ? expandGlob(fs, full) : [full];
    const list: NginxFile[] = [];
    // past a limit: one report per include, however many files its glob matched
    const tooDeep: string[] = [];
    const notLoaded: string[] = [];
    for (const target of targets) {
      const real = realpath(target);
      let f = byReal.get(real);
      if (f && active.has(f)) {
        const first = stack.find((s) => s.file === f);
        const related = first?.via ? [{ file: first.via.file, span: first.via.span, message: `"${f.source.path}" is included here` }] : undefined;
        report(from, d, `include cycle: "${target}" is already being included (not followed)`, related);
        const c = cycles.get(d);
        if (c) c.push(f);
        else cycles.set(d, [f]);
        continue;
      }
      if (!f) {
        if (depth + 1 > maxDepth) {
          tooDeep.push(target);
          continue;
        }
        if (files.size >= maxFiles) {
          notLoaded.push(target);
          continue;
        }
        const src = host.open(target);
        if (!('text' in src)) {
          report(from, d, describeOpenFailure(target, src));
          continue;
        }
        f = parseNginx(src);
        files.set(target, f);
        byReal.set(real, f);
        realOf.set(f, real);
        list.push(f);
        visit(f, depth + 1, d);
      } else {
        list.push(f);
      }
    }
    const which = (left: string[], what: string) => (left.length === 1 ? `"${left[0]}" ${what}` : `${left.length} files matched by "${full}" ${what} (the first: "${left[0]}")`);
    if (tooDeep.length) report(from, d, `includes nested deeper than ${maxDepth} levels: ${which(tooDeep, 'not followed')}`);
    if (notLoaded.length) report(from, d, `more than ${maxFiles} files included: ${which(notLoaded, 'not loaded')}`);
    includes.set(d, list);
  };

  const walk = (file: NginxFile, nodes: readonly Directive[], depth: number): void => {
    for (const n of nodes) {
      if (n.block) walk(file, directivesOf(n.block), depth);
      else if (nameOf(n) === 'include' && argCount(n) === 1 && n.rawBody === null) include(file, n, depth);
    }
  };

  const visit = (file: NginxFile, depth: number, via: Directive | null): void => {
    active.add(file);
    stack.push({ file, via });
    walk(file, directivesOf(file), depth);
    stack.pop();
    active.delete(file);
  };

  visit(root, 0, null);
  const config: NginxConfig = { root, files, includes, diagnostics };
  if (cycles.size > 0) includeCycles.set(config, cycles);
  return config;
}
