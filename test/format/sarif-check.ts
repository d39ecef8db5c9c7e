/**
 * What a SARIF log must satisfy: the official SARIF 2.1.0 JSON schema
 * (schemas/sarif-2.1.0.schema.json, OASIS errata01), and what GitHub code
 * scanning requires on top of it, which the schema does not enforce.
 *
 * The schema is JSON Schema draft-04 and ajv 8 has no draft-04 mode without
 * the separate ajv-draft-04 package (not a dependency). Every keyword the
 * SARIF schema uses means the same in draft-04 and draft-07 except the
 * schema's own `id` (draft-07: `$id`) and draft-04's boolean
 * `exclusiveMinimum` / `exclusiveMaximum`, which it does not use;
 * `draft07Keywords` proves that for the file shipped, and `compileSarifSchema`
 * renames the one `id` and drops the draft-04 `$schema` before compiling it in
 * ajv's default (draft-07) mode, with unknown keywords and formats as errors.
 *
 * ajv-formats is not installed either: the three formats the schema uses are
 * checked here (RFC 3986 URI / URI-reference characters and escapes, RFC 3339
 * date-time), not ignored.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';

const root = path.resolve(import.meta.dirname, '../..');
export const SARIF_SCHEMA_FILE = path.join(root, 'schemas/sarif-2.1.0.schema.json');

/** Keywords whose meaning is the same in JSON Schema draft-04 and draft-07. */
const SAME_IN_BOTH = new Set(['$ref', 'additionalProperties', 'anyOf', 'allOf', 'oneOf', 'not', 'default', 'definitions', 'dependencies', 'description', 'enum', 'format', 'items', 'maxItems', 'maxLength', 'maximum', 'minItems', 'minLength', 'minimum', 'multipleOf', 'pattern', 'patternProperties', 'properties', 'required', 'title', 'type', 'uniqueItems']);

/** The schema keywords used anywhere in a schema (property names under `properties` / `definitions` are names, not keywords). */
export function schemaKeywords(schema: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(schema)) for (const s of schema) schemaKeywords(s, out);
  else if (schema && typeof schema === 'object') {
    for (const [k, v] of Object.entries(schema)) {
      out.add(k);
      if (k === 'properties' || k === 'definitions' || k === 'patternProperties') for (const sub of Object.values(v as object)) schemaKeywords(sub, out);
      else if (k !== 'enum' && k !== 'default' && k !== 'required') schemaKeywords(v, out);
    }
  }
  return out;
}

/** Keywords of the shipped schema that would mean something else under draft-07 (none but the top-level `id` and `$schema`). */
export function draft04OnlyKeywords(schema: Record<string, unknown>): string[] {
  return [...schemaKeywords(schema)].filter((k) => !SAME_IN_BOTH.has(k) && !((k === 'id' || k === '$schema') && typeof schema[k] === 'string'));
}

// RFC 3986: characters a URI may hold, and well-formed percent escapes
const URI_CHARS = /^(?:[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})*$/;
const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})$/;

export function compileSarifSchema(): ValidateFunction {
  const schema = JSON.parse(readFileSync(SARIF_SCHEMA_FILE, 'utf8')) as Record<string, unknown>;
  const { $schema: _draft04, id, ...rest } = schema;
  // strictSchema: an unknown keyword or format is an error, never silently ignored; the other strict
  // options are style checks of the schema's authoring (required names defined elsewhere, ...), not validation
  const ajv = new Ajv({ allErrors: true, strictSchema: true, strictNumbers: true, strictTypes: false, strictTuples: false, strictRequired: false });
  ajv.addFormat('uri', (s: string) => SCHEME.test(s) && URI_CHARS.test(s));
  ajv.addFormat('uri-reference', (s: string) => URI_CHARS.test(s));
  ajv.addFormat('date-time', (s: string) => DATE_TIME.test(s));
  return ajv.compile({ $id: id as string, ...rest });
}

/* eslint-disable @typescript-eslint/no-explicit-any -- walking an untyped JSON log */
/**
 * GitHub code scanning's requirements for an uploaded SARIF file
 * ("SARIF support for code scanning", docs.github.com, and its limits table):
 * a list of what is violated, empty when the log is acceptable.
 */
export function githubProblems(log: any): string[] {
  const bad: string[] = [];
  const nonEmpty = (v: unknown) => typeof v === 'string' && v.length > 0;
  if (!nonEmpty(log.$schema)) bad.push('$schema missing');
  if (log.version !== '2.1.0') bad.push(`version ${log.version}`);
  // up to 20 runs are accepted; one tool's one analysis is one run
  if (!Array.isArray(log.runs) || log.runs.length !== 1) bad.push(`runs: ${log.runs?.length}, want exactly 1`);
  for (const run of log.runs ?? []) {
    const driver = run.tool?.driver;
    if (!nonEmpty(driver?.name)) bad.push('tool.driver.name missing');
    if (!Array.isArray(driver?.rules)) bad.push('tool.driver.rules missing');
    const rules: any[] = driver?.rules ?? [];
    if (rules.length > 25_000) bad.push(`${rules.length} rules, over 25000`);
    const ids = new Set<string>();
    for (const r of rules) {
      const where = `rule ${r.id}`;
      if (!nonEmpty(r.id) || ids.has(r.id)) bad.push(`${where}: id empty or duplicated`);
      ids.add(r.id);
      if (r.name !== undefined && (!nonEmpty(r.name) || r.name.length > 255)) bad.push(`${where}: name empty or over 255 characters`);
      for (const key of ['shortDescription', 'fullDescription']) {
        const t = r[key]?.text;
        if (!nonEmpty(t) || t.length > 1024) bad.push(`${where}: ${key}.text empty or over 1024 characters`);
      }
      if (!nonEmpty(r.help?.text)) bad.push(`${where}: help.text missing`);
      if (r.defaultConfiguration?.level !== undefined && !['note', 'warning', 'error'].includes(r.defaultConfiguration.level)) bad.push(`${where}: defaultConfiguration.level ${r.defaultConfiguration.level}`);
      const tags = r.properties?.tags;
      if (tags !== undefined && (!Array.isArray(tags) || tags.length > 20 || !tags.every(nonEmpty))) bad.push(`${where}: tags ${JSON.stringify(tags)}`);
    }
    const results: any[] = run.results;
    if (!Array.isArray(results)) bad.push('results missing');
    if (results?.length > 25_000) bad.push(`${results.length} results, over 25000`);
    // SARIF §3.14.27 (not in the schema): columnKind is required when a text-processing tool reports results
    if (results?.length && !['utf16CodeUnits', 'unicodeCodePoints'].includes(run.columnKind)) bad.push(`columnKind ${run.columnKind}`);
    const bases = run.originalUriBaseIds ?? {};
    for (const [name, base] of Object.entries<any>(bases)) {
      if (!/^file:\/\/\/.*\/$/.test(base.uri ?? '')) bad.push(`originalUriBaseIds.${name}.uri ${base.uri}: want an absolute file:// URI ending in '/'`);
    }
    const checkLocation = (loc: any, where: string) => {
      const pl = loc?.physicalLocation;
      if (!pl) return bad.push(`${where}: no physicalLocation`);
      const { uri, uriBaseId } = pl.artifactLocation ?? {};
      if (!nonEmpty(uri)) bad.push(`${where}: artifactLocation.uri missing`);
      else if (uriBaseId !== undefined) {
        if (!(uriBaseId in bases)) bad.push(`${where}: uriBaseId ${uriBaseId} not in originalUriBaseIds`);
        if (SCHEME.test(uri) || uri.startsWith('/')) bad.push(`${where}: uri ${uri} with a base must be relative`);
      } else if (!uri.startsWith('file:///')) bad.push(`${where}: uri ${uri} without a base must be an absolute file:// URI`);
      const rg = pl.region;
      if (!rg) return bad.push(`${where}: no region`);
      // GitHub marks all four required
      for (const k of ['startLine', 'startColumn', 'endLine', 'endColumn']) if (!Number.isInteger(rg[k]) || rg[k] < 1) bad.push(`${where}: region.${k} ${rg[k]}`);
      if (rg.endLine < rg.startLine || (rg.endLine === rg.startLine && rg.endColumn < rg.startColumn)) bad.push(`${where}: region ends before it starts`);
    };
    results?.forEach((res, i) => {
      const where = `results[${i}]`;
      if (!nonEmpty(res.ruleId)) bad.push(`${where}: ruleId missing`);
      if (res.ruleIndex !== undefined && rules[res.ruleIndex]?.id !== res.ruleId) bad.push(`${where}: ruleIndex ${res.ruleIndex} is not ${res.ruleId}`);
      if (!ids.has(res.ruleId)) bad.push(`${where}: ruleId ${res.ruleId} has no descriptor`);
      if (!['error', 'warning', 'note'].includes(res.level)) bad.push(`${where}: level ${res.level}`);
      if (!nonEmpty(res.message?.text)) bad.push(`${where}: message.text missing`);
      if (!Array.isArray(res.locations) || res.locations.length < 1 || res.locations.length > 10) bad.push(`${where}: ${res.locations?.length} locations, want 1..10`);
      (res.locations ?? []).forEach((l: any, j: number) => checkLocation(l, `${where}.locations[${j}]`));
      const relIds = new Set<number>();
      (res.relatedLocations ?? []).forEach((l: any, j: number) => {
        checkLocation(l, `${where}.relatedLocations[${j}]`);
        if (!Number.isInteger(l.id) || relIds.has(l.id)) bad.push(`${where}.relatedLocations[${j}]: id ${l.id} missing or duplicated`);
        relIds.add(l.id);
        // code scanning links a related location only when the message embeds it
        if (!res.message?.text?.includes(`](${l.id})`)) bad.push(`${where}: related location ${l.id} not linked from the message`);
        if (!nonEmpty(l.message?.text)) bad.push(`${where}.relatedLocations[${j}]: no message`);
      });
    });
  }
  return bad;
}
