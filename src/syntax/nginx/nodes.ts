/**
 * The parser's node objects: the shapes of ast.ts with their spans inline.
 *
 * A big tree has half a million directives and a million and a half words,
 * and all of them live until the run ends, so every object per node is copied
 * by the young-generation GCs that see it (their cost follows the number of
 * objects kept, not their bytes). A Word or a
 * Directive here carries its `start` and `end` itself and its `span` is the
 * node (a Span is just those two fields); a Comment likewise. The `;` of a
 * simple directive is always the char before the directive's end, so it is
 * kept as a flag and made on demand, as are a block's `{` and `}` (one char
 * each) and a comment's text. A directive whose words are all plain keeps
 * its name and argument count and reads the arguments' values from the text
 * when asked; any other keeps its values (two or more in one array per
 * parse, ArgPool). Words are made when asked, by lexing the text again (see
 * DirectiveNode): the lint reads values through nameOf / argCount /
 * argValue / argValues.
 * A block or file keeps its directives (`directives`, read by the lint's
 * walks through directivesOf) and its comments as offsets, and makes its
 * `children` with Comment nodes when first read (see CommentSpans).
 * Readers see the interfaces of ast.ts unchanged; only the extra fields show
 * in `Object.keys` (a plain word's end is a getter, `children` an accessor).
 * JSON.stringify gives the plain shapes of ast.ts, as before (each class's
 * toJSON).
 */
import type { SourceFile, Span } from '../source.js';
import type { Diagnostic } from '../../diagnostic.js';
import type { Block, Comment, Directive, NginxFile, Node, Quote, Word } from './ast.js';
import { Lexer, pastBlanks, TOK_EOF, TOK_RBRACE, TOK_SEMICOLON, TOK_WORD, unquotedWordEnd } from './lexer.js';

/** A node's `span` reads as the node itself (it has `start` and `end`); setting it moves both. */
function spanIsSelf(node: { prototype: object }): void {
  Object.defineProperty(node.prototype, 'span', {
    get(this: Span): Span {
      return this;
    },
    set(this: Span, s: Span) {
      this.start = s.start;
      this.end = s.end;
    },
    configurable: true,
  });
}

export class WordNode implements Word {
  constructor(
    public raw: string,
    public value: string,
    public quote: Quote,
    public start: number,
    public end: number,
  ) {}

  /** the word itself (it has the span's fields): see spanIsSelf */
  declare span: Span;

  toJSON(): Word {
    return { raw: this.raw, value: this.value, quote: this.quote, span: { start: this.start, end: this.end } };
  }
}

/**
 * An unquoted word without a backslash (nine words in ten): its value is its
 * text and it has no quote, so it keeps neither; it ends where its text ends,
 * so it keeps no end either (8 bytes less for each of a million and a half
 * words that every young-generation GC copies). A span set to another length
 * gives the word an own `end`.
 */
export class PlainWordNode implements Word {
  constructor(
    public raw: string,
    public start: number,
  ) {}

  get value(): string {
    return this.raw;
  }

  get quote(): Quote {
    return null;
  }

  get end(): number {
    return this.start + this.raw.length;
  }

  set end(end: number) {
    Object.defineProperty(this, 'end', { value: end, writable: true, enumerable: true, configurable: true });
  }

  declare span: Span;

  toJSON(): Word {
    return { raw: this.raw, value: this.raw, quote: null, span: { start: this.start, end: this.end } };
  }
}

/** a directive's Words, once made (or set): kept beside the directive, not in two more fields of each */
interface MadeWords {
  name?: Word;
  args?: Word[];
}
const madeWords = new WeakMap<DirectiveNode, MadeWords>();

function wordsOf(d: DirectiveNode): MadeWords {
  let made = madeWords.get(d);
  if (!made) madeWords.set(d, (made = {}));
  return made;
}

/** DirectiveNode.flags: the directive ends with a `;` (at end - 1) */
const F_TERMINATED = 1;
/** DirectiveNode.flags: some word is not plain, so its Words are made by reading the text again with the lexer */
const F_LEX = 2;
/**
 * DirectiveNode.flags: every word is plain and the arguments' values are read
 * from the text when asked (argv is undefined; the bits above hold the count)
 */
const F_TEXT = 4;
/** DirectiveNode.flags: the bits above hold the argument count (F_TEXT), or where the count is in argv's pool */
const ARG_AT_SHIFT = 3;

/**
 * Where the values of directives with two or more arguments are kept: one
 * array per parse, each directive's count followed by its values, found by
 * the directive's `flags` (see DirectiveNode). A 10,000-site tree has 220,000
 * such directives; an array of their own would be two more objects each (the
 * array and its elements) for every young-generation GC to copy.
 */
export type ArgPool = (string | number)[];

/**
 * A directive keeps the values of its name and arguments, not their words:
 * nine in ten of a big tree's million and a half words are plain (unquoted,
 * no escape: the value is the text as written), and a plain word's place
 * follows from the text (after the name, past blanks and comments, the next
 * word is the next value). So the name and argument Words are made when
 * first asked for, by reading the directive's text again with the lexer
 * (quoted and escaped words too), and kept from then on; the lint itself
 * reads values (nameOf, argCount, argValue, argValues) and never makes most
 * of them.
 *
 * `rawBody` and `comments` are own fields only on the directives that have
 * one: the prototype holds null / undefined for the rest (most directives
 * are simple and uncommented), 16 bytes less per directive. `block` is a
 * field of every directive (null for most): the object has room for it
 * anyway (V8 sizes it at 80 bytes either way), and one shape for block and
 * simple directives keeps the lint's reads of them monomorphic (−0.4%
 * instructions at N=10,000).
 */
export class DirectiveNode implements Directive {
  declare readonly kind: 'directive';
  block: Block | null;
  declare rawBody: { open: Span; body: Span; close: Span | null } | null;
  declare comments: Comment[] | undefined;
  /** F_TERMINATED, F_LEX or F_TEXT, and from bit ARG_AT_SHIFT on: the argument count (F_TEXT) or where it is in argv's pool */
  flags: number;
  /** the name's value */
  nameValue: string;
  /** the arguments' values, unless they are read from the text (F_TEXT): undefined for none, the value for one, an ArgPool for more (at flags >> ARG_AT_SHIFT) */
  argv: string | ArgPool | undefined;

  /**
   * `plain`: every word is plain (unquoted, no escape, no `{` skipped
   * between two), so each argument's value is its text, the next word after
   * the one before: `argv` is then undefined and `argAt` the argument count.
   * Otherwise `argv` holds the values (see the field) and `argAt` where they
   * are in the pool (0 unless argv is one). Set `block` after, and
   * `comments` or `rawBody` (own fields) where there are any.
   */
  constructor(
    nameValue: string,
    argv: string | ArgPool | undefined,
    argAt: number,
    terminated: boolean,
    plain: boolean,
    public start: number,
    public end: number,
    public file: SourceFile,
  ) {
    this.flags = (argAt << ARG_AT_SHIFT) | (terminated ? F_TERMINATED : 0) | (plain ? F_TEXT : F_LEX);
    this.nameValue = nameValue;
    this.argv = argv;
    this.block = null;
  }

  /** whether the directive ends with a `;` */
  get terminated(): boolean {
    return (this.flags & F_TERMINATED) !== 0;
  }

  set terminated(t: boolean) {
    this.flags = (this.flags & ~F_TERMINATED) | (t ? F_TERMINATED : 0);
  }

  get name(): Word {
    const made = wordsOf(this);
    if (!made.name) this.makeWords(made);
    return made.name!;
  }

  set name(w: Word) {
    if ((this.flags & F_TEXT) !== 0) this.keepValues(argValues(this));
    wordsOf(this).name = w;
    this.nameValue = w.value;
  }

  /** the directive itself (see spanIsSelf); moving it first keeps the values it read from the text */
  get span(): Span {
    return this;
  }

  set span(s: Span) {
    if ((this.flags & F_TEXT) !== 0) this.keepValues(argValues(this));
    this.start = s.start;
    this.end = s.end;
  }

  /** keep the arguments' values in argv, where they no longer follow from the text (a name or span set) */
  private keepValues(values: readonly string[]): void {
    this.argv = values.length === 0 ? undefined : values.length === 1 ? values[0]! : [values.length, ...values];
    this.flags &= F_TERMINATED | F_LEX;
  }

  get args(): Word[] {
    const made = wordsOf(this);
    if (!made.args) this.makeWords(made);
    return made.args!;
  }

  set args(ws: Word[]) {
    wordsOf(this).args = ws;
    this.argv = ws.length === 0 ? undefined : ws.length === 1 ? ws[0]!.value : [ws.length, ...ws.map((w) => w.value)];
    this.keepValues(ws.map((w) => w.value));
  }

  /**
   * The name and argument Words not made (or set) yet, from the text. Plain
   * words follow from their values: each starts after the word before, past
   * blanks and `#` comments. Otherwise the directive's words are the word
   * tokens from its start on, read again with the lexer (a `#` comment
   * between them, or a `{` the parser skipped inside a map, is not one).
   */
  private makeWords(made: MadeWords): void {
    if ((this.flags & F_LEX) === 0) {
      made.name ??= new PlainWordNode(this.nameValue, this.start);
      made.args ??= this.plainArgs(made.name);
      return;
    }
    const want = 1 + argCount(this);
    const words = new Array<Word>(want);
    const lx = new Lexer(this.file, []);
    lx.restartAt(this.start);
    lx.pos = this.start;
    let n = 0;
    while (n < want) {
      const kind = lx.next();
      if (kind === TOK_WORD) words[n++] = lexedWord(lx);
      else if (kind === TOK_EOF || kind === TOK_SEMICOLON || kind === TOK_RBRACE) break; // not reached for a parsed directive
    }
    for (; n < want; n++) words[n] = new PlainWordNode(n === 0 ? this.nameValue : argValue(this, n - 1)!, this.end);
    made.name ??= words[0];
    made.args ??= words.slice(1);
  }

  /** the Words of plain arguments: each starts after the word before (the name first), past blanks and `#` comments */
  private plainArgs(name: Word): Word[] {
    const values = argValues(this);
    const t = this.file.text;
    const words = new Array<Word>(values.length);
    let at = name.span.end;
    for (let i = 0; i < values.length; i++) {
      at = pastBlanks(t, at);
      words[i] = new PlainWordNode(values[i]!, at);
      at += values[i]!.length;
    }
    return words;
  }

  /** the `;`: the directive's last char (a new object at each read) */
  get semicolon(): Span | null {
    return this.terminated ? { start: this.end - 1, end: this.end } : null;
  }

  /** only a one-char `;` span (or null) can be set: the directive then ends with it */
  set semicolon(s: Span | null) {
    this.terminated = s !== null;
    if (s) this.end = s.end;
  }

  toJSON(): Directive {
    const { name, args, block, rawBody, semicolon, comments, file } = this;
    return { kind: 'directive', name, args, block, rawBody, semicolon, comments, span: { start: this.start, end: this.end }, file };
  }
}
Object.defineProperty(DirectiveNode.prototype, 'kind', { value: 'directive', enumerable: true });
for (const [field, value] of [['rawBody', null], ['comments', undefined]] as const) Object.defineProperty(DirectiveNode.prototype, field, { value, writable: true });

export class CommentNode implements Comment {
  declare readonly kind: 'comment';

  constructor(
    public start: number,
    public end: number,
    public file: SourceFile,
  ) {}

  /** the text after `#`, cut from the file when asked (the lint itself reads comments from the file's text) */
  get text(): string {
    return this.file.text.slice(this.start + 1, this.end);
  }

  declare span: Span;

  toJSON(): Comment {
    return { kind: 'comment', text: this.text, span: { start: this.start, end: this.end }, file: this.file };
  }
}
Object.defineProperty(CommentNode.prototype, 'kind', { value: 'comment', enumerable: true });

for (const node of [WordNode, PlainWordNode, CommentNode]) spanIsSelf(node);

/** the lexer's current word token as a Word */
function lexedWord(lx: Lexer): Word {
  const raw = lx.file.text.slice(lx.start, lx.end);
  if (lx.quote === null) {
    const value = lx.value();
    return value === raw ? new PlainWordNode(raw, lx.start) : new WordNode(raw, value, null, lx.start, lx.end);
  }
  return new WordNode(raw, lx.value(), lx.quote, lx.start, lx.end);
}

/**
 * Where a parsed file's comments are (those that are children, not a
 * directive's own): the start and end offset of each, two numbers per
 * comment, in text order, so a block's comments and those of the blocks
 * inside it are one run. A big tree has a quarter of a million comments,
 * and the lint reads none of them as nodes (suppressions read the text): a
 * block or file keeps its directives and the run of its comments, and makes
 * its `children`, with Comment nodes, when they are first read (see
 * childrenOf). Comment nodes were 230,000 of the two million objects that
 * every young-generation GC copied at N=10,000.
 */
export class CommentSpans {
  /** start, end of each comment: a list while parsing, then exactly sized */
  at: Int32Array | number[] = [];

  constructor(readonly source: SourceFile) {}
}

/** the `children` lists made with comments (or set), kept beside their block or file */
const madeChildren = new WeakMap<object, Node[]>();

/** A block or file of the parser: its directives, and its comments as spans (see CommentSpans). */
interface Parent {
  directives: Directive[];
  /** the run of its comments (nested blocks' included) in `comments`' spans: [commentFrom, commentTo); commentTo -1 once `children` is set */
  commentFrom: number;
  commentTo: number;
  comments: CommentSpans | null;
}

/**
 * The children of a block or file: its directives, with its comments put
 * among them in text order (made once, then kept). A comment of the run
 * that lies inside one of the directives is a nested block's (or a
 * directive's own, in its `comments`), not this level's.
 */
function childrenOf(p: Parent): Node[] {
  if (p.commentTo === p.commentFrom) return p.directives;
  let out = madeChildren.get(p);
  if (out) return out;
  const ds = p.directives;
  const spans = p.comments!;
  const at = spans.at;
  out = [];
  let j = 0;
  for (let k = p.commentFrom; k < p.commentTo; k++) {
    const start = at[2 * k]!;
    while (j < ds.length && ds[j]!.span.end <= start) out.push(ds[j++]!);
    if (j < ds.length && ds[j]!.span.start <= start) continue;
    out.push(new CommentNode(start, at[2 * k + 1]!, spans.source));
  }
  while (j < ds.length) out.push(ds[j++]!);
  madeChildren.set(p, out);
  return out;
}

/** `children` set by hand: kept as given; the lint's walks read its directives */
function setChildren(p: Parent, nodes: Node[]): void {
  madeChildren.set(p, nodes);
  p.directives = nodes.filter((n): n is Directive => n.kind === 'directive');
  p.commentFrom = 0;
  p.commentTo = -1;
}

/** a block; its `{` and `}` are one char each, kept as offsets and made on demand */
export class BlockNode implements Block, Parent {
  /** the `}`'s offset; -1 when the file ended first */
  closeAt = -1;
  /** the block's directives in order, without its comments (see CommentSpans) */
  directives: Directive[] = [];
  commentFrom = 0;
  commentTo = 0;
  comments: CommentSpans | null = null;

  constructor(public openAt: number) {}

  /** the directives and comments, in order: made when first read if the block has comments */
  get children(): Node[] {
    return childrenOf(this);
  }

  set children(nodes: Node[]) {
    setChildren(this, nodes);
  }

  get open(): Span {
    return { start: this.openAt, end: this.openAt + 1 };
  }

  set open(s: Span) {
    this.openAt = s.start;
  }

  get close(): Span | null {
    return this.closeAt < 0 ? null : { start: this.closeAt, end: this.closeAt + 1 };
  }

  set close(s: Span | null) {
    this.closeAt = s ? s.start : -1;
  }

  toJSON(): Block {
    return { open: this.open, close: this.close, children: this.children };
  }
}

/**
 * A parsed file: `children` as for a block (its directives, and its comments
 * made into nodes when first read); JSON as the plain NginxFile.
 */
export class NginxFileNode implements NginxFile, Parent {
  directives: Directive[] = [];
  commentFrom = 0;
  commentTo = 0;
  comments: CommentSpans | null = null;

  constructor(
    public source: SourceFile,
    public diagnostics: Diagnostic[],
    public stray: Span[],
  ) {}

  get children(): Node[] {
    return childrenOf(this);
  }

  set children(nodes: Node[]) {
    setChildren(this, nodes);
  }

  toJSON(): NginxFile {
    return { source: this.source, children: this.children, diagnostics: this.diagnostics, stray: this.stray };
  }
}

/**
 * The directives of a block or file, without its comments: what the lint's
 * walks read (a parsed tree's list as it is, no Comment made; a tree made by
 * hand, its children filtered).
 */
export function directivesOf(parent: Block | NginxFile): readonly Directive[] {
  if (parent instanceof BlockNode || parent instanceof NginxFileNode) return parent.directives;
  return parent.children.filter((n): n is Directive => n.kind === 'directive');
}

/** the directive's name (its value), without making its Word */
export function nameOf(d: Directive): string {
  return d instanceof DirectiveNode ? d.nameValue : d.name.value;
}

/**
 * The last argument read from the text (see textArg): readers that go through
 * a directive's arguments in order scan its text once, not once per argument.
 * (It keeps that one directive, and so its file, alive until the next read.)
 */
let lastRead: DirectiveNode | null = null;
let lastIndex = -1;
/** where the last argument read starts and ends */
let lastStart = 0;
let lastEnd = 0;

/** argument i (in range) of a directive whose values are read from the text (F_TEXT) */
function textArg(d: DirectiveNode, i: number): string {
  const t = d.file.text;
  let k = -1;
  let at = d.start + d.nameValue.length;
  if (lastRead === d && lastIndex <= i) {
    k = lastIndex;
    at = lastEnd;
    if (k === i) return t.slice(lastStart, at);
  }
  for (;;) {
    const start = pastBlanks(t, at);
    at = unquotedWordEnd(t, start);
    if (++k === i) {
      lastRead = d;
      lastIndex = i;
      lastStart = start;
      lastEnd = at;
      return t.slice(start, at);
    }
  }
}

/** how many arguments the directive has, without making their Words */
export function argCount(d: Directive): number {
  if (!(d instanceof DirectiveNode)) return d.args.length;
  if ((d.flags & F_TEXT) !== 0) return d.flags >>> ARG_AT_SHIFT;
  const v = d.argv;
  return v === undefined ? 0 : typeof v === 'string' ? 1 : (v[d.flags >>> ARG_AT_SHIFT] as number);
}

/** argument i's value (undefined past the last), without making the Words */
export function argValue(d: Directive, i: number): string | undefined {
  if (!(d instanceof DirectiveNode)) return d.args[i]?.value;
  if ((d.flags & F_TEXT) !== 0) return i >= 0 && i < d.flags >>> ARG_AT_SHIFT ? textArg(d, i) : undefined;
  const v = d.argv;
  if (v === undefined) return undefined;
  if (typeof v === 'string') return i === 0 ? v : undefined;
  const at = d.flags >>> ARG_AT_SHIFT;
  return i >= 0 && i < (v[at] as number) ? (v[at + 1 + i] as string) : undefined;
}

/** the arguments' values (a new array), without making the Words */
export function argValues(d: Directive): string[] {
  if (!(d instanceof DirectiveNode)) return d.args.map((a) => a.value);
  if ((d.flags & F_TEXT) !== 0) {
    const n = d.flags >>> ARG_AT_SHIFT;
    const out = new Array<string>(n);
    const t = d.file.text;
    let at = d.start + d.nameValue.length;
    for (let i = 0; i < n; i++) {
      const start = pastBlanks(t, at);
      at = unquotedWordEnd(t, start);
      out[i] = t.slice(start, at);
    }
    return out;
  }
  const v = d.argv;
  if (v === undefined) return [];
  if (typeof v === 'string') return [v];
  const at = d.flags >>> ARG_AT_SHIFT;
  return v.slice(at + 1, at + 1 + (v[at] as number)) as string[];
}

/**
 * Where argument i is written (undefined past the last), without making and
 * keeping the directive's Words where it has none yet and all its words are
 * plain: rules that report at an argument of thousands of directives.
 */
export function argSpan(d: Directive, i: number): Span | undefined {
  if (!(d instanceof DirectiveNode) || (d.flags & F_LEX) !== 0 || madeWords.has(d)) {
    const w = d.args[i];
    return w && { start: w.span.start, end: w.span.end };
  }
  if (i < 0 || i >= argCount(d)) return undefined;
  const t = d.file.text;
  const fromText = (d.flags & F_TEXT) !== 0;
  let at = d.start + d.nameValue.length;
  for (let k = 0; ; k++) {
    at = pastBlanks(t, at);
    const end = fromText ? unquotedWordEnd(t, at) : at + argValue(d, k)!.length;
    if (k === i) return { start: at, end };
    at = end;
  }
}

/** `d.semicolon !== null`, without making the span for a parsed directive */
export function endsWithSemicolon(d: Directive): boolean {
  return d instanceof DirectiveNode ? (d.flags & F_TERMINATED) !== 0 : d.semicolon !== null;
}

/** where nginx handles a directive: its `;`, `{`, or the end of its last word (no spans made for parsed nodes) */
export function terminatorOffset(d: Directive): number {
  if (d instanceof DirectiveNode) {
    if ((d.flags & F_TERMINATED) !== 0) return d.end - 1;
    const b = d.block;
    if (b instanceof BlockNode) return b.openAt;
  }
  return d.semicolon?.start ?? d.block?.open.start ?? d.rawBody?.open.start ?? d.span.end;
}
