/**
 * From a validated config file (and its loaded plugins) to what a run uses:
 * every rule with its setting, the stack with paths made relative to the
 * current directory. Problems that need more than the schema (a rule id
 * nobody defines, a plugin rule's options, turning off a parse check, a bad
 * glob) are reported here, at their keys, all at once.
 */
import * as path from 'node:path';
import { CHECKS, findCheck } from '../engine/checks.js';
import { PARSE_FAILURE_RULES } from '../engine/fix.js';
import type { Rule } from '../engine/rule.js';
import { SEVERITY_SETTINGS, type RuleSetting, type SeveritySetting } from '../engine/rule-settings.js';
import { RULES } from '../../rules/index.js';
import { configAjv } from './ajv.js';
import { checkGlob } from './ignore.js';
import { pointerOf } from './json.js';
import type { LoadedConfig } from './load.js';
import type { LoadedPlugin } from './plugins.js';
import { ajvProblems, ConfigError, configProblems, didYouMean, type ConfigProblem } from './problems.js';
import type { ResolvedConfig, ResolvedStack } from './types.js';

/** A path of the config (relative to its directory) as the run names it: relative to the current directory, absolute when written so. */
function runPath(dir: string, p: string, cwd: string): string {
  if (path.isAbsolute(p)) return p;
  const rel = path.relative(cwd, path.resolve(dir, p));
  return rel === '' ? '.' : rel;
}

/** A `rules` entry's parts; null when its shape is wrong (the schema reports that). */
function entryParts(e: unknown): { severity: SeveritySetting; options: Record<string, unknown> | undefined } | null {
  const sev = (v: unknown): v is SeveritySetting => SEVERITY_SETTINGS.includes(v as SeveritySetting);
  if (sev(e)) return { severity: e, options: undefined };
  if (!Array.isArray(e) || e.length < 1 || e.length > 2 || !sev(e[0])) return null;
  const o = e[1] as unknown;
  if (o !== undefined && (typeof o !== 'object' || o === null || Array.isArray(o))) return null;
  return { severity: e[0], options: o as Record<string, unknown> | undefined };
}

/**
 * The `rules` and `ignore` of a config checked against the rules that exist:
 * their settings, and the problems. `partial`: the file failed its schema and
 * no plugin is loaded, so only what can be told anyway is said (ids of
 * plugin rules, entries of the wrong shape are left to later or to the schema).
 */
export function checkRules(config: Pick<LoadedConfig, 'data'>, plugins: readonly LoadedPlugin[], opts: { partial?: boolean } = {}): { rules: Rule[]; settings: Map<string, RuleSetting>; problems: ConfigProblem[] } {
  const rules: Rule[] = [...RULES, ...plugins.flatMap((p) => p.rules)];
  const byId = new Map(rules.map((r) => [r.meta.id, r]));
  const problems: ConfigProblem[] = [];
  const settings = new Map<string, RuleSetting>();
  const data = config.data as Record<string, unknown> | null;
  const ruleEntries = data && typeof data.rules === 'object' && data.rules !== null && !Array.isArray(data.rules) ? Object.entries(data.rules) : [];

  for (const [id, entry] of ruleEntries) {
    const at = pointerOf(['rules', id]);
    const rule = byId.get(id);
    const check = rule ? undefined : findCheck(id);
    if (!rule && !check) {
      const slash = id.indexOf('/');
      const plugin = slash > 0 ? id.slice(0, slash) : null;
      if (opts.partial && plugin) continue;
      const hint = didYouMean(id, [...byId.keys(), ...CHECKS.map((c) => c.id)]);
      const why = plugin && !plugins.some((p) => p.name === plugin) ? `no plugin named "${plugin}" is loaded${plugins.length ? ` (plugins: ${plugins.map((p) => p.name).join(', ')})` : ' ("plugins" lists none)'}` : 'no such rule or check';
      problems.push({ pointer: at, message: `unknown rule "${id}": ${why}${hint}` });
      continue;
    }
    const parts = entryParts(entry);
    if (!parts) continue; // the schema says what is wrong with it
    const { severity, options } = parts;
    if (severity === 'off' && PARSE_FAILURE_RULES.has(id)) {
      problems.push({ pointer: at, message: `${id} cannot be turned off: a file that does not parse is neither linted nor fixed (lower it to "warning" or "info" instead)` });
      continue;
    }
    const setting: RuleSetting = { severity };
    if (options !== undefined && rule) {
      const schema = rule.meta.options;
      if (!schema) {
        problems.push({ pointer: at, message: 'this rule takes no options: give the severity alone' });
        continue;
      }
      let validate;
      try {
        validate = configAjv().compile(schema);
      } catch (err) {
        problems.push({ pointer: at, message: `the rule's options schema is invalid: ${(err as Error).message}` });
        continue;
      }
      const copy = structuredClone(options);
      if (!validate(copy)) {
        problems.push(...ajvProblems(validate.errors ?? [], `${at}/1`));
        continue;
      }
      setting.options = copy;
    } else if (options !== undefined && check) {
      problems.push({ pointer: at, message: 'a parser check takes no options: give the severity alone' });
      continue;
    }
    settings.set(id, setting);
  }

  if (data && Array.isArray(data.ignore))
    data.ignore.forEach((g, i) => {
      const bad = typeof g === 'string' ? checkGlob(g) : null;
      if (bad) problems.push({ pointer: pointerOf(['ignore', i]), message: bad });
    });
  return { rules, settings, problems };
}

export function resolveConfig(config: LoadedConfig, plugins: readonly LoadedPlugin[] = [], cwd: string = process.cwd()): ResolvedConfig {
  const { rules, settings, problems } = checkRules(config, plugins);
  if (problems.length) throw new ConfigError(configProblems(config, problems));

  const data = config.data;
  const s = data.stack ?? {};
  const rel = (p: string) => runPath(config.dir, p, cwd);
  const stack: ResolvedStack = {
    ...(s.paths ? { paths: s.paths.map(rel) } : {}),
    ...(s.root !== undefined ? { root: rel(s.root) } : {}),
    ...(s.nginx ? { nginx: s.nginx.map(rel) } : {}),
    ...(s.fpm ? { fpm: s.fpm.map(rel) } : {}),
    ...(s.phpIni ? { phpIni: s.phpIni.map(rel) } : {}),
    ...(s.gunicorn ? { gunicorn: s.gunicorn.map(rel) } : {}),
    ...(s.nginxVersion !== undefined ? { nginxVersion: s.nginxVersion } : {}),
    ...(s.nginxUser !== undefined ? { nginxUser: s.nginxUser.trim().split(/\s+/).join(' ') } : {}),
    ...(s.pageSize !== undefined ? { pageSize: s.pageSize } : {}),
    ...(s.fixStrategy !== undefined ? { fixStrategy: s.fixStrategy } : {}),
  };
  return {
    file: config.path,
    dir: config.dir,
    rules,
    plugins: [...plugins],
    ruleSettings: settings,
    stack,
    ignore: [...(data.ignore ?? [])],
    ...(data.baseline !== undefined ? { baseline: rel(data.baseline) } : {}),
  };
}
