import { readFileSync } from 'node:fs';
import type { FileKind } from '../stack/kind.js';
import type { ContextName } from '../syntax/nginx/ast.js';
import { lint } from '../engine/lint.js';
import { buildReport, exitCodeFor } from '../engine/report.js';
import { loadFormatter, type FormatName } from '../format/index.js';

export interface LintCommandArgs {
  paths: string[];
  format: FormatName;
  context?: string;
  prefix?: string;
  nginxVersion?: string;
  kind?: string;
  quiet: boolean;
  maxWarnings?: number;
  color: boolean;
}

export async function runLint(args: LintCommandArgs): Promise<number> {
  const result = lint(args.paths, {
    ...(args.context ? { context: args.context as ContextName } : {}),
    ...(args.prefix ? { prefix: args.prefix } : {}),
    ...(args.nginxVersion ? { nginxVersion: args.nginxVersion } : {}),
    ...(args.kind ? { kind: args.kind as FileKind } : {}),
    stdin: () => readFileSync(0),
  });
  const report = buildReport(result, { quiet: args.quiet });
  const format = await loadFormatter(args.format);
  process.stdout.write(format(report, { color: args.color }));
  return exitCodeFor(report, args.maxWarnings);
}
