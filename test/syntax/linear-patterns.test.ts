/**
 * Regular expressions that a long run of one character made quadratic
 * (`x+$` not at the end, a lazy `(.*?)` before trailing blanks) were
 * rewritten as loops or as patterns that never rescan. The fuzz suite found
 * them as hangs; these properties check that each rewrite reads exactly
 * what the old expression did, on short random strings over the characters
 * that matter.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { trimTrailing } from '../../src/text-trim.js';
import { settingKey } from '../../src/syntax/ini/detect.js';
import { withoutUri } from '../../src/stack/nginx-pass.js';
import { parseProcfile } from '../../src/syntax/gunicorn/command-line.js';
import { sourceFromString } from '../../src/syntax/source.js';

const text = (chars: string[], maxLength = 14) => fc.array(fc.constantFrom(...chars), { maxLength }).map((cs) => cs.join(''));
const RUNS = { numRuns: 3000 };

describe('linear rewrites of quadratic regular expressions', () => {
  it('trimTrailing is replace(/[chars]+$/, "")', () => {
    fc.assert(fc.property(text(['a', '/', ' ', '\t', '\r', '\n', 'x']), (s) => {
      expect(trimTrailing(s, '/')).toBe(s.replace(/\/+$/, ''));
      expect(trimTrailing(s, ' \t')).toBe(s.replace(/[ \t]+$/, ''));
      expect(trimTrailing(s, ' \t\r\n')).toBe(s.replace(/[ \t\r\n]+$/, ''));
    }), RUNS);
  });

  it('settingKey reads what /^([^=[\\s]+)\\s*(\\[[^\\]]*\\])?\\s*=/ matched', () => {
    fc.assert(fc.property(text(['k', '=', '[', ']', ' ', '\t', '\u00a0', 'v']), (line) => {
      const m = /^([^=[\s]+)\s*(\[[^\]]*\])?\s*=/.exec(line);
      expect(settingKey(line)).toEqual(m ? { key: m[1], indexed: m[2] !== undefined } : null);
    }), RUNS);
  });

  it("withoutUri is replace(/\\/.*$/, '')", () => {
    fc.assert(fc.property(text(['h', '/', ':', '\n', '\r', '\u2028', '9']), (s) => {
      expect(withoutUri(s)).toBe(s.replace(/\/.*$/, ''));
    }), RUNS);
  });

  it('Procfile entries are what /^[ \\t]*([A-Za-z0-9_-]+)[ \\t]*:[ \\t]*(.*?)[ \\t\\r]*$/gm matched', () => {
    const old = /^[ \t]*([A-Za-z0-9_-]+)[ \t]*:[ \t]*(.*?)[ \t\r]*$/gm;
    fc.assert(fc.property(text(['web', 'a', ':', ': ', ' ', '\t', '\r', '\n', '\u2028', '-'], 16), (s) => {
      const want: { name: string; command: string; span: [number, number] }[] = [];
      old.lastIndex = 0;
      for (let m = old.exec(s); m; m = old.exec(s)) want.push({ name: m[1]!, command: m[2]!, span: [m.index, m.index + m[0].length] });
      const got = parseProcfile(sourceFromString('Procfile', s)).map((e) => ({ name: e.name, command: e.command.s, span: [e.span.start, e.span.end] as [number, number] }));
      expect(got).toEqual(want);
    }), RUNS);
  });
});
