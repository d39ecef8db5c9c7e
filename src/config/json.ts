/**
 * JSON with positions: the value, plus where each member and element stands
 * (by JSON Pointer, the path ajv reports), so a config error can say
 * `.nginx-lint.json:4:5`. JSON.parse gives neither positions of values nor
 * a line for its syntax errors on every Node version, and it keeps the last
 * of two equal keys silently; this reports both.
 *
 * The parsing is Microsoft's jsonc-parser (VS Code's): its `visit` walks the
 * text with offsets. It is told to want plain JSON (no comments, no trailing
 * commas), as the file is named .json and other tools read it too. What is
 * ours: building the value with those offsets, refusing duplicate keys,
 * bounding the nesting, and the wording of its error codes.
 */
import { createScanner, printParseErrorCode, visit, type ParseErrorCode } from 'jsonc-parser';

export interface JsonLocation {
  /** offset of the member's key (a property) or of the element (an array item) */
  at: number;
  /** offset of the value itself */
  value: number;
}

export interface ParsedJson {
  value: unknown;
  /** JSON Pointer → where it stands; "" is the document */
  locations: Map<string, JsonLocation>;
}

export class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
    this.name = 'JsonSyntaxError';
  }
}

/** `/rules/a~1b` from ['rules', 'a/b'] (RFC 6901). */
export function pointerOf(parts: readonly (string | number)[]): string {
  return parts.map((p) => '/' + String(p).replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}

/** deeper than any config needs; jsonc-parser recurses, so a hostile file could overflow the stack */
const MAX_DEPTH = 100;

/** The offset of the first `{` or `[` nested deeper than MAX_DEPTH (jsonc-parser's scanner does not recurse), or null. */
function tooDeepAt(text: string): number | null {
  const scanner = createScanner(text, true);
  let depth = 0;
  for (;;) {
    scanner.scan();
    const at = scanner.getTokenOffset();
    if (at >= text.length) return null;
    // a token that starts with a bracket is one (a string token starts with its quote)
    const c = text[at];
    if (c === '{' || c === '[') {
      if (++depth > MAX_DEPTH) return at;
    } else if (c === '}' || c === ']') depth--;
  }
}

interface Frame {
  container: Record<string, unknown> | unknown[];
  pointer: string;
  /** objects: the keys so far (a second of one is refused), and the member being read */
  keys?: Set<string>;
  key?: { name: string; at: number };
}

interface Found {
  code: ReturnType<typeof printParseErrorCode>;
  offset: number;
  length: number;
}

interface FirstError extends Found {
  /** the object or array it is in */
  frame: Frame | undefined;
  /** the document's value was complete */
  ended: boolean;
}

export function parseJson(text: string): ParsedJson {
  // a byte order mark is not JSON; a space in its place keeps the offsets
  const body = text.charCodeAt(0) === 0xfeff ? ' ' + text.slice(1) : text;
  const deep = tooDeepAt(body);

  const locations = new Map<string, JsonLocation>();
  const stack: Frame[] = [];
  let root: unknown;
  let ended = false;
  const problems: {
    /** the parser's first error, with where we stood */
    first: FirstError | null;
    /** its next one: what it wanted after an unknown symbol */
    next: Found | null;
    duplicate: { key: string; at: number } | null;
  } = { first: null, next: null, duplicate: null };

  /** the pointer of the value being read: the next element, or the member whose key was just read */
  const pointerHere = (frame: Frame) => frame.pointer + pointerOf([Array.isArray(frame.container) ? frame.container.length : (frame.key?.name ?? '')]);
  const add = (value: unknown, offset: number) => {
    const frame = stack.at(-1);
    if (!frame) {
      root = value;
      locations.set('', { at: offset, value: offset });
      if (typeof value !== 'object' || value === null) ended = true;
    } else if (Array.isArray(frame.container)) {
      locations.set(pointerHere(frame), { at: offset, value: offset });
      frame.container.push(value);
    } else if (frame.key) {
      locations.set(pointerHere(frame), { at: frame.key.at, value: offset });
      // defineProperty: a "__proto__" key is data, not the object's prototype
      Object.defineProperty(frame.container, frame.key.name, { value, enumerable: true, writable: true, configurable: true });
    }
  };
  const open = (container: Frame['container'], offset: number) => {
    const frame = stack.at(-1);
    const pointer = frame ? pointerHere(frame) : '';
    add(container, offset);
    stack.push({ container, pointer, ...(Array.isArray(container) ? {} : { keys: new Set<string>() }) });
  };
  const close = () => {
    stack.pop();
    if (stack.length === 0) ended = true;
  };
  const ok = () => problems.first === null && problems.duplicate === null;

  visit(
    deep === null ? body : body.slice(0, deep),
    {
      onObjectBegin: (offset) => void (ok() && open({}, offset)),
      onArrayBegin: (offset) => void (ok() && open([], offset)),
      onObjectEnd: () => void (ok() && close()),
      onArrayEnd: () => void (ok() && close()),
      onLiteralValue: (value: unknown, offset) => void (ok() && add(value, offset)),
      onObjectProperty: (name, offset) => {
        const frame = stack.at(-1);
        if (!ok() || !frame?.keys) return;
        if (frame.keys.has(name)) problems.duplicate = { key: name, at: offset };
        frame.keys.add(name);
        frame.key = { name, at: offset };
      },
      onError: (error: ParseErrorCode, offset, length) => {
        const found = { code: printParseErrorCode(error), offset, length };
        if (ok()) problems.first = { ...found, frame: stack.at(-1), ended };
        else if (problems.first !== null && problems.next === null) problems.next = found;
      },
    },
    { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false },
  );

  const { first, next, duplicate } = problems;
  if (duplicate) throw new JsonSyntaxError(`duplicate key ${JSON.stringify(duplicate.key)}`, duplicate.at);
  // with the text cut short before the too-deep bracket, errors from before the cut are real; the rest come of the cut
  if (first && (deep === null || first.offset < deep)) throw describeError(body, first, next);
  if (deep !== null) throw new JsonSyntaxError(`nested deeper than ${MAX_DEPTH} levels`, deep);
  return { value: root, locations };
}

/** How a token reads in a message: a string as written, anything else in quotes; the end of the text by name. */
function shown(text: string, offset: number, length: number): string {
  if (offset >= text.length) return 'end of file';
  const token = text.slice(offset, offset + Math.max(length, 1));
  const short = token.length > 40 ? token.slice(0, 40) + '…' : token;
  return visible(short.startsWith('"') ? short : JSON.stringify(short));
}

/** A line break, a no-break space or a zero-width character, which would print as nothing to see, as `\uXXXX`. */
function visible(s: string): string {
  return s.replace(/[^\S ]|\p{Cf}|\p{Cc}/gu, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
}

/** What the parser wanted, in the words of a message. */
const EXPECTING: Partial<Record<Found['code'], string>> = {
  ValueExpected: 'a value',
  PropertyNameExpected: 'a property name in double quotes',
  ColonExpected: '":"',
  CommaExpected: '","',
  CloseBraceExpected: '"}"',
  CloseBracketExpected: '"]"',
  EndOfFileExpected: 'the end of the document',
};

/** jsonc-parser's error code (printParseErrorCode: "CommaExpected", …) as a sentence, at the character it is about. */
function describeError(text: string, e: FirstError, next: Found | null): JsonSyntaxError {
  const at = shown(text, e.offset, e.length);
  const token = text.slice(e.offset, e.offset + e.length);
  const fail = (message: string, offset = e.offset) => new JsonSyntaxError(message, offset);
  /** inside a string token, the offset of the first character that matches (the scanner reports the string's start) */
  const within = (re: RegExp) => e.offset + Math.max(0, token.search(re));
  const trailingComma = () => (token === '}' || token === ']') && text.slice(0, e.offset).trimEnd().endsWith(',');
  const inArray = e.frame !== undefined && Array.isArray(e.frame.container);
  switch (e.code) {
    case 'InvalidCommentToken':
    case 'UnexpectedEndOfComment':
      return fail('comments are not allowed in JSON');
    case 'UnexpectedEndOfString':
      return fail(/[\r\n]/.test(text[e.offset + e.length] ?? '') ? 'unterminated string (a line break inside a string)' : 'unterminated string');
    case 'InvalidEscapeCharacter': {
      const offset = within(/\\(?:[^"\\/bfnrtu]|$)/);
      return fail(`invalid escape "${visible(text.slice(offset, offset + 2))}" in string`, offset);
    }
    case 'InvalidUnicode':
      return fail('invalid \\u escape in string', within(/\\u(?![0-9a-fA-F]{4})/));
    case 'InvalidCharacter':
      return fail('control character in string', within(/[\u0000-\u001f]/));
    case 'InvalidNumberFormat':
    case 'UnexpectedEndOfNumber':
      return fail(`invalid number ${at}`);
    case 'InvalidSymbol': {
      if (token.startsWith("'")) return fail('strings must use double quotes');
      if (e.ended) return fail(`unexpected ${at} after the end of the document`);
      // the parser's next error says what it wanted here, when it is at the very next token
      const adjacent = next !== null && text.slice(e.offset + e.length, next.offset).trim() === '';
      const wanted = adjacent ? EXPECTING[next.code] : e.frame === undefined ? EXPECTING.ValueExpected : undefined;
      return fail(`unexpected ${at}${wanted ? `, expecting ${wanted}` : ''}`);
    }
    case 'ValueExpected':
    case 'PropertyNameExpected':
      if (trailingComma()) return fail(`trailing comma before "${token}"`);
      return fail(e.code === 'ValueExpected' ? `unexpected ${at}, expecting a value` : `expected a property name in double quotes, found ${at}`);
    case 'CommaExpected':
      return fail(inArray ? `expected "," or "]" after an array element, found ${at}` : `expected "," or "}" after a property value, found ${at}`);
    case 'ColonExpected':
      return fail(`expected ":" after ${e.frame?.key ? JSON.stringify(e.frame.key.name) : 'the property name'}, found ${at}`);
    case 'CloseBraceExpected':
    case 'CloseBracketExpected':
      return fail(`expected "," or "${e.code === 'CloseBraceExpected' ? '}' : ']'}", found ${at}`);
    case 'EndOfFileExpected':
      return fail(`unexpected ${at} after the end of the document`);
    default:
      return fail(`invalid JSON (${e.code}) at ${at}`);
  }
}
