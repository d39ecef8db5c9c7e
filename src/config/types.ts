/** The config file's shape (schemas/config.schema.json), as the loader hands it on. */
import type { Rule } from '../engine/rule.js';
import type { RuleSetting, SeveritySetting } from '../engine/rule-settings.js';
import type { LoadedPlugin } from './plugins.js';

export type RuleEntry = SeveritySetting | [SeveritySetting] | [SeveritySetting, Record<string, unknown>];

export interface ConfigStack {
  paths?: string[];
  root?: string;
  nginx?: string[];
  fpm?: string[];
  phpIni?: string[];
  gunicorn?: string[];
  nginxVersion?: string;
  nginxUser?: string;
  pageSize?: number;
  fixStrategy?: 'upstream' | 'nginx';
}

export interface ConfigFile {
  $schema?: string;
  rules?: Record<string, RuleEntry>;
  stack?: ConfigStack;
  ignore?: string[];
  plugins?: string[];
  baseline?: string;
}

/** The config's stack with its paths relative to the current directory (or absolute, as written). */
export type ResolvedStack = ConfigStack;

export interface ResolvedConfig {
  /** absolute path of the config file; null when the run has none */
  file: string | null;
  /** the directory its paths and globs are relative to (the current directory without a file) */
  dir: string;
  /** the built-in rules, then each plugin's, in order */
  rules: Rule[];
  plugins: LoadedPlugin[];
  /** per rule or check id, what the config says (ids it does not mention are absent) */
  ruleSettings: Map<string, RuleSetting>;
  stack: ResolvedStack;
  /** the ignore globs as written, relative to `dir` */
  ignore: string[];
  /** the baseline file, relative to the current directory */
  baseline?: string;
}
