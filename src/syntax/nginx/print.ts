/**
 * The printer: emits every token of the tree (names, arguments, braces,
 * semicolons, comments, raw Lua bodies, stray tokens) with its source text,
 * and the gaps between consecutive tokens. A gap that is not whitespace means
 * the tree lost a token: that throws rather than being copied over, so a
 * byte-identical round trip proves the tree covers the whole file.
 */
import type { Span } from '../source.js';
import type { Directive, NginxFile, Node } from './ast.js';

/** Every token span of the tree, in source order. */
export function tokenSpans(file: NginxFile): Span[] {
  const out: Span[] = [];
  collect(file.children, out);
  const stray = file.stray;
  if (!stray || stray.length === 0) return out;
  // merge the (few) stray tokens in by position
  const sorted = [...stray].sort((a, b) => a.start - b.start);
  const merged: Span[] = [];
  let i = 0;
  for (const s of out) {
    while (i < sorted.length && sorted[i]!.start < s.start) merged.push(sorted[i++]!);
    merged.push(s);
  }
  while (i < sorted.length) merged.push(sorted[i++]!);
  return merged;
}

function collect(nodes: Node[], out: Span[]): void {
  for (const node of nodes) {
    if (node.kind === 'comment') out.push(node.span);
    else collectDirective(node, out);
  }
}

function collectDirective(d: Directive, out: Span[]): void {
  out.push(d.name.span);
  const comments = d.comments;
  if (comments && comments.length > 0) {
    let c = 0;
    for (const a of d.args) {
      while (c < comments.length && comments[c]!.span.start < a.span.start) out.push(comments[c++]!.span);
      out.push(a.span);
    }
    while (c < comments.length) out.push(comments[c++]!.span);
  } else {
    for (const a of d.args) out.push(a.span);
  }
  if (d.rawBody) {
    out.push(d.rawBody.open, d.rawBody.body);
    if (d.rawBody.close) out.push(d.rawBody.close);
  }
  if (d.block) {
    out.push(d.block.open);
    collect(d.block.children, out);
    if (d.block.close) out.push(d.block.close);
  }
  if (d.semicolon) out.push(d.semicolon);
}

function isWhitespace(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 10 && c !== 9 && c !== 13) return false;
  }
  return true;
}

export class LostTokenError extends Error {
  constructor(
    readonly path: string,
    readonly offset: number,
    detail: string,
  ) {
    super(`printNginx: ${detail} in ${path} at offset ${offset}`);
  }
}

class Printer {
  private pos = 0;
  private out = '';
  private si = 0;
  private readonly strays: Span[];
  private readonly text: string;

  constructor(private readonly file: NginxFile) {
    this.text = file.source.text;
    const stray = file.stray;
    this.strays = stray && stray.length > 0 ? [...stray].sort((a, b) => a.start - b.start) : [];
  }

  private lost(from: number, to: number): LostTokenError {
    const text = this.text;
    let i = from;
    while (i < to && isWhitespace(text, i, i + 1)) i++;
    return new LostTokenError(this.file.source.path, i, `text not covered by any token: ${JSON.stringify(text.slice(i, Math.min(to, i + 40)))}`);
  }

  private emit(s: Span): void {
    while (this.si < this.strays.length && this.strays[this.si]!.start < s.start) this.token(this.strays[this.si++]!);
    this.token(s);
  }

  private token(s: Span): void {
    const text = this.text;
    const pos = this.pos;
    if (s.start < pos || s.end < s.start || s.end > text.length) throw new LostTokenError(this.file.source.path, s.start, `token [${s.start}, ${s.end}) overlaps or is out of order`);
    if (s.start > pos) {
      if (!isWhitespace(text, pos, s.start)) throw this.lost(pos, s.start);
      this.out += text.slice(pos, s.start);
    }
    this.out += text.slice(s.start, s.end);
    this.pos = s.end;
  }

  private nodes(nodes: Node[]): void {
    for (const node of nodes) {
      if (node.kind === 'comment') this.emit(node.span);
      else this.directive(node);
    }
  }

  private directive(d: Directive): void {
    this.emit(d.name.span);
    const comments = d.comments;
    if (comments && comments.length > 0) {
      let c = 0;
      for (const a of d.args) {
        while (c < comments.length && comments[c]!.span.start < a.span.start) this.emit(comments[c++]!.span);
        this.emit(a.span);
      }
      while (c < comments.length) this.emit(comments[c++]!.span);
    } else {
      for (const a of d.args) this.emit(a.span);
    }
    if (d.rawBody) {
      this.emit(d.rawBody.open);
      this.emit(d.rawBody.body);
      if (d.rawBody.close) this.emit(d.rawBody.close);
    }
    if (d.block) {
      this.emit(d.block.open);
      this.nodes(d.block.children);
      if (d.block.close) this.emit(d.block.close);
    }
    if (d.semicolon) this.emit(d.semicolon);
  }

  print(): string {
    this.nodes(this.file.children);
    while (this.si < this.strays.length) this.token(this.strays[this.si++]!);
    const text = this.text;
    if (this.pos < text.length) {
      if (!isWhitespace(text, this.pos, text.length)) throw this.lost(this.pos, text.length);
      this.out += text.slice(this.pos);
    }
    return this.out;
  }
}

/** Print the tree back to text; throws LostTokenError when the tree does not cover the source. */
export function printNginx(file: NginxFile): string {
  return new Printer(file).print();
}
