import type { ReportedDiagnostic, Severity } from '../diagnostic.js';
import type { StackDescription } from '../stack/describe.js';

/** A rule or parser check that can appear in a report (SARIF lists these as tool.driver.rules). */
export interface RuleDescriptor {
  id: string;
  description: string;
  /** default severity */
  severity: Severity;
  fixable: boolean;
  /** 'rule': a cross-file rule of rules/ or a plugin; 'check': a parser's own check (nginx -t, php-fpm -t, ...) */
  kind: 'rule' | 'check';
  /** markdown doc, when the rule carries it (plugin rules); built-in docs are read with ruleDoc() */
  docs?: string;
  url?: string;
}

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
  /** every rule and check of the run, whether or not it found something */
  rules: RuleDescriptor[];
}

export interface FormatOptions {
  color: boolean;
}

export type Formatter = (report: Report, options: FormatOptions) => string;
