/**
 * Config file problems, each at the key it is about: `FILE:LINE:COL:
 * /json/pointer: message`, one line per problem, all of them at once (exit 2).
 */
import * as path from 'node:path';
import type { ErrorObject } from 'ajv';
import { UsageError } from '../engine/errors.js';
import { editDistance } from '../edit-distance.js';
import { positionAt, type SourceFile } from '../syntax/source.js';
import type { JsonLocation } from './json.js';

export interface ConfigProblem {
  /** JSON Pointer of the value the problem is about ("" for the document) */
  pointer: string;
  message: string;
  /** an explicit offset (JSON syntax errors); otherwise the pointer's location */
  offset?: number;
}

/** A config file that cannot be used: every problem, each on its own line. */
export class ConfigError extends UsageError {
  constructor(readonly problems: string[]) {
    // the CLI prints "nginx-lint: " before the message; the other lines get it here
    super(problems.join('\nnginx-lint: '));
    this.name = 'ConfigError';
  }
}

/** How a config file's path reads in messages: relative to the current directory when that is shorter. */
export function displayPath(file: string, cwd: string = process.cwd()): string {
  const rel = path.relative(cwd, file);
  return rel && rel.length < file.length ? rel : file;
}

/** The offset of a pointer, or of its nearest ancestor that has one. */
export function offsetOf(locations: ReadonlyMap<string, JsonLocation>, pointer: string): number {
  for (let p = pointer; ; p = p.slice(0, p.lastIndexOf('/'))) {
    const loc = locations.get(p);
    if (loc) return loc.at;
    if (p === '') return 0;
  }
}

export function formatProblem(source: SourceFile, shown: string, locations: ReadonlyMap<string, JsonLocation>, p: ConfigProblem): string {
  const pos = positionAt(source, p.offset ?? offsetOf(locations, p.pointer));
  return `${shown}:${pos.line}:${pos.column}: ${p.pointer ? `${p.pointer}: ` : ''}${p.message}`;
}

/** Problems of a config file as `FILE:LINE:COL: /pointer: message` lines, in the order they stand in the file. */
export function configProblems(config: { source: SourceFile; shown: string; locations: ReadonlyMap<string, JsonLocation> }, problems: readonly ConfigProblem[]): string[] {
  return problems
    .map((p, i) => ({ p, i, at: p.offset ?? offsetOf(config.locations, p.pointer) }))
    .sort((a, b) => a.at - b.at || a.i - b.i)
    .map(({ p }) => formatProblem(config.source, config.shown, config.locations, p));
}

/** "did you mean X?" for the closest candidate within a typo's distance. */
export function didYouMean(word: string, candidates: Iterable<string>): string {
  let best: string | null = null;
  let bestD = Infinity;
  const limit = Math.max(2, Math.floor(word.length / 3));
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase(), limit);
    if (d < bestD) {
      best = c;
      bestD = d;
    }
  }
  return best !== null && bestD <= limit ? ` (did you mean ${best}?)` : '';
}

/** What a value with a pattern must look like, by key. */
const PATTERN_HINTS: Record<string, string> = {
  nginxVersion: 'an nginx version such as "1.22.1"',
  nginxUser: 'a user, or a user and a group, as nginx\'s user directive takes them ("www-data", "nginx nginx")',
};

function joinPointer(base: string, key: string): string {
  return `${base}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
}

function describeBranch(schema: unknown): string {
  const s = (schema ?? {}) as { type?: unknown; enum?: unknown[] };
  const t = typeof s.type === 'string' ? s.type : 'value';
  const article = /^[aeiou]/.test(t) ? 'an' : 'a';
  return `${article} ${t}${Array.isArray(s.enum) ? ` (${s.enum.join(', ')})` : ''}`;
}

/**
 * ajv's errors (allErrors, verbose) as problems a person can act on. Inside
 * an anyOf, only the branches whose type fits the value speak (for "warn",
 * the severity branch says which values are allowed; the array branch's
 * "must be array" is noise); when none fits, one line names what would.
 */
export function ajvProblems(errors: readonly ErrorObject[], prefix = ''): ConfigProblem[] {
  const anyOfs = errors.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf');
  const dropped = new Set<ErrorObject>();
  const replaced = new Map<ErrorObject, ConfigProblem>();
  for (const a of anyOfs) {
    const branchErrors = errors.filter((e) => e !== a && e.schemaPath.startsWith(a.schemaPath + '/'));
    const byBranch = new Map<string, ErrorObject[]>();
    for (const e of branchErrors) {
      const branch = e.schemaPath.slice(a.schemaPath.length + 1).split('/')[0]!;
      byBranch.set(branch, [...(byBranch.get(branch) ?? []), e]);
    }
    const fits = [...byBranch.values()].filter((es) => !es.some((e) => e.keyword === 'type' && e.instancePath === a.instancePath));
    dropped.add(a);
    if (fits.length > 0) {
      for (const es of byBranch.values()) if (!fits.includes(es)) es.forEach((e) => dropped.add(e));
    } else {
      branchErrors.forEach((e) => dropped.add(e));
      const branches = Array.isArray(a.schema) ? a.schema : [];
      replaced.set(a, { pointer: prefix + a.instancePath, message: `must be ${branches.map(describeBranch).join(' or ')}` });
    }
  }
  const out: ConfigProblem[] = [];
  const seen = new Set<string>();
  for (const e of errors) {
    const r = replaced.get(e);
    const p = r ?? (dropped.has(e) ? null : toProblem(e, prefix));
    if (!p) continue;
    const key = `${p.pointer}\0${p.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(p);
  }
  return out;
}

function toProblem(e: ErrorObject, prefix: string): ConfigProblem {
  const at = prefix + e.instancePath;
  switch (e.keyword) {
    case 'enum': {
      const allowed = (e.params as { allowedValues?: unknown[] }).allowedValues ?? [];
      return { pointer: at, message: `${e.message} (${allowed.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(', ')})` };
    }
    case 'additionalProperties': {
      const key = (e.params as { additionalProperty: string }).additionalProperty;
      const known = Object.keys(((e.parentSchema ?? {}) as { properties?: object }).properties ?? {});
      return { pointer: joinPointer(at, key), message: `unknown key "${key}"${didYouMean(key, known)}` };
    }
    case 'additionalItems': {
      const limit = (e.params as { limit: number }).limit;
      if (!at.startsWith('/rules/')) return { pointer: at, message: e.message ?? e.keyword };
      return { pointer: at, message: limit === 1 ? 'this rule takes no options: give the severity alone' : `expected [severity, options], not ${Array.isArray(e.data) ? e.data.length : '?'} items` };
    }
    case 'pattern': {
      const hint = PATTERN_HINTS[at.slice(at.lastIndexOf('/') + 1)];
      return { pointer: at, message: hint ? `${JSON.stringify(e.data)} is not ${hint}` : (e.message ?? e.keyword) };
    }
    default:
      return { pointer: at, message: e.message ?? e.keyword };
  }
}
