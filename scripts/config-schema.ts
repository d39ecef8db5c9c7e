/**
 * Writes the `rules` part of schemas/config.schema.json from the rules' and
 * checks' meta (ids, descriptions, default severities, option schemas), so
 * editors complete them. Run after adding a rule or an option:
 *
 *   npm run config-schema
 *
 * test/config/schema.test.ts fails while the file is stale.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { RULES } from '../rules/index.js';
import { CHECKS } from '../src/engine/checks.js';
import { ruleProperties } from '../src/config/schema-rules.js';

/** JSON.stringify with two-space indentation, but arrays of plain values on one line. */
function format(v: unknown, indent = ''): string {
  if (Array.isArray(v) && v.every((x) => x === null || typeof x !== 'object')) return `[${v.map((x) => JSON.stringify(x)).join(', ')}]`;
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  const inner = indent + '  ';
  const items = Array.isArray(v) ? v.map((x) => inner + format(x, inner)) : Object.entries(v).map(([k, x]) => `${inner}${JSON.stringify(k)}: ${format(x, inner)}`);
  if (items.length === 0) return Array.isArray(v) ? '[]' : '{}';
  return Array.isArray(v) ? `[\n${items.join(',\n')}\n${indent}]` : `{\n${items.join(',\n')}\n${indent}}`;
}

const file = path.resolve(import.meta.dirname, '../schemas/config.schema.json');
const schema = JSON.parse(readFileSync(file, 'utf8'));
schema.properties.rules.properties = ruleProperties(
  RULES.map((r) => r.meta),
  CHECKS,
);
writeFileSync(file, format(schema) + '\n');
process.stdout.write(`wrote ${path.relative(process.cwd(), file)} (${Object.keys(schema.properties.rules.properties).length} rules and checks)\n`);
