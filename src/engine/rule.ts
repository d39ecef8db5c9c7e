/**
 * What a rule is: a stable id, its meta (what it checks, default severity,
 * whether it fixes), and a check over the stack model that reports
 * diagnostics. Rules never read files; the model is all they see.
 */
import type { Diagnostic, Fix, RelatedLocation, Severity } from '../diagnostic.js';
import type { SourceFile, Span } from '../syntax/source.js';
import type { StackModel } from '../stack/model.js';

/** the built-in rules' families; a plugin rule may name its own */
export type RuleFamily = 'links' | 'timeouts' | 'keepalive' | 'buffers' | 'sockets' | 'php';

/** A JSON schema (draft-07), as a plain object. */
export type JsonSchema = Record<string, unknown>;

export interface RuleMeta {
  /** stable kebab-case id, what users search for and suppress */
  id: string;
  family: RuleFamily | (string & {});
  /** one line: what the rule finds */
  description: string;
  severity: Severity;
  fixable: boolean;
  /** markdown documentation (plugin rules; built-in rules have rules/<id>.md) */
  docs?: string;
  /** a page that documents the rule (plugin rules) */
  url?: string;
  /**
   * JSON schema (draft-07) of the rule's options object, the second element of
   * `"rule-id": ["warning", { ... }]` in the config file. The config's options
   * are validated against it; `default`s of its top-level properties fill in
   * what the config leaves out. A rule without it takes no options.
   */
  options?: JsonSchema;
}

export type FixStrategy = 'upstream' | 'nginx';

/** Settings of the whole run, the same for every rule. */
export interface RuleOptions {
  /** which side a fix changes in a two-sided mismatch: raise the upstream's limit (default) or lower nginx's */
  fixStrategy: FixStrategy;
  /**
   * nginx's worker user when a tree says nothing (no `user` directive in its
   * main file, or a fragment linted alone): the config file's `nginxUser` or
   * --nginx-user. A `user` directive always wins.
   */
  nginxUser?: { user: string; group: string; source: string };
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

export interface RuleContext<C extends object = Readonly<Record<string, unknown>>> {
  model: StackModel;
  options: RuleOptions;
  /** this rule's own options: the config file's, validated against meta.options, with its defaults filled in ({} without a schema) */
  config: C;
  report(r: Report): void;
}

export interface Rule<C extends object = Readonly<Record<string, unknown>>> {
  meta: RuleMeta;
  check(ctx: RuleContext<C>): void;
}

export const DEFAULT_RULE_OPTIONS: RuleOptions = { fixStrategy: 'upstream' };

/**
 * The `default` of each top-level property of an options schema: what a rule
 * gets when the config names no options (computed without a validator, so a
 * run without a config file never loads one).
 */
export function optionDefaults(schema: JsonSchema | undefined): Record<string, unknown> {
  const props = schema?.properties;
  if (!props || typeof props !== 'object') return {};
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(props as Record<string, unknown>)) {
    if (v && typeof v === 'object' && 'default' in v) out[k] = structuredClone((v as { default: unknown }).default);
  }
  return out;
}

/**
 * Run rules over a model; an exception names the rule that threw.
 * `ruleConfig` gives a rule's validated options by id (defaults otherwise).
 * `timings`, when given, gets each rule's wall time in ms added to its id's
 * entry (ESLint's TIMING=1): a lint with --fix runs the rules once per pass.
 */
export function runRules(
  rules: readonly Rule[],
  model: StackModel,
  options: RuleOptions = DEFAULT_RULE_OPTIONS,
  ruleConfig?: (id: string) => Readonly<Record<string, unknown>> | undefined,
  timings?: Map<string, number>,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const rule of rules) {
    const ctx: RuleContext = {
      model,
      options,
      config: Object.freeze({ ...optionDefaults(rule.meta.options), ...(ruleConfig?.(rule.meta.id) ?? {}) }),
      report: (r) => {
        // fields set one by one, not spread: a big tree has thousands of findings
        const d: Diagnostic = { rule: rule.meta.id, severity: r.severity ?? rule.meta.severity, message: r.message, file: r.file, span: r.span };
        if (r.related) d.related = r.related;
        if (r.fix) d.fix = r.fix;
        out.push(d);
      },
    };
    try {
      if (timings) {
        const start = performance.now();
        rule.check(ctx);
        timings.set(rule.meta.id, (timings.get(rule.meta.id) ?? 0) + (performance.now() - start));
      } else rule.check(ctx);
    } catch (err) {
      throw new Error(`rule ${rule.meta.id} failed: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
  }
  return out;
}
