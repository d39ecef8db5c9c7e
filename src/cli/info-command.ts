/**
 * What the linter knows, rather than what it finds: --list-rules (every rule
 * and check with its default and effective severity), --explain RULE (the
 * rule's documentation), --print-config (the effective configuration).
 */
import { UsageError } from '../engine/errors.js';
import { findCheck, CHECKS } from '../engine/checks.js';
import { ruleDoc } from '../engine/rule-docs.js';
import { effectiveConfig, effectiveRules, type EffectiveConfig } from '../config/effective.js';
import { didYouMean, displayPath } from '../config/problems.js';
import type { ResolvedConfig } from '../config/types.js';

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd()).join('\n') + '\n';
}

/** --list-rules: a table (or with --format json, the same as data). */
export function listRules(config: ResolvedConfig, format: string): string {
  const rules = effectiveRules(config);
  if (format === 'json') return JSON.stringify(rules, null, 2) + '\n';
  const rows = [['rule', 'family/program', 'default', 'effective', 'fixable']];
  for (const r of rules) rows.push([r.id, r.kind === 'check' ? `${r.group} (check)` : r.group, r.default, r.severity, r.fixable ? 'yes' : 'no']);
  const changed = rules.filter((r) => r.severity !== r.default).length;
  const from = config.file ? ` (${changed} changed by ${displayPath(config.file)})` : '';
  return table(rows) + `\n${rules.filter((r) => r.kind === 'rule').length} rules and ${CHECKS.length} checks${from}; nginx-lint --explain RULE for one rule's page\n`;
}

/** --explain RULE: the rule's page (built-in rules/<id>.md, a plugin's meta.docs), else what is known of it. */
export function explain(config: ResolvedConfig, id: string): string {
  const rule = config.rules.find((r) => r.meta.id === id);
  const setting = config.ruleSettings.get(id);
  const configured = setting?.severity !== undefined ? `\nConfigured: ${setting.severity}${config.file ? ` (${displayPath(config.file)})` : ''}.\n` : '';
  if (rule) {
    const doc = ruleDoc(rule.meta);
    if (doc !== undefined) return doc.endsWith('\n') ? doc + configured : `${doc}\n${configured}`;
    const url = rule.meta.url ? `\nMore: ${rule.meta.url}\n` : '';
    return `# ${id}\n\n${rule.meta.description}\n\nFamily: ${rule.meta.family}. Default severity: ${rule.meta.severity}. ${rule.meta.fixable ? 'Fixable.' : 'Not fixable.'}\n${url}${configured}`;
  }
  const check = findCheck(id);
  if (check) return `# ${id}\n\n${check.description}\n\n${check.program}'s own check, made while parsing (default severity: ${check.severity}). Configure it like a rule: "${id}": "warning", or "off".\n${configured}`;
  if (id.trim() === '') throw new UsageError('--explain needs a rule id (nginx-lint --list-rules lists them)');
  const ids = [...config.rules.map((r) => r.meta.id), ...CHECKS.map((c) => c.id)];
  throw new UsageError(`unknown rule "${id}"${didYouMean(id, ids)}; nginx-lint --list-rules lists them`);
}

/** --print-config: the effective configuration as JSON. */
export function printConfig(config: ResolvedConfig, stack: EffectiveConfig['stack']): string {
  return JSON.stringify(effectiveConfig(config, stack), null, 2) + '\n';
}
