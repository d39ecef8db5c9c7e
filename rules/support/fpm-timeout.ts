/**
 * The comparison fpm-timeout-order and php-max-execution-time-order share:
 * fastcgi_read_timeout at every fastcgi_pass against a limit of the pools it
 * reaches, one finding per (nginx value, pool), fixes on either side.
 */
import type { TextEdit } from '../../src/diagnostic.js';
import type { RuleContext } from '../../src/engine/rule.js';
import type { Directive } from '../../src/syntax/nginx/ast.js';
import { lineRef, type SourceFile, type Span } from '../../src/syntax/source.js';
import type { Scope } from '../../src/stack/nginx-scopes.js';
import { linkedApps, type FpmPoolApp, type Pass } from '../../src/stack/model.js';
import { describeNginxValue, directiveKey, lowerNginxTimes, nginxTime, nginxTimeBelow, secondsAbove, type NginxTime } from './nginx.js';

/** The backend side of an FPM timeout comparison. */
export interface FpmLimit {
  seconds: number;
  /** how it reads in a message: `request_terminate_timeout 90s at www.conf:5` */
  text: string;
  /** where it is written (the primary location of a finding under the upstream strategy); null for a default */
  place: { file: SourceFile; span: Span } | null;
  /** one key per place a fix edits (pools sharing one php.ini share it) */
  fixKey: string;
  /** the edits that set it to `seconds` */
  fix(seconds: number): TextEdit[] | null;
}

export interface FpmTimeoutSpec {
  limit(pool: FpmPoolApp): FpmLimit | null;
  /** false: skip nginx values that are nginx's default */
  defaultsCount: boolean;
  message(nginxSide: string, limit: FpmLimit, pool: FpmPoolApp): string;
  limitName: string;
}

interface Group {
  pool: FpmPoolApp;
  limit: FpmLimit;
  culprit: NginxTime & { pass: Pass };
  passes: Pass[];
}

/** Compare fastcgi_read_timeout at every fastcgi_pass with a limit of the pools it reaches; one finding per (nginx value, pool). */
export function checkFpmTimeout(ctx: RuleContext, spec: FpmTimeoutSpec): void {
  const { model, options, report } = ctx;
  const groups = new Map<string, Group>();
  const longest = new Map<string, number>();
  const setMin = new Map<string, { directive: Directive; seconds: number }>();
  const insertMin = new Map<Scope, { seconds: number; after: Directive | undefined }>();
  // each pool's limit made once (its text names a line): a pool serves hundreds of passes
  const limits = new Map<FpmPoolApp, FpmLimit | null>();
  for (const pass of model.passes) {
    if (pass.module !== 'fastcgi') continue;
    for (const pool of linkedApps(pass)) {
      if (pool.kind !== 'fpm-pool') continue;
      let limit = limits.get(pool);
      if (limit === undefined) limits.set(pool, (limit = spec.limit(pool)));
      if (!limit || limit.seconds <= 0) continue;
      const t = nginxTime(model, pass.scope, 'fastcgi_read_timeout');
      if (!t || t.ms < limit.seconds * 1000) continue;
      if (!t.directive && !spec.defaultsCount) continue;
      const key = `${pool.id}\0${t.directive ? directiveKey(t.directive) : 'default'}`;
      const g = groups.get(key);
      if (g) g.passes.push(pass);
      else groups.set(key, { pool, limit, culprit: { ...t, pass }, passes: [pass] });
      longest.set(limit.fixKey, Math.max(longest.get(limit.fixKey) ?? 0, t.ms));
      if (t.directive) {
        const k = directiveKey(t.directive);
        const seen = setMin.get(k);
        if (!seen || limit.seconds < seen.seconds) setMin.set(k, { directive: t.directive, seconds: limit.seconds });
      } else {
        const loc = pass.location;
        const seen = insertMin.get(loc);
        if (!seen || limit.seconds < seen.seconds) insertMin.set(loc, { seconds: limit.seconds, after: loc.directives.find((d) => d === pass.directive) ?? seen?.after });
      }
    }
  }
  for (const { pool, limit, culprit, passes } of groups.values()) {
    const more = passes.length > 1 ? ` and ${passes.length - 1} more` : '';
    const nginxSide = culprit.directive ? describeNginxValue(culprit) : `${culprit.name} ${culprit.text} (nginx default, for fastcgi_pass at ${lineRef(culprit.pass.directive.file, culprit.pass.directive.span.start)}${more})`;
    const message = spec.message(nginxSide, limit, pool);
    const nginxAt = culprit.directive ? { file: culprit.directive.file, span: culprit.directive.span } : { file: culprit.pass.directive.file, span: culprit.pass.directive.span };
    if (options.fixStrategy === 'nginx') {
      const sets = new Map<string, { directive: Directive; value: string }>();
      const inserts = new Map<Scope, { lines: Map<string, string>; after: Directive | undefined }>();
      if (culprit.directive) sets.set(directiveKey(culprit.directive), { directive: culprit.directive, value: nginxTimeBelow(setMin.get(directiveKey(culprit.directive))!.seconds) });
      else
        for (const pass of passes) {
          const loc = pass.location;
          const m = insertMin.get(loc)!;
          inserts.set(loc, { lines: new Map([['fastcgi_read_timeout', nginxTimeBelow(m.seconds)]]), after: m.after });
        }
      const edits = lowerNginxTimes(sets, inserts);
      report({ ...nginxAt, message, ...(limit.place ? { related: [{ ...limit.place, message: spec.limitName }] } : {}), ...(edits.length ? { fix: { description: `lower fastcgi_read_timeout below ${limit.seconds}s`, edits } } : {}) });
      continue;
    }
    const raised = secondsAbove(longest.get(limit.fixKey)!);
    const edits = limit.fix(raised);
    const fix = edits && edits.length ? { fix: { description: `set ${spec.limitName} to ${raised}s`, edits } } : {};
    const related = [{ ...nginxAt, message: `${culprit.name} ${culprit.text}` }];
    if (limit.place) report({ ...limit.place, message, related, ...fix });
    else report({ ...nginxAt, message, ...fix });
  }
}
