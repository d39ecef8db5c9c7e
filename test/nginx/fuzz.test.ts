import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Node } from '../../src/syntax/nginx/ast.js';
import { crossplanePayload, parseNginx, printNginx } from '../../src/syntax/nginx/index.js';
import { decodeSource, encodeSource, type Span } from '../../src/syntax/source.js';

function checkSpans(nodes: Node[], len: number, bad: Span[]): void {
  const ok = (s: Span | null | undefined) => {
    if (s && !(s.start >= 0 && s.start <= s.end && s.end <= len)) bad.push(s);
  };
  for (const n of nodes) {
    ok(n.span);
    if (n.kind === 'comment') continue;
    ok(n.name.span);
    n.args.forEach((a) => ok(a.span));
    ok(n.semicolon);
    if (n.rawBody) [n.rawBody.open, n.rawBody.body, n.rawBody.close].forEach(ok);
    if (n.block) {
      ok(n.block.open);
      ok(n.block.close);
      checkSpans(n.block.children, len, bad);
    }
  }
}

/** parse, print, convert: never throws, spans valid, bytes back */
function roundTrip(bytes: Uint8Array): void {
  const src = decodeSource('fuzz.conf', bytes);
  const tree = parseNginx(src);
  const bad: Span[] = [];
  checkSpans(tree.children, src.text.length, bad);
  for (const d of tree.diagnostics) if (!(d.span.start >= 0 && d.span.start <= d.span.end && d.span.end <= src.text.length)) bad.push(d.span);
  expect(bad).toEqual([]);
  expect(encodeSource(src, printNginx(tree)).equals(Buffer.from(bytes))).toBe(true);
  crossplanePayload({ root: tree, files: new Map([['fuzz.conf', tree]]), includes: new Map(), diagnostics: [] }, { includeComments: true });
}

// nginx-shaped noise: the characters the grammar cares about, often
const alphabet = [...'abc $\\"\'#;{}()[]=-\n\r\t\f', 'http {', '}', 'content_by_lua_block {', '_by_lua_block', '--[[', ']]', '[==[', '${', 'map $a $b {', '\xe9', '\u00ff', '😀'];

describe('never throws, on any input', () => {
  it('random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => roundTrip(bytes)),
      { numRuns: 1500 },
    );
  });
  it('random nginx-shaped text', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...alphabet), { maxLength: 200 }), (parts) => roundTrip(Buffer.from(parts.join(''), 'utf8'))),
      { numRuns: 1500 },
    );
  });
  it('long tokens around the 4096-byte limit', () => {
    for (const n of [1365, 1366, 4094, 4095, 4096, 4097, 9000]) {
      roundTrip(Buffer.from(`a "${'x'.repeat(n)}`));
      roundTrip(Buffer.from(`a ${'é'.repeat(n)};`));
      roundTrip(Buffer.from(`#${'x'.repeat(n)}`));
    }
  });
});
