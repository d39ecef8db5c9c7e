/**
 * The lossless nginx syntax tree. Every token keeps its span into the source
 * text; whitespace is what lies between spans (and is only whitespace), so
 * printing the tokens and the gaps between them gives back the exact bytes.
 */
import type { Diagnostic } from '../../diagnostic.js';
import type { SourceFile, Span } from '../source.js';

export type Quote = '"' | "'" | null;

/** A word: a directive name or an argument. */
export interface Word {
  /** the text as written, quotes and backslashes included */
  raw: string;
  /** the value nginx uses: quotes removed, \" \' \\ \t \r \n resolved as ngx_conf_read_token does */
  value: string;
  quote: Quote;
  span: Span;
}

export interface Block {
  /** the `{` */
  open: Span;
  /** the `}`; null when the file ended first */
  close: Span | null;
  children: Node[];
}

export interface Directive {
  kind: 'directive';
  name: Word;
  args: Word[];
  /** `{ ... }` of a block directive; null for a simple directive */
  block: Block | null;
  /**
   * `*_by_lua_block { ... }` and similar bodies that nginx hands to another
   * parser: the raw text between the braces (braces excluded). Such a
   * directive has `block === null` and `rawBody !== null`.
   */
  rawBody: { open: Span; body: Span; close: Span | null } | null;
  /** the `;` of a simple directive; null for blocks or when missing */
  semicolon: Span | null;
  /**
   * `#` comments that appear between the name and the `;` / `{` (nginx skips
   * them); undefined when there are none. They are not in any `children`.
   */
  comments?: Comment[];
  /** from the name's first byte to the `;` or `}` (inclusive) */
  span: Span;
  file: SourceFile;
}

export interface Comment {
  kind: 'comment';
  /** the text after `#`, up to (not including) the line end */
  text: string;
  /** from `#` to the end of the line (line break excluded) */
  span: Span;
  file: SourceFile;
}

export type Node = Directive | Comment;

/** One parsed nginx file. */
export interface NginxFile {
  source: SourceFile;
  children: Node[];
  /** syntax errors; parsing goes on after each where nginx's grammar allows */
  diagnostics: Diagnostic[];
  /**
   * tokens nginx rejected that belong to no node: a stray `;`, a `{` with no
   * directive before it and the `}` that closes it, a `}` with no open block.
   * Kept so that printing stays lossless; empty or absent in a valid file.
   */
  stray?: Span[];
}

/** A main config file with its includes resolved (files parsed once each). */
export interface NginxConfig {
  root: NginxFile;
  /** every parsed file by the path it was opened with */
  files: Map<string, NginxFile>;
  /** each `include` directive → the files it brings in, in nginx's (sorted glob) order */
  includes: Map<Directive, NginxFile[]>;
  /** include problems: missing file, cycle, depth/glob limits, unreadable file */
  diagnostics: Diagnostic[];
}

/** Where a directive may appear: nginx's NGX_*_CONF context names. */
export type ContextName =
  | 'main'
  | 'events'
  | 'http'
  | 'server'
  | 'location'
  | 'upstream'
  | 'if' // if in server
  | 'lif' // if in location
  | 'limit_except'
  | 'mail'
  | 'mail_server'
  | 'stream'
  | 'stream_server'
  | 'stream_upstream'
  | 'map'
  | 'split_clients'
  | 'geo'
  | 'types'
  | 'charset_map'
  | 'match'
  | 'mgmt'
  | 'otel_exporter';
