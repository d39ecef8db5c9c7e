/**
 * The config file's `ignore` globs, matched by picomatch (the matcher of
 * micromatch, fast-glob and chokidar). Node 20's path.matchesGlob would do
 * too, but it prints an ExperimentalWarning on first use and is missing
 * before 20.17.
 *
 * Syntax (minimatch's, with `dot: true`): `*` and `?` within one path
 * segment, `**` as a whole segment for any number of segments (`a/**` is
 * what lies under a, not a itself), `[abc]` / `[a-z]` / `[!abc]`, `{a,b}`
 * alternatives, `\` escapes the next character. No extglobs, and `(` `)`
 * are plain characters. A leading `!` re-includes what an earlier pattern
 * ignored (the last matching pattern wins). A pattern that matches a
 * directory ignores everything below it. Relative patterns are matched
 * against the path relative to the config file's directory (files outside
 * it are never matched by them); absolute patterns against the absolute path.
 *
 * picomatch compiles a glob into a backtracking RegExp and guards only
 * extglobs (off here) against catastrophic backtracking: `*a*a*a*a*ab`
 * against 255 `a` takes seconds, `**\/*a*a*a/**\/*a*a*a/**\/x` minutes. So a
 * pattern may hold only a few wildcards that can stretch against each other
 * (MAX_WILDCARDS); the config loader reports one with more at the pattern.
 */
import * as path from 'node:path';
import picomatch from 'picomatch';
import { trimTrailing } from '../text-trim.js';

const OPTIONS: picomatch.PicomatchOptions = {
  dot: true,
  // `!` is ours (last match wins), `[!a]` is a negated class, `[a]` always a class, `\` always an escape
  nonegate: true,
  posix: true,
  literalBrackets: false,
  windows: false,
  noextglob: true,
};

/**
 * Wildcards that make matching backtrack: each `**`, and each `*` of a path
 * segment that holds more than one (a lone `*` in its segment has one way to
 * match). With at most 3 `**`, 3 `*` in a segment and 4 of them in all, a
 * path of a thousand characters made to be slow (`a/a/…`, `aaa…/aaa…`) takes
 * at most a few hundred milliseconds; past them, seconds to minutes.
 */
const MAX_GLOBSTARS = 3;
const MAX_SEGMENT_STARS = 3;
const MAX_WILDCARDS = 4;

/** what picomatch (strictBrackets) wants closed */
const PAIRS = ['{}', '[]', '()'];

/** Unescaped `(` and `)`, which picomatch would read as a regular-expression group. */
const PARENS = /\\.|[()]/g;

/** The pattern's problem: a bracket or brace that does not close, too many wildcards; null when it is fine. */
function problemOf(glob: string, strict: boolean): string | null {
  let globstars = 0;
  let stars = 0;
  let most = 0;
  let previous = '';
  for (const segment of glob.split('/')) {
    // `**/**` is one `**` to picomatch
    if (segment === '**' && previous === '**') continue;
    previous = segment;
    const runs = segment.replace(/\\./g, '').match(/\*+/g) ?? [];
    const single = runs.filter((r) => r.length === 1).length;
    globstars += runs.length - single; // `a**` is a `*` to picomatch, but count it as the worse one
    if (single > 1) stars += single;
    most = Math.max(most, single);
  }
  if (globstars > MAX_GLOBSTARS || most > MAX_SEGMENT_STARS || globstars + stars > MAX_WILDCARDS)
    return `"${glob}" has too many wildcards to match quickly: at most ${MAX_GLOBSTARS} "**", ${MAX_SEGMENT_STARS} "*" in one path segment, and ${MAX_WILDCARDS} of both together (a lone "*" in its segment does not count)`;
  if (strict) {
    try {
      picomatch.makeRe(forPicomatch(glob), { ...OPTIONS, strictBrackets: true });
    } catch (err) {
      // picomatch: `Missing closing: "}" - use "\\}" to match literal characters`, which hints at the wrong one
      const message = (err as Error).message;
      const m = /^Missing (closing|opening): "(.)"/.exec(message);
      const pair = m && PAIRS.find((p) => p.includes(m[2]!));
      if (!m || !pair) return `"${glob}": ${message}`;
      const [stray, what] = m[1] === 'closing' ? [pair[0], 'never closed'] : [pair[1], 'never opened'];
      return `"${glob}": "${stray}" is ${what} (for the character itself, escape it: "\\\\${stray}" in the JSON file)`;
    }
  }
  return null;
}

/** The glob in picomatch's terms: parentheses escaped; `a/**` made `a/**\/*`, as picomatch's `a/**` matches a itself. */
function forPicomatch(glob: string): string {
  const body = glob.replace(PARENS, (m) => (m.length === 1 ? '\\' + m : m));
  return /(^|\/)\*\*$/.test(body) && body !== '**' ? body + '/*' : body;
}

/** A glob (no leading `!`) compiled to a predicate over `/`-separated paths; throws on a pattern with too many wildcards. */
export function compileGlob(glob: string): (p: string) => boolean {
  const problem = problemOf(glob, false);
  if (problem) throw new Error(problem);
  return picomatch(forPicomatch(glob), OPTIONS);
}

/** Does one glob match a `/`-separated relative path (or absolute, for absolute globs)? */
export function matchesGlob(p: string, glob: string): boolean {
  return compileGlob(glob)(p);
}

export interface IgnoreMatcher {
  /** is this file (a path on this machine, relative to the current directory or absolute) ignored? */
  (file: string): boolean;
}

/** The pattern's problem (a bracket or brace left open, too many wildcards), for the config loader to report at the pattern. */
export function checkGlob(glob: string): string | null {
  return problemOf(glob.startsWith('!') ? glob.slice(1) : glob, true);
}

/** Ignore globs relative to `baseDir` (the config file's directory) as one predicate over file paths. */
export function ignoreMatcher(globs: readonly string[], baseDir: string, cwd: string = process.cwd()): IgnoreMatcher {
  const compiled = globs
    .filter((g) => g.trim() !== '' && !g.startsWith('#'))
    .map((g) => {
      const negate = g.startsWith('!');
      const body = trimTrailing(negate ? g.slice(1) : g, '/');
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
