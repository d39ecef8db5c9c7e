/**
 * A source file as read from disk: the decoded text plus what is needed to
 * write it back byte-identical and to turn offsets into line:column.
 *
 * Offsets everywhere in nginx-lint are offsets into `text` (UTF-16 code
 * units). For ASCII and Latin-1 files these equal byte offsets; `byteOffset`
 * converts when a consumer needs bytes.
 */
export interface Span {
  /** inclusive start offset into SourceFile.text */
  start: number;
  /** exclusive end offset into SourceFile.text */
  end: number;
}

export type SourceEncoding = 'utf8' | 'latin1';

export interface SourceFile {
  /** the path as the user gave it (relative stays relative) */
  readonly path: string;
  readonly text: string;
  /** how `text` was decoded: valid UTF-8 (BOM kept as U+FEFF), else Latin-1 (lossless for any bytes) */
  readonly encoding: SourceEncoding;
  /**
   * offsets at which each line starts; computed on first use (as a
   * Uint32Array: 4 bytes a line, where an array of numbers took 8 and more;
   * a 10,000-site tree has a million lines)
   */
  lineStarts?: Uint32Array | number[];
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * The file each byte buffer was decoded into. A run reads each file once
 * (engine/cache-fs.ts) but decodes it in several places (discovery, the
 * include loader): the same bytes under the same path give the same
 * SourceFile, so a big tree's text is held once.
 */
const decoded = new WeakMap<Uint8Array, SourceFile>();

/** Decode bytes losslessly: UTF-8 when valid, Latin-1 (one char per byte) otherwise. */
export function decodeSource(path: string, bytes: Uint8Array): SourceFile {
  const known = decoded.get(bytes);
  if (known?.path === path) return known;
  let file: SourceFile;
  try {
    file = { path, text: utf8.decode(bytes), encoding: 'utf8' };
  } catch {
    file = { path, text: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1'), encoding: 'latin1' };
  }
  decoded.set(bytes, file);
  return file;
}

/** A file made from a string (tests, editors, stdin). */
export function sourceFromString(path: string, text: string): SourceFile {
  return { path, text, encoding: 'utf8' };
}

/** Encode text back to bytes in the file's own encoding (the inverse of decodeSource). */
export function encodeSource(file: SourceFile, text: string = file.text): Buffer {
  return Buffer.from(text, file.encoding);
}

/** where lineStarts gathers offsets before copying them out exactly sized (grown as needed, reused) */
let gathered = new Uint32Array(1 << 14);
/** where lineStarts writes a file's text as latin1 bytes to search them (grown as needed, reused), and the same bytes four at a time */
let scratch: Buffer;
let scratchWords: Int32Array;
function setScratch(bytes: number): void {
  scratch = Buffer.allocUnsafeSlow(bytes);
  scratchWords = new Int32Array(scratch.buffer, scratch.byteOffset, bytes >> 2);
}
setScratch(1 << 16);

function lineStarts(file: SourceFile): Uint32Array | number[] {
  if (file.lineStarts) return file.lineStarts;
  const t = file.text;
  let starts = gathered;
  let n = 1;
  starts[0] = 0;
  // The text's latin1 bytes (one byte per UTF-16 code unit, so offsets are the text's) are
  // searched four at a time: a word with no byte 10 (nine in ten) is skipped with one test. A
  // two-byte character whose low byte is 10 (U+010A, ...) is found too and skipped by the
  // charCodeAt check. A charCodeAt scan took ~40 ms over the 32 MB of a 10,000-site tree and
  // Buffer#indexOf per line 25 ms (a call per line); String#indexOf is not used: a loop of it once
  // took 20+ s in `npm run fuzz`, on a 1.3 MB file with many short lines, once V8 had optimised it.
  const len = t.length;
  if (scratch.length < len) setScratch(Math.max(len, 2 * scratch.length));
  scratch.write(t, 0, len, 'latin1');
  const bytes = scratch;
  const words = scratchWords;
  const whole = len >> 2;
  for (let w = 0; w <= whole; w++) {
    if (w < whole) {
      // a byte of x is zero where the text has a 10 ("has a zero byte": exact for the word as a whole)
      const x = words[w]! ^ 0x0a0a0a0a;
      if ((((x - 0x01010101) | 0) & ~x & (0x80808080 | 0)) === 0) continue;
    }
    const end = w < whole ? (w << 2) + 4 : len;
    for (let i = w << 2; i < end; i++) {
      if (bytes[i] !== 10 || t.charCodeAt(i) !== 10) continue;
      if (n === starts.length) {
        const grown = new Uint32Array(starts.length * 2);
        grown.set(starts);
        starts = gathered = grown;
      }
      starts[n++] = i + 1;
    }
  }
  // kept exactly sized, 4 bytes a line (offsets of a string fit: its length is below 2^32)
  const kept = starts.slice(0, n);
  // a long-lived process (an editor) keeps no big scratch space after a big file
  if (scratch.length > 1 << 20) setScratch(1 << 16);
  if (gathered.length > 1 << 18) gathered = new Uint32Array(1 << 14);
  file.lineStarts = kept;
  return kept;
}

export interface Position {
  /** 1-based */
  line: number;
  /** 1-based, in characters (a tab is one column, as in ESLint) */
  column: number;
}

/** 1-based line and column of an offset (clamped into the file). */
export function positionAt(file: SourceFile, offset: number): Position {
  const starts = lineStarts(file);
  const off = Math.max(0, Math.min(offset, file.text.length));
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= off) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: off - starts[lo]! + 1 };
}

/** Offset of a 1-based line's first character. */
export function offsetOfLine(file: SourceFile, line: number): number {
  const starts = lineStarts(file);
  return starts[Math.max(0, Math.min(line - 1, starts.length - 1))]!;
}

/** Byte offset in the encoded file for a text offset. */
export function byteOffset(file: SourceFile, offset: number): number {
  return file.encoding === 'latin1' ? offset : Buffer.byteLength(file.text.slice(0, offset), 'utf8');
}

/** `path:line` of an offset, for messages that name the other side of a mismatch. */
export function lineRef(file: SourceFile, offset: number): string {
  return `${file.path}:${positionAt(file, offset).line}`;
}
