/**
 * The nginx configuration tokenizer: ngx_conf_read_token() (src/core/ngx_conf_file.c)
 * rewritten as a pull lexer over the char codes of a SourceFile, one pass,
 * no regular expressions and no per-char string building.
 *
 * What nginx does, and so what this does:
 * - whitespace is exactly space, tab, CR and LF; anything else (form feed,
 *   U+FEFF, NBSP) is part of a word. A UTF-8 BOM is therefore part of the
 *   first token, as it is for nginx (and for crossplane, which keeps U+FEFF).
 * - `#` starts a comment only where a token could start; `a#b` is one word.
 * - a quote starts a quoted word only at the start of a token; `a"b"` is one
 *   word with the quotes in it. After a closing quote, only whitespace, `;`,
 *   `{` or `)` may follow (`"a")` is how `if ($x = "a")` lexes); anything
 *   else is `unexpected "c"`.
 * - a backslash makes the next char ordinary (`a\ b` is one word); in the
 *   value, \" \' \\ \t \r \n are resolved and other pairs are kept as written.
 * - `;` and `{` end a word, `}` does not (`a}` is one word); a `{` right after
 *   `$` (or after `${` ...) does not end it either: `${host}`. An unterminated
 *   `${` is not a syntax error for nginx's tokenizer (nginx 1.22 accepts
 *   `server_name ${url ;`); directives that compile variables fail with
 *   `the closing bracket in "x" variable is missing`, which the parser reports
 *   as a warning.
 * - a token may not span NGX_CONF_BUFFER (4096) bytes of nginx's read buffer:
 *   `too long parameter ...` (see `checkTooLong`).
 *
 * Bodies of `*_by_lua_block { ... }` are not nginx syntax: lua-nginx-module
 * scans them with a Lua-aware lexer (strings, long brackets, comments) and
 * `scanLuaBlock` does the same.
 */
import type { Diagnostic } from '../../diagnostic.js';
import type { SourceFile } from '../source.js';
import type { Quote } from './ast.js';

export const TOK_EOF = 0;
export const TOK_WORD = 1;
export const TOK_SEMICOLON = 2;
export const TOK_LBRACE = 3;
export const TOK_RBRACE = 4;
export const TOK_COMMENT = 5;
export type TokenKind = 0 | 1 | 2 | 3 | 4 | 5;

const SPACE = 32;
const TAB = 9;
const LF = 10;
const CR = 13;
const DQUOTE = 34;
const SQUOTE = 39;
const HASH = 35;
const DOLLAR = 36;
const RPAREN = 41;
const DASH = 45;
const SEMICOLON = 59;
const LBRACKET = 91;
const BACKSLASH = 92;
const EQUALS = 61;
const LBRACE = 123;
const RBRACE = 125;

/** nginx's NGX_CONF_BUFFER: the read buffer a single token must fit in */
export const NGX_CONF_BUFFER = 4096;

export const SYNTAX_RULE = 'nginx-syntax';

function isSpace(c: number): boolean {
  return c === SPACE || c === LF || c === TAB || c === CR;
}

/** Resolve nginx's escapes in s (a word without its quotes). */
export function unescapeWord(s: string): string {
  let k = s.indexOf('\\');
  if (k === -1) return s;
  let out = '';
  let from = 0;
  while (k !== -1 && k + 1 < s.length) {
    const next = s.charCodeAt(k + 1);
    let rep: string | null = null;
    switch (next) {
      case DQUOTE:
      case SQUOTE:
      case BACKSLASH:
        rep = s[k + 1]!;
        break;
      case 116: // t
        rep = '\t';
        break;
      case 114: // r
        rep = '\r';
        break;
      case 110: // n
        rep = '\n';
        break;
    }
    if (rep === null) {
      // `\x` stays as written; x is then an ordinary char
      k = s.indexOf('\\', k + 1);
      continue;
    }
    out += s.slice(from, k) + rep;
    from = k + 2;
    k = s.indexOf('\\', from);
  }
  return out + s.slice(from);
}

/**
 * Unquoted words (up to this length) are shared: a big tree has a million
 * directives and a few hundred names, and nine in ten of its 900,000 short
 * arguments repeat an earlier one (`off`, `=`, `$uri`). A word already seen is found by
 * hashing its chars in the text, so no string is made for it, and every later
 * lookup by name (the directive table, effective values, rules) hits one
 * string whose hash V8 has already computed.
 */
const INTERN_MAX_LENGTH = 32;
/** the table doubles from a small start (a small run should not pay for a big tree's table) up to this */
const INTERN_MAX_SIZE = 1 << 18;
/** open addressing, filled to half at most (at the biggest size, new words are then no longer shared): bounded for long-lived processes */
let internTable: (string | undefined)[] = new Array<string | undefined>(1 << 12).fill(undefined);
/** each slot's hash, so that growing the table does not hash every word again */
let internHashes = new Int32Array(internTable.length);
let internMask = internTable.length - 1;
let internCount = 0;

function growInternTable(): void {
  const old = internTable;
  const oldHashes = internHashes;
  internTable = new Array<string | undefined>(old.length * 2).fill(undefined);
  internHashes = new Int32Array(internTable.length);
  internMask = internTable.length - 1;
  for (let i = 0; i < old.length; i++) {
    const s = old[i];
    if (s === undefined) continue;
    const h = oldHashes[i]!;
    let k = h & internMask;
    while (internTable[k] !== undefined) k = (k + 1) & internMask;
    internTable[k] = s;
    internHashes[k] = h;
  }
}

/** whether t has the chars of s at `start` (s fits: the caller checked the length) */
function sameChars(t: string, start: number, s: string): boolean {
  for (let i = 0; i < s.length; i++) if (t.charCodeAt(start + i) !== s.charCodeAt(i)) return false;
  return true;
}

/** t.slice(start, end), shared with every earlier word of the same text; `h` is its hash (h = 31·h + char over its chars, in 32 bits), computed as the lexer scanned it. */
function internSlice(t: string, start: number, end: number, h: number): string {
  const len = end - start;
  if (len > INTERN_MAX_LENGTH) return t.slice(start, end);
  let k = h & internMask;
  for (let s = internTable[k]; s !== undefined; s = internTable[k]) {
    // the hashes first (an Int32Array, no string loaded), then the chars: a loop the JIT
    // keeps inline (startsWith is a call per word, a million and a half of them)
    if (internHashes[k] === h && s.length === len && sameChars(t, start, s)) return s;
    k = (k + 1) & internMask;
  }
  const s = t.slice(start, end);
  if (internCount >= internTable.length >> 1) {
    if (internTable.length >= INTERN_MAX_SIZE) return s;
    growInternTable();
    k = h & internMask;
    while (internTable[k] !== undefined) k = (k + 1) & internMask;
  }
  // a slice of 13 chars or more refers to the whole file's text (the table outlives the file): keep a
  // flat copy of its own. Joining two short slices makes one; a round trip through a Buffer took twice as long
  const own = len >= 13 ? [t.slice(start, start + 6), t.slice(start + 6, end)].join('') : s;
  internTable[k] = own;
  internHashes[k] = h;
  internCount++;
  return own;
}

/** the offset of the next word from `at` inside a directive: past blanks and `#` comments */
export function pastBlanks(t: string, at: number): number {
  for (;;) {
    const c = t.charCodeAt(at);
    if (c === SPACE || c === TAB || c === LF || c === CR) at++;
    else if (c === HASH) {
      const lf = t.indexOf('\n', at);
      at = lf === -1 ? t.length : lf;
    } else return at;
  }
}

/**
 * Where the unquoted word that starts at `i` ends: the lexer's own rule
 * (Lexer.unquoted) without what it notes on the way, for reading a plain
 * directive's arguments from the text again (nodes.ts). The two loops are
 * kept apart on purpose: one shared loop noting the hash and flags for both
 * measured +0.5% instructions at N=10,000, where the lexer scans every word
 * of every file. test/nginx/nodes.test.ts checks that they agree.
 */
export function unquotedWordEnd(t: string, i: number): number {
  const n = t.length;
  const c = t.charCodeAt(i);
  let escaped = c === BACKSLASH;
  let variable = c === DOLLAR;
  let j = i + 1;
  for (; j < n; j++) {
    const ch = t.charCodeAt(j);
    if (escaped) escaped = false;
    else if (ch !== LBRACE || !variable) {
      if (ch === SPACE || ch === LF || ch === TAB || ch === CR || ch === SEMICOLON || ch === LBRACE) break;
      variable = ch === DOLLAR;
      escaped = ch === BACKSLASH;
    }
  }
  return j;
}

export class Lexer {
  readonly text: string;
  readonly len: number;
  pos = 0;
  /** the current token: kind, span, and for words the quote and whether it was closed */
  kind: TokenKind = TOK_EOF;
  start = 0;
  end = 0;
  quote: Quote = null;
  closed = true;
  /** for an unquoted word: the shared-word table's hash of its text (see internSlice), computed as it is scanned */
  private hash = 0;
  /** for an unquoted word: whether it has a backslash (only then can its value differ from its text) */
  private backslash = false;
  /** for an unquoted word: whether it has `${` (a `{` read as part of it after `$`) */
  braceVariable = false;
  /** nginx's `start`: where its read buffer must begin (for the 4096-byte limit) */
  private ngxStart = 0;
  /** when ngxStart is just after an opening quote: the closing quote's index (-1 if none) */
  private ngxQuoteClose = -2;
  /** an offset already reported, so one bad char gives one diagnostic */
  lastErrorAt = -1;

  constructor(
    readonly file: SourceFile,
    readonly diagnostics: Diagnostic[],
  ) {
    this.text = file.text;
    this.len = file.text.length;
  }

  error(message: string, start: number, end: number): void {
    if (start === this.lastErrorAt) return;
    this.lastErrorAt = start;
    this.diagnostics.push({ rule: SYNTAX_RULE, severity: 'error', message, file: this.file, span: { start, end } });
  }

  /** nginx reads the char at `readIndex` with its buffer starting at ngxStart, then moves the start. */
  private reset(readIndex: number, newStart: number): void {
    // a UTF-16 unit is at most 3 UTF-8 bytes, so fewer than 1366 units always fit
    if (readIndex - this.ngxStart >= 1366) this.checkTooLong(readIndex);
    this.ngxStart = newStart;
    this.ngxQuoteClose = -2;
  }

  /** Move nginx's buffer start without a read (after a Lua block, which has its own reader). */
  restartAt(index: number): void {
    this.ngxStart = index;
    this.ngxQuoteClose = -2;
  }

  private byteLen(from: number, to: number): number {
    if (this.file.encoding === 'latin1') return to - from;
    let bytes = 0;
    const t = this.text;
    for (let i = from; i < to; i++) {
      const c = t.charCodeAt(i);
      bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : c >= 0xd800 && c <= 0xdfff ? 2 : 3;
    }
    return bytes;
  }

  /** index of the char holding byte number `bytes` counted from `from` */
  private indexAtByte(from: number, bytes: number): number {
    if (this.file.encoding === 'latin1') return from + bytes;
    const t = this.text;
    let b = 0;
    let i = from;
    for (; i < this.len; i++) {
      const c = t.charCodeAt(i);
      const w = c < 0x80 ? 1 : c < 0x800 ? 2 : c >= 0xd800 && c <= 0xdfff ? 2 : 3;
      if (b + w > bytes) break;
      b += w;
    }
    return i;
  }

  /**
   * ngx_conf_read_token keeps the current token from `start` in a 4096-byte
   * buffer; reading a byte that does not fit fails with "too long parameter".
   * `start` moves to each token's first char (after an opening quote), and
   * past each `;`, `{` and `}`, so whitespace and comments count too.
   */
  private checkTooLong(readIndex: number): void {
    const from = this.ngxStart;
    if (this.byteLen(from, readIndex) < NGX_CONF_BUFFER) return;
    const failAt = this.indexAtByte(from, NGX_CONF_BUFFER);
    const close = this.ngxQuoteClose;
    let message: string;
    if (close !== -2 && (close === -1 || failAt <= close)) {
      const q = this.text[from - 1] === "'" ? "'" : '"';
      message = `too long parameter, probably missing terminating "${q}" character`;
    } else {
      message = `too long parameter "${this.text.slice(from, this.indexAtByte(from, 10))}..." started`;
    }
    this.error(message, from, readIndex);
  }

  /** Advance to the next token; its kind, span and quote are in the fields. */
  next(): TokenKind {
    const t = this.text;
    const n = this.len;
    let i = this.pos;
    while (i < n && isSpace(t.charCodeAt(i))) i++;
    this.quote = null;
    this.closed = true;
    if (i >= n) {
      this.pos = this.start = this.end = n;
      return (this.kind = TOK_EOF);
    }
    const c = t.charCodeAt(i);
    this.start = i;
    switch (c) {
      case SEMICOLON:
        this.reset(i, i + 1);
        this.pos = this.end = i + 1;
        return (this.kind = TOK_SEMICOLON);
      case LBRACE:
        this.reset(i, i + 1);
        this.pos = this.end = i + 1;
        return (this.kind = TOK_LBRACE);
      case RBRACE:
        this.reset(i, i + 1);
        this.pos = this.end = i + 1;
        return (this.kind = TOK_RBRACE);
      case HASH: {
        this.reset(i, i);
        const lf = t.indexOf('\n', i + 1);
        let end = lf === -1 ? n : lf;
        if (lf !== -1 && end > i + 1 && t.charCodeAt(end - 1) === CR) end--;
        this.end = end;
        this.pos = lf === -1 ? n : lf;
        return (this.kind = TOK_COMMENT);
      }
      case DQUOTE:
      case SQUOTE:
        return this.quoted(i, c);
      default:
        return this.unquoted(i, c);
    }
  }

  private unquoted(i: number, c: number): TokenKind {
    const t = this.text;
    const n = this.len;
    this.reset(i, i);
    let escaped = c === BACKSLASH;
    let backslash = escaped;
    let variable = c === DOLLAR;
    let braceVariable = false;
    let h = c;
    let j = i + 1;
    for (; j < n; j++) {
      const ch = t.charCodeAt(j);
      // an escaped char, and `{` right after `$` (or `${`), are part of the word
      if (escaped) escaped = false;
      else if (ch !== LBRACE || !variable) {
        if (ch === SPACE || ch === LF || ch === TAB || ch === CR || ch === SEMICOLON || ch === LBRACE) break;
        variable = ch === DOLLAR;
        escaped = ch === BACKSLASH;
        if (escaped) backslash = true;
      } else braceVariable = true;
      h = (Math.imul(h, 31) + ch) | 0;
    }
    this.hash = h;
    this.backslash = backslash;
    this.braceVariable = braceVariable;
    this.end = this.pos = j;
    return (this.kind = TOK_WORD);
  }

  private quoted(i: number, q: number): TokenKind {
    const t = this.text;
    const n = this.len;
    this.reset(i, i + 1);
    let escaped = false;
    let j = i + 1;
    for (; j < n; j++) {
      const ch = t.charCodeAt(j);
      if (escaped) {
        escaped = false;
        continue;
      }
      if (ch === BACKSLASH) escaped = true;
      else if (ch === q) break;
    }
    this.quote = q === DQUOTE ? '"' : "'";
    if (j >= n) {
      this.ngxQuoteClose = -1;
      this.closed = false;
      this.end = this.pos = n;
      return (this.kind = TOK_WORD);
    }
    this.ngxQuoteClose = j;
    this.end = this.pos = j + 1;
    // nginx's need_space: only whitespace, `;`, `{` or `)` may follow
    if (j + 1 < n) {
      const ch = t.charCodeAt(j + 1);
      if (!(isSpace(ch) || ch === SEMICOLON || ch === LBRACE || ch === RPAREN)) {
        const cp = t.codePointAt(j + 1)!;
        const s = String.fromCodePoint(cp);
        this.error(`unexpected "${s}"`, j + 1, j + 1 + s.length);
      }
    }
    return (this.kind = TOK_WORD);
  }

  /**
   * Whether the current word is plain: unquoted, and its value is its text
   * (no escape nginx resolves). Makes no string unless the word has a backslash.
   */
  isPlain(): boolean {
    if (this.quote !== null) return false;
    if (!this.backslash) return true;
    const raw = this.text.slice(this.start, this.end);
    return unescapeWord(raw) === raw;
  }

  /**
   * The current word's value when the word is plain (unquoted, and its value
   * is its text: no escape nginx resolves), shared (see internSlice); null
   * for any other word, whose value() resolves it.
   */
  plainValue(): string | null {
    if (this.quote !== null) return null;
    const raw = internSlice(this.text, this.start, this.end, this.hash);
    return !this.backslash || unescapeWord(raw) === raw ? raw : null;
  }

  /** The current word's value: quotes removed and nginx's escapes resolved (plainValue() is the cheaper one for a plain word). */
  value(): string {
    const t = this.text;
    if (this.quote === null) return unescapeWord(internSlice(t, this.start, this.end, this.hash));
    return unescapeWord(t.slice(this.start + 1, this.closed ? this.end - 1 : this.end));
  }

  /**
   * Scan a Lua block body starting just after its `{` (lua-nginx-module's
   * ngx_http_lua_conf_lua_block_parse): braces are counted outside Lua
   * strings ('..', "..", [[..]], [=[..]=]) and comments (--.., --[[..]]).
   * Returns the index of the closing `}`, or -1 at end of file.
   */
  scanLuaBlock(from: number): number {
    const t = this.text;
    const n = this.len;
    let level = 1;
    let j = from;
    while (j < n) {
      const ch = t.charCodeAt(j);
      if (ch === LBRACE) {
        level++;
        j++;
      } else if (ch === RBRACE) {
        if (--level === 0) {
          this.pos = j + 1;
          this.restartAt(j + 1);
          return j;
        }
        j++;
      } else if (ch === DQUOTE || ch === SQUOTE) {
        // a short string ends at its quote; an unescaped line break ends it unterminated
        let k = j + 1;
        let escaped = false;
        let ok = false;
        for (; k < n; k++) {
          const c2 = t.charCodeAt(k);
          if (escaped) {
            escaped = false;
            continue;
          }
          if (c2 === BACKSLASH) escaped = true;
          else if (c2 === ch) {
            ok = true;
            break;
          } else if (c2 === LF) break;
        }
        j = ok ? k + 1 : j + 1;
      } else if (ch === DASH && t.charCodeAt(j + 1) === DASH) {
        const level2 = t.charCodeAt(j + 2) === LBRACKET ? this.longBracketLevel(j + 2) : -1;
        if (level2 >= 0) {
          j = this.skipLongBracket(j + 2, level2);
        } else {
          const lf = t.indexOf('\n', j + 2);
          j = lf === -1 ? n : lf + 1;
        }
      } else if (ch === LBRACKET) {
        const level2 = this.longBracketLevel(j);
        j = level2 >= 0 ? this.skipLongBracket(j, level2) : j + 1;
      } else {
        j++;
      }
    }
    this.pos = n;
    this.error('unexpected end of file, expecting terminating characters for lua code block', n, n);
    return -1;
  }

  /** at `[`: the number of `=` of a long bracket `[==[`, or -1 */
  private longBracketLevel(at: number): number {
    const t = this.text;
    let k = at + 1;
    while (t.charCodeAt(k) === EQUALS) k++;
    return t.charCodeAt(k) === LBRACKET ? k - at - 1 : -1;
  }

  /** skip a long bracket opening at `at` with `level` `=`s; returns the index after its close */
  private skipLongBracket(at: number, level: number): number {
    const open = at + level + 2;
    const close = ']' + '='.repeat(level) + ']';
    const k = this.text.indexOf(close, open);
    if (k === -1) {
      // lua-nginx-module stops here; going on after the opener keeps the rest usable
      this.error(`Lua code block missing the closing long bracket "${close}", the inlined Lua code may be too long`, at, open);
      return open;
    }
    return k + close.length;
  }
}
