/**
 * The tree in the shape of crossplane's JSON payload (`crossplane parse`), so
 * tools written against crossplane can read nginx-lint's parse:
 *
 *   {status, errors: [{file, line, error}],
 *    config: [{file, status, errors: [{line, error}], parsed: [{directive, line, args, includes?, block?}]}]}
 *
 * crossplane's conventions, kept here:
 * - args without quotes: an unquoted word as written (backslashes kept), a
 *   quoted one without its quotes and with only \<that quote> resolved;
 * - `if` args without the parentheses (crossplane's _prepare_if_args);
 * - a Lua block body is one last arg, as written;
 * - comments (includeComments) are `{"directive": "#", "line", "args": [], "comment"}`;
 *   a comment inside a directive's arguments follows the directive, with the directive's line;
 * - `includes` holds indexes into `config`, which lists files in the order
 *   crossplane first reaches them (the main file, then breadth first), each once;
 * - an error is `<message> in <file>:<line>`, errors in file order then source
 *   order; at the syntax errors crossplane's own lexer stops at (unbalanced
 *   braces, end of file inside a statement or Lua block) the file's `parsed` is
 *   empty and later errors of that file are dropped, as crossplane does; other
 *   syntax errors nginx reports are listed and the (recovered) tree is kept;
 * - only errors: the parser's warnings are not part of this view;
 * - strings are what Python reads: line breaks as \n (universal newlines), and
 *   a file that is not UTF-8 decoded as UTF-8 with U+FFFD replacements;
 * - `combine` merges included files into the main file's tree, each
 *   directive carrying its `file`.
 * Where nginx-lint's tokens differ from crossplane's (crossplane splits words
 * at `{`, `}` and `;`, and after a closing quote), this view follows nginx.
 */
import type { Diagnostic } from '../../diagnostic.js';
import { positionAt } from '../source.js';
import type { Directive, NginxConfig, NginxFile, Node, Word } from './ast.js';
import { INCLUDE_RULE, includeCycles } from './include.js';
import { SYNTAX_RULE } from './lexer.js';
import { tokenSpans } from './print.js';

export interface CrossplaneOptions {
  includeComments?: boolean;
  /** the main file only: no `includes`, no include errors */
  single?: boolean;
  combine?: boolean;
  /** more diagnostics to report (an analyzer's), placed like crossplane places its own; only errors are kept */
  errors?: Diagnostic[];
}

export interface CrossplaneDirective {
  file?: string;
  directive: string;
  line: number;
  args: string[];
  includes?: number[];
  block?: CrossplaneDirective[];
  comment?: string;
}

export interface CrossplaneFileError {
  line: number | null;
  error: string;
}

export interface CrossplaneError {
  file: string;
  line: number | null;
  error: string;
}

export interface CrossplaneConfigFile {
  file: string;
  status: 'ok' | 'failed';
  errors: CrossplaneFileError[];
  parsed: CrossplaneDirective[];
}

export interface CrossplanePayload {
  status: 'ok' | 'failed';
  errors: CrossplaneError[];
  config: CrossplaneConfigFile[];
}

const utf8Lossy = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

/** A string as crossplane (Python, universal newlines, UTF-8 with replacement) reads it. */
function pyText(s: string, latin1: boolean): string {
  if (latin1) {
    let ascii = true;
    for (let i = 0; i < s.length; i++) {
      if (s.charCodeAt(i) > 0x7f) {
        ascii = false;
        break;
      }
    }
    if (!ascii) s = utf8Lossy.decode(Buffer.from(s, 'latin1'));
  }
  if (s.includes('\r')) s = s.replace(/\r\n?/g, '\n');
  return s;
}

/** A word as a crossplane arg. */
export function crossplaneArg(w: Word): string {
  if (w.quote === null) return w.raw;
  const closed = w.raw.length >= 2 && w.raw.endsWith(w.quote) && !endsEscaped(w.raw);
  const inner = w.raw.slice(1, closed ? w.raw.length - 1 : w.raw.length);
  if (!inner.includes('\\')) return inner;
  let out = '';
  for (let i = 0; i < inner.length; i++) {
    const c = inner[i]!;
    if (c === '\\' && i + 1 < inner.length) {
      const next = inner[i + 1]!;
      out += next === w.quote ? next : c + next;
      i++;
    } else out += c;
  }
  return out;
}

/** whether the last char of a quoted raw word is escaped (then the word is unterminated) */
function endsEscaped(raw: string): boolean {
  let n = 0;
  for (let i = raw.length - 2; i >= 1 && raw[i] === '\\'; i--) n++;
  return n % 2 === 1;
}

/** crossplane's _prepare_if_args: drop the parentheses around an `if` condition. */
export function prepareIfArgs(args: string[]): string[] {
  if (args.length === 0 || !args[0]!.startsWith('(') || !args[args.length - 1]!.endsWith(')')) return args;
  const a = [...args];
  a[0] = a[0]!.slice(1).trimStart();
  a[a.length - 1] = a[a.length - 1]!.slice(0, -1).trimEnd();
  const start = a[0] === '' ? 1 : 0;
  const end = a.length - (a[a.length - 1] === '' ? 1 : 0);
  return a.slice(start, end);
}

export function crossplanePayload(config: NginxConfig, opts: CrossplaneOptions = {}): CrossplanePayload {
  const comments = opts.includeComments === true;
  const single = opts.single === true;
  const combine = opts.combine === true;
  const cycles = includeCycles.get(config);

  const order: NginxFile[] = [config.root];
  const indexOf = new Map<NginxFile, number>([[config.root, 0]]);
  const indexFor = (f: NginxFile): number => {
    let i = indexOf.get(f);
    if (i === undefined) {
      i = order.length;
      order.push(f);
      indexOf.set(f, i);
    }
    return i;
  };

  // errors per file, crossplane's order: by file, then by position; a syntax error ends its file
  const bySource = new Map<NginxFile['source'], NginxFile>();
  const errs = new Map<NginxFile, Diagnostic[]>();
  const orphans: Diagnostic[] = [];
  const all: Diagnostic[] = [];
  // crossplane reports errors only; the parser's warnings are for nginx-lint's own output
  for (const f of config.files.values()) for (const d of f.diagnostics) if (d.severity === 'error') all.push(d);
  if (!config.files.has(config.root.source.path)) for (const d of config.root.diagnostics) if (d.severity === 'error') all.push(d);
  for (const d of config.diagnostics) if (d.severity === 'error' && !(single && d.rule === INCLUDE_RULE)) all.push(d);
  if (opts.errors) for (const d of opts.errors) if (d.severity === 'error') all.push(d);

  const convertFile = (f: NginxFile): CrossplaneConfigFile => {
    const latin1 = f.source.encoding === 'latin1';
    const path = f.source.path;
    const line = (offset: number): number => positionAt(f.source, offset).line;
    const convert = (nodes: Node[]): CrossplaneDirective[] => {
      const out: CrossplaneDirective[] = [];
      for (const n of nodes) {
        if (n.kind === 'comment') {
          if (comments) out.push(commentStmt(line(n.span.start), n.text));
          continue;
        }
        out.push(directiveStmt(n));
        if (comments && n.comments) for (const c of n.comments) out.push(commentStmt(line(n.span.start), c.text));
      }
      return out;
    };
    const commentStmt = (ln: number, text: string): CrossplaneDirective =>
      combine ? { file: path, directive: '#', line: ln, args: [], comment: pyText(text, latin1) } : { directive: '#', line: ln, args: [], comment: pyText(text, latin1) };
    const directiveStmt = (d: Directive): CrossplaneDirective => {
      let args = d.args.map((w) => pyText(crossplaneArg(w), latin1));
      if (d.rawBody) args.push(pyText(f.source.text.slice(d.rawBody.body.start, d.rawBody.body.end), latin1));
      const name = pyText(crossplaneArg(d.name), latin1);
      if (name === 'if') args = prepareIfArgs(args);
      const stmt: CrossplaneDirective = combine ? { file: path, directive: name, line: line(d.span.start), args } : { directive: name, line: line(d.span.start), args };
      if (!single && d.name.value === 'include' && d.block === null && d.rawBody === null) {
        const targets = [...(config.includes.get(d) ?? []), ...(cycles?.get(d) ?? [])];
        if (targets.length > 1) targets.sort((a, b) => (a.source.path < b.source.path ? -1 : a.source.path > b.source.path ? 1 : 0));
        stmt.includes = targets.map(indexFor);
      }
      if (d.block) stmt.block = convert(d.block.children);
      return stmt;
    };
    const ds = errs.get(f) ?? [];
    const fatal = ds.find((d) => d.rule === SYNTAX_RULE && endsParse(f, d));
    const kept = fatal ? ds.filter((d) => d.span.start < fatal.span.start || d === fatal) : ds;
    const errors = kept.map((d) => {
      const ln = positionAt(d.file, d.span.start).line;
      return { line: ln, error: `${d.message} in ${path}:${ln}` };
    });
    return { file: path, status: errors.length ? 'failed' : 'ok', errors, parsed: fatal ? [] : convert(f.children) };
  };

  // errors go to their file; converting the files in order discovers the includes
  for (const f of config.files.values()) bySource.set(f.source, f);
  bySource.set(config.root.source, config.root);
  for (const d of all) {
    const f = bySource.get(d.file) ?? findByPath(config, d.file.path);
    if (!f) {
      orphans.push(d);
      continue;
    }
    const list = errs.get(f);
    if (list) list.push(d);
    else errs.set(f, [d]);
  }
  for (const list of errs.values()) list.sort((a, b) => a.span.start - b.span.start);
  const out: CrossplaneConfigFile[] = [];
  for (let i = 0; i < order.length && (i === 0 || !single); i++) out.push(convertFile(order[i]!));

  const errors: CrossplaneError[] = [];
  for (const c of out) for (const e of c.errors) errors.push({ file: c.file, line: e.line, error: e.error });
  if (!single) {
    // errors of files the payload does not list (not reached from the main file) are still errors
    for (const [f, list] of errs) if (!indexOf.has(f)) orphans.push(...list);
    for (const d of orphans) {
      const ln = positionAt(d.file, d.span.start).line;
      errors.push({ file: d.file.path, line: ln, error: `${d.message} in ${d.file.path}:${ln}` });
    }
  }

  if (combine) {
    const perform = (stmts: CrossplaneDirective[], seen: Set<number>): CrossplaneDirective[] => {
      const res: CrossplaneDirective[] = [];
      for (const s of stmts) {
        if (s.includes) {
          for (const i of s.includes) {
            if (seen.has(i)) continue;
            const next = new Set(seen).add(i);
            res.push(...perform(out[i]?.parsed ?? [], next));
          }
          continue;
        }
        res.push(s.block ? { ...s, block: perform(s.block, seen) } : s);
      }
      return res;
    };
    const combinedErrors: CrossplaneFileError[] = [];
    let failed = false;
    for (const c of out) {
      combinedErrors.push(...c.errors);
      if (c.status === 'failed') failed = true;
    }
    return {
      status: errors.length ? 'failed' : 'ok',
      errors,
      config: [{ file: out[0]!.file, status: failed ? 'failed' : 'ok', errors: combinedErrors, parsed: perform(out[0]!.parsed, new Set([0])) }],
    };
  }
  return { status: errors.length ? 'failed' : 'ok', errors, config: out };
}

/**
 * Whether crossplane gives up on the file at this syntax error: its lexer
 * raises on unbalanced braces and at an end of file inside a statement or a
 * Lua block; the other errors nginx reports (a `}` after arguments, a stray
 * `;`, text right after a closing quote, too long parameters) go unnoticed
 * and crossplane keeps the tree, as this view then does.
 */
function endsParse(f: NginxFile, d: Diagnostic): boolean {
  const m = d.message;
  if (m.startsWith('unexpected end of file') || m.startsWith('Lua code block')) return true;
  if (m !== 'unexpected "}"') return false;
  return unbalancedBrace(f) === d.span.start;
}

/** per file: where crossplane's _balance_braces fails (computed once: a broken file can hold thousands of `}` errors) */
const unbalanced = new WeakMap<NginxFile, number>();

/** crossplane's _balance_braces: the offset of the `}` that takes the brace depth below zero, or -1. */
function unbalancedBrace(f: NginxFile): number {
  const known = unbalanced.get(f);
  if (known !== undefined) return known;
  let depth = 0;
  let at = -1;
  const text = f.source.text;
  for (const s of tokenSpans(f)) {
    if (s.end !== s.start + 1) continue;
    const c = text.charCodeAt(s.start);
    if (c === 123) depth++;
    else if (c === 125 && --depth < 0) {
      at = s.start;
      break;
    }
  }
  unbalanced.set(f, at);
  return at;
}

function findByPath(config: NginxConfig, path: string): NginxFile | undefined {
  const f = config.files.get(path);
  if (f) return f;
  return config.root.source.path === path ? config.root : undefined;
}
