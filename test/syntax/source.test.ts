/**
 * Line and column of an offset. The line table is found with Buffer#indexOf
 * over the text's latin1 bytes (one byte per UTF-16 unit), so a two-byte
 * character whose low byte is a newline (U+010A, U+0A0A, ...) must not start a
 * line; checked against a plain scan.
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

  it('a big file and then a small one (the scratch buffer shrinks again)', () => {
    const big = sourceFromString('big.conf', 'a\n'.repeat(1 << 20));
    expect(positionAt(big, big.text.length - 1)).toEqual({ line: 1 << 20, column: 2 });
    const small = sourceFromString('small.conf', '\u010a\nz');
    expect(positionAt(small, 2)).toEqual({ line: 2, column: 1 });
  });
});
