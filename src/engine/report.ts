import { toReported } from '../diagnostic.js';
import type { Report } from '../format/types.js';
import { formatVersion } from '../syntax/nginx/version.js';
import type { LintResult } from './lint.js';

/** The formatter-ready view of a run: positions resolved, counts summed. */
export function buildReport(result: LintResult, opts: { quiet?: boolean } = {}): Report {
  const ds = opts.quiet ? result.diagnostics.filter((d) => d.severity === 'error') : result.diagnostics;
  const diagnostics = ds.map(toReported);
  return {
    diagnostics,
    files: result.files.map((f) => f.path),
    nginxVersion: formatVersion(result.nginxVersion),
    nginxVersionAssumed: result.nginxVersionAssumed,
    summary: {
      errors: diagnostics.filter((d) => d.severity === 'error').length,
      warnings: diagnostics.filter((d) => d.severity === 'warning').length,
      infos: diagnostics.filter((d) => d.severity === 'info').length,
      fixable: diagnostics.filter((d) => d.fixable).length,
    },
  };
}

/** 0: no errors (and warnings within --max-warnings); 1: otherwise. */
export function exitCodeFor(report: Report, maxWarnings?: number): number {
  if (report.summary.errors > 0) return 1;
  if (maxWarnings !== undefined && maxWarnings >= 0 && report.summary.warnings > maxWarnings) return 1;
  return 0;
}
