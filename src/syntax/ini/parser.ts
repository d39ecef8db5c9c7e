/**
 * Parser for PHP's INI dialect: the grammar of Zend/zend_ini_parser.y (PHP
 * 8.2), with PHP's own syntax-error wording, over the tokens of IniScanner.
 *
 * - php.ini (`dialect: 'php-ini'`): the file is one input, as for
 *   parse_ini_file() and PHP's startup.
 * - PHP-FPM (`dialect: 'fpm'`): php-fpm hands its INI parser one line at a
 *   time (fpm_conf_load_ini_file), so nothing spans lines and an error never
 *   reaches past its line.
 *
 * Never throws: a syntax error becomes an `error` node plus a diagnostic, and
 * parsing resumes on the next line.
 */
import type { Diagnostic } from '../../diagnostic.js';
import type { SourceFile, Span } from '../source.js';
import type { IniAtom, IniDialect, IniEntry, IniExpr, IniFile, IniNode, IniQuotedPart, IniSection, IniToken, IniTokenType, IniValueNode } from './ast.js';
import { IniScanner } from './lexer.js';
import { trimTrailing } from '../../text-trim.js';

export interface ParseIniOptions {
  /** default: 'php-ini' */
  dialect?: IniDialect;
}

class SyntaxError_ {
  constructor(
    readonly token: IniToken,
    readonly expecting: string[] = [],
    /** instead of bison's "syntax error, unexpected ..." */
    readonly message?: string,
  ) {}
}

/**
 * `(` and `~` / `!` nest by recursion here. PHP's bison parser accepts about
 * 10000 levels, then fails with "memory exhausted"; past this many levels
 * nginx-lint reports the line instead of exhausting its stack.
 */
const MAX_EXPR_NESTING = 1000;

const ATOM_START = new Set<IniTokenType>(['TC_DOLLAR_CURLY', 'TC_CONSTANT', 'TC_RAW', 'TC_NUMBER', 'TC_STRING', 'TC_WHITESPACE', '"']);
const TRIVIA = new Set<IniTokenType>(['WS', 'BOM', 'IGNORED']);

/** How bison names a token in "syntax error, unexpected X". */
export function tokenDisplayName(type: IniTokenType): string {
  if (type === 'END') return 'end of file';
  if (type.length === 1) return type === "'" ? "'\\''" : `'${type}'`;
  return type;
}

function syntaxMessage(e: SyntaxError_): string {
  if (e.message) return e.message;
  let msg = `syntax error, unexpected ${tokenDisplayName(e.token.type)}`;
  if (e.expecting.length) msg += `, expecting ${e.expecting.join(' or ')}`;
  return msg;
}

function spanOf(a: Span, b: Span): Span {
  return { start: Math.min(a.start, b.start), end: Math.max(a.end, b.end) };
}

/** The span of whole lines covering [start, end), line break of the last line included. */
export function lineSpan(text: string, start: number, end: number): Span {
  let s = start;
  while (s > 0 && text[s - 1] !== '\n' && text[s - 1] !== '\r') s--;
  let e = Math.max(end, start);
  // when the statement's own bytes already end with a line break, stop there
  if (e > start && (text[e - 1] === '\n' || (text[e - 1] === '\r' && text[e] !== '\n'))) return { start: s, end: e };
  while (e < text.length && text[e] !== '\n' && text[e] !== '\r') e++;
  if (text[e] === '\r') e++;
  if (text[e] === '\n' && text[e - 1] !== '\n') e++;
  return { start: s, end: e };
}

class Parser {
  readonly tokens: IniToken[] = [];
  readonly nodes: IniNode[] = [];
  readonly diagnostics: Diagnostic[] = [];
  private scanner!: IniScanner;
  private la: IniToken | null = null;
  private laIndex = -1;
  /** clip token spans to the file (php-fpm's appended newline on a last line without one) */
  private readonly fileLen: number;

  constructor(
    readonly source: SourceFile,
    readonly dialect: IniDialect,
  ) {
    this.fileLen = source.text.length;
  }

  private push(t: IniToken): number {
    if (t.span.end > this.fileLen) t.span = { start: Math.min(t.span.start, this.fileLen), end: this.fileLen };
    if (t.comment && t.comment.end > this.fileLen) t.comment = { start: Math.min(t.comment.start, this.fileLen), end: this.fileLen };
    this.tokens.push(t);
    return this.tokens.length - 1;
  }

  private peek(): IniToken {
    if (this.la) return this.la;
    for (;;) {
      const t = this.scanner.next();
      if (TRIVIA.has(t.type)) {
        this.push(t);
        continue;
      }
      if (t.type === 'END' && t.span.start === t.span.end) {
        // the end of input is not a byte of the file: not kept in `tokens`
        this.la = t;
        this.laIndex = -1;
        return t;
      }
      this.laIndex = this.push(t);
      this.la = t;
      return t;
    }
  }

  private advance(): IniToken {
    const t = this.peek();
    this.la = null;
    return t;
  }

  private expect(type: IniTokenType, expecting: string[]): IniToken {
    const t = this.peek();
    if (t.type !== type) throw new SyntaxError_(t, expecting);
    return this.advance();
  }

  // ---- entry points ----

  parsePhpIni(): void {
    this.scanner = new IniScanner(this.source.text);
    this.statements(true);
  }

  parseFpm(): void {
    const text = this.source.text;
    let ls = 0;
    while (ls < text.length) {
      const nl = text.indexOf('\n', ls);
      const le = nl === -1 ? text.length : nl + 1;
      let line = text.slice(ls, le);
      const nul = line.indexOf('\0');
      let ignoredFrom = -1;
      if (nul !== -1) {
        // php-fpm passes the line as a C string: it ends at the first NUL byte
        ignoredFrom = ls + nul;
        line = line.slice(0, nul);
      } else if (nl === -1) {
        line += '\n'; // php-fpm appends a line break to every line it reads
      }
      this.scanner = new IniScanner(line, ls);
      this.fpmLineEnd = ignoredFrom !== -1 ? ignoredFrom : le;
      this.la = null;
      this.statements(false);
      if (ignoredFrom !== -1) {
        const span = { start: ignoredFrom, end: le };
        this.push({ type: 'IGNORED', span, value: '' });
        this.diagnostics.push({
          rule: 'ini-syntax',
          severity: 'warning',
          message: 'php-fpm ignores the rest of a line after a NUL byte',
          file: this.source,
          span,
        });
      }
      ls = le;
    }
  }

  private statements(wholeFile: boolean): void {
    for (;;) {
      const first = this.peek();
      if (first.type === 'END') {
        // end of input (possibly with bytes PHP reads into it: a comment, a label without a line break)
        const index = this.laIndex;
        this.advance();
        if (first.comment) {
          this.nodes.push({
            kind: 'comment',
            text: this.source.text.slice(first.comment.start + 1, first.comment.end),
            span: { ...first.comment },
            line: lineSpan(this.source.text, first.comment.start, first.comment.end),
            comment: null,
            tokens: [index, this.tokens.length],
          });
        }
        this.scanner.reset(Number.MAX_SAFE_INTEGER);
        return;
      }
      const startIndex = this.laIndex;
      try {
        const node = this.statement();
        if (node) this.nodes.push(node);
      } catch (e) {
        if (!(e instanceof SyntaxError_)) throw e;
        this.recover(e, first, startIndex, wholeFile);
      }
    }
  }

  private recover(e: SyntaxError_, first: IniToken, startIndex: number, wholeFile: boolean): void {
    const text = this.source.text;
    const stmtStart = first.span.start;
    const bad = e.token;
    // php.ini: resume on the line after the error (after the statement's first
    // line when the error is the end of the file); php-fpm: the line is lost
    let resume = this.fpmLineEnd;
    if (wholeFile) {
      const from = bad.type === 'END' && bad.span.start >= text.length && !sameLine(text, stmtStart, bad.span.start) ? stmtStart : Math.max(bad.span.start, stmtStart);
      resume = lineSpan(text, from, from).end;
    }
    // drop the statement's tokens and cover its bytes with one IGNORED token
    const keep = startIndex >= 0 ? startIndex : this.tokens.length;
    this.tokens.length = keep;
    const end = Math.min(Math.max(resume, stmtStart), this.fileLen);
    const span = { start: stmtStart, end };
    if (span.end > span.start) this.push({ type: 'IGNORED', span, value: '' });
    let errSpan = bad.span;
    if (bad.type === 'END' && bad.span.start === bad.span.end && !sameLine(text, stmtStart, bad.span.start)) {
      // an unterminated quote or bracket: point at where the statement began
      errSpan = first.span;
    } else if (bad.type === 'END' && bad.span.end > bad.span.start) {
      // input PHP ran past (an unclosed ' or section): point at its first byte
      errSpan = { start: bad.span.start, end: bad.span.start + 1 };
    }
    // php-fpm's appended newline is not a byte of the file: an error at it is at the end of the file
    const clip = (n: number) => Math.min(n, this.fileLen);
    const diagnostic: Diagnostic = { rule: 'ini-syntax', severity: 'error', message: syntaxMessage(e), file: this.source, span: { start: clip(errSpan.start), end: clip(errSpan.end) } };
    this.diagnostics.push(diagnostic);
    const trimmed = trimTrailingBreak(text, span);
    this.nodes.push({
      kind: 'error',
      diagnostic,
      span: trimmed,
      line: lineSpan(text, span.start, trimmed.end),
      comment: null,
      tokens: [keep, this.tokens.length],
    });
    this.la = null;
    this.scanner.reset(wholeFile ? Math.min(resume, text.length) : Number.MAX_SAFE_INTEGER);
  }

  /** php-fpm mode: where the current line's scanned text ends in the file */
  private fpmLineEnd = 0;

  private statement(): IniNode | null {
    const t = this.peek();
    const startIndex = this.laIndex;
    switch (t.type) {
      case 'END_OF_LINE': {
        this.advance();
        if (!t.comment) return null;
        return {
          kind: 'comment',
          text: this.source.text.slice(t.comment.start + 1, t.comment.end),
          span: { ...t.comment },
          line: lineSpan(this.source.text, t.comment.start, t.comment.end),
          comment: null,
          tokens: [startIndex, this.tokens.length],
        };
      }
      case 'TC_SECTION':
        return this.section(startIndex);
      case 'TC_LABEL':
      case 'TC_OFFSET':
        return this.entry(startIndex);
      default:
        throw new SyntaxError_(t);
    }
  }

  private section(startIndex: number): IniSection {
    const open = this.advance();
    const parts = this.varStringList();
    const close = this.expect(']', ["']'"]);
    const closeBracket = { start: close.span.start, end: close.span.start + 1 };
    const span = spanOf(open.span, closeBracket);
    const node: IniSection = {
      kind: 'section',
      name: '',
      dynamic: false,
      parts,
      nameSpan: { start: open.span.end, end: close.span.start },
      open: { ...open.span },
      close: closeBracket,
      span,
      line: span,
      comment: null,
      tokens: [startIndex, 0],
    };
    // `]` eats the line break; a comment on the same line comes as the next END_OF_LINE
    const endsLine = /[\r\n]$/.test(this.source.text.slice(close.span.start, close.span.end));
    if (!endsLine) this.absorbLineEnd(node);
    node.line = lineSpan(this.source.text, span.start, node.comment ? node.comment.end : span.end);
    node.tokens[1] = this.tokens.length;
    return node;
  }

  private entry(startIndex: number): IniEntry {
    const keyTok = this.advance();
    const text = this.source.text;
    const keyStart = keyTok.span.start + (text.slice(keyTok.span.start, keyTok.span.end).length - text.slice(keyTok.span.start, keyTok.span.end).replace(/^[ \t]+/, '').length);
    const keySpan = { start: keyStart, end: keyStart + keyTok.value.length };
    let offset: IniEntry['offset'] = null;
    if (keyTok.type === 'TC_OFFSET') {
      const bracket = text.indexOf('[', keySpan.end);
      const atoms = this.varStringList();
      const close = this.expect(']', ["']'"]);
      const closeBracket = { start: close.span.end - 1, end: close.span.end };
      offset = {
        atoms,
        span: { start: bracket + 1, end: closeBracket.start },
        open: { start: bracket, end: bracket + 1 },
        close: closeBracket,
      };
    }
    let equals: Span | null = null;
    let value: IniValueNode | null = null;
    if (offset || this.peek().type === '=') {
      const eq = this.expect('=', ["'='"]);
      const eqAt = text.indexOf('=', eq.span.start);
      equals = { start: eqAt, end: eqAt + 1 };
      value = this.value(eq);
    }
    const last = value && value.expr ? value.span : equals ?? (offset ? offset.close! : keySpan);
    const node: IniEntry = {
      kind: 'entry',
      key: keyTok.value,
      keySpan,
      offset,
      equals,
      value,
      span: spanOf(keySpan, last),
      line: keySpan,
      comment: null,
      tokens: [startIndex, 0],
    };
    this.absorbLineEnd(node);
    node.line = lineSpan(text, node.span.start, node.comment ? node.comment.end : node.span.end);
    node.tokens[1] = this.tokens.length;
    return node;
  }

  private absorbLineEnd(node: { comment: Span | null }): void {
    const t = this.peek();
    if (t.type === 'END' && t.comment) {
      // a comment at the very end of the input, without a line break
      this.advance();
      node.comment = { ...t.comment };
      this.scanner.reset(Number.MAX_SAFE_INTEGER);
      return;
    }
    if (t.type !== 'END_OF_LINE') return;
    this.advance();
    if (t.comment) node.comment = { ...t.comment };
  }

  private value(eq: IniToken): IniValueNode {
    const t = this.peek();
    if (t.type === 'BOOL_TRUE' || t.type === 'BOOL_FALSE' || t.type === 'NULL_NULL') {
      this.advance();
      const raw = this.source.text.slice(t.span.start, t.span.end);
      const word = trimTrailing(raw, ' \t');
      const span = { start: t.span.start, end: t.span.start + word.length };
      const expr: IniExpr = { kind: 'keyword', word: t.type === 'BOOL_TRUE' ? 'true' : t.type === 'BOOL_FALSE' ? 'false' : 'null', text: word, span };
      return { expr, span };
    }
    if (t.type === 'END_OF_LINE') return { expr: null, span: { start: eq.span.end, end: eq.span.end } };
    const expr = this.expr();
    return { expr, span: { ...expr.span } };
  }

  private expr(): IniExpr {
    let left = this.unary();
    for (;;) {
      const t = this.peek();
      if (t.type !== '|' && t.type !== '&' && t.type !== '^') return left;
      this.advance();
      const right = this.unary();
      left = { kind: 'binary', op: t.type, left, right, span: spanOf(left.span, right.span) };
    }
  }

  /** `(`, `~` and `!` open around the expression being read */
  private nesting = 0;

  private unary(): IniExpr {
    const t = this.peek();
    if (t.type === '~' || t.type === '!' || t.type === '(') {
      if (this.nesting >= MAX_EXPR_NESTING) throw new SyntaxError_(t, [], `expression nested deeper than ${MAX_EXPR_NESTING} levels (nginx-lint reads no deeper; PHP stops at about 10000 with "memory exhausted")`);
      this.nesting++;
      try {
        return this.nested(t);
      } finally {
        this.nesting--;
      }
    }
    const atoms = this.varStringList();
    if (!atoms.length) throw new SyntaxError_(this.peek());
    return { kind: 'concat', atoms, span: spanOf(atoms[0]!.span, atoms[atoms.length - 1]!.span) };
  }

  private nested(t: IniToken): IniExpr {
    this.advance();
    if (t.type === '(') {
      const inner = this.expr();
      const close = this.expect(')', ["'^'", "'|'", "'&'", "')'"]);
      return { kind: 'paren', expr: inner, span: { start: t.span.start, end: close.span.start + 1 } };
    }
    const operand = this.unary();
    return { kind: 'unary', op: t.type as '~' | '!', operand, span: spanOf({ start: t.span.start, end: t.span.start + 1 }, operand.span) };
  }

  /** var_string_list / var_string_list_section: adjacent pieces that concatenate */
  private varStringList(): IniAtom[] {
    const atoms: IniAtom[] = [];
    for (;;) {
      const t = this.peek();
      if (!ATOM_START.has(t.type)) return atoms;
      atoms.push(this.atom());
    }
  }

  private atom(): IniAtom {
    const t = this.advance();
    const span = { ...t.span };
    switch (t.type) {
      case 'TC_DOLLAR_CURLY':
        return this.varRef(t);
      case 'TC_CONSTANT':
        return { kind: 'constant', name: t.value, span };
      case 'TC_NUMBER':
        return { kind: 'number', text: t.value, span };
      case 'TC_STRING':
        return { kind: 'string', text: t.value, span };
      case 'TC_WHITESPACE':
        return { kind: 'whitespace', text: t.value, span };
      case 'TC_RAW':
        return { kind: 'raw', text: t.value, span };
      default: {
        // '"': the token may start with the blanks PHP eats before a quote
        const quoteAt = t.span.end - 1;
        const parts: IniQuotedPart[] = [];
        for (;;) {
          const n = this.peek();
          if (n.type === 'TC_QUOTED_STRING') {
            this.advance();
            parts.push({ kind: 'text', text: n.value, span: { ...n.span } });
          } else if (n.type === 'TC_DOLLAR_CURLY') {
            this.advance();
            const v = this.varRef(n);
            parts.push({ kind: 'var', name: v.name, span: v.span });
          } else if (n.type === '"') {
            this.advance();
            return { kind: 'quoted', parts, span: { start: quoteAt, end: n.span.start + 1 }, closed: true };
          } else {
            throw new SyntaxError_(n, ['TC_DOLLAR_CURLY', 'TC_QUOTED_STRING', `'"'`]);
          }
        }
      }
    }
  }

  private varRef(open: IniToken): { kind: 'var'; name: string; span: Span } {
    const name = this.expect('TC_VARNAME', ['TC_VARNAME']);
    const close = this.expect('}', ["'}'"]);
    return { kind: 'var', name: name.value, span: { start: open.span.start, end: close.span.end } };
  }
}

function sameLine(text: string, a: number, b: number): boolean {
  const lo = Math.min(a, b);
  const hi = Math.max(a, b);
  for (let i = lo; i < hi; i++) if (text[i] === '\n' || text[i] === '\r') return false;
  return true;
}

function trimTrailingBreak(text: string, span: Span): Span {
  let e = span.end;
  while (e > span.start && (text[e - 1] === '\n' || text[e - 1] === '\r')) e--;
  return { start: span.start, end: e };
}

/** Parse one INI file. Never throws. */
export function parseIni(source: SourceFile, options: ParseIniOptions = {}): IniFile {
  const dialect = options.dialect ?? 'php-ini';
  const p = new Parser(source, dialect);
  try {
    if (dialect === 'fpm') p.parseFpm();
    else p.parsePhpIni();
  } catch (e) {
    // defensive: a bug must not lose bytes or crash the caller
    p.diagnostics.push({
      rule: 'ini-syntax',
      severity: 'error',
      message: `internal parser error: ${e instanceof Error ? e.message : String(e)}`,
      file: source,
      span: { start: 0, end: 0 },
    });
  }
  const file: IniFile = { source, dialect, tokens: p.tokens, nodes: p.nodes, diagnostics: p.diagnostics };
  coverGaps(file);
  return file;
}

/**
 * Make sure every byte is in a token: any bytes not covered (which would be a
 * parser bug) become IGNORED tokens, so printing stays exact.
 */
function coverGaps(file: IniFile): void {
  const text = file.source.text;
  const out: IniToken[] = [];
  let pos = 0;
  for (const t of file.tokens) {
    if (t.span.start > pos) out.push({ type: 'IGNORED', span: { start: pos, end: t.span.start }, value: '' });
    if (t.span.start < pos) continue; // overlapping (bug): keep the earlier one
    out.push(t);
    pos = t.span.end;
  }
  if (pos < text.length) out.push({ type: 'IGNORED', span: { start: pos, end: text.length }, value: '' });
  if (out.length !== file.tokens.length) {
    // node token indexes are only valid when no repair was needed
    file.tokens = out;
  }
}
