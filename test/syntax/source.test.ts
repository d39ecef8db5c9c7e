/**
 * Line and column of an offset. The line table is found in the text's latin1
 * bytes (one byte per UTF-16 unit), four bytes at a time, so a two-byte
 * character whose low byte is a newline (U+010A, U+0A0A, ...) must not start a
 * line, and a newline may be at any place in a word of four bytes or in the
 * bytes after the last whole word; checked against a plain scan.
 */
import { describe, expect, it } from 'vitest';
import { positionAt, sourceFromString } from '../../src/syntax/source.js';

function reference(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < Math.min(offset, text.length); i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: Math.min(offset, text.length) - lineStart + 1 };
}

const TEXTS = [
  '',
  '\n',
  'a\nb\r\nc\n\n',
  'server_name \u010a\u0a0a.example;\n# \u{1F600} emoji\nlisten 80;\n',
  '\u010a'.repeat(300) + '\nx\n' + '\u0a0a\n'.repeat(50),
  'x'.repeat(70_000) + '\n' + 'y\n'.repeat(1000),
];

describe('positionAt', () => {
  it('agrees with a plain scan at every offset, two-byte characters included', () => {
    for (const text of TEXTS) {
      const file = sourceFromString('t.conf', text);
      const step = Math.max(1, Math.floor(text.length / 2000));
      for (let offset = 0; offset <= text.length; offset += step) expect(positionAt(file, offset), `${JSON.stringify(text.slice(0, 20))} @${offset}`).toEqual(reference(text, offset));
      expect(positionAt(file, text.length)).toEqual(reference(text, text.length));
    }
  });

  it('agrees with a plain scan on 20,000 short texts of newlines, near-newline bytes and two-byte characters', () => {
    // bytes one off a newline (9, 11), zero, and 0x8a / U+010A (low byte 10): the word test's borrow cases
    const alphabet = ['\n', '\n', 'a', '\t', '\x0b', '\x00', '\x8a', '\u010a', '\r', '\u0a0a'];
    let seed = 20261121;
    const random = (n: number): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed % n;
    };
    for (let k = 0; k < 20_000; k++) {
      let text = '';
      const len = random(19);
      for (let i = 0; i < len; i++) text += alphabet[random(alphabet.length)];
      const file = sourceFromString('t.conf', text);
      for (let offset = 0; offset <= text.length; offset++) expect(positionAt(file, offset), `${JSON.stringify(text)} @${offset}`).toEqual(reference(text, offset));
    }
  });

  it('a big file and then a small one (the scratch buffer shrinks again)', () => {
    const big = sourceFromString('big.conf', 'a\n'.repeat(1 << 20));
    expect(positionAt(big, big.text.length - 1)).toEqual({ line: 1 << 20, column: 2 });
    const small = sourceFromString('small.conf', '\u010a\nz');
    expect(positionAt(small, 2)).toEqual({ line: 2, column: 1 });
  });
});
