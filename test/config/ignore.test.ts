import * as nodePath from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkGlob, ignoreMatcher, matchesGlob } from '../../src/config/ignore.js';

describe('matchesGlob', () => {
  it.each([
    ['a.conf', '*.conf', true],
    ['dir/a.conf', '*.conf', false],
    ['dir/a.conf', '**/*.conf', true],
    ['a.conf', '**/*.conf', true],
    ['x/y/z/a.dpkg-old', '**/*.dpkg-old', true],
    ['etc/nginx/sites-available/default', 'etc/nginx/sites-available/**', true],
    ['etc/nginx/sites-available', 'etc/nginx/sites-available/**', false],
    ['etc/a/b/c.conf', 'etc/**/c.conf', true],
    ['etc/c.conf', 'etc/**/c.conf', true],
    ['etcx/c.conf', 'etc/**/c.conf', false],
    ['a.conf', 'a.{conf,ini}', true],
    ['a.ini', 'a.{conf,ini}', true],
    ['a.py', 'a.{conf,ini}', false],
    ['php8.2', 'php[0-9].[0-9]', true],
    ['phpx.2', 'php[!a-z].2', false],
    ['php8.2', 'php[^a-z].2', true],
    ['ab', 'a?', true],
    ['a/', 'a?', false],
    ['a*b', 'a\\*b', true],
    ['axb', 'a\\*b', false],
    ['a[b', 'a[b', true],
    ['.hidden.conf', '*.conf', true],
    ['x/.git/config', '**/config', true],
    ['a.conf', '**', true],
  ])('%s ~ %s: %s', (p, glob, expected) => {
    expect(matchesGlob(p, glob)).toBe(expected);
  });

  it('agrees with path.matchesGlob (minimatch) on paths without dot segments', () => {
    const nodeMatches = (nodePath as { matchesGlob?: (p: string, g: string) => boolean }).matchesGlob;
    if (!nodeMatches) return void expect(nodeMatches).toBeUndefined(); // Node < 20.17: nothing to compare with
    const seg = fc.constantFrom('a', 'b', 'ab', 'a.conf', 'b.ini', 'x1', 'x(a)', 'x+a', 'x@a');
    const pathArb = fc.array(seg, { minLength: 1, maxLength: 4 }).map((s) => s.join('/'));
    // (no \\ escapes: path.matchesGlob does not read them as minimatch does; no extglobs: ours has none)
    const gseg = fc.constantFrom('a', 'b', '*', '**', 'a*', '*a*', '*.conf', '?', '{a,b}', '[ab]', '[!a]', '[^a]', '[a-b]', '[[:alpha:]]', 'a.{conf,ini}', 'x[0-9]', '{a,b/a}', 'a**', 'x(a)', 'x[(]a)', 'x+a', 'x@a', '{x1,x(a)}', '{a,b}*', '*{a,b}');
    const globArb = fc.array(gseg, { minLength: 1, maxLength: 4 }).map((s) => s.join('/'));
    const warn = process.emitWarning;
    process.emitWarning = () => {}; // "glob is an experimental feature"
    try {
      fc.assert(
        fc.property(pathArb, globArb, (p, g) => {
          fc.pre(checkGlob(g) === null); // `*a*/*a*/*a*`: too many wildcards
          expect(matchesGlob(p, g), `${p} ~ ${g}`).toBe(nodeMatches(p, g));
        }),
        { numRuns: 2000 },
      );
    } finally {
      process.emitWarning = warn;
    }
  });

  it('braces: alternatives (nested, across segments); without a comma, literal text', () => {
    expect(matchesGlob('{a}', '{a}')).toBe(true);
    expect(matchesGlob('a', '{a}')).toBe(false);
    expect(matchesGlob('a/b', '{a/b,c}')).toBe(true);
    expect(matchesGlob('ad', 'a{b,{c,d}}')).toBe(true);
    expect(matchesGlob('a/x/b', 'a/**/b')).toBe(true);
    expect(matchesGlob('a/b', 'a/**/b')).toBe(true);
    // alternatives are not expanded one by one: 2^18 of them cost nothing
    expect(matchesGlob('ab'.repeat(9), '{a,b}'.repeat(18))).toBe(true);
    expect(matchesGlob('ab'.repeat(9) + 'c', '{a,b}'.repeat(18))).toBe(false);
  });

  it('parentheses are plain characters, not groups; no extglobs', () => {
    expect(matchesGlob('file(1).conf', '*(1).conf')).toBe(true);
    expect(matchesGlob('file1.conf', '*(1).conf')).toBe(false);
    expect(matchesGlob('ab', 'a(b|c)')).toBe(false);
    expect(matchesGlob('a+(b)', 'a+(b)')).toBe(true);
    expect(matchesGlob('ab', 'a+(b)')).toBe(false);
    expect(matchesGlob('a(b)', 'a\\(b\\)')).toBe(true);
  });

  it('refuses globs with wildcards enough to backtrack for minutes; at the limit, paths made to be slow still match', () => {
    // picomatch compiles to a backtracking RegExp: these would run for seconds to hours
    for (const nasty of ['*a'.repeat(40) + 'b', '*a*a*a*ab', '**/*a*a*a/**/*a*a*a/**/x', '*a*/*a*/*a*/b', '**/a/**/a/**/a/**/b']) {
      expect(() => matchesGlob('a'.repeat(255), nasty), nasty).toThrow(`"${nasty}" has too many wildcards to match quickly`);
      expect(checkGlob(nasty), nasty).toMatch(/too many wildcards/);
      expect(checkGlob('!' + nasty), nasty).toMatch(/too many wildcards/);
    }
    const a255 = 'a'.repeat(255); // the longest file name
    const cases: [string, string][] = [
      ['*a*a*ab', a255],
      ['**/*a*a*ab', [a255, a255, a255, a255].join('/')],
      ['*a*/*a*/b', [a255, a255, a255].join('/') + '/c'],
      ['**/a/**/a/**/*ab', 'a/'.repeat(512) + 'c'],
      ['**/'.repeat(40) + 'nothing', Array.from({ length: 200 }, (_, i) => `d${i}`).join('/') + '/file.conf'],
    ];
    for (const [glob, p] of cases) {
      expect(checkGlob(glob), glob).toBeNull();
      expect(matchesGlob(p, glob), glob).toBe(false);
    }
    expect(matchesGlob(a255, '*a*a*a')).toBe(true);
  });

  it('reports a bracket or brace left open, with how to match it literally', () => {
    expect(checkGlob('{a,b')).toBe('"{a,b": "{" is never closed (for the character itself, escape it: "\\\\{" in the JSON file)');
    expect(checkGlob('etc/[a-z.conf')).toBe('"etc/[a-z.conf": "[" is never closed (for the character itself, escape it: "\\\\[" in the JSON file)');
    expect(checkGlob('a]')).toBe('"a]": "]" is never opened (for the character itself, escape it: "\\\\]" in the JSON file)');
    expect(checkGlob('!{a,b}')).toBeNull();
    expect(checkGlob('etc/\\[a-z.conf')).toBeNull();
    expect(checkGlob('file(1).conf')).toBeNull();
  });
});

describe('ignoreMatcher', () => {
  const base = '/proj';
  const m = (globs: string[], cwd = '/proj') => ignoreMatcher(globs, base, cwd);

  it('matches paths relative to the config file directory, whatever the current directory', () => {
    expect(m(['etc/nginx/old.conf'])('etc/nginx/old.conf')).toBe(true);
    expect(m(['etc/nginx/old.conf'], '/proj/etc')('nginx/old.conf')).toBe(true);
    expect(m(['etc/nginx/old.conf'], '/proj/etc')('etc/nginx/old.conf')).toBe(false);
    expect(m(['./etc/*.conf'])('/proj/etc/a.conf')).toBe(true);
  });

  it('ignores what lies below a matching directory', () => {
    expect(m(['vendor'])('vendor/nginx/nginx.conf')).toBe(true);
    expect(m(['vendor/'])('vendor/nginx/nginx.conf')).toBe(true);
    expect(m(['vendor'])('vendorx/nginx.conf')).toBe(false);
  });

  it('never matches files outside the config directory with relative globs; absolute globs match absolute paths', () => {
    expect(m(['**/*.conf'])('/elsewhere/a.conf')).toBe(false);
    expect(m(['/elsewhere/**'])('/elsewhere/a.conf')).toBe(true);
    expect(m(['/elsewhere'])('/elsewhere/x/a.conf')).toBe(true);
  });

  it('lets a later "!" pattern re-include, the last match winning', () => {
    const ig = m(['etc/nginx/sites-available/**', '!etc/nginx/sites-available/default']);
    expect(ig('etc/nginx/sites-available/old')).toBe(true);
    expect(ig('etc/nginx/sites-available/default')).toBe(false);
    expect(m(['!a.conf', '*.conf'])('a.conf')).toBe(true);
  });

  it('skips empty patterns and # comments', () => {
    expect(m(['', '# *.conf'])('a.conf')).toBe(false);
  });
});
