/**
 * JSON views that `nginx-lint parse` prints for php.ini and PHP-FPM files:
 * the statement tree (schemas/parse-ini.schema.json) and, with --values, the
 * values the way PHP (parse_ini_file) and php-fpm see them.
 */
import { positionAt, type SourceFile } from '../syntax/source.js';
import { evaluateAtoms, type IniFile } from '../syntax/ini/index.js';
import type { Diagnostic } from '../diagnostic.js';

function at(source: SourceFile, offset: number) {
  const p = positionAt(source, offset);
  return { line: p.line, column: p.column };
}

export function iniErrors(ds: Diagnostic[]) {
  return ds.map((d) => ({ file: d.file.path, ...at(d.file, d.span.start), severity: d.severity, rule: d.rule, error: d.message }));
}

/** The statement tree of one INI file. */
export function iniTreeView(file: IniFile, kind: 'php-ini' | 'fpm') {
  const text = file.source.text;
  const nodes = file.nodes.map((n) => {
    const pos = at(file.source, n.span.start);
    switch (n.kind) {
      case 'section':
        return { type: 'section' as const, ...pos, name: n.name || evaluateAtoms(n.parts, false).value };
      case 'entry':
        return {
          type: 'entry' as const,
          ...pos,
          key: n.key,
          offset: n.offset ? text.slice(n.offset.span.start, n.offset.span.end) : null,
          value: n.value ? text.slice(n.value.span.start, n.value.span.end) : null,
        };
      case 'comment':
        return { type: 'comment' as const, ...pos, text: n.text };
      case 'error':
        return { type: 'error' as const, ...pos, text: text.slice(n.span.start, n.span.end) };
    }
  });
  const errors = iniErrors(file.diagnostics);
  return { file: file.source.path, kind, status: errors.some((e) => e.severity === 'error') ? 'failed' : 'ok', errors, nodes };
}
