/** Reports built by hand for the formatter tests: the findings given, the summary counted from them. */
import type { ReportedDiagnostic } from '../../src/diagnostic.js';
import type { Report } from '../../src/format/types.js';

export function reportOf(diagnostics: ReportedDiagnostic[], files = [...new Set(diagnostics.map((d) => d.file))]): Report {
  const count = (s: string) => diagnostics.filter((d) => d.severity === s).length;
  return {
    diagnostics,
    files,
    stacks: [],
    nginxVersion: '1.22.1',
    nginxVersionAssumed: false,
    summary: { errors: count('error'), warnings: count('warning'), infos: count('info'), fixable: diagnostics.filter((d) => d.fixable).length },
    rules: [],
  };
}

/** A maker of findings: an nginx-syntax error at `at`, with what each call overrides. */
export function findingsAt(at: Pick<ReportedDiagnostic, 'file' | 'line' | 'column' | 'endLine' | 'endColumn'>): (over: Partial<ReportedDiagnostic>) => ReportedDiagnostic {
  return (over) => ({ ...at, rule: 'nginx-syntax', severity: 'error', message: 'm', related: [], fixable: false, ...over });
}
