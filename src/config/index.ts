/**
 * The config module's front door: find, load (validate), import plugins,
 * resolve. The CLI imports this lazily, only when a config file exists.
 */
import { loadConfig, type LoadedConfig } from './load.js';
import { loadPlugins, PluginError } from './plugins.js';
import { ConfigError, configProblems } from './problems.js';
import { pointerOf } from './json.js';
import { resolveConfig } from './resolve.js';
import type { ResolvedConfig } from './types.js';

export { CONFIG_FILE_NAMES, findConfigFile } from './find.js';
export { loadConfig, parseConfig, CONFIG_SCHEMA, type LoadedConfig } from './load.js';
export { loadPlugin, loadPlugins, PluginError, type LoadedPlugin } from './plugins.js';
export { resolveConfig } from './resolve.js';
export { defaultConfig, typedPaths } from './options.js';
export { configLintOptions } from './lint-options.js';
export { ConfigError } from './problems.js';
export { ignoreMatcher, matchesGlob, compileGlob, type IgnoreMatcher } from './ignore.js';
export { effectiveConfig, type EffectiveConfig } from './effective.js';
export type { ConfigFile, ConfigStack, RuleEntry, ResolvedConfig, ResolvedStack } from './types.js';

/** Import a loaded config's plugins; a plugin that is missing or malformed is a problem at its entry of `plugins`. */
export async function loadConfigPlugins(config: LoadedConfig) {
  try {
    return await loadPlugins(config.data.plugins ?? [], config.dir);
  } catch (err) {
    if (err instanceof PluginError) throw new ConfigError(configProblems(config, [{ pointer: pointerOf(['plugins', err.index]), message: err.message }]));
    throw err;
  }
}

/** Load, validate and resolve a config file with its plugins: what a run uses. */
export async function loadConfigFile(file: string, cwd: string = process.cwd()): Promise<ResolvedConfig> {
  const config = loadConfig(file, cwd);
  const plugins = await loadConfigPlugins(config);
  return resolveConfig(config, plugins, cwd);
}
