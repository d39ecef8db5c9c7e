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
  /** a rule's family (links, timeouts, ...) */
  family?: string;
  /** a check's program: whose own check it mirrors (nginx, php-fpm, php, gunicorn) */
  program?: string;
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
  summary: {
    errors: number;
    warnings: number;
    infos: number;
    fixable: number;
    /** findings hidden by --baseline (present only when a baseline was given) */
    baselined?: number;
  };
  /** every rule and check of the run, whether or not it found something */
  rules: RuleDescriptor[];
}

export interface FormatOptions {
  /** ANSI colours (stylish); the CLI decides from the terminal, NO_COLOR and --color / --no-color */
  color: boolean;
  /** the directory relative report paths are relative to (default: process.cwd()) */
  cwd?: string;
  /**
   * sarif, github: the repository root that file locations are written relative to
   * (default: the git top-level at or above cwd, else cwd)
   */
  sourceRoot?: string;
}

export type Formatter = (report: Report, options: FormatOptions) => string;
