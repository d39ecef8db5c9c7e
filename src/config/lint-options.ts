/** A resolved config as lint() options, for library callers (the CLI merges its flags in config-args.ts). */
import * as path from 'node:path';
import type { LintOptions } from '../engine/lint.js';
import { ignoreMatcher } from './ignore.js';
import type { ResolvedConfig } from './types.js';
import { typedPaths } from './stack-paths.js';

/**
 * lint() options that carry out a resolved config (rules, severities and
 * options, ignore, the stack's settings):
 *
 *   const config = await loadConfigFile(findConfigFile()!);
 *   lint(config.stack.paths ?? ['.'], configLintOptions(config));
 */
export function configLintOptions(c: ResolvedConfig, cwd: string = process.cwd()): LintOptions {
  const typed = typedPaths(c.stack);
  return {
    rules: c.rules,
    ruleSettings: c.ruleSettings,
    ...(c.ignore.length ? { ignore: ignoreMatcher(c.ignore, c.dir, cwd) } : {}),
    ...(c.stack.root !== undefined ? { root: c.stack.root } : {}),
    ...(typed.length ? { typed } : {}),
    ...(c.stack.nginxVersion !== undefined ? { nginxVersion: c.stack.nginxVersion } : {}),
    ...(c.stack.nginxUser !== undefined ? { nginxUser: { user: c.stack.nginxUser, source: `nginxUser in ${c.file ? path.basename(c.file) : 'the configuration'}` } } : {}),
    ...(c.stack.pageSize !== undefined ? { pageSize: c.stack.pageSize } : {}),
    ...(c.stack.fixStrategy !== undefined ? { fixStrategy: c.stack.fixStrategy } : {}),
  };
}
