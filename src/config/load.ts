/**
 * Reading a config file: JSON with positions, validated against
 * schemas/config.schema.json with ajv (every error, each at its key). Loaded
 * only when a config file exists, so a run without one never pays for ajv.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { ValidateFunction } from 'ajv';
import schema from '../../schemas/config.schema.json' with { type: 'json' };
import { describeFsError } from '../engine/errors.js';
import { decodeSource, type SourceFile } from '../syntax/source.js';
import { JsonSyntaxError, parseJson, type JsonLocation } from './json.js';
import { ajvProblems, ConfigError, configProblems, displayPath } from './problems.js';
import { configAjv } from './ajv.js';
import { checkRules } from './resolve.js';
import type { ConfigFile } from './types.js';

export interface LoadedConfig {
  /** absolute path of the file */
  path: string;
  /** the directory its relative paths resolve against */
  dir: string;
  /** how the file is named in messages (relative to the current directory when shorter) */
  shown: string;
  source: SourceFile;
  data: ConfigFile;
  /** where each key and value stands, by JSON Pointer */
  locations: ReadonlyMap<string, JsonLocation>;
}

let validateConfig: ValidateFunction | undefined;

/** The published schema of the config file. */
export const CONFIG_SCHEMA: Readonly<Record<string, unknown>> = schema;

/**
 * What a run validates with: the published schema less its per-rule entries
 * (there for editors; compiling them costs ~80 ms). Entries of `rules` are
 * still checked for shape by its additionalProperties, and each rule's
 * options against its own meta.options (checkRules), built-in or plugin.
 */
const RUNTIME_SCHEMA = { ...schema, properties: { ...schema.properties, rules: { ...schema.properties.rules, properties: {} } } };

/** Read and validate a config file; a ConfigError (exit 2) lists every problem. */
export function loadConfig(file: string, cwd: string = process.cwd()): LoadedConfig {
  const abs = path.resolve(cwd, file);
  const shown = displayPath(abs, cwd);
  let bytes: Buffer;
  try {
    bytes = readFileSync(abs);
  } catch (err) {
    throw new ConfigError([`cannot read config file "${shown}": ${describeFsError(err)}`]);
  }
  return parseConfig(decodeSource(abs, bytes), shown);
}

/** Validate config text (the library's entry for a config that is not a file on disk). */
export function parseConfig(source: SourceFile, shown: string = source.path): LoadedConfig {
  const dir = path.dirname(path.resolve(source.path));
  let parsed;
  try {
    parsed = parseJson(source.text);
  } catch (err) {
    if (!(err instanceof JsonSyntaxError)) throw err;
    throw new ConfigError(configProblems({ source, shown, locations: new Map() }, [{ pointer: '', message: `invalid JSON: ${err.message}`, offset: err.offset }]));
  }
  validateConfig ??= configAjv().compile(RUNTIME_SCHEMA);
  const loaded: LoadedConfig = { path: path.resolve(source.path), dir, shown, source, data: parsed.value as ConfigFile, locations: parsed.locations };
  if (!validateConfig(parsed.value)) {
    // with the shape wrong somewhere, still say what else is wrong with the rules that can be told without plugins
    const more = checkRules(loaded, [], { partial: true }).problems;
    throw new ConfigError(configProblems(loaded, [...ajvProblems(validateConfig.errors ?? []), ...more]));
  }
  return loaded;
}
