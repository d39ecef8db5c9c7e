/**
 * A baseline for legacy configs: `--write-baseline FILE` records the findings
 * of today, `--baseline FILE` reports only the ones not recorded.
 *
 * A finding is recorded by rule, file (relative to the baseline file's
 * directory) and a fingerprint of its content, never by line number, so
 * lines added or removed elsewhere do not bring it back. The fingerprint
 * hashes the rule id, the finding's line and token (whitespace collapsed),
 * the headers of the nginx blocks around it (`http > server > location /api`)
 * or its ini `[section]`, and the lines of its related locations (the other
 * side of a cross-file finding). Editing any of those makes it a new finding;
 * the message is not hashed (it names line numbers). Identical findings in
 * one file are told apart by an occurrence counter.
 *
 * Entries that match no finding any more (fixed, or edited) make the
 * baseline stale; the caller says how many, so it can be written again.
 */
import { nodeCrypto } from '../node-crypto.js';
import * as nodeFs from 'node:fs';
import * as path from 'node:path';
import { Ajv } from 'ajv';
import type { Diagnostic } from '../diagnostic.js';
import type { Node as NginxNode, NginxFile } from '../syntax/nginx/ast.js';
import type { IniFile } from '../syntax/ini/ast.js';
import type { SourceFile } from '../syntax/source.js';
import schema from '../../schemas/baseline.schema.json' with { type: 'json' };
import { UsageError, describeFsError } from './errors.js';
import type { LintResult } from './lint.js';

export const BASELINE_VERSION = 1;

export interface BaselineEntry {
  rule: string;
  /** relative to the baseline file's directory, `/` separators */
  file: string;
  fingerprint: string;
  /** the n-th identical finding in the file (absent: the first) */
  occurrence?: number;
  /** for people reading the file; not matched */
  message?: string;
}

export interface Baseline {
  $schema?: string;
  version: typeof BASELINE_VERSION;
  entries: BaselineEntry[];
}

/** What fingerprints are computed from: the findings and the trees they point into. */
export type BaselineInput = Pick<LintResult, 'diagnostics' | 'nginx' | 'fpm' | 'model' | 'hostPath'>;

export interface BaselineComparison {
  /** findings not in the baseline: what to report */
  diagnostics: Diagnostic[];
  /** findings the baseline hid */
  hidden: number;
  /** baseline entries that matched no finding (fixed or changed since) */
  stale: BaselineEntry[];
}

/** The baseline of a run's findings. `baselinePath` as the user named it; relative paths resolve against `cwd`. */
export function createBaseline(result: BaselineInput, baselinePath: string, cwd = process.cwd()): Baseline {
  const keyed = keyFindings(result, baselinePath, cwd);
  const order = keyed.map((k, i) => ({ ...k, i }));
  // grouped by file (as the baseline names it), findings in their order within it
  order.sort((a, b) => (a.entry.file < b.entry.file ? -1 : a.entry.file > b.entry.file ? 1 : a.i - b.i));
  return { version: BASELINE_VERSION, entries: order.map((k) => ({ ...k.entry, message: k.d.message })) };
}

/** Split a run's findings into those the baseline records (hidden) and the rest. */
export function compareWithBaseline(result: BaselineInput, baseline: Baseline, baselinePath: string, cwd = process.cwd()): BaselineComparison {
  const remaining = new Map<string, BaselineEntry[]>();
  for (const e of baseline.entries) {
    const k = entryKey(e);
    remaining.set(k, [...(remaining.get(k) ?? []), e]);
  }
  const diagnostics: Diagnostic[] = [];
  let hidden = 0;
  for (const { d, entry } of keyFindings(result, baselinePath, cwd)) {
    const left = remaining.get(entryKey(entry));
    if (left?.length) {
      left.pop();
      hidden++;
    } else diagnostics.push(d);
  }
  return { diagnostics, hidden, stale: [...remaining.values()].flat() };
}

/** Read and validate a baseline file; anything wrong is a UsageError (exit 2) naming the file. */
export function readBaseline(file: string): Baseline {
  let text: string;
  try {
    text = nodeFs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read baseline "${file}": ${describeFsError(err)} (create it with --write-baseline ${file})`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`invalid baseline "${file}": not JSON (${(err as Error).message})`);
  }
  const validate = validator();
  if (!validate(data)) {
    const e = validate.errors?.[0];
    const where = e?.instancePath ? e.instancePath : '(top level)';
    const extra = e?.keyword === 'additionalProperties' ? ` "${(e.params as { additionalProperty: string }).additionalProperty}"` : '';
    throw new UsageError(`invalid baseline "${file}": ${where} ${e?.message ?? 'does not match schemas/baseline.schema.json'}${extra}`);
  }
  return data as Baseline;
}

/** Write a baseline file (a temp file renamed over it, so a reader never sees half of it). */
export function writeBaseline(file: string, baseline: Baseline): void {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  try {
    nodeFs.writeFileSync(tmp, JSON.stringify(baseline, null, 2) + '\n', { flag: 'w', mode: 0o644 });
    nodeFs.renameSync(tmp, file);
  } catch (err) {
    nodeFs.rmSync(tmp, { force: true });
    throw new UsageError(`cannot write baseline "${file}": ${describeFsError(err)}`);
  }
}

let compiled: ReturnType<Ajv['compile']> | null = null;
function validator(): ReturnType<Ajv['compile']> {
  compiled ??= new Ajv({ allErrors: false }).compile(schema);
  return compiled;
}

const entryKey = (e: BaselineEntry) => `${e.rule}\0${e.file}\0${e.fingerprint}\0${e.occurrence ?? 0}`;

// ---- fingerprints ---------------------------------------------------------

/** Each finding with its baseline entry (without message), in the run's order. */
function keyFindings(result: BaselineInput, baselinePath: string, cwd: string): { d: Diagnostic; entry: BaselineEntry }[] {
  const baseDir = path.dirname(path.resolve(cwd, baselinePath));
  const rel = (p: string) => (p === '<stdin>' ? p : path.relative(baseDir, path.resolve(cwd, result.hostPath(p))).split(path.sep).join('/') || '.');
  const context = contextFinder(result);
  const seen = new Map<string, number>();
  return result.diagnostics.map((d) => {
    const file = rel(d.file.path);
    const fingerprint = hash([d.rule, context(d.file, d.span.start), lineText(d.file, d.span.start), tokenText(d.file, d.span.start, d.span.end), ...(d.related ?? []).map((r) => `${rel(r.file.path)}\0${lineText(r.file, r.span.start)}`)]);
    const k = `${d.rule}\0${file}\0${fingerprint}`;
    const n = seen.get(k) ?? 0;
    seen.set(k, n + 1);
    return { d, entry: { rule: d.rule, file, fingerprint, ...(n > 0 ? { occurrence: n } : {}) } };
  });
}

function hash(parts: string[]): string {
  return nodeCrypto().createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 16);
}

const normalize = (s: string) => s.replace(/\s+/g, ' ').trim();

function lineBounds(file: SourceFile, offset: number): { start: number; end: number } {
  const text = file.text;
  const at = Math.max(0, Math.min(offset, text.length));
  const start = text.lastIndexOf('\n', at - 1) + 1;
  const nl = text.indexOf('\n', at);
  return { start, end: nl === -1 ? text.length : nl };
}

function lineText(file: SourceFile, offset: number): string {
  const { start, end } = lineBounds(file, offset);
  return normalize(file.text.slice(start, end));
}

/** the finding's own text, on its first line */
function tokenText(file: SourceFile, start: number, end: number): string {
  return normalize(file.text.slice(start, Math.min(end, lineBounds(file, start).end)));
}

/** For a file and offset: the nginx block headers around it, or the ini section it is in ('' elsewhere). */
function contextFinder(result: BaselineInput): (file: SourceFile, offset: number) => string {
  const nginx = new Map<string, NginxFile>();
  for (const n of result.nginx) for (const f of n.config.files.values()) if (!nginx.has(f.source.path)) nginx.set(f.source.path, f);
  const ini = new Map<string, IniFile>();
  for (const c of result.fpm) for (const f of c.files.values()) if (!ini.has(f.source.path)) ini.set(f.source.path, f);
  for (const p of result.model.phpIni) if (!ini.has(p.file.source.path)) ini.set(p.file.source.path, p.file);
  return (file, offset) => {
    const n = nginx.get(file.path);
    if (n) return nginxBlocks(n.children, offset).join(' > ');
    const i = ini.get(file.path);
    if (i) {
      const section = i.nodes.filter((x) => x.kind === 'section' && x.span.start <= offset).at(-1);
      return section ? normalize(i.source.text.slice(section.span.start, section.span.end)) : '';
    }
    return '';
  };
}

function nginxBlocks(nodes: readonly NginxNode[], offset: number): string[] {
  for (const n of nodes) {
    if (n.kind !== 'directive' || !n.block) continue;
    if (offset < n.block.open.end || (n.block.close && offset >= n.block.close.end)) continue;
    return [normalize([n.name.raw, ...n.args.map((a) => a.raw)].join(' ')), ...nginxBlocks(n.block.children, offset)];
  }
  return [];
}
