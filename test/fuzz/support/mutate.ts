/**
 * Broken versions of real files, as fast-check arbitraries: a seed file with
 * one to five mutations applied (a brace, quote or semicolon deleted or
 * doubled, a cut at a random point, random bytes spliced in, a huge token,
 * deep nesting, lines swapped or repeated), then encoded as UTF-8 or Latin-1
 * bytes so both decodings are exercised. Every value shrinks: fast-check
 * reports the smallest mutation list that still fails.
 */
import fc from 'fast-check';
import type { Seed } from './corpus.js';

/** Characters whose loss or doubling breaks the grammars we read. */
const STRUCTURAL = ['{', '}', ';', '"', "'", '[', ']', '(', ')', '=', '\n', '#', '$', '\\', ':', ',', '`', '\r'];

export type Mutation =
  | { op: 'delete'; ch: string; nth: number }
  | { op: 'double'; ch: string; nth: number }
  | { op: 'truncate'; at: number }
  | { op: 'splice'; at: number; text: string }
  | { op: 'huge'; at: number; unit: string; n: number }
  | { op: 'nest'; at: number; open: string; close: string; n: number; closed: boolean }
  | { op: 'swap'; a: number; b: number }
  | { op: 'repeat'; at: number; len: number; times: number }
  | { op: 'cut'; at: number; len: number };

/** Openers (and closers) of every grammar, for deep nesting. */
const NESTING: [string, string][] = [
  ['a {', '}'],
  ['location / {', '}'],
  ['if ($a) {', '}'],
  ['{', '}'],
  ['(', ')'],
  ['[', ']'],
  ['x = (', ')'],
  ['-', ''],
  ['not ', ''],
  ['[s]\n', ''],
];

const pos = (n: number, len: number) => (len === 0 ? 0 : n % (len + 1));

function nthIndex(text: string, ch: string, nth: number): number {
  let count = 0;
  for (let i = text.indexOf(ch); i !== -1; i = text.indexOf(ch, i + 1)) count++;
  if (count === 0) return -1;
  let k = nth % count;
  for (let i = text.indexOf(ch); i !== -1; i = text.indexOf(ch, i + 1)) if (k-- === 0) return i;
  return -1;
}

export function applyMutation(text: string, m: Mutation): string {
  switch (m.op) {
    case 'delete': {
      const i = nthIndex(text, m.ch, m.nth);
      return i === -1 ? text : text.slice(0, i) + text.slice(i + m.ch.length);
    }
    case 'double': {
      const i = nthIndex(text, m.ch, m.nth);
      return i === -1 ? text + m.ch : text.slice(0, i) + m.ch + text.slice(i);
    }
    case 'truncate':
      return text.slice(0, pos(m.at, text.length));
    case 'splice': {
      const i = pos(m.at, text.length);
      return text.slice(0, i) + m.text + text.slice(i);
    }
    case 'huge': {
      const i = pos(m.at, text.length);
      return text.slice(0, i) + m.unit.repeat(m.n) + text.slice(i);
    }
    case 'nest': {
      const i = pos(m.at, text.length);
      return text.slice(0, i) + m.open.repeat(m.n) + (m.closed ? m.close.repeat(m.n) : '') + text.slice(i);
    }
    case 'swap': {
      const lines = text.split('\n');
      const a = m.a % lines.length;
      const b = m.b % lines.length;
      [lines[a], lines[b]] = [lines[b]!, lines[a]!];
      return lines.join('\n');
    }
    case 'repeat': {
      const i = pos(m.at, text.length);
      const piece = text.slice(i, i + m.len);
      return text.slice(0, i) + piece.repeat(m.times) + text.slice(i);
    }
    case 'cut': {
      const i = pos(m.at, text.length);
      return text.slice(0, i) + text.slice(i + m.len);
    }
  }
}

/** Random text that is likely to matter to a config parser: tokens of all grammars, control bytes, Latin-1, astral chars. */
export const noise = (tokens: readonly string[]): fc.Arbitrary<string> =>
  fc.array(fc.oneof(fc.constantFrom(...STRUCTURAL, ...tokens), fc.string({ unit: 'binary', maxLength: 4 }), fc.string({ unit: 'grapheme-ascii', maxLength: 6 })), { maxLength: 12 }).map((a) => a.join(''));

export interface MutationOptions {
  /** extra tokens of the grammar to splice in */
  tokens?: readonly string[];
  /** allow huge tokens and deep nesting (slower cases) */
  big?: boolean;
}

export function mutationArb(opts: MutationOptions = {}): fc.Arbitrary<Mutation> {
  const tokens = opts.tokens ?? [];
  const ch = fc.constantFrom(...STRUCTURAL);
  const n = fc.nat();
  const ops: fc.Arbitrary<Mutation>[] = [
    fc.record({ op: fc.constant('delete' as const), ch, nth: n }),
    fc.record({ op: fc.constant('double' as const), ch, nth: n }),
    fc.record({ op: fc.constant('truncate' as const), at: n }),
    fc.record({ op: fc.constant('splice' as const), at: n, text: noise(tokens) }),
    fc.record({ op: fc.constant('swap' as const), a: n, b: n }),
    fc.record({ op: fc.constant('repeat' as const), at: n, len: fc.integer({ min: 1, max: 200 }), times: fc.integer({ min: 2, max: 20 }) }),
    fc.record({ op: fc.constant('cut' as const), at: n, len: fc.integer({ min: 1, max: 400 }) }),
  ];
  if (opts.big) {
    ops.push(
      fc.record({ op: fc.constant('huge' as const), at: n, unit: fc.constantFrom('x', 'é', '😀', '\\', '$', '"', '\t', ' ', '#', 'a ', '${', '%', '0', '[', ...tokens), n: fc.integer({ min: 1000, max: 70_000 }) }),
      fc
        .tuple(n, fc.constantFrom(...NESTING), fc.integer({ min: 10, max: 12_000 }), fc.boolean())
        .map(([at, [open, close], depth, closed]): Mutation => ({ op: 'nest', at, open, close, n: depth, closed })),
    );
  }
  return fc.oneof(...ops);
}

export interface Mutated {
  seed: string;
  mutations: Mutation[];
  encoding: 'utf8' | 'latin1';
  text: string;
  bytes: Uint8Array;
}

/** A seed with 1–5 mutations, as bytes (and the text before encoding). */
export function mutatedArb(seeds: readonly Seed[], opts: MutationOptions = {}): fc.Arbitrary<Mutated> {
  return fc
    .record({
      seed: fc.constantFrom(...seeds),
      mutations: fc.array(mutationArb(opts), { minLength: 1, maxLength: 5 }),
      encoding: fc.constantFrom('utf8' as const, 'latin1' as const),
    })
    .map(({ seed, mutations, encoding }) => {
      const text = mutations.reduce(applyMutation, seed.text);
      // Latin-1 cannot hold every char: those become UTF-8 bytes inside a Latin-1 file, which is what such files look like
      const bytes = encoding === 'latin1' && /^[\u0000-\u00ff]*$/.test(text) ? Buffer.from(text, 'latin1') : Buffer.from(text, 'utf8');
      return { seed: seed.rel, mutations, encoding, text, bytes };
    });
}

/** Random bytes, or random text of a grammar's tokens, as bytes. */
export function randomInputArb(tokens: readonly string[]): fc.Arbitrary<Uint8Array> {
  return fc.oneof(
    fc.uint8Array({ maxLength: 600 }),
    fc.string({ unit: 'binary', maxLength: 300 }).map((s) => Buffer.from(s, 'utf8')),
    fc.array(fc.constantFrom(...STRUCTURAL, ...tokens, ' ', '\t', '\n'), { maxLength: 250 }).map((a) => Buffer.from(a.join(''), 'utf8')),
  );
}
