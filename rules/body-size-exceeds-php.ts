/**
 * nginx accepts request bodies larger than the PHP-FPM pool behind it will
 * take: a body over post_max_size reaches PHP, which throws it away ("PHP
 * Warning: POST Content-Length of N bytes exceeds the limit of M bytes") and
 * runs the script with empty $_POST and $_FILES; a file over
 * upload_max_filesize is dropped with UPLOAD_ERR_INI_SIZE. nginx, which
 * could have answered 413, logs nothing.
 */
import type { TextEdit } from '../src/diagnostic.js';
import type { Rule } from '../src/engine/rule.js';
import type { Directive } from '../src/syntax/nginx/ast.js';
import { lineRef } from '../src/syntax/source.js';
import { formatPhpSize, parsePhpSize } from '../src/syntax/ini/readers.js';
import { appLabel } from '../src/stack/describe.js';
import { insertNginxDirectives, replaceNginxArgs, setPhpValue } from '../src/stack/edits.js';
import { reachedApps, type FpmPoolApp, type Pass, type StackModel } from '../src/stack/model.js';
import type { Scope } from '../src/stack/nginx-scopes.js';
import type { PhpValue } from '../src/stack/php-values.js';
import { formatNginxSize, parseNginxSize } from '../src/stack/units.js';
import { nameOf } from '../src/syntax/nginx/nodes.js';

interface Limit {
  value: PhpValue;
  bytes: number;
}

/** A PHP size limit, or null when it is unknown (environment) or unreadable; 0 (no limit) is kept. */
function phpLimit(v: PhpValue): Limit | null {
  if (v.value === null) return null;
  const r = parsePhpSize(v.value);
  if (!r.ok || r.value === undefined || r.value < 0) return null;
  return { value: v, bytes: r.value };
}

function offFlag(v: PhpValue): boolean {
  return v.value !== null && /^(0|off|no|false|none|)$/i.test(v.value.trim());
}

function where(v: PhpValue): string {
  if (!v.file || !v.span) return 'PHP default';
  return `${v.source === 'php.ini' ? '' : `${v.source} `}${lineRef(v.file, v.span.start)}`;
}


/**
 * Whether lowering `d` where it is written touches only PHP: no proxy_pass,
 * uwsgi_pass, scgi_pass or grpc_pass inherits it.
 */
function lowerWhereSet(model: StackModel, d: Directive): boolean {
  return model.passes.every((p) => p.module === 'fastcgi' || model.effective(p.scope, 'client_max_body_size').directives[0] !== d);
}

interface Group {
  directive: Directive | null;
  pass: Pass;
  pool: FpmPoolApp;
  nginxBytes: number;
  nginxText: string;
  locations: Scope[];
}

export const bodySizeExceedsPhp: Rule = {
  meta: {
    id: 'body-size-exceeds-php',
    family: 'buffers',
    description: 'client_max_body_size lets through request bodies larger than the PHP-FPM pool accepts (post_max_size / upload_max_filesize): PHP silently empties $_POST / $_FILES',
    severity: 'warning',
    fixable: true,
  },
  check(ctx) {
    const groups = new Map<string, Group>();
    for (const pass of ctx.model.passes) {
      if (pass.module !== 'fastcgi') continue;
      const pools = reachedApps(pass).filter((a): a is FpmPoolApp => a.kind === 'fpm-pool');
      if (pools.length === 0) continue;
      const eff = ctx.model.effective(pass.scope, 'client_max_body_size');
      const nginxText = eff.args?.[0];
      const nginxBytes = nginxText === undefined ? null : parseNginxSize(nginxText);
      if (nginxBytes === null || nginxText === undefined) continue;
      const directive = eff.directives[0] ?? null;
      if (!directive && pass.tree.root.kind !== 'main') continue; // a fragment: the level that includes it may set it
      for (const pool of pools) {
        const key = `${directive ? `${directive.file.path}:${directive.span.start}` : `${pass.tree.id}:default:${pass.directive.file.path}:${pass.directive.span.start}`}\0${pool.id}`;
        const g = groups.get(key);
        const loc = pass.location;
        if (g) {
          if (!g.locations.includes(loc)) g.locations.push(loc);
        } else groups.set(key, { directive, pass, pool, nginxBytes, nginxText, locations: [loc] });
      }
    }

    for (const g of groups.values()) {
      const php = g.pool.php;
      const post = phpLimit(php.get('post_max_size'));
      const upload = offFlag(php.get('file_uploads')) ? null : phpLimit(php.get('upload_max_filesize'));
      if (!post) continue; // unknown: say nothing
      const over = (l: Limit | null): l is Limit => l !== null && l.bytes > 0 && (g.nginxBytes === 0 || g.nginxBytes > l.bytes);
      const exceeded = [post, upload].filter(over);
      if (exceeded.length === 0) continue;

      const nginxDesc = g.directive
        ? `client_max_body_size ${g.nginxText}${g.nginxBytes === 0 ? ' (no limit)' : ''}`
        : `client_max_body_size ${g.nginxText} (nginx's default)`;
      const limits = exceeded.map((l) => `${l.value.name} ${l.value.text || l.value.value} (${where(l.value)})`).join(' and ');
      const effects: string[] = [];
      if (over(post)) effects.push(`PHP discards larger bodies ("POST Content-Length of N bytes exceeds the limit of ${post.bytes} bytes") and the script sees empty $_POST and $_FILES`);
      if (over(upload)) effects.push(`larger files fail with UPLOAD_ERR_INI_SIZE`);
      const message = `${nginxDesc} accepts request bodies over ${appLabel(g.pool)}'s ${limits}: ${effects.join('; ')}`;

      const at = g.directive ? { file: g.directive.file, span: g.directive.span } : { file: g.pass.directive.file, span: g.pass.directive.span };
      const related = [
        ...exceeded.filter((l) => l.value.file && l.value.span).map((l) => ({ file: l.value.file!, span: l.value.span!, message: `${l.value.name} ${l.value.text} for ${appLabel(g.pool)}` })),
        ...(g.directive ? [] : [{ file: g.pass.directive.file, span: g.pass.directive.span, message: `${nameOf(g.pass.directive)} to ${appLabel(g.pool)}` }]),
      ];

      let edits: TextEdit[] | null = null;
      let description = '';
      if (ctx.options.fixStrategy === 'nginx') {
        const target = Math.min(...exceeded.map((l) => l.bytes));
        const text = formatNginxSize(target);
        description = `set client_max_body_size ${text}`;
        if (g.directive && lowerWhereSet(ctx.model, g.directive)) {
          // no other kind of backend inherits it: lower it where it is written
          edits = [replaceNginxArgs(g.directive, [text])];
        } else {
          // inherited from the server or http level, which other locations share: set it in each PHP location
          const ins = g.locations.map((l) => insertNginxDirectives(l, [`client_max_body_size ${text};`]));
          edits = ins.every((e): e is TextEdit => e !== null) ? ins : null;
        }
      } else if (g.nginxBytes > 0) {
        // raise PHP's limits to nginx's; post_max_size stays at least upload_max_filesize
        const value = formatPhpSize(g.nginxBytes);
        const out: (TextEdit | null)[] = exceeded.map((l) => setPhpValue(g.pool.pool, l.value, value));
        edits = out.every((e): e is TextEdit => e !== null) ? out : null;
        description = exceeded.map((l) => `set ${l.value.name} = ${value}`).join(', ') + ` for ${appLabel(g.pool)}`;
      }

      ctx.report({
        ...at,
        message,
        related,
        ...(edits && edits.length > 0 ? { fix: { description, edits } } : {}),
      });
    }
  },
};
