/**
 * The checks the parsers themselves make (what `nginx -t`, `php-fpm -t`,
 * PHP and gunicorn would refuse or warn about), listed once so the config
 * file, `--list-rules`, `--explain` and SARIF know every id that can appear
 * beside the cross-file rules of rules/.
 */
import type { Severity } from '../diagnostic.js';
import { ANALYZE_RULES } from '../syntax/nginx/analyze.js';
import { DUMP_RULE } from '../syntax/nginx/dump.js';
import { INCLUDE_RULE } from '../syntax/nginx/include.js';
import { SYNTAX_RULE } from '../syntax/nginx/lexer.js';

export interface CheckMeta {
  id: string;
  /** which program's own check this mirrors */
  program: 'nginx' | 'php-fpm' | 'php' | 'gunicorn' | 'nginx-lint';
  description: string;
  /** the usual severity (a few checks report some findings as warnings) */
  severity: Severity;
}

const c = (id: string, program: CheckMeta['program'], description: string, severity: Severity = 'error'): CheckMeta => ({ id, program, description, severity });

export const CHECKS: readonly CheckMeta[] = [
  c(SYNTAX_RULE, 'nginx', 'nginx syntax: unbalanced braces, quotes, missing ";" (what nginx -t rejects while reading)'),
  c(INCLUDE_RULE, 'nginx', 'an include that cannot be opened, a cycle, or includes nested or fanned out beyond the bounds'),
  c(DUMP_RULE, 'nginx', '`nginx -T` output that is truncated or malformed'),
  c(ANALYZE_RULES.unknown, 'nginx', 'a directive nginx does not know (in the target version and modules)'),
  c(ANALYZE_RULES.context, 'nginx', 'a directive in a block where nginx does not allow it'),
  c(ANALYZE_RULES.block, 'nginx', 'a block directive without "{", or a simple directive with one'),
  c(ANALYZE_RULES.arguments, 'nginx', 'a directive with the wrong number of arguments'),
  c(ANALYZE_RULES.flag, 'nginx', 'an on/off directive with another value'),
  c(ANALYZE_RULES.duplicate, 'nginx', 'a directive nginx allows once per block, given twice'),
  c(ANALYZE_RULES.ifCondition, 'nginx', 'an `if` condition nginx cannot parse'),
  c(ANALYZE_RULES.entry, 'nginx', 'an entry a block such as `map`, `types` or `upstream` does not accept'),
  c(ANALYZE_RULES.events, 'nginx', 'a main configuration without an `events` block'),
  c(ANALYZE_RULES.location, 'nginx', 'a location nginx rejects (nesting, modifiers, duplicates)'),
  c('ini-syntax', 'php', 'php.ini / FPM ini syntax that PHP rejects'),
  c('fpm-config', 'php-fpm', 'a PHP-FPM configuration that php-fpm -t rejects'),
  c('fpm-include', 'php-fpm', 'a PHP-FPM include that cannot be opened or matches nothing'),
  c('fpm-invalid-array', 'php-fpm', 'an FPM array entry (env[], php_value[]) that php-fpm rejects'),
  c('fpm-invalid-value', 'php-fpm', 'an FPM value of the wrong type or range'),
  c('fpm-missing-value', 'php-fpm', 'an FPM pool without a value it needs (listen, pm.max_children, ...)'),
  c('fpm-unknown-entry', 'php-fpm', 'an FPM entry php-fpm does not know'),
  c('gunicorn-syntax', 'gunicorn', 'gunicorn.conf.py that Python cannot parse'),
  c('gunicorn-unknown-setting', 'gunicorn', 'a gunicorn setting that does not exist (gunicorn ignores it silently)', 'warning'),
  c('gunicorn-invalid-value', 'gunicorn', 'a gunicorn setting with a value gunicorn rejects'),
  c('gunicorn-ineffective-setting', 'gunicorn', 'a gunicorn setting overridden elsewhere, so it has no effect', 'warning'),
  c('gunicorn-config-error', 'gunicorn', 'a gunicorn configuration that cannot be evaluated statically'),
  c('gunicorn-cli-error', 'gunicorn', 'a gunicorn command line that gunicorn rejects'),
  // about inline suppression comments (src/engine/suppressions.ts); a comment cannot suppress these
  c('unused-suppression', 'nginx-lint', 'a suppression comment that hides no finding (fixable: the comment or the rule id is removed)', 'warning'),
  c('invalid-suppression', 'nginx-lint', 'a suppression comment without a reason, with an unknown rule id, or malformed'),
];

const BY_ID = new Map(CHECKS.map((k) => [k.id, k]));

export function findCheck(id: string): CheckMeta | undefined {
  return BY_ID.get(id);
}
