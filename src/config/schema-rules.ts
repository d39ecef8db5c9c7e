/**
 * The `rules` part of schemas/config.schema.json, made from the rules' and
 * checks' own meta so that editors complete every id with its description and
 * options. scripts/config-schema.ts writes it into the schema file; a test
 * fails when the file is stale. Each entry is written out in full (no $ref):
 * ajv then reports an error inside an anyOf branch under that branch's path,
 * which is how the loader picks the one message worth showing.
 */
import type { JsonSchema, RuleMeta } from '../engine/rule.js';
import type { CheckMeta } from '../engine/checks.js';
import { SEVERITY_SETTINGS } from '../engine/rule-settings.js';

export const SEVERITY_SCHEMA: JsonSchema = {
  type: 'string',
  enum: [...SEVERITY_SETTINGS],
  description: '"off": the rule does not run; "info", "warning", "error": the severity of its findings ("error" makes the exit code 1).',
};

/** A rule's setting: a severity, or [severity] / [severity, options] (options only for rules that take them). */
export function ruleSettingSchema(description: string | undefined, options: JsonSchema | null | 'any'): JsonSchema {
  const tuple: JsonSchema =
    options === null
      ? { type: 'array', items: [SEVERITY_SCHEMA], minItems: 1, additionalItems: false }
      : { type: 'array', items: [SEVERITY_SCHEMA, options === 'any' ? { type: 'object' } : options], minItems: 1, additionalItems: false };
  return { ...(description ? { description } : {}), anyOf: [SEVERITY_SCHEMA, tuple] };
}

function describe(description: string, severity: string, extra: string): string {
  return `${description} (default: ${severity}${extra})`;
}

/** `properties` of the schema's `rules` object: one entry per built-in rule and parser check. */
export function ruleProperties(rules: readonly Pick<RuleMeta, 'id' | 'description' | 'severity' | 'fixable' | 'options'>[], checks: readonly CheckMeta[]): Record<string, JsonSchema> {
  const out: Record<string, JsonSchema> = {};
  for (const r of [...rules].sort((a, b) => a.id.localeCompare(b.id))) {
    out[r.id] = ruleSettingSchema(describe(r.description, r.severity, r.fixable ? '; fixable' : ''), r.options ?? null);
  }
  for (const c of [...checks].sort((a, b) => a.id.localeCompare(b.id))) {
    out[c.id] = ruleSettingSchema(describe(c.description, c.severity, `; ${c.program}'s own check`), null);
  }
  return out;
}
