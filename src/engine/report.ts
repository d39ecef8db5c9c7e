import { reportedAt } from '../diagnostic.js';
import type { Report } from '../format/types.js';
import { formatVersion } from '../syntax/nginx/version.js';
import type { LintResult } from './lint.js';
import { describeStacks, type StackDescription } from '../stack/describe.js';
import { CHECKS } from './checks.js';

/** The formatter-ready view of a run: positions resolved, counts summed. */
export function buildReport(result: LintResult, opts: { quiet?: boolean } = {}): Report {
  const ds = opts.quiet ? result.diagnostics.filter((d) => d.severity === 'error') : result.diagnostics;
  // each file's path mapped once: findings share the string (a fresh path.join per finding, related
  // location and edit held 7,855 findings' copies of 2,011 paths at N=10,000)
  const hostPaths = new Map<string, string>();
  const map = (p: string): string => {
    let h = hostPaths.get(p);
    if (h === undefined) hostPaths.set(p, (h = result.hostPath(p)));
    return h;
  };
  // every path a formatter sees is where the file is on this machine (under --root: inside the root)
  const diagnostics = ds.map((d) => reportedAt(d, map));
  // described when first read: of the formats only JSON (and --print-stack)
  // prints the stacks, and a 10,000-site tree has 15,000 links to describe
  let stacks: StackDescription[] | undefined;
  return {
    diagnostics,
    files: result.files.map((f) => map(f.path)),
    get stacks() {
      return (stacks ??= describeStacks(result.model, result.stacks, map));
    },
    set stacks(value) {
      stacks = value;
    },
    nginxVersion: formatVersion(result.nginxVersion),
    nginxVersionAssumed: result.nginxVersionAssumed,
    summary: {
      errors: diagnostics.filter((d) => d.severity === 'error').length,
      warnings: diagnostics.filter((d) => d.severity === 'warning').length,
      infos: diagnostics.filter((d) => d.severity === 'info').length,
      fixable: diagnostics.filter((d) => d.fixable).length,
    },
    rules: [
      ...result.rules.map((r) => ({
        id: r.meta.id,
        description: r.meta.description,
        severity: r.meta.severity,
        fixable: r.meta.fixable,
        kind: 'rule' as const,
        family: r.meta.family,
        ...(r.meta.docs !== undefined ? { docs: r.meta.docs } : {}),
        ...(r.meta.url !== undefined ? { url: r.meta.url } : {}),
      })),
      ...CHECKS.map((k) => ({ id: k.id, description: k.description, severity: k.severity, fixable: false, kind: 'check' as const, program: k.program })),
    ],
  };
}

/** 0: no errors (and warnings within --max-warnings); 1: otherwise. */
export function exitCodeFor(report: Report, maxWarnings?: number): number {
  if (report.summary.errors > 0) return 1;
  if (maxWarnings !== undefined && maxWarnings >= 0 && report.summary.warnings > maxWarnings) return 1;
  return 0;
}
