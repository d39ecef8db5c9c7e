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
    const seg = fc.constantFrom('a', 'b', 'ab', 'a.conf', 'b.ini', 'x1');
    const pathArb = fc.array(seg, { minLength: 1, maxLength: 4 }).map((s) => s.join('/'));
    const gseg = fc.constantFrom('a', 'b', '*', '**', 'a*', '*a*', '*.conf', '?', '{a,b}', '[ab]', '[!a]', 'a.{conf,ini}', 'x[0-9]', '{a,b/a}', 'a**');
    const globArb = fc.array(gseg, { minLength: 1, maxLength: 4 }).map((s) => s.join('/'));
    const warn = process.emitWarning;
    process.emitWarning = () => {}; // "glob is an experimental feature"
    try {
      fc.assert(
        fc.property(pathArb, globArb, (p, g) => {
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
    expect(() => matchesGlob('x', '{a,b}'.repeat(9))).toThrow('more than 256 alternatives in');
  });

  it('no glob makes matching blow up (no regular expressions, no exponential backtracking)', () => {
    const long = Array.from({ length: 200 }, (_, i) => `d${i}`).join('/') + '/file.conf';
    expect(matchesGlob(long, '**/'.repeat(40) + 'nothing')).toBe(false);
    expect(matchesGlob('a'.repeat(20_000), '*a'.repeat(40) + 'b')).toBe(false);
    expect(matchesGlob('a'.repeat(20_000), '*a'.repeat(40))).toBe(true);
  });

  it('reports an unclosed brace', () => {
    expect(checkGlob('{a,b')).toBe('unclosed "{" in "{a,b"');
    expect(checkGlob('!{a,b}')).toBeNull();
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
