import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Directive } from '../../src/syntax/nginx/ast.js';
import { LostTokenError, parseNginx, printNginx } from '../../src/syntax/nginx/index.js';
import { decodeSource, encodeSource, sourceFromString } from '../../src/syntax/source.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const fixturesDir = path.join(root, 'fixtures');

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...walk(p));
    else if (e.isFile()) out.push(p);
  }
  return out.sort();
}

describe('printNginx: byte-identical round trip of every fixture', () => {
  const files = walk(fixturesDir);
  it('finds the nginx parse fixtures', () => {
    const mine = files.filter((f) => f.includes(`${path.sep}nginx${path.sep}parse${path.sep}`));
    expect(mine.length).toBeGreaterThanOrEqual(12);
  });
  for (const file of files) {
    it(path.relative(root, file), () => {
      const bytes = fs.readFileSync(file);
      const source = decodeSource(path.relative(root, file), bytes);
      const tree = parseNginx(source);
      const printed = printNginx(tree);
      expect(encodeSource(source, printed).equals(bytes)).toBe(true);
    });
  }
});

describe('printNginx: fixtures decode as expected', () => {
  const read = (name: string) => decodeSource(name, fs.readFileSync(path.join(fixturesDir, 'nginx', 'parse', name)));
  it('reads a Latin-1 file losslessly', () => {
    const src = read('latin1.conf');
    expect(src.encoding).toBe('latin1');
    const f = parseNginx(src);
    const ret = ((((f.children[1] as Directive).block!.children[0] as Directive).block!.children[0] as Directive).block!.children[0] as Directive);
    expect(ret.args[1]!.value).toBe('Mölln\n');
    expect(ret.args[1]!.raw).toBe('"Mölln\\n"');
  });
  it('keeps CRLF out of comment text and inside quoted values', () => {
    const f = parseNginx(read('crlf.conf'));
    expect(f.children[0]).toMatchObject({ kind: 'comment', text: ' CRLF line endings' });
    expect(f.diagnostics).toEqual([]);
  });
});

describe('printNginx: detects a lost token', () => {
  it('throws when a token is missing from the tree', () => {
    const tree = parseNginx(sourceFromString('t.conf', 'a b;\nc d;\n'));
    (tree.children[0] as Directive).args.pop();
    expect(() => printNginx(tree)).toThrow(LostTokenError);
    expect(() => printNginx(tree)).toThrow(/text not covered by any token: "b"/);
  });
  it('throws when a comment is dropped', () => {
    const tree = parseNginx(sourceFromString('t.conf', 'a; # note\n'));
    tree.children.pop();
    expect(() => printNginx(tree)).toThrow(/text not covered by any token: "# note/);
  });
  it('throws on overlapping tokens', () => {
    const tree = parseNginx(sourceFromString('t.conf', 'a b;'));
    (tree.children[0] as Directive).args[0]!.span = { start: 0, end: 3 };
    expect(() => printNginx(tree)).toThrow(/overlaps or is out of order/);
  });
  it('prints stray tokens in place', () => {
    const text = '}\n; a { ; } {\n';
    const tree = parseNginx(sourceFromString('t.conf', text));
    expect(tree.diagnostics.length).toBeGreaterThan(0);
    expect(printNginx(tree)).toBe(text);
  });
});
