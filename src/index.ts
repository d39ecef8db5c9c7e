/**
 * The nginx-lint library: what the CLI itself uses.
 *
 *   import { lint, parseNginx } from 'nginx-lint';
 */
export { lint, type LintOptions, type LintResult } from './engine/lint.js';
export { buildReport, exitCodeFor } from './engine/report.js';
export { UsageError } from './engine/errors.js';
export { loadFormatter, FORMAT_NAMES, type FormatName, type Formatter, type Report } from './format/index.js';
export { toReported, type Diagnostic, type ReportedDiagnostic, type Severity, type Fix, type TextEdit, type RelatedLocation } from './diagnostic.js';
export { decodeSource, encodeSource, sourceFromString, positionAt, type SourceFile, type Span, type Position } from './syntax/source.js';
export { nodeFileSystem, memoryFileSystem, type FileSystem } from './fs.js';
export { detectKind, FILE_KINDS, type FileKind } from './stack/kind.js';
export * from './syntax/nginx/index.js';
export { analyze } from './syntax/nginx/analyze.js';
export { parseNginxVersion, formatVersion, DEFAULT_NGINX_VERSION, type NginxVersion } from './syntax/nginx/version.js';
export { buildModel, reachedApps, describeTarget, type StackModel, type Pass, type PassTarget, type Backend, type BackendApp, type FpmPoolApp, type GunicornApp, type UpstreamBlock, type NginxTree, type Listener } from './stack/model.js';
export { groupStacks, type StackGroup } from './stack/stacks.js';
export { describeStacks, printStacks, type StackDescription } from './stack/describe.js';
export { buildGraph, type StackGraph, type GraphNode, type GraphEdge } from './stack/graph.js';
export { renderGraph, toMermaid, toDot, GRAPH_FORMATS, type GraphFormat } from './format/graph.js';
export { reaches, formatEndpoint, type Endpoint } from './stack/address.js';
export { runRules, optionDefaults, type Rule, type RuleMeta, type RuleContext, type RuleOptions, type RuleFamily, type Report as RuleReport, type FixStrategy, type JsonSchema } from './engine/rule.js';
export { applySeverities, effectiveSeverity, SEVERITY_SETTINGS, type RuleSetting, type RuleSettings, type SeveritySetting } from './engine/rule-settings.js';
export { CHECKS, findCheck, type CheckMeta } from './engine/checks.js';
export { ruleDoc } from './engine/rule-docs.js';
export type { Scope } from './stack/nginx-scopes.js';
export type { EffectiveValue } from './stack/nginx-effective.js';
export { RULES } from '../rules/index.js';
export { applyEdits, planFixes, fixUntilStable, type FixOutcome } from './engine/fix.js';
export { unifiedDiff } from './engine/patch.js';
export { writeFilesAtomically } from './engine/write.js';
// the config file (.nginx-lint.json) and plugins
export {
  CONFIG_FILE_NAMES,
  findConfigFile,
  loadConfig,
  parseConfig,
  loadConfigFile,
  loadConfigPlugins,
  CONFIG_SCHEMA,
  loadPlugin,
  loadPlugins,
  PluginError,
  resolveConfig,
  defaultConfig,
  configLintOptions,
  typedPaths,
  ConfigError,
  ignoreMatcher,
  matchesGlob,
  compileGlob,
  effectiveConfig,
  type LoadedConfig,
  type LoadedPlugin,
  type ResolvedConfig,
  type ResolvedStack,
  type ConfigFile,
  type ConfigStack,
  type RuleEntry,
  type IgnoreMatcher,
  type EffectiveConfig,
} from './config/index.js';
