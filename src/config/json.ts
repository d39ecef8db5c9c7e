/**
 * JSON with positions: the value, plus where each member and element stands
 * (by JSON Pointer, the path ajv reports), so a config error can say
 * `.nginx-lint.json:4:5`. JSON.parse gives neither positions of values nor
 * a line for its syntax errors on every Node version, and it keeps the last
 * of two equal keys silently; this parser reports both.
 */

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

/** deeper than any config needs; keeps a hostile file from overflowing the stack */
const MAX_DEPTH = 100;

const ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

export function parseJson(text: string): ParsedJson {
  const locations = new Map<string, JsonLocation>();
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;

  const describe = (at: number) => (at >= text.length ? 'end of file' : JSON.stringify(text[at]));
  const fail = (message: string, at = i): never => {
    throw new JsonSyntaxError(message, at);
  };
  const ws = () => {
    while (i < text.length && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++;
  };

  const string = (): string => {
    const start = i;
    i++; // the opening quote
    let out = '';
    for (;;) {
      if (i >= text.length) fail('unterminated string', start);
      const c = text[i]!;
      if (c === '"') {
        i++;
        return out;
      }
      if (c === '\\') {
        const e = text[i + 1];
        if (e === 'u') {
          const hex = text.slice(i + 2, i + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail('invalid \\u escape in string', i);
          out += String.fromCharCode(parseInt(hex, 16));
          i += 6;
          continue;
        }
        if (e === undefined || !(e in ESCAPES)) fail(`invalid escape "\\${e ?? ''}" in string`, i);
        out += ESCAPES[e!];
        i += 2;
        continue;
      }
      if (c.charCodeAt(0) < 0x20) fail(c === '\n' ? 'unterminated string (a line break inside a string)' : 'control character in string', i);
      out += c;
      i++;
    }
  };

  const value = (pointer: string, depth: number): unknown => {
    ws();
    const start = i;
    if (depth > MAX_DEPTH) fail(`nested deeper than ${MAX_DEPTH} levels`);
    const c = text[i];
    if (c === '{') {
      i++;
      const obj: Record<string, unknown> = {};
      const seen = new Map<string, number>();
      ws();
      if (text[i] === '}') {
        i++;
        return obj;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail(text[i] === '}' ? 'trailing comma before "}"' : `expected a property name in double quotes, found ${describe(i)}`);
        const keyAt = i;
        const key = string();
        const before = seen.get(key);
        if (before !== undefined) fail(`duplicate key "${key}"`, keyAt);
        seen.set(key, keyAt);
        ws();
        if (text[i] !== ':') fail(`expected ":" after "${key}", found ${describe(i)}`);
        i++;
        const p = pointer + pointerOf([key]);
        ws();
        locations.set(p, { at: keyAt, value: i });
        Object.defineProperty(obj, key, { value: value(p, depth + 1), enumerable: true, writable: true, configurable: true });
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return obj;
        }
        fail(`expected "," or "}" after a property value, found ${describe(i)}`);
      }
    }
    if (c === '[') {
      i++;
      const arr: unknown[] = [];
      ws();
      if (text[i] === ']') {
        i++;
        return arr;
      }
      for (;;) {
        ws();
        if (text[i] === ']') fail('trailing comma before "]"');
        const p = pointer + pointerOf([arr.length]);
        locations.set(p, { at: i, value: i });
        arr.push(value(p, depth + 1));
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return arr;
        }
        fail(`expected "," or "]" after an array element, found ${describe(i)}`);
      }
    }
    if (c === '"') return string();
    const m = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (m && m[0] !== '-' && m[0].length > 0) {
      i += m[0].length;
      return Number(m[0]);
    }
    for (const [word, v] of [['true', true], ['false', false], ['null', null]] as const) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return v;
      }
    }
    if (c === '/' && (text[i + 1] === '/' || text[i + 1] === '*')) fail('comments are not allowed in JSON', start);
    if (c === "'") fail('strings must use double quotes', start);
    return fail(i >= text.length ? 'unexpected end of file, expecting a value' : `unexpected ${describe(i)}, expecting a value`, start);
  };

  ws();
  locations.set('', { at: i, value: i });
  const v = value('', 0);
  ws();
  if (i < text.length) fail(`unexpected ${describe(i)} after the end of the document`);
  return { value: v, locations };
}
