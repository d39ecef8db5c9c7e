/**
 * The classic "/uploads/evil.jpg/x.php" hole: a location passes any URI
 * ending in .php to PHP-FPM without checking the script exists, PHP's
 * cgi.fix_pathinfo = 1 (its default) walks the path back to the existing
 * /uploads/evil.jpg, and security.limit_extensions lets php-fpm run it.
 * Reported only when all three hold; php-fpm's default limit_extensions
 * (.php .phar) stops it on its own.
 */
import type { Rule } from '../src/engine/rule.js';
import { appLabel } from '../src/stack/describe.js';
import type { Scope } from '../src/stack/nginx-scopes.js';
import { reachedApps, type FpmPoolApp } from '../src/stack/model.js';
import { parsePhpBool } from '../src/syntax/ini/readers.js';
import { lineRef } from '../src/syntax/source.js';
import { limitExtensions } from './support/fpm.js';
import { argValue, argValues, nameOf } from '../src/syntax/nginx/nodes.js';
import { oncePerScope } from './support/nginx.js';


/** A location that can match /any/path/file.jpg/x.php: a prefix location, or a regex not anchored to one literal script. */
function matchesArbitraryPaths(loc: Scope): boolean {
  const args = loc.block ? argValues(loc.block) : [];
  if (args[0]?.startsWith('@')) return false; // named: reached by internal redirect (try_files / error_page) only
  if (args.length < 2) return true; // prefix location
  const [mod, re] = [args[0]!, args[1]!];
  if (mod === '=') return false;
  if (mod === '^~') return true;
  // anchored at ^/ with no wildcard (`.` `[` `\S` `\w` ...): it matches a few literal URIs, not /any/path/x.php
  if (re.startsWith('^/') && !/(^|[^\\])[.[]|\\[SsWwDd]/.test(re)) return false;
  return /php/i.test(re) || !re.startsWith('^');
}

/** try_files, or `if (!-f ...)` / `if (!-e ...)`, in the location (or the if / limit_except the pass stands in). */
function checksExistence(scope: Scope, loc: Scope): boolean {
  for (let s: Scope | null = scope; s; s = s.parent) {
    if (s.directives.some((d) => nameOf(d) === 'try_files')) return true;
    if (s.children.some((c) => c.kind === 'lif' && /!\s*-[fe]\b/.test(c.block ? argValues(c.block).join(' ') : '') && c.directives.some((d) => nameOf(d) === 'return' || nameOf(d) === 'rewrite' || nameOf(d) === 'deny'))) return true;
    if (s === loc) break;
  }
  return false;
}

export const phpFixPathinfo: Rule = {
  meta: { id: 'php-fix-pathinfo', family: 'php', description: 'cgi.fix_pathinfo lets a request run an uploaded non-PHP file as PHP', severity: 'warning', fixable: false },
  check({ model, report }) {
    const seen = new Set<string>();
    // whether a scope's passes can run an uploaded file, decided once per scope: it reads the
    // scope's directives, and a scope may hold thousands of passes (all but one duplicates)
    const exposed = oncePerScope(({ scope, location: loc }): boolean => {
      if (!loc.block || !matchesArbitraryPaths(loc) || checksExistence(scope, loc)) return false;
      // a SCRIPT_FILENAME that names one fixed script (front controller) cannot be steered
      const sf = model.effective(scope, 'fastcgi_param').directives.filter((d) => argValue(d, 0) === 'SCRIPT_FILENAME').at(-1);
      return !!sf && /\$\{?(fastcgi_script_name|uri|document_uri|request_filename|request_uri)\b/.test(argValue(sf, 1) ?? '');
    });
    for (const pass of model.passes) {
      if (pass.module !== 'fastcgi') continue;
      const loc = pass.location;
      if (!exposed(pass) || !loc.block) continue;
      for (const app of reachedApps(pass)) {
        if (app.kind !== 'fpm-pool') continue;
        const key = `${loc.block.span.start}\0${loc.block.file.path}\0${app.id}`;
        if (seen.has(key)) continue;
        seen.add(key);
        check1(app, loc);
      }
    }

    function check1(pool: FpmPoolApp, loc: Scope): void {
      const fix = pool.php.get('cgi.fix_pathinfo');
      if (fix.value === null || !parsePhpBool(fix.value)) return;
      if (fix.source === 'default' && pool.php.iniFiles.length === 0) return; // php.ini not read: not guessed
      const le = limitExtensions(pool);
      if (!le || (le.foreign && le.foreign.length === 0)) return; // .php .phar only: php-fpm refuses the .jpg
      const block = loc.block!;
      const where = `location ${block.args.map((a) => a.raw).join(' ')}`;
      const fixFrom = fix.file && fix.span ? `${fix.text} at ${lineRef(fix.file, fix.span.start)}` : `${fix.text} (PHP's default)`;
      const leText = le.foreign === null ? 'empty' : le.extensions!.join(' ');
      const related = [
        ...(fix.file && fix.span ? [{ file: fix.file, span: fix.span, message: 'cgi.fix_pathinfo' }] : []),
        ...(le.setting ? [{ file: le.setting.file.source, span: le.setting.entry.span, message: 'security.limit_extensions' }] : []),
      ];
      report({
        file: block.file,
        span: { start: block.span.start, end: block.args.at(-1)?.span.end ?? block.name.span.end },
        message: `${where} passes URIs to ${appLabel(pool)} without checking the script exists (no try_files $uri =404), cgi.fix_pathinfo is ${fixFrom} and security.limit_extensions is ${leText}: a request for /uploads/evil.jpg/x.php runs /uploads/evil.jpg as PHP`,
        related,
      });
    }
  },
};
