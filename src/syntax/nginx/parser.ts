/**
 * The nginx parser: ngx_conf_parse()'s grammar over the tokens of lexer.ts,
 * building the lossless tree of ast.ts. It never throws; syntax errors are
 * Diagnostics (rule `nginx-syntax`) worded as nginx words them, and parsing
 * goes on after each:
 *
 * - `;` or `{` with no directive before it: `unexpected ";"` / `unexpected "{"`;
 *   the `;` is skipped, the `{ ... }` is read as if it were not there (its
 *   directives go to the enclosing block; both braces are kept in `stray`).
 * - `}` after words with no `;`: `unexpected "}"`; the words become a directive
 *   without terminator and the `}` closes the block.
 * - `}` with no open block: `unexpected "}"`, kept in `stray`.
 * - `{` ending an entry of a map, types, geo, split_clients or charset_map
 *   block (nginx parses those with the directive's handler, which takes no
 *   blocks): `unexpected "{"`; a `{` glued to the next char (an unquoted
 *   regex `x{1,5}`) is skipped and the entry read on, else a block is read.
 * - end of file after words: `unexpected end of file, expecting ";" or "}"`;
 *   inside a block: `unexpected end of file, expecting "}"` (once).
 * - from the lexer: `unexpected "c"` after a closing quote, `too long
 *   parameter ...`, and lua-nginx-module's errors for Lua blocks.
 * - a warning (not an nginx syntax error): `${name` without its `}`.
 *
 * Directives whose name ends in `_by_lua_block` and that open a block have
 * their body kept raw (Directive.rawBody), as lua-nginx-module reads it.
 */
import type { Diagnostic } from '../../diagnostic.js';
import type { SourceFile, Span } from '../source.js';
import type { Comment, Directive, NginxFile } from './ast.js';
import { BlockNode, CommentNode, CommentSpans, DirectiveNode, NginxFileNode, type ArgPool } from './nodes.js';
import { Lexer, pastBlanks, SYNTAX_RULE, TOK_COMMENT, TOK_EOF, TOK_LBRACE, TOK_RBRACE, TOK_SEMICOLON, TOK_WORD, unquotedWordEnd } from './lexer.js';

/** Directives whose `{ ... }` is Lua code, not nginx syntax (lua-nginx-module, stream-lua-nginx-module). */
export function isLuaBlockDirective(name: string): boolean {
  return name.endsWith('_by_lua_block');
}

/**
 * Blocks that nginx hands to a directive's own handler (cf->handler) instead of
 * parsing directives: there, ngx_conf_parse rejects any `{` with `unexpected "{"`.
 */
const HANDLER_BLOCKS = new Set(['map', 'types', 'geo', 'split_clients', 'charset_map']);

/**
 * Blocks nested deeper than this are kept as raw text (Directive.rawBody), not
 * read: real configurations nest a handful of levels, and every walk over the
 * tree (analysis, the stack model, rules, printing) recurses once per level.
 * nginx itself has no limit; reported as an `nginx-syntax` error at the `{`.
 */
export const MAX_BLOCK_DEPTH = 100;

interface Level {
  /** inside map/types/geo/split_clients/charset_map */
  handler: boolean;
  /** where the level's nodes start on the parser's node stack (a stray `{` level goes on with its parent's) */
  from: number;
  /** the block this level fills; null for the file and for a stray `{` */
  block: BlockNode | null;
  owner: DirectiveNode | null;
}

export function parseNginx(source: SourceFile): NginxFile {
  const diagnostics: Diagnostic[] = [];
  const stray: Span[] = [];
  const file = new NginxFileNode(source, diagnostics, stray);
  const parser = new Parser(source, file);
  try {
    parser.run();
  } catch (err) {
    parser.finish();
    // not expected; a bug must not take the whole run down
    diagnostics.push({
      rule: SYNTAX_RULE,
      severity: 'error',
      message: `internal parser error: ${err instanceof Error ? err.message : String(err)}`,
      file: source,
      span: { start: 0, end: 0 },
    });
  }
  return file;
}

class Parser {
  private readonly lx: Lexer;
  private readonly text: string;
  private readonly stray: Span[];
  private readonly stack: Level[];
  private level: Level;
  /**
   * The pending directive: its name's value (null: none pending) and start,
   * its arguments' values so far (in [0, argCount)), its comments. Words are
   * not made: a directive makes them from the text when asked (see
   * DirectiveNode).
   */
  private name: string | null = null;
  private nameStart = 0;
  private readonly valueBuf: string[] = [];
  /**
   * The directives of the open levels, innermost last: a block's are copied
   * out, exactly sized, when it closes (a list of its own grown by push would
   * keep room for 17 or more, and be copied as it grows).
   */
  private readonly nodes: Directive[] = [];
  /** the file's comments (outside directives), in text order: a block's run is from its `{` to its `}` (see CommentSpans) */
  private readonly spans: CommentSpans;
  private readonly spanList: number[] = [];
  private top = 0;
  /** the values of this file's directives with two or more arguments (see ArgPool) */
  private readonly pool: ArgPool = [];
  /** whether every word of the pending directive so far is plain (see DirectiveNode) */
  private plain = true;
  private argCount = 0;
  private comments: Comment[] | undefined = undefined;
  /** end of the last token of the pending directive */
  private pendingEnd = 0;
  /** end of the last token seen (for spans of blocks cut off by end of file) */
  private lastEnd = 0;
  private eofReported = false;
  /** blocks open around the current position (stray `{` levels not counted: they nest nothing) */
  private blockDepth = 0;

  constructor(
    private readonly source: SourceFile,
    private readonly file: NginxFileNode,
  ) {
    this.spans = new CommentSpans(source);
    this.spans.at = this.spanList;
    this.lx = new Lexer(source, file.diagnostics);
    this.text = source.text;
    this.stray = file.stray!;
    this.level = { handler: false, from: 0, block: null, owner: null };
    this.stack = [this.level];
  }

  /** the pending words become a directive of the current level */
  private flush(semicolon: boolean, end: number): DirectiveNode {
    const n = this.argCount;
    const values = this.valueBuf;
    let argv: string | ArgPool | undefined;
    let argAt = 0;
    if (this.plain) argAt = n; // the values are read from the text when asked
    else if (n === 1) argv = values[0]!;
    else if (n > 1) {
      const pool = (argv = this.pool);
      argAt = pool.length;
      pool[argAt] = n;
      for (let i = 0; i < n; i++) pool[argAt + 1 + i] = values[i]!;
    }
    const d = new DirectiveNode(this.name!, argv, argAt, semicolon, this.plain, this.nameStart, end, this.source);
    if (this.comments) d.comments = this.comments;
    this.nodes[this.top++] = d;
    this.name = null;
    this.plain = true;
    this.argCount = 0;
    this.comments = undefined;
    return d;
  }

  /**
   * The pending directive's words are no longer all plain: the values of its
   * arguments so far (plain, so not kept) are cut from the text.
   */
  private leavePlain(): void {
    const t = this.text;
    let at = this.nameStart + this.name!.length;
    for (let i = 0; i < this.argCount; i++) {
      const start = pastBlanks(t, at);
      at = unquotedWordEnd(t, start);
      this.valueBuf[i] = t.slice(start, at);
    }
    this.plain = false;
  }

  /** a block's directives leave the stack; its run of comments ends */
  private closeLevel(level: Level): void {
    const block = level.block!;
    block.directives = this.nodes.slice(level.from, this.top);
    block.commentTo = this.spanList.length >> 1;
    this.top = level.from;
  }

  /** at the end (of the file, or of a run cut short by an internal error): the blocks left open, then the file, get their nodes */
  finish(): void {
    for (let i = this.stack.length - 1; i > 0; i--) {
      const level = this.stack[i]!;
      if (level.block) this.closeLevel(level);
    }
    const file = this.file;
    file.directives = this.nodes.slice(0, this.top);
    this.top = 0;
    const n = this.spanList.length >> 1;
    if (n > 0) {
      this.spans.at = Int32Array.from(this.spanList);
      file.comments = this.spans;
      file.commentTo = n;
    }
  }

  /** Skip the tokens of a block whose `{` was just read: the offset of its `}`, or -1 at the end of the file. */
  private skipBlock(): number {
    let depth = 1;
    for (;;) {
      const kind = this.lx.next();
      if (kind === TOK_EOF) return -1;
      if (kind === TOK_LBRACE) depth++;
      else if (kind === TOK_RBRACE && --depth === 0) return this.lx.start;
    }
  }

  run(): void {
    const lx = this.lx;
    const text = this.text;
    const source = this.source;
    const stray = this.stray;
    const stack = this.stack;
    for (;;) {
      const kind = lx.next();
      const start = lx.start;
      const end = lx.end;
      switch (kind) {
        case TOK_WORD: {
          // an unquoted word has `${` only where the lexer read a `{` after `$` as part of it
          if (lx.isPlain()) {
            if (lx.braceVariable) checkBracedVariables(text.slice(start, end), start, source, this.file.diagnostics);
            if (this.name === null) {
              // a map/geo/... entry's first word is a key (`/old/page-17`), seldom repeated: a long one
              // is not shared (the table would keep a copy of each); `default`, `include`, ... still are
              this.name = this.level.handler && end - start > 12 ? text.slice(start, end) : lx.plainValue()!;
              this.nameStart = start;
            } else if (this.plain) this.argCount++; // its value is its text: read when asked (DirectiveNode)
            else this.valueBuf[this.argCount++] = lx.plainValue()!;
          } else {
            const raw = text.slice(start, end);
            if (raw.indexOf('${') !== -1) checkBracedVariables(raw, start, source, this.file.diagnostics);
            if (this.name === null) {
              this.name = lx.value();
              this.nameStart = start;
              this.plain = false;
            } else {
              if (this.plain) this.leavePlain();
              this.valueBuf[this.argCount++] = lx.value();
            }
          }
          this.pendingEnd = end;
          break;
        }
        case TOK_COMMENT: {
          if (this.name !== null) {
            const c: Comment = new CommentNode(start, end, source);
            (this.comments ??= []).push(c);
            this.pendingEnd = end;
          } else this.spanList.push(start, end);
          break;
        }
        case TOK_SEMICOLON:
          if (this.name === null) {
            lx.error('unexpected ";"', start, end);
            stray.push({ start, end });
          } else this.flush(true, end);
          break;
        case TOK_LBRACE: {
          if (this.name === null) {
            lx.error('unexpected "{"', start, end);
            stray.push({ start, end });
            this.level = { handler: this.level.handler, from: this.level.from, block: null, owner: null };
            stack.push(this.level);
            break;
          }
          if (this.level.handler) {
            // a map/types/... entry cannot open a block. `{` glued to the next
            // char is most likely an unquoted regex (`[0-9]{1,5}`): read on as if
            // it were not there; otherwise take it as the block it looks like.
            lx.error('unexpected "{"', start, end);
            const next = text.charCodeAt(end);
            if (end < text.length && next !== 32 && next !== 9 && next !== 10 && next !== 13) {
              stray.push({ start, end });
              // the `{` stands between two words: their places do not follow from the values alone
              if (this.plain) this.leavePlain();
              break;
            }
          }
          const d = this.flush(false, end);
          const open = { start, end };
          if (isLuaBlockDirective(d.nameValue)) {
            const close = lx.scanLuaBlock(end);
            if (close === -1) {
              d.rawBody = { open, body: { start: end, end: text.length }, close: null };
              d.end = text.length;
              this.eofReported = true;
              this.lastEnd = text.length;
              continue;
            }
            d.rawBody = { open, body: { start: end, end: close }, close: { start: close, end: close + 1 } };
            d.end = close + 1;
            this.lastEnd = close + 1;
            continue;
          }
          if (this.blockDepth >= MAX_BLOCK_DEPTH) {
            lx.error(`blocks nested deeper than ${MAX_BLOCK_DEPTH} levels: nginx-lint does not read inside this one`, start, end);
            const close = this.skipBlock();
            const body = { start: end, end: close === -1 ? text.length : close };
            d.rawBody = { open, body, close: close === -1 ? null : { start: close, end: close + 1 } };
            d.end = this.lastEnd = close === -1 ? text.length : close + 1;
            continue;
          }
          const block = new BlockNode(start);
          block.comments = this.spans;
          block.commentFrom = block.commentTo = this.spanList.length >> 1;
          d.block = block;
          this.level = { handler: HANDLER_BLOCKS.has(d.nameValue), from: this.top, block, owner: d };
          stack.push(this.level);
          this.blockDepth++;
          break;
        }
        case TOK_RBRACE:
          if (this.name !== null) {
            lx.error('unexpected "}"', start, end);
            this.flush(false, this.pendingEnd);
          }
          if (stack.length === 1) {
            lx.error('unexpected "}"', start, end);
            stray.push({ start, end });
          } else {
            const level = this.level;
            if (level.block && level.owner) {
              level.block.closeAt = start;
              this.closeLevel(level);
              level.owner.end = end;
              this.blockDepth--;
            } else stray.push({ start, end });
            stack.pop();
            this.level = stack[stack.length - 1]!;
          }
          break;
        case TOK_EOF: {
          const n = text.length;
          if (this.name !== null) {
            if (!this.eofReported) lx.error('unexpected end of file, expecting ";" or "}"', n, n);
            this.flush(false, this.pendingEnd);
            this.lastEnd = this.pendingEnd;
          } else if (stack.length > 1 && !this.eofReported) {
            lx.error('unexpected end of file, expecting "}"', n, n);
          }
          // blocks cut off by the end of the file end with their last token
          for (let i = stack.length - 1; i > 0; i--) {
            const owner = stack[i]!.owner;
            if (owner) owner.end = Math.max(owner.end, this.lastEnd);
          }
          this.finish();
          return;
        }
      }
      this.lastEnd = end;
    }
  }
}

function isNameChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95;
}

/**
 * `${name` not closed by `}` right after the name. nginx's tokenizer accepts it
 * (`server_name ${url ;` loads), but every directive that compiles variables
 * fails on it with this message (ngx_http_script_compile), so it is a warning.
 */
function checkBracedVariables(raw: string, start: number, source: SourceFile, diagnostics: Diagnostic[]): void {
  for (let k = raw.indexOf('${'); k !== -1; k = raw.indexOf('${', k + 2)) {
    let j = k + 2;
    while (j < raw.length && isNameChar(raw.charCodeAt(j))) j++;
    if (raw.charCodeAt(j) === 125) continue;
    diagnostics.push({
      rule: SYNTAX_RULE,
      severity: 'warning',
      message: `the closing bracket in "${raw.slice(k + 2, j)}" variable is missing`,
      file: source,
      span: { start: start + k, end: start + j },
    });
  }
}
