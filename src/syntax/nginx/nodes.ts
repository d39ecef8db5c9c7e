/**
 * The parser's node objects: the shapes of ast.ts with their spans inline.
 *
 * A big tree has a million directives and a million and a half words, and all
 * of them live until the run ends, so every object per node is copied by each
 * young-generation GC that sees it. A Word or a Directive here carries its
 * `start` and `end` itself and its `span` is the node (a Span is just those two
 * fields); a Comment likewise. The `;` of a simple directive is always the
 * char before the directive's end, so it is kept as a flag and made on demand,
 * as are a block's `{` and `}` (one char each) and a comment's text.
 * Readers see the interfaces of ast.ts unchanged; only the extra fields show
 * in `Object.keys` (a plain word's end is a getter). JSON.stringify gives the
 * plain shapes of ast.ts, as before (each class's toJSON).
 */
import type { SourceFile, Span } from '../source.js';
import type { Block, Comment, Directive, Node, Quote, Word } from './ast.js';

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

/**
 * `block`, `rawBody` and `comments` are own fields only on the directives that
 * have one: the prototype holds null / undefined for the rest (most
 * directives are simple and uncommented), 24 bytes less per directive.
 */
export class DirectiveNode implements Directive {
  declare readonly kind: 'directive';
  declare block: Block | null;
  declare rawBody: { open: Span; body: Span; close: Span | null } | null;
  declare comments: Comment[] | undefined;
  /** whether the directive ends with a `;` (at end - 1) */
  terminated: boolean;

  constructor(
    public name: Word,
    public args: Word[],
    terminated: boolean,
    comments: Comment[] | undefined,
    public start: number,
    public end: number,
    public file: SourceFile,
  ) {
    this.terminated = terminated;
    if (comments) this.comments = comments;
  }

  declare span: Span;

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
for (const [field, value] of [['block', null], ['rawBody', null], ['comments', undefined]] as const) Object.defineProperty(DirectiveNode.prototype, field, { value, writable: true });

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

for (const node of [WordNode, PlainWordNode, DirectiveNode, CommentNode]) spanIsSelf(node);

/** a block; its `{` and `}` are one char each, kept as offsets and made on demand */
export class BlockNode implements Block {
  /** the `}`'s offset; -1 when the file ended first */
  closeAt = -1;
  children: Node[] = [];

  constructor(public openAt: number) {}

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

/** `d.semicolon !== null`, without making the span for a parsed directive */
export function endsWithSemicolon(d: Directive): boolean {
  return d instanceof DirectiveNode ? d.terminated : d.semicolon !== null;
}

/** where nginx handles a directive: its `;`, `{`, or the end of its last word (no spans made for parsed nodes) */
export function terminatorOffset(d: Directive): number {
  if (d instanceof DirectiveNode) {
    if (d.terminated) return d.end - 1;
    const b = d.block;
    if (b instanceof BlockNode) return b.openAt;
  }
  return d.semicolon?.start ?? d.block?.open.start ?? d.rawBody?.open.start ?? d.span.end;
}
