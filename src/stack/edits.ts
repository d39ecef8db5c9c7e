/**
 * The text edits fixes are made of, one place per format: replace a value
 * where it was written, or add a setting where the program will read it,
 * with the neighbours' indentation and line endings. Every function returns
 * edits on the original text; nothing here re-prints a file.
 */
import type { TextEdit } from '../diagnostic.js';
import type { Directive } from '../syntax/nginx/ast.js';
import type { SourceFile } from '../syntax/source.js';
import { fpmSetting, type FpmPool } from '../syntax/ini/fpm.js';
import type { EffectiveGunicorn } from '../syntax/gunicorn/index.js';
import type { Scope } from './nginx-scopes.js';
import type { PhpValue } from './php-values.js';

/** each file's line ending, found once (a file can get thousands of fixes) */
const eols = new WeakMap<SourceFile, string>();

function eol(file: SourceFile): string {
  let nl = eols.get(file);
  if (nl === undefined) eols.set(file, (nl = file.text.includes('\r\n') ? '\r\n' : '\n'));
  return nl;
}

function lineStart(text: string, offset: number): number {
  const i = text.lastIndexOf('\n', offset - 1);
  return i + 1;
}

/** The blanks before the first non-blank of the line holding `offset`. */
function indentAt(text: string, offset: number): string {
  const start = lineStart(text, offset);
  return /^[ \t]*/.exec(text.slice(start))![0];
}

/** One indentation step, from how a block's children sit relative to it. */
function indentUnit(block: Directive): string {
  const text = block.file.text;
  const outer = indentAt(text, block.span.start);
  const child = block.block?.children.find((c) => c.kind === 'directive' && c.file === block.file);
  if (child) {
    const inner = indentAt(text, child.span.start);
    if (inner.startsWith(outer) && inner.length > outer.length) return inner.slice(outer.length);
  }
  return outer.includes('\t') ? '\t' : '    ';
}

/**
 * Whether `s` can be written as an nginx argument without quotes, reading back
 * as itself: not empty, and no blank, `;`, `{`, `}`, quote, `#`, backslash or
 * `$` (nginx's tokenizer and variable syntax). Fixes that write a value taken
 * from another file (a socket path) check it first.
 */
export function isPlainNginxWord(s: string): boolean {
  return s !== '' && !/[\s;{}"'#\\$]/.test(s);
}

/** Replace a directive's arguments (quoting kept plain: callers pass nginx words). */
export function replaceNginxArgs(d: Directive, args: string[]): TextEdit {
  const first = d.args[0];
  const last = d.args[d.args.length - 1];
  if (!first || !last) return { file: d.file, span: { start: d.name.span.end, end: d.name.span.end }, text: ` ${args.join(' ')}` };
  return { file: d.file, span: { start: first.span.start, end: last.span.end }, text: args.join(' ') };
}

/**
 * Add directive lines (`proxy_http_version 1.1;`) to the block that opens a
 * scope: after `after` when given (same file), else after the block's last
 * directive written in the block's own file, else right after `{`.
 */
export function insertNginxDirectives(scope: Scope, lines: string[], after?: Directive): TextEdit | null {
  const block = scope.block;
  if (!block?.block) return null;
  const file = block.file;
  const text = file.text;
  const nl = eol(file);
  const anchor = after && after.file === file ? after : [...block.block.children].reverse().find((c): c is Directive => c.kind === 'directive' && c.file === file);
  const indent = anchor ? indentAt(text, anchor.span.start) : indentAt(text, block.span.start) + indentUnit(block);
  if (anchor) {
    const lineEnd = text.indexOf('\n', anchor.span.end);
    const rest = text.slice(anchor.span.end, lineEnd < 0 ? text.length : lineEnd).trim();
    if (rest !== '' && !rest.startsWith('#')) {
      // more on the anchor's line (`... proxy_buffer_size 16k; }`, another directive): the next line may be
      // outside the block, so the lines go right after the anchor, on its line
      return { file, span: { start: anchor.span.end, end: anchor.span.end }, text: ' ' + lines.join(' ') };
    }
    // after the anchor's line (keeps its trailing comment on its line)
    const at = lineEnd < 0 ? text.length : lineEnd + 1;
    const prefix = lineEnd < 0 ? nl : '';
    return { file, span: { start: at, end: at }, text: prefix + lines.map((l) => `${indent}${l}${nl}`).join('') };
  }
  const open = text.indexOf('{', block.name.span.end);
  const lineEnd = text.indexOf('\n', open);
  if (lineEnd < 0 || text.slice(open + 1, lineEnd).trim() !== '') {
    // `location / { ... }` on one line: insert right after `{`
    return { file, span: { start: open + 1, end: open + 1 }, text: ' ' + lines.join(' ') };
  }
  return { file, span: { start: lineEnd + 1, end: lineEnd + 1 }, text: lines.map((l) => `${indent}${l}${nl}`).join('') };
}

/**
 * Set a plain pool directive (`request_terminate_timeout`, `listen.group`) or
 * an array entry (`php_admin_value[post_max_size]`): the value is replaced
 * where php-fpm takes it from, or a line is added at the end of the pool's
 * last section.
 */
export function setFpmPoolValue(pool: FpmPool, name: string, value: string): TextEdit | null {
  const m = /^([\w.]+)\[(.+)\]$/.exec(name);
  const existing = m ? pool.settings.find((s) => s.name === m[1] && s.key === m[2]) : fpmSetting(pool, name);
  if (existing?.entry.value) return { file: existing.file.source, span: existing.entry.value.span, text: value };
  const section = pool.sections[pool.sections.length - 1];
  if (!section) return null;
  const file = section.file;
  const nodes = file.nodes;
  const start = nodes.indexOf(section.node);
  let last = section.node as (typeof nodes)[number];
  for (let i = start + 1; i < nodes.length && nodes[i]!.kind !== 'section'; i++) if (nodes[i]!.kind === 'entry') last = nodes[i]!;
  const at = last.line.end;
  const nl = eol(file.source);
  const needsBreak = at > 0 && !file.source.text.slice(0, at).endsWith('\n');
  return { file: file.source, span: { start: at, end: at }, text: `${needsBreak ? nl : ''}${name} = ${value}${nl}` };
}

/**
 * Set a gunicorn setting where gunicorn will read it: replace the value
 * where it was written (config file or command line), else add an
 * assignment to the config file, else add the flag to the command line.
 * `python` is the config-file literal (`120`, `'gthread'`), `cli` the
 * command-line form (`--timeout 120`). Null when no safe edit exists.
 */
export function setGunicornSetting(g: EffectiveGunicorn, name: string, python: string, cli: string): TextEdit[] | null {
  const s = g.settings.get(name);
  const src = s?.source;
  if (src?.kind === 'config-file') return src.replaceable ? [{ file: src.file, span: src.span, text: python }] : null;
  if (src?.kind === 'command-line') return [{ file: src.file, span: { start: src.flagSpan.start, end: src.span.end }, text: cli }];
  if (src?.kind === 'GUNICORN_CMD_ARGS') return null;
  if (g.config) {
    const file = g.config.file;
    const nl = eol(file);
    const text = file.text;
    const needsBreak = text.length > 0 && !text.endsWith('\n');
    return [{ file, span: { start: text.length, end: text.length }, text: `${needsBreak ? nl : ''}${name} = ${python}${nl}` }];
  }
  const inv = g.invocation;
  if (inv) {
    // before gunicorn's first argument (after `-m gunicorn` for `python -m gunicorn`)
    const first = inv.args[0];
    if (first) return [{ file: inv.file, span: { start: first.span.start, end: first.span.start }, text: `${cli} ` }];
    return [{ file: inv.file, span: { start: inv.program.span.end, end: inv.program.span.end }, text: ` ${cli}` }];
  }
  return null;
}

/**
 * Set a PHP ini value for a pool's workers where PHP takes it from: replace
 * it where it is written (php_admin_value / php_value in the pool, or the
 * php.ini line; quotes kept), else add `php_admin_value[name] = value` to
 * the pool.
 */
export function setPhpValue(pool: FpmPool, current: PhpValue, value: string): TextEdit | null {
  if (current.file && current.valueSpan) {
    const written = current.file.text.slice(current.valueSpan.start, current.valueSpan.end);
    const q = /^(["'])[\s\S]*\1$/.exec(written)?.[1] ?? '';
    return { file: current.file, span: current.valueSpan, text: `${q}${value}${q}` };
  }
  return setFpmPoolValue(pool, `php_admin_value[${current.name}]`, value);
}
