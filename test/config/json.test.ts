import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JsonSyntaxError, parseJson, pointerOf } from '../../src/config/json.js';
import { positionAt, sourceFromString } from '../../src/syntax/source.js';

function errorAt(text: string): { message: string; line: number; column: number } {
  try {
    parseJson(text);
  } catch (err) {
    if (!(err instanceof JsonSyntaxError)) throw err;
    const p = positionAt(sourceFromString('x.json', text), err.offset);
    return { message: err.message, line: p.line, column: p.column };
  }
  throw new Error(`no error for ${JSON.stringify(text)}`);
}

describe('parseJson', () => {
  it('gives every member and element a position: the key of a member, the start of an element', () => {
    const text = '{\n  "rules": {\n    "a/b": ["warning", { "x": 1 }]\n  },\n  "ignore": ["*.bak"]\n}\n';
    const { value, locations } = parseJson(text);
    expect(value).toEqual({ rules: { 'a/b': ['warning', { x: 1 }] }, ignore: ['*.bak'] });
    const src = sourceFromString('x.json', text);
    const at = (p: string) => {
      const pos = positionAt(src, locations.get(p)!.at);
      return `${pos.line}:${pos.column}`;
    };
    expect(at('')).toBe('1:1');
    expect(at('/rules')).toBe('2:3');
    expect(at('/rules/a~1b')).toBe('3:5');
    expect(at('/rules/a~1b/0')).toBe('3:13');
    expect(at('/rules/a~1b/1/x')).toBe('3:26');
    expect(at('/ignore/0')).toBe('5:14');
    expect(positionAt(src, locations.get('/rules/a~1b')!.value)).toEqual({ line: 3, column: 12 });
  });

  it('escapes pointers as RFC 6901 (ajv instancePath) does', () => {
    expect(pointerOf(['rules', 'acme/no-x', 1, 'a~b'])).toBe('/rules/acme~1no-x/1/a~0b');
  });

  it('reads what JSON.parse reads, the same', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), fc.boolean(), (v, pretty) => {
        const text = JSON.stringify(v, null, pretty ? 2 : undefined);
        // JSON.stringify writes -0 as 0; compare with what JSON.parse reads back
        expect(parseJson(text).value).toEqual(JSON.parse(text));
      }),
      { numRuns: 300 },
    );
  });

  it('rejects what JSON.parse rejects: mutated JSON texts', () => {
    const alphabet = fc.constantFrom(...'{}[],:"\\/ \t\n\r\v\f\u00a0\u2028\ufeff\u0000\'-+.0123456789eEtrufalsn*#ux'.split(''));
    const mutated = fc.tuple(fc.jsonValue({ maxDepth: 3 }), fc.array(fc.tuple(fc.nat(), fc.constantFrom('insert', 'delete', 'replace'), alphabet), { minLength: 1, maxLength: 3 })).map(([v, edits]) => {
      let text = JSON.stringify(v, null, 1);
      for (const [n, op, c] of edits) {
        const i = n % (text.length + 1);
        text = op === 'insert' ? text.slice(0, i) + c + text.slice(i) : op === 'delete' ? text.slice(0, i) + text.slice(i + 1) : text.slice(0, i) + c + text.slice(i + 1);
      }
      return text;
    });
    fc.assert(
      fc.property(mutated, (text) => {
        let expected: unknown;
        let valid = true;
        try {
          expected = JSON.parse(text.replace(/^\ufeff/, '')); // a leading byte order mark is skipped
        } catch {
          valid = false;
        }
        let got: { value: unknown } | JsonSyntaxError;
        try {
          got = parseJson(text);
        } catch (err) {
          if (!(err instanceof JsonSyntaxError)) throw err;
          got = err;
        }
        if (!valid) expect(got, text).toBeInstanceOf(JsonSyntaxError);
        // a duplicate key is the one thing JSON.parse reads and this refuses
        else if (got instanceof JsonSyntaxError) expect(got.message, text).toMatch(/^duplicate key /);
        else expect(got.value, text).toEqual(expected);
      }),
      { numRuns: 3000 },
    );
  });

  it('keeps a "__proto__" key as data', () => {
    const v = parseJson('{"__proto__": {"polluted": true}}').value as Record<string, unknown>;
    expect(Object.keys(v)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('skips a byte order mark', () => {
    expect(parseJson('\ufeff{"a": 1}').value).toEqual({ a: 1 });
  });

  it.each([
    ['{\n  "a": 1,\n}', 'trailing comma before "}"', 3, 1],
    ['{\n  "a": 1\n  "b": 2\n}', 'expected "," or "}" after a property value, found "b"', 3, 3],
    ['{"a": [1, 2,]}', 'trailing comma before "]"', 1, 13],
    ['{"a": \'x\'}', 'strings must use double quotes', 1, 7],
    ['{\n  // note\n  "a": 1}', 'comments are not allowed in JSON', 2, 3],
    ['{"a": 1} x', 'unexpected "x" after the end of the document', 1, 10],
    ['{"a": "x', 'unterminated string', 1, 7],
    ['{"a": tru}', 'unexpected "tru", expecting a value', 1, 7],
    ['', 'unexpected end of file, expecting a value', 1, 1],
    ['{"a": 1, "a": 2}', 'duplicate key "a"', 1, 10],
    ['{"a": "\\x"}', 'invalid escape "\\x" in string', 1, 8],
    ['[1 2]', 'expected "," or "]" after an array element, found "2"', 1, 4],
    ['{"a": -}', 'unexpected "-", expecting a value', 1, 7],
    ['// c\n{}', 'comments are not allowed in JSON', 1, 1],
    ['{"a": 1 /* c */}', 'comments are not allowed in JSON', 1, 9],
    ['{"a": "x\ny"}', 'unterminated string (a line break inside a string)', 1, 7],
    ['{"a": "\u0001"}', 'control character in string', 1, 8],
    ['{"a": "\\u12x"}', 'invalid \\u escape in string', 1, 8],
    ['{"a": 01}', 'expected "," or "}" after a property value, found "1"', 1, 8],
    ['{"a": 1.}', 'invalid number "1."', 1, 7],
    ['{"a" 1}', 'expected ":" after "a", found "1"', 1, 6],
    ['{a: 1}', 'unexpected "a", expecting a property name in double quotes', 1, 2],
    ['{"a": [1}', 'expected "," or "]" after an array element, found "}"', 1, 9],
    ['{"a": [}', 'unexpected "}", expecting a value', 1, 8],
    ['{"a": 1', 'expected "," or "}", found end of file', 1, 8],
    ['{"a": 1}}', 'unexpected "}" after the end of the document', 1, 9],
    ['\u00a0{}', 'unexpected "\\u00a0", expecting a value', 1, 1],
    ['*\n false,\n null\n]', 'unexpected "*", expecting a value', 1, 1],
    ['{"a":\u200b1}', 'unexpected "\\u200b1", expecting a value', 1, 6],
    ['{"a": {"b": 1, "b": 2}}', 'duplicate key "b"', 1, 16],
  ])('%j: %s at %i:%i', (text, message, line, column) => {
    expect(errorAt(text)).toEqual({ message, line, column });
  });

  it('refuses nesting deep enough to overflow the stack, with a message', () => {
    expect(errorAt('['.repeat(5000)).message).toBe('nested deeper than 100 levels');
  });
});
