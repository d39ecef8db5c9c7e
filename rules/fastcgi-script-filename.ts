/**
 * A PHP location whose effective fastcgi_param set has no SCRIPT_FILENAME
 * (Debian's `fastcgi_params` lacks it), or builds it from $document_root
 * under an `alias`. php-fpm cannot find the script: "Primary script unknown",
 * and nginx answers 404 "File not found.".
 *
 * Decided from what the included files actually contain (the model expands
 * includes); an include that could not be read leaves the question open (info).
 */
import type { Rule } from '../src/engine/rule.js';
import type { Directive, NginxConfig } from '../src/syntax/nginx/ast.js';
import type { Scope } from '../src/stack/nginx-scopes.js';
import { reachedApps, type Pass } from '../src/stack/model.js';
import { insertNginxDirectives, replaceNginxArgs } from '../src/stack/edits.js';
import { lineRef } from '../src/syntax/source.js';
import { argValue, argValues, directivesOf, nameOf } from '../src/syntax/nginx/nodes.js';
import { oncePerScope } from './support/nginx.js';

const LOCATION_KINDS = new Set(['location', 'lif', 'limit_except']);
const INHERITING = new Set(['location', 'lif', 'limit_except', 'server', 'if', 'http']);


/** A pass that serves PHP: it reaches an FPM pool, or stands in a location matching `.php`. */
function servesPhp(pass: Pass): boolean {
  const apps = reachedApps(pass);
  if (apps.some((a) => a.kind === 'fpm-pool')) return true;
  if (apps.length > 0) return false; // reaches something else (gunicorn, ...)
  for (let s: Scope | null = pass.scope; s; s = s.parent) {
    if (s.kind === 'location' && s.block && argValues(s.block).some((a) => /\.php/i.test(a))) return true;
  }
  return false;
}

/** An include nginx reads but this run could not (missing file, `nginx -T` without the file). */
function unreadInclude(config: NginxConfig, d: Directive): boolean {
  if (nameOf(d) !== 'include' || /(^|\/)mime\.types$/.test(argValue(d, 0) ?? '')) return false;
  const files = config.includes.get(d);
  if (!files) return true;
  return files.length === 0 && !/[*?[]/.test(argValue(d, 0) ?? '');
}

/**
 * The first unread include of the levels whose directives make up the
 * fastcgi_param set at `scope` (or could have, had they been read): from
 * `scope` out to the level that wrote the set, or to the first that does not
 * inherit.
 */
function firstUnreadInclude(config: NginxConfig, scope: Scope, setScope: Scope | null): Directive | null {
  for (let s: Scope | null = scope; s; s = s.parent) {
    const found = s.directives.find((d) => unreadInclude(config, d));
    if (found) return found;
    if (s === setScope || !INHERITING.has(s.kind)) break;
  }
  return null;
}

/** Every directive a directive stands for: itself, and what an include brings in (transitively). */
function flatten(config: NginxConfig, d: Directive, seen = new Set<Directive>()): Directive[] {
  if (seen.has(d)) return [];
  seen.add(d);
  const out = [d];
  if (nameOf(d) === 'include') for (const f of config.includes.get(d) ?? []) for (const c of directivesOf(f)) out.push(...flatten(config, c, seen));
  if (d.block) return [d];
  return out;
}

/** The directive written in the block of `scope` (its own file) that brings in the last member of `set`. */
function anchorFor(config: NginxConfig, scope: Scope, set: Directive[]): Directive | null {
  const members = new Set(set);
  let anchor: Directive | null = null;
  for (const c of scope.block?.block ? directivesOf(scope.block.block) : []) {
    if (flatten(config, c).some((d) => members.has(d))) anchor = c;
  }
  return anchor;
}

/** `alias` or `root` that decides $document_root at a location (nested locations inherit them together). */
function pathDirective(scope: Scope): Directive | null {
  for (let s: Scope | null = scope; s && LOCATION_KINDS.has(s.kind); s = s.parent) {
    const d = s.directives.find((x) => nameOf(x) === 'alias' || nameOf(x) === 'root');
    if (d) return d;
  }
  return null;
}

const WHY = 'php-fpm answers "Primary script unknown" and nginx returns 404 "File not found."';

export const fastcgiScriptFilename: Rule = {
  meta: { id: 'fastcgi-script-filename', family: 'php', description: 'a PHP location passes no usable SCRIPT_FILENAME to PHP-FPM', severity: 'error', fixable: true },
  check({ model, report }) {
    const seen = new Set<unknown>();
    // what a scope says, read once however many passes it holds
    const purges = oncePerScope((p) => p.scope.directives.some((d) => nameOf(d) === 'fastcgi_cache_purge'));
    const paramSet = oncePerScope((p) => model.effective(p.scope, 'fastcgi_param'));
    const unreadIncludeOf = oncePerScope((p) => firstUnreadInclude(p.tree.config, p.scope, paramSet(p).scope));
    const pathOf = oncePerScope((p) => pathDirective(p.scope));
    const anchorOf = oncePerScope((p) => anchorFor(p.tree.config, paramSet(p).scope!, paramSet(p).directives));
    for (const pass of model.passes) {
      if (pass.module !== 'fastcgi' || !servesPhp(pass)) continue;
      // ngx_cache_purge answers the request itself (PURGE); the pass only names the cache's upstream
      if (purges(pass)) continue;
      const loc = pass.location;
      const set = paramSet(pass);
      const sf = set.directives.filter((d) => argValue(d, 0) === 'SCRIPT_FILENAME');
      // where the set has no SCRIPT_FILENAME: an include its levels could not read may hold it
      const inc = sf.length === 0 ? unreadIncludeOf(pass) : null;
      if (inc) {
        if (seen.has(inc)) continue;
        seen.add(inc);
        report({
          file: inc.file,
          span: inc.span,
          severity: 'info',
          message: `include ${argValue(inc, 0) ?? ''} could not be read, so whether fastcgi_pass at ${lineRef(pass.directive.file, pass.directive.span.start)} sends SCRIPT_FILENAME is not checked`,
        });
        continue;
      }
      // made only for a message (the line of a position costs a scan of its file)
      const passRef = (): string => lineRef(pass.directive.file, pass.directive.span.start);
      const pd = loc ? pathOf(pass) : null;
      const alias = pd && nameOf(pd) === 'alias' ? pd : null;
      if (sf.length === 0) {
        const value = alias && set.scope === loc ? '$request_filename' : '$document_root$fastcgi_script_name';
        const line = `fastcgi_param SCRIPT_FILENAME ${value};`;
        if (set.scope && set.directives.length > 0) {
          const anchor = anchorOf(pass);
          const at = anchor ?? set.directives[0]!;
          if (seen.has(at)) continue;
          seen.add(at);
          const edit = anchor ? insertNginxDirectives(set.scope, [line], anchor) : null;
          const from = set.directives[0]!;
          report({
            file: at.file,
            span: at.span,
            message: `the fastcgi_param set in effect at fastcgi_pass ${passRef()} (${set.directives.length} params, from ${lineRef(from.file, from.span.start)}) has no SCRIPT_FILENAME; ${WHY}`,
            related: [{ file: pass.directive.file, span: pass.directive.span, message: 'the PHP pass' }],
            ...(edit ? { fix: { description: `add ${line}`, edits: [edit] } } : {}),
          });
        } else {
          const key = loc ?? pass.directive;
          if (seen.has(key)) continue;
          seen.add(key);
          const edit = loc ? insertNginxDirectives(loc, [line], pass.directive.file === loc.block?.file ? pass.directive : undefined) : null;
          // a fragment linted on its own: the http / server levels that include it may well set the params
          if (pass.tree.context !== 'main') {
            report({
              file: pass.directive.file,
              span: pass.directive.span,
              severity: 'info',
              message: `fastcgi_pass ${passRef()} gets no fastcgi_param in this file; whether the levels that include it pass SCRIPT_FILENAME is not checked (lint the nginx.conf that includes it)`,
            });
            continue;
          }
          report({
            file: pass.directive.file,
            span: pass.directive.span,
            message: `fastcgi_pass ${passRef()} sends no fastcgi_param at all (no include of fastcgi.conf or fastcgi_params), so no SCRIPT_FILENAME; ${WHY}`,
            ...(edit ? { fix: { description: `add ${line}`, edits: [edit] } } : {}),
          });
        }
        continue;
      }
      // a value built from $document_root under alias: the URI is appended to the alias path
      const last = sf.at(-1)!;
      const value = argValue(last, 1) ?? '';
      if (!alias || value.includes('$request_filename') || !/\$\{?(document_root|realpath_root)\}?\$\{?(fastcgi_script_name|uri|document_uri)\b/.test(value)) continue;
      if (seen.has(last)) continue;
      seen.add(last);
      const own = loc?.block?.block?.children.includes(last) ?? false;
      report({
        file: last.file,
        span: last.span,
        message: `SCRIPT_FILENAME ${value} at ${lineRef(last.file, last.span.start)} is built from $document_root, but the location uses alias at ${lineRef(alias.file, alias.span.start)}: $document_root is the alias path and $fastcgi_script_name the whole URI, so the path is wrong; use $request_filename; ${WHY}`,
        related: [{ file: alias.file, span: alias.span, message: 'the alias' }],
        ...(own ? { fix: { description: 'use $request_filename', edits: [replaceNginxArgs(last, ['SCRIPT_FILENAME', '$request_filename'])] } } : {}),
      });
    }
  },
};
