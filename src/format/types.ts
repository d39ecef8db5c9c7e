import type { ReportedDiagnostic } from '../diagnostic.js';
import type { StackDescription } from '../stack/describe.js';

/** What every formatter receives: plain data, no trees, no files. */
export interface Report {
  diagnostics: ReportedDiagnostic[];
  /** files that were read, as paths relative to where the user ran the tool (or as given) */
  files: string[];
  /** the stacks discovered: their files and links */
  stacks: StackDescription[];
  nginxVersion: string;
  /** true when no --nginx-version / config said which version to target */
  nginxVersionAssumed: boolean;
  summary: { errors: number; warnings: number; infos: number; fixable: number };
}

export interface FormatOptions {
  color: boolean;
}

export type Formatter = (report: Report, options: FormatOptions) => string;
