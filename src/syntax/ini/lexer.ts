/**
 * A scanner for PHP's INI dialect that behaves like PHP 8.2's own
 * (Zend/zend_ini_scanner.l, NORMAL mode): the same states, the same
 * longest-match-then-first-rule choice between patterns, the same token
 * values. Unlike PHP's it also returns what PHP skips (blanks, a BOM), so
 * every byte of the input lands in exactly one token.
 */
import type { IniToken, IniTokenType } from './ast.js';
import { trimTrailing } from '../../text-trim.js';

export type ScanState = 'INITIAL' | 'ST_VALUE' | 'ST_SECTION_VALUE' | 'ST_OFFSET' | 'ST_DOUBLE_QUOTES' | 'ST_VARNAME';

const isBlank = (c: string | undefined) => c === ' ' || c === '\t';
/** `[^=\n\r\t;&|^$~(){}!"[]` (PHP 8.2 lets `]` and a NUL byte into labels) */
const LABEL_EXCLUDED = new Set(['=', '\n', '\r', '\t', ';', '&', '|', '^', '$', '~', '(', ')', '{', '}', '!', '"', '[']);
const isLabelChar = (c: string | undefined) => c !== undefined && !LABEL_EXCLUDED.has(c);
/** `{TOKENS}`: characters that are tokens of their own outside values */
const TOKEN_CHARS = new Set([':', ',', '.', '[', ']', '"', "'", '(', ')', '&', '|', '^', '+', '-', '/', '*', '=', '%', '$', '!', '~', '<', '>', '?', '@', '{', '}']);
/** `{OPERATORS}` */
const OPERATOR_CHARS = new Set(['&', '|', '^', '~', '(', ')', '!']);
/** characters `{VALUE_CHARS}` excludes (besides `$`, which starts a literal-dollar unit) */
const VALUE_EXCLUDED = new Set(['=', ' ', '\t', '\n', '\r', ';', '&', '|', '^', '~', '(', ')', '!', '"', "'", '\0']);
/** characters `{SECTION_VALUE_CHARS}` excludes as single characters */
const SECTION_VALUE_EXCLUDED = new Set(['\n', '\r', ';', '"', "'", ']', '\\']);

/** a label's text as PHP keeps it: leading blanks and trailing blanks and line breaks removed */
function labelText(raw: string): string {
  return trimTrailing(raw.replace(/^[ \t]+/, ''), ' \t\r\n');
}

const isAlpha = (c: string | undefined) => c !== undefined && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_');
const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';

interface Match {
  len: number;
  /** rule order in PHP's scanner: ties between equally long matches go to the earlier rule */
  rule: number;
  act: () => IniToken;
}

/**
 * Scans `src` (offsets in tokens are `base + index`). `scanEnd` lets a caller
 * stop early; by default the whole string is scanned.
 */
export class IniScanner {
  state: ScanState = 'INITIAL';
  private stack: ScanState[] = [];
  pos: number;
  private readonly end: number;

  constructor(
    private readonly src: string,
    private readonly base = 0,
    start = 0,
  ) {
    this.pos = start;
    this.end = src.length;
  }

  /** Restart in the INITIAL state at `pos` (error recovery). */
  reset(pos: number): void {
    this.pos = pos;
    this.state = 'INITIAL';
    this.stack = [];
  }

  get atEnd(): boolean {
    return this.pos >= this.end;
  }

  private tok(type: IniTokenType, start: number, end: number, value: string, comment?: [number, number]): IniToken {
    this.pos = end;
    const t: IniToken = { type, span: { start: this.base + start, end: this.base + end }, value };
    if (comment) t.comment = { start: this.base + comment[0], end: this.base + comment[1] };
    return t;
  }

  private begin(s: ScanState): void {
    this.state = s;
  }
  private push(s: ScanState): void {
    this.stack.push(this.state);
    this.state = s;
  }
  private pop(): void {
    this.state = this.stack.pop() ?? 'INITIAL';
  }

  // ---- pattern lengths at position p (-1: no match) ----

  private blanks(p: number): number {
    let i = p;
    while (isBlank(this.src[i])) i++;
    return i - p;
  }
  /** length of `{NEWLINE}` at p */
  private newline(p: number): number {
    const c = this.src[p];
    if (c === '\r') return this.src[p + 1] === '\n' ? 2 : 1;
    if (c === '\n') return 1;
    return 0;
  }
  private label(p: number): number {
    let i = p;
    while (i < this.end && isLabelChar(this.src[i])) i++;
    return i - p;
  }
  /** `("true"|"on"|"yes")`-style words, any case, then blanks */
  private word(p: number, words: readonly string[]): number {
    let best = -1;
    for (const w of words) {
      if (this.src.substr(p, w.length).toLowerCase() === w) best = Math.max(best, w.length + this.blanks(p + w.length));
    }
    return best;
  }
  private constant(p: number): number {
    if (!isAlpha(this.src[p])) return -1;
    let i = p + 1;
    while (isAlpha(this.src[i]) || isDigit(this.src[i])) i++;
    return i - p;
  }
  private number(p: number): number {
    let i = p;
    if (this.src[i] === '-') i++;
    const intStart = i;
    while (isDigit(this.src[i])) i++;
    const intLen = i - intStart;
    let best = intLen > 0 ? i - p : -1;
    if (this.src[i] === '.') {
      let j = i + 1;
      while (isDigit(this.src[j])) j++;
      const fracLen = j - i - 1;
      if (intLen > 0 || fracLen > 0) best = j - p;
    }
    return best;
  }
  /** one `{LITERAL_DOLLAR}` unit at p (which holds `$`) */
  private literalDollar(p: number): number {
    const n = this.src[p + 1];
    if (n === undefined) return 0;
    if (n === '\\' && p + 2 < this.end) return 3;
    if (n !== '{' && n !== '\0') return 2;
    return 0;
  }
  private valueChars(p: number): number {
    let i = p;
    while (i < this.end) {
      const c = this.src[i]!;
      if (c === '$') {
        const l = this.literalDollar(i);
        if (!l) break;
        i += l;
      } else if (VALUE_EXCLUDED.has(c)) break;
      else i++;
    }
    return i - p;
  }
  private sectionValueChars(p: number): number {
    let i = p;
    while (i < this.end) {
      const c = this.src[i]!;
      if (c === '$') {
        const l = this.literalDollar(i);
        if (!l) break;
        i += l;
      } else if (c === '\\') {
        if (i + 1 >= this.end) break;
        i += 2;
      } else if (SECTION_VALUE_EXCLUDED.has(c)) break;
      else i++;
    }
    return i - p;
  }
  /** `"'"[^']+"'"` */
  private rawString(p: number): number {
    if (this.src[p] !== "'") return -1;
    const close = this.src.indexOf("'", p + 1);
    if (close === -1 || close === p + 1 || close >= this.end) return -1;
    return close + 1 - p;
  }
  /** `{TABS_AND_SPACES}*[;][^\r\n]*{NEWLINE}` (PHP also ends a comment at the end of the input) */
  private comment(p: number): number {
    const b = this.blanks(p);
    if (this.src[p + b] !== ';') return -1;
    let i = p + b + 1;
    while (i < this.end && this.src[i] !== '\r' && this.src[i] !== '\n') i++;
    return i - p + this.newline(i);
  }

  /** The next token, trivia included. At the end of input returns END (or END_OF_LINE in a value) with an empty span. */
  next(): IniToken {
    const p = this.pos;
    if (p >= this.end) {
      if (this.state === 'ST_VALUE') {
        this.begin('INITIAL');
        return this.tok('END_OF_LINE', p, p, '');
      }
      return this.tok('END', p, p, '');
    }
    // PHP skips a UTF-8 BOM at the very start (only when more than 3 bytes follow... in bytes; U+FEFF here)
    if (p === 0 && this.base === 0 && this.src[0] === '\uFEFF' && this.end > 1) {
      return this.tok('BOM', 0, 1, '');
    }
    const matches: Match[] = [];
    const add = (len: number, rule: number, act: () => IniToken) => {
      if (len >= 0) matches.push({ len, rule, act });
    };
    const src = this.src;
    const c = src[p]!;
    const end = this.end;
    /*
     * PHP scans a buffer followed by NUL bytes and stops with END (0) as soon
     * as a pattern reads past the first of them (YYFILL). Patterns that can
     * take a NUL byte (a label, a comment without a line break, an unclosed
     * single quote, section text) do so at the end of the input.
     */
    let pastEnd = false;
    const comment = this.comment(p);
    const commentPastEnd = comment >= 0 && p + comment === end && !/[\r\n]$/.test(src.slice(p, p + comment));

    switch (this.state) {
      case 'INITIAL': {
        if (this.label(p) > 0 && p + this.label(p) === end) pastEnd = true;
        if (commentPastEnd) pastEnd = true;
        if (c === '[')
          add(1, 1, () => {
            this.begin('ST_SECTION_VALUE');
            return this.tok('TC_SECTION', p, p + 1, '[');
          });
        const lab = this.label(p);
        if (lab > 0 && src[p + lab] === '[') {
          const len = lab + 1 + this.blanks(p + lab + 1);
          add(len, 4, () => {
            this.begin('ST_OFFSET');
            return this.tok('TC_OFFSET', p, p + len, labelText(src.slice(p, p + lab)));
          });
        }
        const tr = this.word(p, ['true', 'on', 'yes']);
        add(tr, 9, () => this.tok('BOOL_TRUE', p, p + tr, '1'));
        const fa = this.word(p, ['false', 'off', 'no', 'none']);
        add(fa, 10, () => this.tok('BOOL_FALSE', p, p + fa, ''));
        const nu = this.word(p, ['null']);
        add(nu, 11, () => this.tok('NULL_NULL', p, p + nu, ''));
        if (lab > 0) {
          add(lab, 12, () => this.tok('TC_LABEL', p, p + lab, labelText(src.slice(p, p + lab))));
        }
        {
          const b = this.blanks(p);
          if (src[p + b] === '=') {
            const len = b + 1 + this.blanks(p + b + 1);
            add(len, 13, () => {
              this.begin('ST_VALUE');
              return this.tok('=', p, p + len, '=');
            });
          }
        }
        if (TOKEN_CHARS.has(c)) add(1, 18, () => this.tok(c as IniTokenType, p, p + 1, c));
        {
          const b = this.blanks(p);
          if (b > 0) add(b, 27, () => this.tok('WS', p, p + b, ''));
          const nl = this.newline(p + b);
          if (nl > 0) add(b + nl, 28, () => this.tok('END_OF_LINE', p, p + b + nl, ''));
        }
        this.addComment(p, matches, 29);
        add(1, 31, () => this.tok('END', p, p + 1, ''));
        break;
      }
      case 'ST_VALUE': {
        if (commentPastEnd || (c === "'" && this.rawString(p) < 0 && src.indexOf("'", p + 1) === -1)) pastEnd = true;
        this.addRaw(p, matches);
        if (c === '$' && src[p + 1] === '{')
          add(2, 6, () => {
            this.push('ST_VARNAME');
            return this.tok('TC_DOLLAR_CURLY', p, p + 2, '${');
          });
        const tr = this.word(p, ['true', 'on', 'yes']);
        add(tr, 9, () => this.tok('BOOL_TRUE', p, p + tr, '1'));
        const fa = this.word(p, ['false', 'off', 'no', 'none']);
        add(fa, 10, () => this.tok('BOOL_FALSE', p, p + fa, ''));
        const nu = this.word(p, ['null']);
        add(nu, 11, () => this.tok('NULL_NULL', p, p + nu, ''));
        {
          const b = this.blanks(p);
          const nl = this.newline(p + b);
          if (nl > 0)
            add(b + nl, 15, () => {
              this.begin('INITIAL');
              return this.tok('END_OF_LINE', p, p + b + nl, '');
            });
        }
        this.addConstantNumber(p, matches);
        if (OPERATOR_CHARS.has(c)) {
          const len = 1 + this.blanks(p + 1);
          add(len, 19, () => this.tok(c as IniTokenType, p, p + len, c));
        }
        // `[=]` matches one byte, then yyless(0) gives it back: a zero-length END_OF_LINE
        if (c === '=')
          add(1, 20, () => {
            this.begin('INITIAL');
            return this.tok('END_OF_LINE', p, p, '');
          });
        {
          const v = this.valueChars(p);
          if (v > 0) add(v, 21, () => this.tok('TC_STRING', p, p + v, src.slice(p, p + v)));
        }
        this.addQuoteOpen(p, matches);
        this.addWhitespace(p, matches);
        this.addComment(p, matches, 29);
        add(1, 30, () => {
          this.begin('INITIAL');
          return this.tok('END_OF_LINE', p, p + 1, '');
        });
        break;
      }
      case 'ST_SECTION_VALUE':
      case 'ST_OFFSET': {
        if (c === "'" && this.rawString(p) < 0 && src.indexOf("'", p + 1) === -1) pastEnd = true;
        const sv = this.sectionValueChars(p);
        if (sv > 0 && p + sv === end) pastEnd = true;
        this.addRaw(p, matches);
        if (this.state === 'ST_SECTION_VALUE') {
          if (c === ']') {
            const b = this.blanks(p + 1);
            const len = 1 + b + this.newline(p + 1 + b);
            add(len, 3, () => {
              this.begin('INITIAL');
              return this.tok(']', p, p + len, ']');
            });
          }
        } else {
          const b = this.blanks(p);
          if (src[p + b] === ']')
            add(b + 1, 5, () => {
              this.begin('INITIAL');
              return this.tok(']', p, p + b + 1, ']');
            });
        }
        if (c === '$' && src[p + 1] === '{')
          add(2, 6, () => {
            this.push('ST_VARNAME');
            return this.tok('TC_DOLLAR_CURLY', p, p + 2, '${');
          });
        this.addConstantNumber(p, matches);
        {
          const v = this.sectionValueChars(p);
          if (v > 0) add(v, 22, () => this.tok('TC_STRING', p, p + v, src.slice(p, p + v)));
        }
        this.addQuoteOpen(p, matches);
        this.addWhitespace(p, matches);
        add(1, 31, () => this.tok('END', p, p + 1, ''));
        break;
      }
      case 'ST_DOUBLE_QUOTES': {
        if (c === '$' && src[p + 1] === '{')
          add(2, 6, () => {
            this.push('ST_VARNAME');
            return this.tok('TC_DOLLAR_CURLY', p, p + 2, '${');
          });
        if (c === '"') {
          const len = 1 + this.blanks(p + 1);
          add(len, 24, () => {
            this.pop();
            return this.tok('"', p, p + len, '"');
          });
        }
        add(1, 25, () => this.quotedChunk(p));
        break;
      }
      case 'ST_VARNAME': {
        if (isLabelChar(c)) {
          const len = this.label(p);
          add(len, 7, () => this.tok('TC_VARNAME', p, p + len, labelText(src.slice(p, p + len))));
        }
        if (c === '}')
          add(1, 8, () => {
            this.pop();
            return this.tok('}', p, p + 1, '}');
          });
        add(1, 31, () => this.tok('END', p, p + 1, ''));
        break;
      }
    }
    if (pastEnd) {
      const t = this.tok('END', p, end, '');
      if (commentPastEnd) t.comment = { start: this.base + src.indexOf(';', p), end: this.base + end };
      return t;
    }
    let best: Match | undefined;
    for (const m of matches) {
      if (!best || m.len > best.len || (m.len === best.len && m.rule < best.rule)) best = m;
    }
    // every state has a catch-all rule, so there is always a match
    return best!.act();
  }

  private addRaw(p: number, matches: Match[]): void {
    const len = this.rawString(p);
    if (len > 0) matches.push({ len, rule: 2, act: () => this.tok('TC_RAW', p, p + len, this.src.slice(p + 1, p + len - 1)) });
  }
  private addConstantNumber(p: number, matches: Match[]): void {
    const cl = this.constant(p);
    if (cl > 0) matches.push({ len: cl, rule: 16, act: () => this.tok('TC_CONSTANT', p, p + cl, this.src.slice(p, p + cl)) });
    const nl = this.number(p);
    if (nl > 0) matches.push({ len: nl, rule: 17, act: () => this.tok('TC_NUMBER', p, p + nl, this.src.slice(p, p + nl)) });
  }
  private addQuoteOpen(p: number, matches: Match[]): void {
    const b = this.blanks(p);
    if (this.src[p + b] === '"') {
      matches.push({
        len: b + 1,
        rule: 23,
        act: () => {
          this.push('ST_DOUBLE_QUOTES');
          return this.tok('"', p, p + b + 1, '"');
        },
      });
    }
  }
  private addWhitespace(p: number, matches: Match[]): void {
    const b = this.blanks(p);
    if (b > 0) matches.push({ len: b, rule: 26, act: () => this.tok('TC_WHITESPACE', p, p + b, this.src.slice(p, p + b)) });
  }
  private addComment(p: number, matches: Match[], rule: number): void {
    const len = this.comment(p);
    if (len < 0) return;
    matches.push({
      len,
      rule,
      act: () => {
        this.begin('INITIAL');
        const semi = this.src.indexOf(';', p);
        let e = p + len;
        while (e > semi + 1 && (this.src[e - 1] === '\n' || this.src[e - 1] === '\r')) e--;
        return this.tok('END_OF_LINE', p, p + len, '', [semi, e]);
      },
    });
  }

  /** `<ST_DOUBLE_QUOTES>[^]`: text up to the closing quote or `${`, escapes resolved */
  private quotedChunk(p: number): IniToken {
    const src = this.src;
    let s = p;
    while (s < this.end) {
      const c = src[s++];
      if (c === '"') {
        s--;
        break;
      }
      if (c === '$' && s < this.end && src[s] === '{') {
        s--;
        break;
      }
      if (c === '\\' && s < this.end) {
        const escaped = src[s++];
        // key="C:\path\" : a backslash-quote at the line end closes the string
        if (escaped === '"' && (s >= this.end || src[s] === '\n' || src[s] === '\r')) {
          s--;
          break;
        }
      }
    }
    return this.tok('TC_QUOTED_STRING', p, s, unescapeDoubleQuoted(src.slice(p, s)));
  }
}

/** zend_ini_escape_string for `"`: `\"` `\\` `\$` lose the backslash, other escapes stay as written. */
export function unescapeDoubleQuoted(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c !== '\\') {
      out += c;
      continue;
    }
    const n = s[i + 1];
    if (n === undefined) {
      out += '\\';
      continue;
    }
    if (n === '"' || n === '\\' || n === '$') out += n;
    else out += '\\' + n;
    i++;
  }
  return out;
}
