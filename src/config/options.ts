/**
 * The configuration of a run without a config file. Light on purpose: the
 * CLI imports it on every run, so no validator or glob matcher is loaded
 * here (configLintOptions, in lint-options.ts, needs picomatch).
 */
import { RULES } from '../../rules/index.js';
import type { ResolvedConfig } from './types.js';
import { typedPaths } from './stack-paths.js';

export { typedPaths };

/** The configuration of a run without a config file: every built-in rule at its default. */
export function defaultConfig(cwd: string = process.cwd()): ResolvedConfig {
  return { file: null, dir: cwd, rules: [...RULES], plugins: [], ruleSettings: new Map(), stack: {}, ignore: [] };
}
