/**
 * The config file's `ignore` globs. Written here rather than taken from a
 * package: Node 20's path.matchesGlob prints an ExperimentalWarning on first
 * use (and is missing before 20.17), and minimatch is only a dev dependency.
 * Matched without regular expressions: one segment at a time with a
 * single-backtrack wildcard walk, `**` with a memo, so no glob (`**\/**\/…`,
 * `*a*a*a…`) can make matching exponential.
 *
 * Syntax (minimatch's, with `dot: true`): `*` and `?` within one path segment,
 * `**` as a whole segment for any number of segments, `[abc]` / `[a-z]` /
 * `[!abc]`, `{a,b}` alternatives, `\` escapes the next character. A leading
 * `!` re-includes what an earlier pattern ignored (the last matching pattern
 * wins). A pattern that matches a directory ignores everything below it.
 * Relative patterns are matched against the path relative to the config
 * file's directory (files outside it are never matched by them); absolute
 * patterns against the absolute path.
 */
import * as path from 'node:path';

/** One character test of a segment pattern; `star` is `*`. */
type Token = { k: 'lit'; c: string } | { k: 'any' } | { k: 'star' } | { k: 'class'; negate: boolean; ranges: [string, string][] };

/** A compiled path pattern: its segments, `**` standing for any number of segments (consecutive ones merged). */
type Segments = (Token[] | '**')[];

/** At most this many alternatives from `{a,b}` groups in one pattern (they multiply). */
const MAX_ALTERNATIVES = 256;

/** `{a,b}` expanded (nested groups too); a group without a comma is literal text, as in the shell. */
export function expandBraces(glob: string): string[] {
  // find the first top-level group that has a comma
  for (let i = 0; i < glob.length; i++) {
    if (glob[i] === '\\') {
      i++;
      continue;
    }
    if (glob[i] !== '{') continue;
    let depth = 0;
    const commas: number[] = [];
    let end = -1;
    for (let j = i; j < glob.length; j++) {
      const c = glob[j];
      if (c === '\\') {
        j++;
        continue;
      }
      if (c === '{') depth++;
      else if (c === '}' && --depth === 0) {
        end = j;
        break;
      } else if (c === ',' && depth === 1) commas.push(j);
    }
    if (end < 0) throw new Error(`unclosed "{" in "${glob}"`);
    if (commas.length === 0) continue; // `{x}`: literal
    const parts = [i, ...commas, end].slice(0, -1).map((from, k) => glob.slice(from + 1, [...commas, end][k]));
    const out: string[] = [];
    for (const part of parts) {
      for (const e of expandBraces(glob.slice(0, i) + part + glob.slice(end + 1))) {
        out.push(e);
        if (out.length > MAX_ALTERNATIVES) throw new Error(`more than ${MAX_ALTERNATIVES} alternatives in "${glob}"`);
      }
    }
    return out;
  }
  return [glob];
}

/** One path segment's pattern as tokens (`[...]` that never closes is a literal `[`). */
function tokens(seg: string): Token[] {
  const out: Token[] = [];
  for (let i = 0; i < seg.length; i++) {
    const c = seg[i]!;
    if (c === '\\' && i + 1 < seg.length) out.push({ k: 'lit', c: seg[++i]! });
    else if (c === '?') out.push({ k: 'any' });
    else if (c === '*') {
      if (out.at(-1)?.k !== 'star') out.push({ k: 'star' });
    } else if (c === '[') {
      const cls = readClass(seg, i + 1);
      if (cls) {
        out.push(cls.token);
        i = cls.end - 1;
      } else out.push({ k: 'lit', c });
    } else out.push({ k: 'lit', c });
  }
  return out;
}

/** The class starting after `[`, or null when it is not closed. */
function readClass(seg: string, i: number): { token: Token; end: number } | null {
  let j = i;
  const negate = seg[j] === '!' || seg[j] === '^';
  if (negate) j++;
  const chars: string[] = [];
  for (let first = true; j < seg.length; j++, first = false) {
    let c = seg[j]!;
    if (c === ']' && !first) {
      const ranges: [string, string][] = [];
      for (let k = 0; k < chars.length; k++) {
        if (chars[k + 1] === '-' && k + 2 < chars.length) {
          ranges.push([chars[k]!, chars[k + 2]!]);
          k += 2;
        } else ranges.push([chars[k]!, chars[k]!]);
      }
      return { token: { k: 'class', negate, ranges }, end: j + 1 };
    }
    if (c === '\\' && j + 1 < seg.length) c = seg[++j]!;
    chars.push(c);
  }
  return null;
}

function one(t: Token, c: string): boolean {
  switch (t.k) {
    case 'lit':
      return t.c === c;
    case 'any':
      return true;
    case 'class':
      return t.ranges.some(([lo, hi]) => c >= lo && c <= hi) !== t.negate;
    case 'star':
      return false;
  }
}

/** Wildcard match of one segment: the classic single-backtrack-point walk, O(pattern × text), never exponential. */
function matchSegment(toks: Token[], s: string): boolean {
  let p = 0;
  let i = 0;
  let starP = -1;
  let starI = 0;
  while (i < s.length) {
    const t = toks[p];
    if (t && t.k !== 'star' && one(t, s[i]!)) {
      p++;
      i++;
    } else if (t?.k === 'star') {
      starP = p++;
      starI = i;
    } else if (starP >= 0) {
      p = starP + 1;
      i = ++starI;
    } else return false;
  }
  while (toks[p]?.k === 'star') p++;
  return p === toks.length;
}

function compile(glob: string): Segments {
  const out: Segments = [];
  for (const seg of glob.split('/')) {
    if (seg === '**') {
      if (out.at(-1) !== '**') out.push('**');
    } else out.push(tokens(seg));
  }
  return out;
}

/** Segments against path segments, `**` taking zero or more; memoised, so O(pattern × path) segment tests. */
function matchSegments(pat: Segments, parts: string[]): boolean {
  const P = pat.length;
  const S = parts.length;
  const memo = new Int8Array((P + 1) * (S + 1)); // 0 unknown, 1 yes, 2 no
  const go = (pi: number, si: number): boolean => {
    const key = pi * (S + 1) + si;
    if (memo[key]) return memo[key] === 1;
    let r: boolean;
    if (pi === P) r = si === S;
    else {
      const p = pat[pi]!;
      // a trailing `**` takes one or more segments (`a/**` is what is under a, not a itself), an inner one zero or more
      if (p === '**') r = pi === P - 1 ? si < S : go(pi + 1, si) || (si < S && go(pi, si + 1));
      else r = si < S && matchSegment(p, parts[si]!) && go(pi + 1, si + 1);
    }
    memo[key] = r ? 1 : 2;
    return r;
  };
  return go(0, 0);
}

/** A glob (no leading `!`) compiled to a predicate over `/`-separated paths. */
export function compileGlob(glob: string): (p: string) => boolean {
  const alternatives = expandBraces(glob).map(compile);
  return (p) => {
    const parts = p.split('/');
    return alternatives.some((a) => matchSegments(a, parts));
  };
}

/** Does one glob match a `/`-separated relative path (or absolute, for absolute globs)? */
export function matchesGlob(p: string, glob: string): boolean {
  return compileGlob(glob)(p);
}

export interface IgnoreMatcher {
  /** is this file (a path on this machine, relative to the current directory or absolute) ignored? */
  (file: string): boolean;
}

/** The patterns' problems (an unclosed brace), for the config loader to report at the pattern. */
export function checkGlob(glob: string): string | null {
  try {
    compileGlob(glob.startsWith('!') ? glob.slice(1) : glob);
    return null;
  } catch (err) {
    return (err as Error).message;
  }
}

/** Ignore globs relative to `baseDir` (the config file's directory) as one predicate over file paths. */
export function ignoreMatcher(globs: readonly string[], baseDir: string, cwd: string = process.cwd()): IgnoreMatcher {
  const compiled = globs
    .filter((g) => g.trim() !== '' && !g.startsWith('#'))
    .map((g) => {
      const negate = g.startsWith('!');
      const body = (negate ? g.slice(1) : g).replace(/\/+$/, '');
      return { negate, absolute: path.isAbsolute(body), test: compileGlob(body.replace(/^\.\//, '')) };
    });
  const base = path.resolve(cwd, baseDir);
  return (file: string) => {
    const abs = path.resolve(cwd, file);
    const rel = path.relative(base, abs).split(path.sep).join('/');
    const inside = rel !== '' && !rel.startsWith('../') && rel !== '..' && !path.isAbsolute(rel);
    // the file and each directory above it, so that `vendor` or `old/**` ignores what lies below
    const candidates = (p: string) => {
      const out = [p];
      for (let k = p.lastIndexOf('/'); k > 0; k = p.lastIndexOf('/', k - 1)) out.push(p.slice(0, k));
      return out;
    };
    const relCandidates = inside ? candidates(rel) : [];
    const absCandidates = candidates(abs.split(path.sep).join('/'));
    let ignored = false;
    for (const c of compiled) {
      const hit = (c.absolute ? absCandidates : relCandidates).some((p) => c.test(p));
      if (hit) ignored = !c.negate;
    }
    return ignored;
  };
}
