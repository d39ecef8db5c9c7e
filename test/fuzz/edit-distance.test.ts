/**
 * editDistance works in rolling rows and stops early past `max` (a broken
 * file's 100 kB token is compared with every setting name): it must agree
 * with the plain full-matrix definition wherever the result is within max.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { editDistance } from '../../src/edit-distance.js';

/** Optimal string alignment distance, the textbook way. */
function reference(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) {
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  return d[a.length]![b.length]!;
}

describe('editDistance', () => {
  it('equals the full-matrix distance, and with max: the same up to max, max + 1 beyond', () => {
    const word = fc.string({ unit: fc.constantFrom('a', 'b', 'c', '_'), maxLength: 12 });
    fc.assert(
      fc.property(word, word, fc.nat({ max: 6 }), (a, b, max) => {
        const exact = reference(a, b);
        expect(editDistance(a, b)).toBe(exact);
        expect(editDistance(a, b, max)).toBe(exact <= max ? exact : max + 1);
      }),
      { numRuns: 2000 },
    );
  });

  it('a 100 kB word against a short one, with a small max: max + 1 (from the lengths alone)', () => {
    expect(editDistance('x'.repeat(100_000), 'workers', 2)).toBe(3);
    expect(editDistance('workers' + 'x'.repeat(100_000), 'workers', 2)).toBe(3);
  });
});
