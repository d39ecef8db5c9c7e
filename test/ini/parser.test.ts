import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkCoverage,
  evaluateValue,
  parseIni,
  phpIniValues,
  printIni,
  type IniDialect,
  type IniEntry,
  type IniFile,
  type IniSection,
} from '../../src/syntax/ini/index.js';
import { decodeSource, encodeSource, positionAt, sourceFromString } from '../../src/syntax/source.js';

const ROOT = path.resolve(__dirname, '../..');

function allFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir)) {
    const p = path.join(dir, e);
    if (statSync(p).isDirectory()) out.push(...allFiles(p));
    else out.push(p);
  }
  return out.sort();
}

const parse = (text: string, dialect: IniDialect = 'php-ini') => parseIni(sourceFromString('t.ini', text), { dialect });
const entries = (f: IniFile) => f.nodes.filter((n): n is IniEntry => n.kind === 'entry');
const slice = (f: IniFile, s: { start: number; end: number }) => f.source.text.slice(s.start, s.end);

describe('lossless round trip', () => {
  const fixtures = [
    ...allFiles(path.join(ROOT, 'fixtures/ini')).map((f) => [f, 'php-ini'] as const),
    ...allFiles(path.join(ROOT, 'fixtures/fpm')).map((f) => [f, 'fpm'] as const),
  ];
  it('has fixtures', () => expect(fixtures.length).toBeGreaterThan(100));
  for (const [file, dialect] of fixtures) {
    it(`${path.relative(ROOT, file)} prints back byte-identical (${dialect})`, () => {
      const bytes = readFileSync(file);
      const tree = parseIni(decodeSource(file, bytes), { dialect });
      expect(checkCoverage(tree).gaps).toEqual([]);
      const printed = printIni(tree);
      expect(printed).toBe(tree.source.text);
      expect(encodeSource(tree.source, printed).equals(bytes)).toBe(true);
    });
  }

  it('never throws and always prints back, whatever the input (both dialects)', () => {
    const chars = fc.constantFrom(...'ab= \t\n\r;[]"\'${}()|&^~!:,.-_0123456789E\\#\0é'.split(''));
    fc.assert(
      fc.property(fc.array(chars, { maxLength: 80 }), fc.boolean(), (cs, fpm) => {
        const text = cs.join('');
        const tree = parse(text, fpm ? 'fpm' : 'php-ini');
        expect(checkCoverage(tree).gaps).toEqual([]);
        expect(printIni(tree)).toBe(text);
        // values never throw either
        phpIniValues(tree, { partial: true });
        for (const n of tree.nodes) {
          if (n.kind === 'entry') evaluateValue(n.value);
          expect(n.span.start).toBeLessThanOrEqual(n.span.end);
          expect(n.line.start).toBeLessThanOrEqual(n.span.start);
          expect(n.line.end).toBeGreaterThanOrEqual(n.span.end);
        }
      }),
      { numRuns: 3000 },
    );
  });
});

describe('tree and spans', () => {
  it('gives each entry its key, value, comment and line spans', () => {
    const f = parse('[PHP]\nmemory_limit = 128M ; the limit\n  upload_max_filesize=2M\r\nphp_value[ error_log ] = "/var/log/x.log"\n');
    const [mem, up, arr] = entries(f);
    expect(mem!.key).toBe('memory_limit');
    expect(slice(f, mem!.keySpan)).toBe('memory_limit');
    expect(slice(f, mem!.value!.span)).toBe('128M');
    expect(slice(f, mem!.comment!)).toBe('; the limit');
    expect(slice(f, mem!.span)).toBe('memory_limit = 128M');
    expect(slice(f, mem!.line)).toBe('memory_limit = 128M ; the limit\n');
    expect(slice(f, up!.keySpan)).toBe('upload_max_filesize');
    expect(slice(f, up!.line)).toBe('  upload_max_filesize=2M\r\n');
    expect(arr!.key).toBe('php_value');
    expect(slice(f, arr!.offset!.span)).toBe(' error_log ');
    expect(slice(f, arr!.value!.span)).toBe('"/var/log/x.log"');
    const sec = f.nodes[0] as IniSection;
    expect(sec.kind).toBe('section');
    expect(sec.name).toBe('');
    expect(slice(f, sec.nameSpan)).toBe('PHP');
    expect(slice(f, sec.line)).toBe('[PHP]\n');
  });

  it('lets a fix replace one value and leaves every other byte alone', () => {
    const text = '; keep me\n[www]\nlisten = /run/php/www.sock   ; socket\npm = dynamic\n';
    const f = parse(text, 'fpm');
    const listen = entries(f).find((e) => e.key === 'listen')!;
    const edited = text.slice(0, listen.value!.span.start) + '127.0.0.1:9000' + text.slice(listen.value!.span.end);
    expect(edited).toBe('; keep me\n[www]\nlisten = 127.0.0.1:9000   ; socket\npm = dynamic\n');
    // inserting after an entry: at its line end
    const pm = entries(parse(edited, 'fpm')).find((e) => e.key === 'pm')!;
    expect(pm.line.end).toBe(edited.length);
  });

  it('marks a value without anything after `=` with an empty span right after it', () => {
    const f = parse('a =\nb = ;c\n');
    const [a, b] = entries(f);
    expect(a!.value!.expr).toBeNull();
    expect(a!.value!.span).toEqual({ start: 3, end: 3 });
    expect(b!.value!.expr).toBeNull();
    expect(slice(f, b!.comment!)).toBe(';c');
  });

  it('keeps comment lines as nodes and blank lines as tokens only', () => {
    const f = parse('; one\n\n  ; two\n');
    expect(f.nodes.map((n) => n.kind)).toEqual(['comment', 'comment']);
    expect(f.nodes.map((n) => (n.kind === 'comment' ? n.text : ''))).toEqual([' one', ' two']);
  });
});

describe('syntax errors', () => {
  it('reports PHP\'s message at the offending token and goes on with the next line', () => {
    const f = parse('a = 1\nb = on foo\nc = 3\n"d" = 4\ne = 5\n');
    expect(f.diagnostics.map((d) => [d.message, positionAt(f.source, d.span.start).line])).toEqual([
      ['syntax error, unexpected TC_CONSTANT', 2],
      ["syntax error, unexpected '\"'", 4],
    ]);
    expect(entries(f).map((e) => e.key)).toEqual(['a', 'b', 'c', 'e']);
    expect(f.diagnostics.every((d) => d.rule === 'ini-syntax' && d.severity === 'error')).toBe(true);
  });

  it('points an unterminated quote at the statement, not at the end of the file', () => {
    const f = parse('a = 1\nb = "open\nc = 2\nd = 3\n');
    expect(f.diagnostics).toHaveLength(1);
    expect(f.diagnostics[0]!.message).toBe(`syntax error, unexpected end of file, expecting TC_DOLLAR_CURLY or TC_QUOTED_STRING or '"'`);
    expect(positionAt(f.source, f.diagnostics[0]!.span.start).line).toBe(2);
    expect(entries(f).map((e) => e.key)).toEqual(['a', 'c', 'd']);
  });

  it('returns false from phpIniValues like parse_ini_file, or the partial values on request', () => {
    const f = parse('a = 1\n[s\nb = 2\n');
    expect(phpIniValues(f)).toBe(false);
    expect(phpIniValues(f, { partial: true })).toEqual({ a: '1', b: '2' });
  });

  it('in FPM files never lets an error reach past its line (php-fpm reads line by line)', () => {
    const f = parse('[www]\nlisten = "127.0.0.1:9000\npm = static\n', 'fpm');
    expect(f.diagnostics).toHaveLength(1);
    expect(positionAt(f.source, f.diagnostics[0]!.span.start).line).toBe(2);
    expect(entries(f).map((e) => e.key)).toEqual(['pm']);
    // the same text as php.ini: the quote runs on to the next line
    const g = parse('[www]\nlisten = "127.0.0.1:9000\npm = static\n');
    expect(entries(g).map((e) => e.key)).toEqual(['pm']);
    expect(g.diagnostics[0]!.message).toMatch(/unexpected end of file/);
  });

  it('FPM: a NUL byte ends the line for php-fpm; the rest is kept and flagged', () => {
    const f = parse('[www]\npm = static\0 ignored\nlisten = 9000\n', 'fpm');
    expect(printIni(f)).toBe(f.source.text);
    expect(entries(f).map((e) => e.key)).toEqual(['pm', 'listen']);
    expect(f.diagnostics.map((d) => d.severity)).toEqual(['warning']);
  });
});

describe('values (parse_ini_file semantics, checked against php in php-live.test.ts)', () => {
  it('evaluates constants, operators, booleans and concatenation', () => {
    const f = parse('a = E_ALL & ~E_DEPRECATED\nb = On\nc = none\nd = "x" y \'z\'\ne = 007\nf = ~0\ng = PHP_VERSION\n');
    expect(phpIniValues(f)).toEqual({ a: '24575', b: '1', c: '', d: 'xy z', e: '007', f: '-1', g: { dynamic: 'PHP_VERSION' } });
  });

  it('builds arrays the way PHP does', () => {
    const f = parse('x[] = a\nx[] = b\nx[k] = c\ns = 1\ns[] = 2\n[sec]\ny[5] = five\ny[] = six\n');
    expect(phpIniValues(f)).toEqual({ x: { 0: 'a', 1: 'b', k: 'c' }, s: { 0: '2' }, sec: { y: { 5: 'five', 6: 'six' } } });
  });

  it('replaces a repeated section in place', () => {
    const f = parse('[s]\na=1\n[t]\nb=2\n[s]\nc=3\n');
    const v = phpIniValues(f) as Record<string, unknown>;
    expect(v).toEqual({ s: { c: '3' }, t: { b: '2' } });
    expect(Object.keys(v)).toEqual(['s', 't']);
  });
});
