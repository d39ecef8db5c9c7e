/**
 * The config file in a CLI run: which one (--config FILE, --no-config, or
 * found upward from the current directory), and how it meets the flags
 * (flags win). The loader, ajv and the plugins are imported only when a
 * config file exists: a plain run starts as fast as before.
 */
import { UsageError } from '../engine/errors.js';
import type { LintOptions } from '../engine/lint.js';
import { findConfigFile } from '../config/find.js';
import { defaultConfig } from '../config/options.js';
import type { ResolvedConfig } from '../config/types.js';
import type { LintCommandArgs } from './lint-command.js';
import { mergeStack } from './stack-args.js';
import { displayPath } from '../config/problems.js';

/** `--config FILE` (a string), `--no-config` (false), or neither (undefined: search upward). */
export async function loadRunConfig(flag: string | false | undefined, cwd: string = process.cwd()): Promise<ResolvedConfig> {
  if (flag === false) return defaultConfig(cwd);
  if (flag !== undefined && flag.trim() === '') throw new UsageError('--config needs a file name (or --no-config to use none)');
  const file = flag ?? findConfigFile(cwd);
  if (file === null) return defaultConfig(cwd);
  const { loadConfigFile } = await import('../config/index.js');
  return loadConfigFile(file, cwd);
}

/** The run's arguments with the config file filled in where the command line says nothing. */
export function applyConfig(args: LintCommandArgs, config: ResolvedConfig): LintCommandArgs {
  const s = config.stack;
  const { paths, stack } = mergeStack(args.paths, args.stack ?? {}, s);
  const nginxVersion = args.nginxVersion ?? s.nginxVersion;
  const pageSize = args.pageSize ?? s.pageSize;
  const fixStrategy = args.fixStrategy ?? s.fixStrategy;
  const nginxUser = args.nginxUser ?? s.nginxUser;
  const baseline = args.baseline ?? config.baseline;
  return {
    ...args,
    paths,
    stack,
    ...(nginxVersion !== undefined ? { nginxVersion } : {}),
    ...(pageSize !== undefined ? { pageSize } : {}),
    ...(fixStrategy !== undefined ? { fixStrategy } : {}),
    ...(nginxUser !== undefined ? { nginxUser } : {}),
    ...(baseline !== undefined && args.writeBaseline === undefined ? { baseline } : {}),
  };
}

/**
 * The lint() options only the config file gives: rules (with plugins), their
 * settings, ignore; and nginx's user, from --nginx-user or the config (`args`
 * are the command line's, before applyConfig, so the message can say which).
 * The glob matcher (picomatch) is imported only when there are ignore globs.
 */
export async function configOnlyOptions(args: Pick<LintCommandArgs, 'nginxUser'>, config: ResolvedConfig): Promise<Pick<LintOptions, 'rules' | 'ruleSettings' | 'ignore' | 'nginxUser'>> {
  const user = args.nginxUser ?? config.stack.nginxUser;
  const source = args.nginxUser !== undefined ? '--nginx-user' : `nginxUser in ${config.file ? displayPath(config.file) : 'the configuration'}`;
  const ignore = config.ignore.length ? (await import('../config/ignore.js')).ignoreMatcher(config.ignore, config.dir) : undefined;
  return {
    ...(config.plugins.length ? { rules: config.rules } : {}),
    ...(config.ruleSettings.size ? { ruleSettings: config.ruleSettings } : {}),
    ...(ignore ? { ignore } : {}),
    ...(user !== undefined ? { nginxUser: { user, source } } : {}),
  };
}
