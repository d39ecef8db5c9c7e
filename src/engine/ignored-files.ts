/**
 * Files the config file's `ignore` names: a directory walk skips them, but an
 * include from a linted file still reads them (nginx and php-fpm do, and the
 * stack needs their directives), so their findings are dropped afterwards.
 */
import type { Diagnostic } from '../diagnostic.js';

/**
 * Drop findings located in ignored files, and the fixes that would edit one
 * (the finding itself stays: it is about a file that is linted).
 */
export function dropIgnored(diagnostics: Diagnostic[], isIgnored: (path: string) => boolean): Diagnostic[] {
  const memo = new Map<string, boolean>();
  const ignored = (p: string) => {
    let v = memo.get(p);
    if (v === undefined) memo.set(p, (v = isIgnored(p)));
    return v;
  };
  const out: Diagnostic[] = [];
  for (const d of diagnostics) {
    if (ignored(d.file.path)) continue;
    if (d.fix && d.fix.edits.some((e) => ignored(e.file.path))) {
      const { fix: _dropped, ...rest } = d;
      out.push(rest);
    } else out.push(d);
  }
  return out;
}
