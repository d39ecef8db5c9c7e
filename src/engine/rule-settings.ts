/**
 * What a config file says about one rule or parser check: its severity
 * ("off" keeps it from running) and its options. lint() applies them; the
 * config module (src/config) builds them from the file and validates them.
 */
import type { Diagnostic, Severity } from '../diagnostic.js';

export type SeveritySetting = Severity | 'off';

export const SEVERITY_SETTINGS: readonly SeveritySetting[] = ['off', 'info', 'warning', 'error'];

export interface RuleSetting {
  /** replaces the rule's default severity; absent keeps it */
  severity?: SeveritySetting;
  /** the rule's options, already validated against its meta.options (with defaults) */
  options?: Readonly<Record<string, unknown>>;
}

export type RuleSettings = ReadonlyMap<string, RuleSetting>;

const RANK: Record<Severity, number> = { info: 0, warning: 1, error: 2 };

export function isOff(settings: RuleSettings | undefined, id: string): boolean {
  return settings?.get(id)?.severity === 'off';
}

/**
 * The configured severity replaces the rule's default. A finding the rule
 * itself reported below its default (an "info: cannot tell whether ..." of
 * an error rule) is a different kind of finding: it keeps its own severity,
 * and is lowered further only when the configured severity is lower still.
 * So `"fpm-socket-permissions": "warning"` turns its errors into warnings and
 * leaves its infos alone, and `"error"` never turns a guess into an error.
 */
export function effectiveSeverity(found: Severity, ruleDefault: Severity, configured: Severity): Severity {
  if (RANK[found] >= RANK[ruleDefault]) return configured;
  return RANK[found] <= RANK[configured] ? found : configured;
}

/**
 * Apply configured severities to findings: "off" drops a rule's (or
 * check's) findings, other severities replace its default. `defaultOf`
 * gives the default severity of an id (rules' and checks' meta).
 */
export function applySeverities(diagnostics: Diagnostic[], settings: RuleSettings | undefined, defaultOf: (id: string) => Severity | undefined): Diagnostic[] {
  if (!settings || settings.size === 0) return diagnostics;
  const out: Diagnostic[] = [];
  for (const d of diagnostics) {
    const configured = settings.get(d.rule)?.severity;
    if (configured === undefined) out.push(d);
    else if (configured !== 'off') {
      const severity = effectiveSeverity(d.severity, defaultOf(d.rule) ?? d.severity, configured);
      out.push(severity === d.severity ? d : { ...d, severity });
    }
  }
  return out;
}
