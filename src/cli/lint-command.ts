import { readFileSync, realpathSync } from 'node:fs';
import type { Diagnostic } from '../diagnostic.js';
import type { FileKind } from '../stack/kind.js';
import type { ContextName } from '../syntax/nginx/ast.js';
import { encodeSource, positionAt } from '../syntax/source.js';
import { nodeFileSystem } from '../fs.js';
import { UsageError } from '../engine/errors.js';
import { fixUntilStable } from '../engine/fix.js';
import { lint, type LintOptions } from '../engine/lint.js';
import { patchRoot, unifiedDiffBytes, type FileChange } from '../engine/patch.js';
import { buildReport, exitCodeFor } from '../engine/report.js';
import { writeFilesAtomically } from '../engine/write.js';
import { loadFormatter, type FormatName } from '../format/index.js';
import { printStacks } from '../stack/describe.js';
import { lintOptionsForStack, type StackArgs } from './stack-args.js';

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
}

/** Exit code when the run could not do its job (bad arguments, unparsable input, write failure). */
const EXIT_USAGE = 2;

const note = (line: string) => process.stderr.write(`nginx-lint: ${line}\n`);
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function where(d: Diagnostic): string {
  const p = positionAt(d.file, d.span.start);
  return `${d.file.path}:${p.line}:${p.column}`;
}

export async function runLint(args: LintCommandArgs): Promise<number> {
  const options: LintOptions = {
    ...(args.context ? { context: args.context as ContextName } : {}),
    ...(args.prefix ? { prefix: args.prefix } : {}),
    ...(args.nginxVersion ? { nginxVersion: args.nginxVersion } : {}),
    ...(args.kind ? { kind: args.kind as FileKind } : {}),
    ...(args.fixStrategy ? { fixStrategy: args.fixStrategy } : {}),
    ...lintOptionsForStack(args.stack ?? {}),
    ...(args.pageSize !== undefined ? { pageSize: args.pageSize } : {}),
    stdin: () => readFileSync(0),
  };
  if (args.printStack) {
    const result = lint(args.paths, options);
    const report = buildReport(result);
    process.stdout.write(args.format === 'json' ? JSON.stringify({ stacks: report.stacks, notes: result.notes }, null, 2) + '\n' : printStacks(report.stacks, result.notes));
    return 0;
  }
  if (args.fix || args.fixDryRun) return runFix(args, options);
  const result = lint(args.paths, options);
  const report = buildReport(result, { quiet: args.quiet });
  const format = await loadFormatter(args.format);
  process.stdout.write(format(report, { color: args.color }));
  return exitCodeFor(report, args.maxWarnings);
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
async function runFix(args: LintCommandArgs, options: LintOptions): Promise<number> {
  const flag = args.fix ? '--fix' : '--fix-dry-run';
  if (args.fix && args.fixDryRun) throw new UsageError('--fix and --fix-dry-run (--diff) exclude each other');
  if (args.paths.includes('-')) throw new UsageError(`${args.fix ? '--fix' : '--fix-dry-run (--diff)'} cannot be used with standard input ("-"): fixes are edits of the files themselves; name the files instead`);

  const outcome = fixUntilStable((fs) => lint(args.paths, { ...options, fs }), nodeFileSystem);

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

  for (const d of outcome.nonConverging) note(`warning: the fix for ${d.rule} at ${where(d)} does not settle (it comes back after being applied); left as it is`);
  for (const s of outcome.skipped) note(`warning: the fix for ${s.diagnostic.rule} at ${where(s.diagnostic)} cannot be applied: ${s.reason}`);
  if (!outcome.converged) note(`warning: fixes were still being found after ${plural(outcome.passes, 'pass')}; run ${flag} again`);

  const changed = [...outcome.files.values()];
  const fixedCount = plural(outcome.appliedFixes.length, 'problem');
  const fileCount = plural(changed.length, 'file');
  const report = buildReport(outcome.result, { quiet: args.quiet });
  const format = await loadFormatter(args.format);

  if (args.fix) {
    writeFilesAtomically(changed.map((f) => ({ path: f.hostPath, bytes: encodeSource(f.original, f.text), expected: encodeSource(f.original) })));
    if (changed.length) note(`fixed ${fixedCount} in ${fileCount}`);
    process.stdout.write(format(report, { color: args.color }));
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
  process.stdout.write(unifiedDiffBytes(diffChanges, cwd));
  process.stderr.write(format(report, { color: args.color }));
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
