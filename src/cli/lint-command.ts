import { realpathSync } from 'node:fs';
import type { Diagnostic } from '../diagnostic.js';
import type { FileKind } from '../stack/kind.js';
import type { ContextName } from '../syntax/nginx/ast.js';
import { encodeSource, positionAt } from '../syntax/source.js';
import { nodeFileSystem, readStdin } from '../fs.js';
import { UsageError } from '../engine/errors.js';
import { fixUntilStable } from '../engine/fix.js';
import { lint, type LintOptions, type LintResult } from '../engine/lint.js';
import { patchRoot, unifiedDiffBytes, type FileChange } from '../engine/patch.js';
import { buildReport, exitCodeFor } from '../engine/report.js';
import { writeFilesAtomically } from '../engine/write.js';
import { loadFormatter, type FormatName } from '../format/index.js';
import type { Report } from '../format/types.js';
import type { ResolvedConfig } from '../config/types.js';
import { printStacks } from '../stack/describe.js';
import { lintOptionsForStack, type StackArgs } from './stack-args.js';
import { applyConfig, configOnlyOptions, loadRunConfig } from './config-args.js';
import { explain, listRules, printConfig } from './info-command.js';
import { writeOut, writeErr } from './output.js';
import { withBigRunBudget } from './jit-budget.js';
import { formatRuleTimings, timingListSize } from './rule-timing.js';

export const FIX_STRATEGIES = ['upstream', 'nginx'] as const;
export type FixStrategy = (typeof FIX_STRATEGIES)[number];

export interface LintCommandArgs {
  paths: string[];
  format: FormatName;
  context?: string;
  prefix?: string;
  nginxVersion?: string;
  kind?: string;
  quiet: boolean;
  maxWarnings?: number;
  /** colour the report (wherever it is printed: stdout, or stderr with --fix-dry-run) */
  color: boolean;
  /** apply fixes and write the files, then report what remains */
  fix?: boolean;
  /** compute fixes, print them as a unified diff on stdout, write nothing; the report goes to stderr */
  fixDryRun?: boolean;
  fixStrategy?: FixStrategy;
  /** which files form the stack (--root, --nginx, --fpm, --php-ini, --gunicorn) */
  stack?: StackArgs;
  pageSize?: number;
  /** print the stacks found and exit */
  printStack?: boolean;
  /** report only findings not recorded in this baseline file */
  baseline?: string;
  /** record the current findings in this baseline file, exit 0 */
  writeBaseline?: string;
  /** --config FILE; false: --no-config; absent: found upward from the current directory */
  configFile?: string | false;
  /** nginx's worker user where nginx.conf has no `user` directive (--nginx-user) */
  nginxUser?: string;
  /** print every rule and check with its default and effective severity, and exit */
  listRules?: boolean;
  /** print this rule's documentation and exit */
  explain?: string;
  /** print the effective configuration (config file, rules, stack) as JSON and exit */
  printConfig?: boolean;
  /**
   * pre-commit: `paths` are the changed files, not what to lint. The stack the
   * config file declares (or the current directory) is linted, and reported,
   * only when one of them is part of it (a file it reads, the config file, the
   * baseline); otherwise the run is a silent success.
   */
  changed?: boolean;
}

function write(text: string): number {
  writeOut(text);
  return 0;
}

function pick<T extends object, K extends keyof T>(o: T, keys: K[]): Partial<Pick<T, K>> {
  return Object.fromEntries(keys.filter((k) => o[k] !== undefined).map((k) => [k, o[k]])) as Partial<Pick<T, K>>;
}

/** Exit code when the run could not do its job (bad arguments, unparsable input, write failure). */
const EXIT_USAGE = 2;

const note = (line: string) => writeErr(`nginx-lint: ${line}\n`);
const plural = (n: number, word: string, words = `${word}s`) => `${n} ${n === 1 ? word : words}`;

function where(d: Diagnostic): string {
  const p = positionAt(d.file, d.span.start);
  return `${d.file.path}:${p.line}:${p.column}`;
}

export async function runLint(given: LintCommandArgs): Promise<number> {
  // --changed: the paths say what changed; what to lint comes from the config file (or is the current directory)
  const changedFiles = given.changed ? given.paths.filter((p) => p !== '-') : null;
  if (changedFiles && given.paths.includes('-')) throw new UsageError('--changed takes the changed files as paths, not standard input ("-")');
  const input = changedFiles ? { ...given, paths: [] } : given;
  // the config file (found upward, --config, or none with --no-config): the command line wins over it
  const config = await loadRunConfig(input.configFile);
  if (input.listRules) return write(listRules(config, input.format));
  if (input.explain !== undefined) return write(explain(config, input.explain));
  const args = applyConfig(input, config);
  if (args.printConfig) return write(printConfig(config, { ...(args.paths.length ? { paths: args.paths } : {}), ...args.stack, ...pick(args, ['nginxVersion', 'nginxUser', 'pageSize', 'fixStrategy', 'context', 'prefix']) }));
  const options: LintOptions = {
    ...(await configOnlyOptions(input, config)),
    ...(args.context ? { context: args.context as ContextName } : {}),
    ...(args.prefix ? { prefix: args.prefix } : {}),
    ...(args.nginxVersion ? { nginxVersion: args.nginxVersion } : {}),
    ...(args.kind ? { kind: args.kind as FileKind } : {}),
    ...(args.fixStrategy ? { fixStrategy: args.fixStrategy } : {}),
    ...lintOptionsForStack(args.stack ?? {}),
    ...(args.pageSize !== undefined ? { pageSize: args.pageSize } : {}),
    stdin: () => readStdin(),
    fs: withBigRunBudget(nodeFileSystem),
  };
  // TIMING=1 (as for ESLint): each rule's time, printed on stderr once the run has done its job
  const timingRows = timingListSize(process.env.TIMING);
  if (timingRows > 0) options.ruleTimings = new Map();
  const code = await lintWith(args, options, changedFiles, config);
  if (options.ruleTimings) writeErr(formatRuleTimings(options.ruleTimings, timingRows));
  return code;
}

async function lintWith(args: LintCommandArgs, options: LintOptions, changedFiles: string[] | null, config: ResolvedConfig): Promise<number> {
  if (args.printStack) {
    // a stack is described as text or as JSON; SARIF or GitHub annotations of it would be a made-up format
    if (args.format !== 'json' && args.format !== 'stylish') throw new UsageError(`--print-stack prints text (the default) or JSON (--format json), not --format ${args.format}`);
    const result = lint(args.paths, options);
    const report = buildReport(result);
    writeOut(args.format === 'json' ? JSON.stringify({ stacks: report.stacks, notes: result.notes }, null, 2) + '\n' : printStacks(report.stacks, result.notes));
    return 0;
  }
  if (changedFiles && !touchesStack(changedFiles, lint(args.paths, options), [config.file, args.baseline])) return 0;
  if (args.writeBaseline !== undefined) return runWriteBaseline(args, options);
  const baseline = args.baseline !== undefined ? await baselineFilter(args.baseline) : null;
  if (args.fix || args.fixDryRun) return runFix(args, options, baseline);
  const result = baseline ? baseline.apply(lint(args.paths, options)) : lint(args.paths, options);
  const report = buildReport(result, { quiet: args.quiet });
  baseline?.report(report);
  const format = await loadFormatter(args.format);
  writeOut(format(report, { color: args.color }));
  return exitCodeFor(report, args.maxWarnings);
}

/** Is any changed file one the run reads (or the config file, or the baseline)? Compared by real path. */
function touchesStack(changed: string[], result: LintResult, extra: (string | null | undefined)[]): boolean {
  const read = new Set([...result.files.map((f) => realpathOr(result.hostPath(f.path))), ...extra.filter((f): f is string => !!f).map(realpathOr)]);
  return changed.some((f) => read.has(realpathOr(f)));
}

/** --write-baseline FILE: record every finding of the run (whatever --quiet says), exit 0. */
async function runWriteBaseline(args: LintCommandArgs, options: LintOptions): Promise<number> {
  // a bare --write-baseline writes the baseline the run reads (the config file's "baseline", or --baseline)
  const file = args.writeBaseline || args.baseline;
  if (!file) throw new UsageError('--write-baseline needs a file name (or a "baseline" in the config file)');
  if (args.printStack) throw new UsageError('--write-baseline and --print-stack exclude each other');
  const { createBaseline, writeBaseline } = await import('../engine/baseline.js');
  const baseline = createBaseline(lint(args.paths, options), file);
  writeBaseline(file, baseline);
  note(`wrote ${plural(baseline.entries.length, 'finding')} to the baseline ${file}; lint with --baseline ${file} to see only new ones`);
  return 0;
}

interface BaselineFilter {
  /** the run with the findings the baseline records taken out (counted for `report`) */
  apply(result: LintResult): LintResult;
  /** say what was hidden and what is stale (stderr), and count it in the report's summary */
  report(report: Report): void;
}

/** --baseline FILE, read and validated before anything runs (a bad file: exit 2). */
async function baselineFilter(file: string): Promise<BaselineFilter> {
  if (!file) throw new UsageError('--baseline needs a file name');
  const { readBaseline, compareWithBaseline } = await import('../engine/baseline.js');
  const baseline = readBaseline(file);
  let last = { hidden: 0, stale: 0 };
  return {
    apply(result) {
      const c = compareWithBaseline(result, baseline, file);
      last = { hidden: c.hidden, stale: c.stale.length };
      return { ...result, diagnostics: c.diagnostics };
    },
    report(report) {
      report.summary.baselined = last.hidden;
      note(`${plural(last.hidden, 'finding')} hidden by the baseline ${file}`);
      if (last.stale) note(`${plural(last.stale, 'baseline entry', 'baseline entries')} no longer ${last.stale === 1 ? 'matches' : 'match'} (fixed or changed); run --write-baseline ${file} to drop ${last.stale === 1 ? 'it' : 'them'}`);
    },
  };
}

/**
 * --fix: lint, fix until stable, write every changed file atomically, print
 * what remains (stdout), exit by what remains.
 *
 * --fix-dry-run / --diff: the same, but write nothing: stdout carries only the
 * unified diff (so `nginx-lint --diff | git apply` works), the report of what
 * would remain and the notes go to stderr.
 *
 * Nothing is written or printed as a diff when any file of the run failed to
 * parse (exit 2), nor when a fix would leave a file unparsable.
 */
async function runFix(args: LintCommandArgs, options: LintOptions, baseline: BaselineFilter | null): Promise<number> {
  const flag = args.fix ? '--fix' : '--fix-dry-run';
  if (args.fix && args.fixDryRun) throw new UsageError('--fix and --fix-dry-run (--diff) exclude each other');
  if (args.paths.includes('-')) throw new UsageError(`${args.fix ? '--fix' : '--fix-dry-run (--diff)'} cannot be used with standard input ("-"): fixes are edits of the files themselves; name the files instead`);

  // findings the baseline records are not reported, so not fixed either
  const outcome = fixUntilStable((fs) => (baseline ? baseline.apply(lint(args.paths, { ...options, fs })) : lint(args.paths, { ...options, fs })), options.fs ?? nodeFileSystem);

  if (outcome.parseFailures.length) {
    const first = outcome.parseFailures[0]!;
    const more = outcome.parseFailures.length > 1 ? ` (and ${plural(outcome.parseFailures.length - 1, 'more parse error')})` : '';
    const what = `${where(first)}: ${first.message.split('\n')[0]} (${first.rule})${more}`;
    note(
      outcome.failedBeforeFixing
        ? `not fixing: a file failed to parse: ${what}; nothing was written`
        : `not fixing: the fixes would leave a file unparsable: ${what}; nothing was written (please report this)`,
    );
    return EXIT_USAGE;
  }

  if (outcome.introducedErrors.length) {
    const first = outcome.introducedErrors[0]!;
    const more = outcome.introducedErrors.length > 1 ? ` (and ${plural(outcome.introducedErrors.length - 1, 'more error')})` : '';
    note(`not fixing: the fixes would add an error the program itself reports: ${where(first)}: ${first.message.split('\n')[0]} (${first.rule})${more}; nothing was written (please report this)`);
    return EXIT_USAGE;
  }

  for (const d of outcome.nonConverging) note(`warning: the fix for ${d.rule} at ${where(d)} does not settle (it comes back after being applied); left as it is`);
  for (const s of outcome.skipped) note(`warning: the fix for ${s.diagnostic.rule} at ${where(s.diagnostic)} cannot be applied: ${s.reason}`);
  if (!outcome.converged) note(`warning: fixes were still being found after ${plural(outcome.passes, 'pass')}; run ${flag} again`);

  const changed = [...outcome.files.values()];
  const fixedCount = plural(outcome.appliedFixes.length, 'problem');
  const fileCount = plural(changed.length, 'file');
  const report = buildReport(outcome.result, { quiet: args.quiet });
  baseline?.report(report);
  const format = await loadFormatter(args.format);

  if (args.fix) {
    // under --root, nothing outside the image is written, whatever a symlink says
    const within = options.root !== undefined ? { within: options.root } : {};
    writeFilesAtomically(
      changed.map((f) => ({ path: f.hostPath, bytes: encodeSource(f.original, f.text), expected: encodeSource(f.original) })),
      {},
      within,
    );
    if (changed.length) note(`fixed ${fixedCount} in ${fileCount}`);
    writeOut(format(report, { color: args.color }));
    return exitCodeFor(report, args.maxWarnings);
  }

  // dry run: the diff is the whole of stdout; paths are the real files (what patch / git apply must open)
  const cwd = realpathSync(process.cwd());
  const diffChanges: FileChange[] = changed.map((f) => ({
    path: realpathOr(f.hostPath),
    oldText: f.original.text,
    newText: f.text,
    encoding: f.original.encoding,
  }));
  writeOut(unifiedDiffBytes(diffChanges, cwd));
  writeErr(format(report, { color: args.color }));
  if (!changed.length) note('nothing to fix');
  else {
    const root = patchRoot(diffChanges, cwd);
    const apply = root === cwd ? '' : `; paths are relative to ${root}: apply with \`patch -p1 -d ${root}\``;
    note(`the diff fixes ${fixedCount} in ${fileCount}; nothing was written${apply}`);
  }
  return exitCodeFor(report, args.maxWarnings);
}

function realpathOr(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return p;
  }
}
