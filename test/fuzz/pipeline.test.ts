/**
 * The whole pipeline on broken input: the example stack with some of its files
 * mutated, through lint() (every parser, the stack model, every rule), the fix
 * loop (every fix's edits must lie inside their file) and the report.
 */
import { describe, expect, it } from 'vitest';
import { fuzz } from './support/run.js';
import { pipelineTarget } from './targets.js';

describe('lint() over a mutated example stack: every rule runs on broken input and nothing throws', () => {
  it('mutated stacks', () => {
    expect(fuzz(pipelineTarget, 50)).toBeGreaterThanOrEqual(50);
  });
  it('with huge tokens and deep nesting', () => {
    expect(fuzz(pipelineTarget, 4, true)).toBeGreaterThanOrEqual(4);
  });
});
