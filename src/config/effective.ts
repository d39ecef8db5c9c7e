/**
 * The effective configuration of a run, as data: every rule and check with
 * its default and effective severity and options, the plugins, the stack
 * after command-line flags. --print-config prints it; --list-rules is a
 * table of its rules. No validator is loaded here (a run without a config
 * file lists its rules too).
 */
import type { Severity } from '../diagnostic.js';
import { CHECKS } from '../engine/checks.js';
import { optionDefaults } from '../engine/rule.js';
import type { SeveritySetting } from '../engine/rule-settings.js';
import type { ResolvedConfig, ResolvedStack } from './types.js';

export interface EffectiveRule {
  id: string;
  /** a cross-file rule (built-in or plugin) or one of the parsers' own checks */
  kind: 'rule' | 'check';
  /** the rule's family, or the program whose check it mirrors */
  group: string;
  description: string;
  default: Severity;
  severity: SeveritySetting;
  fixable: boolean;
  /** the options the rule runs with (defaults filled in); only for rules that take options */
  options?: Record<string, unknown>;
  /** the plugin that defines it */
  plugin?: string;
}

export interface EffectiveConfig {
  configFile: string | null;
  plugins: { name: string; specifier: string; file: string; rules: string[] }[];
  rules: Record<string, Omit<EffectiveRule, 'id'>>;
  stack: ResolvedStack & { context?: string; prefix?: string };
  ignore: string[];
  baseline?: string;
}

/** The built-in families in the README's order; plugin rules come after, as loaded. */
const FAMILY_ORDER = ['links', 'sockets', 'php', 'timeouts', 'keepalive', 'buffers'];

export function effectiveRules(c: ResolvedConfig): EffectiveRule[] {
  const pluginOf = new Map(c.plugins.flatMap((p) => p.rules.map((r) => [r.meta.id, p.name] as const)));
  const rank = (r: ResolvedConfig['rules'][number]) => (pluginOf.has(r.meta.id) ? FAMILY_ORDER.length : Math.max(0, FAMILY_ORDER.indexOf(r.meta.family)));
  const ordered = c.rules
    .map((r, i) => ({ r, i }))
    .sort((a, b) => rank(a.r) - rank(b.r) || (pluginOf.has(a.r.meta.id) ? a.i - b.i : a.r.meta.id.localeCompare(b.r.meta.id)))
    .map((x) => x.r);
  const rules: EffectiveRule[] = ordered.map((r) => {
    const s = c.ruleSettings.get(r.meta.id);
    const plugin = pluginOf.get(r.meta.id);
    return {
      id: r.meta.id,
      kind: 'rule',
      group: r.meta.family,
      description: r.meta.description,
      default: r.meta.severity,
      severity: s?.severity ?? r.meta.severity,
      fixable: r.meta.fixable,
      ...(r.meta.options ? { options: { ...optionDefaults(r.meta.options), ...(s?.options ?? {}) } } : {}),
      ...(plugin ? { plugin } : {}),
    };
  });
  const checks: EffectiveRule[] = CHECKS.map((k) => ({
    id: k.id,
    kind: 'check',
    group: k.program,
    description: k.description,
    default: k.severity,
    severity: c.ruleSettings.get(k.id)?.severity ?? k.severity,
    fixable: false,
  }));
  return [...rules, ...checks];
}

/** What --print-config prints; `stack` is the stack after command-line flags. */
export function effectiveConfig(c: ResolvedConfig, stack: EffectiveConfig['stack'] = c.stack): EffectiveConfig {
  return {
    configFile: c.file,
    plugins: c.plugins.map((p) => ({ name: p.name, specifier: p.specifier, file: p.file, rules: p.rules.map((r) => r.meta.id) })),
    rules: Object.fromEntries(effectiveRules(c).map(({ id, ...rest }) => [id, rest])),
    stack,
    ignore: c.ignore,
    ...(c.baseline !== undefined ? { baseline: c.baseline } : {}),
  };
}
