/**
 * Fixes are edits, not re-printing: a fix replaces spans of the text a rule
 * saw, and every byte it does not touch stays as it was (comments, quoting,
 * CRLF, the file's encoding).
 *
 * - `applyEdits` turns one file's edits into its new text.
 * - `planFixes` picks, from one lint run, the fixes that can be applied
 *   together: a fix is all or nothing (every edit, in every file it touches);
 *   one that overlaps a fix already taken waits for the next pass.
 * - `fixUntilStable` lints, applies, lints again on the fixed text (held in
 *   memory over the real file system) until nothing more applies, and hands
 *   back the new texts and the lint of the final state: what remains.
 */
import { nodeCrypto } from '../node-crypto.js';
import type { Diagnostic, TextEdit } from '../diagnostic.js';
import type { FileStat, FileSystem } from '../fs.js';
import { encodeSource, positionAt, type SourceFile } from '../syntax/source.js';
import type { LintResult } from './lint.js';
import { findCheck } from './checks.js';

/** Rules that mean a file could not be parsed: nothing is fixed or written while any is reported. */
export const PARSE_FAILURE_RULES: ReadonlySet<string> = new Set(['nginx-syntax', 'ini-syntax', 'gunicorn-syntax']);

/** The diagnostics saying that a file of the run failed to parse. */
export function parseFailures(result: Pick<LintResult, 'diagnostics'>): Diagnostic[] {
  return result.diagnostics.filter((d) => PARSE_FAILURE_RULES.has(d.rule));
}

/** An edit that cannot be applied (bad span, overlap within one file's edit list). */
export class EditError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EditError';
  }
}

const editKey = (e: TextEdit) => `${e.span.start}:${e.span.end}:${e.text}`;

/**
 * The text of `source` with `edits` applied. Edits are spans of `source.text`;
 * they are applied in offset order, identical duplicates once, insertions at
 * the same offset in the order given (and before a replacement starting there).
 * Overlapping edits, or spans outside the text, throw an EditError.
 */
export function applyEdits(source: SourceFile, edits: readonly TextEdit[]): string {
  const text = source.text;
  const unique = orderedEdits(source, edits);
  let out = '';
  let pos = 0;
  for (const edit of unique) {
    out += text.slice(pos, edit.span.start) + edit.text;
    pos = edit.span.end;
  }
  return out + text.slice(pos);
}

/**
 * `edits` in the order applyEdits applies them, identical ones once; an
 * EditError for a span outside the text or overlapping edits. Checks a fix
 * without making the file's new text (planFixes does so for every fix).
 */
function orderedEdits(source: SourceFile, edits: readonly TextEdit[]): TextEdit[] {
  const text = source.text;
  const seen = new Set<string>();
  const unique: { edit: TextEdit; index: number }[] = [];
  edits.forEach((edit, index) => {
    const { start, end } = edit.span;
    if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end < start || end > text.length) {
      throw new EditError(`edit span ${start}..${end} is outside ${source.path} (length ${text.length})`);
    }
    const k = editKey(edit);
    if (seen.has(k)) return;
    seen.add(k);
    unique.push({ edit, index });
  });
  unique.sort((a, b) => a.edit.span.start - b.edit.span.start || a.edit.span.end - b.edit.span.end || a.index - b.index);
  let pos = 0;
  for (const { edit } of unique) {
    if (edit.span.start < pos) {
      const at = positionAt(source, edit.span.start);
      throw new EditError(`overlapping edits in ${source.path} at ${at.line}:${at.column}`);
    }
    pos = edit.span.end;
  }
  return unique.map((u) => u.edit);
}

export interface FilePlan {
  /** the text the accepted edits are spans of */
  source: SourceFile;
  /** accepted edits, identical ones once, in the order they were accepted */
  edits: TextEdit[];
}

export interface FixPlan {
  /** accepted edits per file (keyed by `keyOf(file)`, default the file's path) */
  byFile: Map<string, FilePlan>;
  /** diagnostics whose fix is in the plan (fixes with identical edits are merged: all of them are here) */
  applied: Diagnostic[];
  /** fixes that overlap an accepted one: to be tried again on the fixed text */
  deferred: Diagnostic[];
  /** fixes that can never be applied as they are (bad span, edits of a stale text, not encodable) */
  skipped: { diagnostic: Diagnostic; reason: string }[];
}

export interface PlanOptions {
  /** which file an edit belongs to; two SourceFiles with the same key are one file (default: the path) */
  keyOf?: (file: SourceFile) => string;
}

interface Interval {
  start: number;
  end: number;
  key: string;
}

/**
 * The edits accepted in one file, sorted by span. Two edits of different
 * fixes conflict when they overlap or touch (the order between them would be
 * a guess), so accepted edits touch only within one fix and their ends rise
 * with their starts: the edits a new one can meet are found by a binary
 * search and a short walk back, and a file with thousands of fixes is
 * planned in n log n, not n².
 */
class TakenEdits {
  private readonly list: Interval[] = [];
  private readonly keys = new Set<string>();

  /** the accepted edit identical to this one (same span and text) */
  has(key: string): boolean {
    return this.keys.has(key);
  }

  /** whether an accepted edit that is not identical overlaps or touches [start, end] */
  conflicts(iv: Interval): boolean {
    const list = this.list;
    // the last accepted edit starting at or before iv.end
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (list[mid]!.start <= iv.end) lo = mid + 1;
      else hi = mid;
    }
    for (let j = lo - 1; j >= 0 && list[j]!.end >= iv.start; j--) if (list[j]!.key !== iv.key) return true;
    return false;
  }

  add(iv: Interval): void {
    const list = this.list;
    let i = list.length;
    while (i > 0 && (list[i - 1]!.start > iv.start || (list[i - 1]!.start === iv.start && list[i - 1]!.end > iv.end))) i--;
    list.splice(i, 0, iv);
    this.keys.add(iv.key);
  }
}

function encodable(source: SourceFile, text: string): boolean {
  // Latin-1 holds U+0000..U+00FF only; anything else would be written as '?'-like garbage
  return source.encoding !== 'latin1' || !/[^\u0000-\u00ff]/.test(text);
}

/**
 * Choose the fixes of one run that can be applied together, in the order the
 * diagnostics come (lint sorts them by file and position).
 */
export function planFixes(diagnostics: readonly Diagnostic[], options: PlanOptions = {}): FixPlan {
  const keyOf = options.keyOf ?? ((f: SourceFile) => f.path);
  const byFile = new Map<string, FilePlan>();
  const taken = new Map<string, TakenEdits>();
  const applied: Diagnostic[] = [];
  const deferred: Diagnostic[] = [];
  const skipped: FixPlan['skipped'] = [];

  for (const d of diagnostics) {
    const fix = d.fix;
    if (!fix) continue;
    if (fix.edits.length === 0) {
      skipped.push({ diagnostic: d, reason: 'the fix has no edits' });
      continue;
    }
    // check the fix on its own: spans in range, edits of one file agree on its text, no overlap inside
    let problem: string | null = null;
    const perFile = new Map<string, { source: SourceFile; edits: TextEdit[] }>();
    for (const e of fix.edits) {
      const k = keyOf(e.file);
      const known = byFile.get(k)?.source ?? perFile.get(k)?.source;
      const source = known ?? e.file;
      if (source.text !== e.file.text) {
        problem = `its edits of ${e.file.path} are for another version of the file`;
        break;
      }
      if (!encodable(source, e.text)) {
        problem = `${e.file.path} is Latin-1 and the fix inserts characters Latin-1 cannot hold`;
        break;
      }
      const entry = perFile.get(k) ?? { source, edits: [] };
      entry.edits.push(e);
      perFile.set(k, entry);
    }
    if (!problem) {
      for (const { source, edits } of perFile.values()) {
        try {
          orderedEdits(source, edits);
        } catch (err) {
          problem = err instanceof Error ? err.message : String(err);
          break;
        }
      }
    }
    if (problem) {
      skipped.push({ diagnostic: d, reason: problem });
      continue;
    }
    // against the fixes already taken: identical edits merge, anything else that meets one waits
    let clash = false;
    for (const [k, { edits }] of perFile) {
      const accepted = taken.get(k);
      if (!accepted) continue;
      for (const e of edits) if (accepted.conflicts({ start: e.span.start, end: e.span.end, key: editKey(e) })) clash = true;
    }
    if (clash) {
      deferred.push(d);
      continue;
    }
    for (const [k, { source, edits }] of perFile) {
      const plan = byFile.get(k) ?? { source, edits: [] };
      const accepted = taken.get(k) ?? new TakenEdits();
      for (const e of edits) {
        const ek = editKey(e);
        if (accepted.has(ek)) continue;
        accepted.add({ start: e.span.start, end: e.span.end, key: ek });
        plan.edits.push(e);
      }
      byFile.set(k, plan);
      taken.set(k, accepted);
    }
    applied.push(d);
  }
  return { byFile, applied, deferred, skipped };
}

/**
 * The base file system with some files' contents replaced in memory: same
 * realpath, directory listing and metadata (sizes follow the replacements).
 * Replacements are keyed by the base file system's realpath (a lint under an
 * image root maps its paths onto this one before reading, so keys are host paths).
 */
export function overlayFileSystem(base: FileSystem, replacements: ReadonlyMap<string, Uint8Array>): FileSystem {
  const lookup = (p: string) => (replacements.size ? replacements.get(base.realpath(p)) : undefined);
  return {
    readFile: (p) => lookup(p) ?? base.readFile(p),
    stat(p): FileStat | null {
      const st = base.stat(p);
      const r = st?.isFile ? lookup(p) : undefined;
      return st && r ? { ...st, size: r.byteLength } : st;
    },
    readdir: (p) => base.readdir(p),
    realpath: (p) => base.realpath(p),
  };
}

export interface FixedFile {
  /** the file as first read (its path as the run named it, its text, its encoding) */
  original: SourceFile;
  /** the text after every applied fix */
  text: string;
  /** where the file is on this machine (the run's `hostPath`: differs from the path under an image root) */
  hostPath: string;
}

export interface FixOutcome {
  /** changed files, keyed by the original's path; files whose fixes cancel out are left out */
  files: Map<string, FixedFile>;
  /** how many passes applied fixes */
  passes: number;
  /** the diagnostics whose fixes were applied, pass after pass */
  appliedFixes: Diagnostic[];
  /** the lint of the final state: what remains (severity and exit code come from this) */
  result: LintResult;
  /** fixes left unapplied because they came back unchanged after being applied, or led back to an earlier state */
  nonConverging: Diagnostic[];
  /** fixes that can never apply as they are, with why */
  skipped: { diagnostic: Diagnostic; reason: string }[];
  /** false when maxPasses ran out while fixes were still being applied */
  converged: boolean;
  /**
   * parse failures that stopped fixing: in the first lint (then nothing was
   * applied), or introduced by a fix (then `files` holds the broken texts and
   * must not be written)
   */
  parseFailures: Diagnostic[];
  /** true when `parseFailures` came from the files as they were, before any fix */
  failedBeforeFixing: boolean;
  /**
   * errors of the programs' own checks (nginx -t, php-fpm -t, PHP, gunicorn:
   * engine/checks.ts) that the fixed files have more of than the originals
   * had, for each check: a fix that would make the program refuse its
   * configuration. The fixed files must not be written. Empty when nothing
   * was applied.
   */
  introducedErrors: Diagnostic[];
}

/** How many errors of each program check (checks.ts, not nginx-lint's own) a lint found. */
function programErrors(result: LintResult): Map<string, number> {
  const n = new Map<string, number>();
  for (const d of result.diagnostics) {
    if (d.severity !== 'error') continue;
    const check = findCheck(d.rule);
    if (check && check.program !== 'nginx-lint') n.set(d.rule, (n.get(d.rule) ?? 0) + 1);
  }
  return n;
}

/**
 * Lint, apply what can be applied, lint again, until no fix applies (or
 * `maxPasses` passes applied fixes). `run` lints through the file system it is
 * given; the base file system is never written.
 *
 * A fix is applied at most once: one that reappears unchanged (same rule, file,
 * position, replaced text and new text) after being applied does not converge;
 * it is left out and reported in `nonConverging`, and so is a pass that would
 * bring the files back to a state already seen (two fixes undoing each other).
 */
export function fixUntilStable(run: (fs: FileSystem) => LintResult, baseFs: FileSystem, maxPasses = 10): FixOutcome {
  const files = new Map<string, FixedFile & { bytes: Uint8Array }>(); // keyed by realpath
  const replacements = new Map<string, Uint8Array>();
  const appliedKeys = new Set<string>();
  const states = new Set<string>([stateKey(files)]);
  const appliedFixes: Diagnostic[] = [];
  const nonConverging: Diagnostic[] = [];
  const nonConvergingKeys = new Set<string>();
  const skipped: FixOutcome['skipped'] = [];
  const skippedKeys = new Set<string>();
  let passes = 0;
  let converged = true;
  /** the lint of the files as they were */
  let first: LintResult | undefined;

  // one file is one real file on this machine, however the run named it
  let keyOf = (f: SourceFile) => baseFs.realpath(f.path);
  const fixKey = (d: Diagnostic) =>
    [d.rule, ...d.fix!.edits.map((e) => `${keyOf(e.file)}\0${e.span.start}\0${e.span.end}\0${e.file.text.slice(e.span.start, e.span.end)}\0${e.text}`).sort()].join('\u0001');

  for (;;) {
    const result = run(overlayFileSystem(baseFs, replacements));
    first ??= result;
    const host = (p: string) => (typeof result.hostPath === 'function' ? result.hostPath(p) : p);
    keyOf = (f) => baseFs.realpath(host(f.path));
    const failures = parseFailures(result);
    if (failures.length) return finish(result, failures, passes === 0);

    const candidates: Diagnostic[] = [];
    for (const d of result.diagnostics) {
      if (!d.fix) continue;
      const k = fixKey(d);
      if (appliedKeys.has(k) || nonConvergingKeys.has(k)) {
        if (!nonConvergingKeys.has(k)) {
          nonConvergingKeys.add(k);
          nonConverging.push(d);
        }
        continue;
      }
      candidates.push(d);
    }
    const plan = planFixes(candidates, { keyOf });
    for (const s of plan.skipped) {
      const k = fixKey(s.diagnostic);
      if (!skippedKeys.has(k)) {
        skippedKeys.add(k);
        skipped.push(s);
      }
    }
    if (plan.applied.length === 0) return finish(result, [], false);
    if (passes >= maxPasses) {
      converged = false;
      return finish(result, [], false);
    }

    // the next state, before committing to it
    const next = new Map(files);
    for (const [real, { source, edits }] of plan.byFile) {
      const prev = files.get(real);
      const text = applyEdits(source, edits);
      const original = prev?.original ?? source;
      next.set(real, { original, text, hostPath: prev?.hostPath ?? host(original.path), bytes: encodeSource(original, text) });
    }
    const key = stateKey(next);
    if (states.has(key)) {
      // applying these would undo earlier fixes: a cycle, not progress
      for (const d of plan.applied) {
        const k = fixKey(d);
        if (!nonConvergingKeys.has(k)) {
          nonConvergingKeys.add(k);
          nonConverging.push(d);
        }
      }
      return finish(result, [], false);
    }
    states.add(key);
    for (const [real, f] of next) {
      files.set(real, f);
      replacements.set(real, f.bytes);
    }
    for (const d of plan.applied) appliedKeys.add(fixKey(d));
    appliedFixes.push(...plan.applied);
    passes++;
  }

  function finish(result: LintResult, failures: Diagnostic[], before: boolean): FixOutcome {
    const changed = new Map<string, FixedFile>();
    for (const f of files.values()) if (f.text !== f.original.text) changed.set(f.original.path, { original: f.original, text: f.text, hostPath: f.hostPath });
    let introducedErrors: Diagnostic[] = [];
    if (passes > 0 && first && failures.length === 0) {
      const was = programErrors(first);
      const now = programErrors(result);
      introducedErrors = result.diagnostics.filter((d) => d.severity === 'error' && (now.get(d.rule) ?? 0) > (was.get(d.rule) ?? 0));
    }
    return { files: changed, passes, appliedFixes, result, nonConverging, skipped, converged, parseFailures: failures, failedBeforeFixing: before, introducedErrors };
  }
}

/** A digest of which files differ from their originals and how. */
function stateKey(files: ReadonlyMap<string, FixedFile>): string {
  const h = nodeCrypto().createHash('sha256');
  for (const [k, f] of [...files.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (f.text === f.original.text) continue;
    h.update(k).update('\0').update(f.text).update('\0');
  }
  return h.digest('hex');
}
