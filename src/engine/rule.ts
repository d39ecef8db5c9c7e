/**
 * What a rule is: a stable id, its meta (what it checks, default severity,
 * whether it fixes), and a check over the stack model that reports
 * diagnostics. Rules never read files; the model is all they see.
 */
import type { Diagnostic, Fix, RelatedLocation, Severity } from '../diagnostic.js';
import type { SourceFile, Span } from '../syntax/source.js';
import type { StackModel } from '../stack/model.js';

export type RuleFamily = 'links' | 'timeouts' | 'keepalive' | 'buffers' | 'sockets' | 'php';

export interface RuleMeta {
  /** stable kebab-case id, what users search for and suppress */
  id: string;
  family: RuleFamily;
  /** one line: what the rule finds */
  description: string;
  severity: Severity;
  fixable: boolean;
  /** markdown documentation (plugin rules; built-in rules have rules/<id>.md) */
  docs?: string;
  /** a page that documents the rule (plugin rules) */
  url?: string;
}

export type FixStrategy = 'upstream' | 'nginx';

export interface RuleOptions {
  /** which side a fix changes in a two-sided mismatch: raise the upstream's limit (default) or lower nginx's */
  fixStrategy: FixStrategy;
}

export interface Report {
  file: SourceFile;
  span: Span;
  message: string;
  /** overrides the rule's default severity (e.g. info when a backend is merely outside the files given) */
  severity?: Severity;
  related?: RelatedLocation[];
  fix?: Fix;
}

export interface RuleContext {
  model: StackModel;
  options: RuleOptions;
  report(r: Report): void;
}

export interface Rule {
  meta: RuleMeta;
  check(ctx: RuleContext): void;
}

export const DEFAULT_RULE_OPTIONS: RuleOptions = { fixStrategy: 'upstream' };

/** Run rules over a model; an exception names the rule that threw. */
export function runRules(rules: readonly Rule[], model: StackModel, options: RuleOptions = DEFAULT_RULE_OPTIONS): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const rule of rules) {
    const ctx: RuleContext = {
      model,
      options,
      report: (r) => out.push({ rule: rule.meta.id, severity: r.severity ?? rule.meta.severity, message: r.message, file: r.file, span: r.span, ...(r.related ? { related: r.related } : {}), ...(r.fix ? { fix: r.fix } : {}) }),
    };
    try {
      rule.check(ctx);
    } catch (err) {
      throw new Error(`rule ${rule.meta.id} failed: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
  }
  return out;
}
