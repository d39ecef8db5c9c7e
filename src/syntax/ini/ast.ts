/**
 * The lossless syntax tree of PHP's INI dialect (php.ini and PHP-FPM files).
 *
 * Every byte of the source belongs to exactly one token (whitespace and
 * comments included), so printing the tokens in order gives back the file.
 * Statements (`nodes`) point into the token list by index and carry spans, so
 * a fix can replace a value or insert a line after an entry.
 */
import type { Diagnostic } from '../../diagnostic.js';
import type { SourceFile, Span } from '../source.js';

/** Which reader a file was parsed for: php.ini reads the whole file at once, php-fpm one line at a time. */
export type IniDialect = 'php-ini' | 'fpm';

/**
 * Token types, named as PHP's INI grammar names them (zend_ini_parser.y), so
 * syntax errors read like PHP's own. Single characters are their own type.
 * `WS`, `BOM` and `IGNORED` are trivia that PHP's scanner skips.
 */
export type IniTokenType =
  | 'TC_SECTION'
  | 'TC_LABEL'
  | 'TC_OFFSET'
  | 'TC_RAW'
  | 'TC_CONSTANT'
  | 'TC_NUMBER'
  | 'TC_STRING'
  | 'TC_WHITESPACE'
  | 'TC_DOLLAR_CURLY'
  | 'TC_VARNAME'
  | 'TC_QUOTED_STRING'
  | 'BOOL_TRUE'
  | 'BOOL_FALSE'
  | 'NULL_NULL'
  | 'END_OF_LINE'
  | 'END'
  | 'WS'
  | 'BOM'
  | 'IGNORED'
  | '='
  | ']'
  | '}'
  | '"'
  | '|'
  | '&'
  | '^'
  | '~'
  | '!'
  | '('
  | ')'
  | '{'
  | ':'
  | ','
  | '.'
  | '['
  | "'"
  | '+'
  | '-'
  | '/'
  | '*'
  | '%'
  | '$'
  | '<'
  | '>'
  | '?'
  | '@';

export interface IniToken {
  type: IniTokenType;
  /** offsets into the file's text; may be empty (PHP's zero-length END_OF_LINE before a stray `=`) */
  span: Span;
  /**
   * The token's value as PHP's scanner hands it to the parser: a label or
   * variable name trimmed, a single-quoted string without quotes, a
   * double-quoted chunk with `\"` `\\` `\$` resolved, BOOL_TRUE "1",
   * BOOL_FALSE/NULL_NULL "".
   */
  value: string;
  /** for END_OF_LINE that ends in a `;` comment: the comment from `;` to the line end (line break excluded) */
  comment?: Span;
}

/** One piece of a value, in source order. */
export type IniAtom =
  /** a bare identifier: in values and array offsets PHP replaces it by the constant of that name if one exists */
  | { kind: 'constant'; name: string; span: Span }
  | { kind: 'number'; text: string; span: Span }
  /** other unquoted text */
  | { kind: 'string'; text: string; span: Span }
  /** blanks between unquoted pieces (kept: `a b` is "a b") */
  | { kind: 'whitespace'; text: string; span: Span }
  /** '...': taken literally */
  | { kind: 'raw'; text: string; span: Span }
  /** "...": text with `${NAME}` references */
  | { kind: 'quoted'; parts: IniQuotedPart[]; span: Span; closed: boolean }
  /** ${NAME}: a configuration directive of the running PHP, else an environment variable */
  | { kind: 'var'; name: string; span: Span };

export type IniQuotedPart = { kind: 'text'; text: string; span: Span } | { kind: 'var'; name: string; span: Span };

/** A value expression: PHP evaluates `|` `&` `^` (left to right, same precedence) and `~` `!` on integers. */
export type IniExpr =
  | { kind: 'concat'; atoms: IniAtom[]; span: Span }
  | { kind: 'binary'; op: '|' | '&' | '^'; left: IniExpr; right: IniExpr; span: Span }
  | { kind: 'unary'; op: '~' | '!'; operand: IniExpr; span: Span }
  | { kind: 'paren'; expr: IniExpr; span: Span }
  /** On/Yes/True ("1"), Off/No/False/None ("") and Null ("") as a whole value */
  | { kind: 'keyword'; word: 'true' | 'false' | 'null'; text: string; span: Span };

export interface IniValueNode {
  /** null for `key =` with nothing after it (the value is "") */
  expr: IniExpr | null;
  /** the value's source text, from its first to its last significant byte (empty span right after `=` when there is none) */
  span: Span;
}

interface NodeBase {
  /** the statement's own bytes: first to last significant byte (trailing comment and line break excluded) */
  span: Span;
  /**
   * The whole line(s) the statement occupies, from the start of its first line
   * to just after its line break (or the file end): delete this to remove the
   * statement, insert at `line.end` to add a line after it.
   */
  line: Span;
  /** the `;` comment on the same line after the statement, if any */
  comment: Span | null;
  /** first and one-past-last index into IniFile.tokens */
  tokens: [number, number];
}

/** `[name]` */
export interface IniSection extends NodeBase {
  kind: 'section';
  /** the name as PHP computes it (quotes resolved, `${X}` read from the environment: see `dynamic`) */
  name: string;
  /** the name depends on the environment (`[${POOL}]`) */
  dynamic: boolean;
  /** the parts between the brackets */
  parts: IniAtom[];
  nameSpan: Span;
  open: Span;
  close: Span | null;
}

/** `key = value`, `key[offset] = value`, or a bare `key` */
export interface IniEntry extends NodeBase {
  kind: 'entry';
  /** the key as PHP sees it (surrounding blanks removed) */
  key: string;
  keySpan: Span;
  /** `key[offset]`: the offset's parts (empty for `key[]`); null for a plain key */
  offset: { atoms: IniAtom[]; span: Span; open: Span; close: Span | null } | null;
  /** the `=`; null for a bare key */
  equals: Span | null;
  /** null for a bare key (no `=`) */
  value: IniValueNode | null;
}

/** A line that is only a comment (`; ...`). */
export interface IniComment extends NodeBase {
  kind: 'comment';
  /** the text after `;` */
  text: string;
}

/** Bytes PHP rejects: a syntax error; `diagnostic` says why. */
export interface IniErrorNode extends NodeBase {
  kind: 'error';
  diagnostic: Diagnostic;
}

export type IniNode = IniSection | IniEntry | IniComment | IniErrorNode;

/** One parsed INI file. */
export interface IniFile {
  source: SourceFile;
  dialect: IniDialect;
  /** every byte of the file in order */
  tokens: IniToken[];
  /** statements in source order (blank lines are not nodes; their bytes are in `tokens`) */
  nodes: IniNode[];
  /** syntax errors, in source order; parsing goes on after each */
  diagnostics: Diagnostic[];
}
