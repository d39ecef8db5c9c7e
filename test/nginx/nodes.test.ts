/**
 * The parser's nodes (src/syntax/nginx/nodes.ts) carry their spans inline and
 * make some fields on demand, but library users see the shapes of ast.ts:
 * every field reads as before, and JSON.stringify gives exactly the plain
 * objects (same keys, same order) that the parser made before the change.
 */
import { describe, expect, it } from 'vitest';
import type { Block, Comment, Directive, Node, Word } from '../../src/syntax/nginx/ast.js';
import { parseNginx } from '../../src/syntax/nginx/index.js';
import { Lexer, TOK_COMMENT, TOK_EOF, TOK_LBRACE, TOK_RBRACE, TOK_SEMICOLON, TOK_WORD } from '../../src/syntax/nginx/lexer.js';
import { argCount, argSpan, argValue, argValues, directivesOf, nameOf } from '../../src/syntax/nginx/nodes.js';
import { sourceFromString, type Span } from '../../src/syntax/source.js';

const span = (s: Span): Span => ({ start: s.start, end: s.end });
const word = (w: Word): Word => ({ raw: w.raw, value: w.value, quote: w.quote, span: span(w.span) });
const block = (b: Block): Block => ({ open: span(b.open), close: b.close && span(b.close), children: b.children.map(node) });
function node(n: Node): Node {
  if (n.kind === 'comment') return { kind: 'comment', text: n.text, span: span(n.span), file: n.file } satisfies Comment;
  return {
    kind: 'directive',
    name: word(n.name),
    args: n.args.map(word),
    block: n.block && block(n.block),
    rawBody: n.rawBody && { open: span(n.rawBody.open), body: span(n.rawBody.body), close: n.rawBody.close && span(n.rawBody.close) },
    semicolon: n.semicolon && span(n.semicolon),
    comments: n.comments?.map((c) => node(c) as Comment),
    span: span(n.span),
    file: n.file,
  } satisfies Directive;
}

const TEXT = `# top
events { worker_connections 512; }
http {
    server { # inline
        server_name "a.example" 'b\\'s' c\\;d plain;
        location ~ \\.php$ { fastcgi_pass unix:/run/php.sock; }
        content_by_lua_block { ngx.say("}") }
        add_header X-A # between
          "1";
    }
    unclosed {
`;

describe('parser nodes', () => {
  const file = parseNginx(sourceFromString('t.conf', TEXT));

  it('read as the ast.ts shapes, and JSON is those plain objects in their key order', () => {
    expect(file.children.length).toBeGreaterThan(2);
    expect(JSON.stringify(file.children)).toBe(JSON.stringify(file.children.map(node)));
    const server = (file.children[2] as Directive).block!.children.find((c) => c.kind === 'directive') as Directive;
    const names = server.block!.children.filter((c): c is Directive => c.kind === 'directive');
    expect(names.map((d) => d.name.value)).toEqual(['server_name', 'location', 'content_by_lua_block', 'add_header']);
    expect(names[0]!.args.map((a) => [a.value, a.quote])).toEqual([['a.example', '"'], ["b's", "'"], ['c\\;d', null], ['plain', null]]);
    expect(names[0]!.semicolon).toEqual({ start: names[0]!.span.end - 1, end: names[0]!.span.end });
    expect(names[3]!.comments?.map((c) => c.text)).toEqual([' between']);
  });

  it('spans can still be set through the node, as the fix code does', () => {
    const d = parseNginx(sourceFromString('s.conf', 'a b;\n')).children[0] as Directive;
    d.span = { start: 0, end: 4 };
    d.args[0]!.span = { start: 2, end: 3 };
    expect([span(d.span), span(d.args[0]!.span), d.semicolon && span(d.semicolon)]).toEqual([
      { start: 0, end: 4 },
      { start: 2, end: 3 },
      { start: 3, end: 4 },
    ]);
  });

  it('make Words on demand where the text has them: past blanks and comments, after quoted names, around a stray `{`', () => {
    const text = [
      'a  b\t# c\n\r\n  d;',
      '"q n" x \\y z\\w;',
      "n 'a' b;",
      'map $a $b { k{1,2} v; default  x ; }',
      'set $x ${y}z;',
      'e\\$ f\\; g;',
      'h',
    ].join('\n');
    const file = parseNginx(sourceFromString('w.conf', text));
    const all: Directive[] = [];
    const visit = (ns: Node[]): void => {
      for (const n of ns) {
        if (n.kind !== 'directive') continue;
        all.push(n);
        if (n.block) visit(n.block.children);
      }
    };
    visit(file.children);
    expect(all.map(nameOf)).toEqual(['a', 'q n', 'n', 'map', 'k', 'default', 'set', 'e\\$', 'h']);
    for (const d of all) {
      // spans found without Words (asked first, before any Word is made) agree with the Words' spans
      const spans = Array.from({ length: argCount(d) + 1 }, (_, i) => argSpan(d, i));
      expect(spans).toEqual([...d.args.map((a) => ({ start: a.span.start, end: a.span.end })), undefined]);
      // the values read without Words agree with the Words made from them
      expect([argCount(d), argValues(d), argValue(d, 0), argValue(d, argCount(d))]).toEqual([d.args.length, d.args.map((a) => a.value), d.args[0]?.value, undefined]);
      expect(nameOf(d)).toBe(d.name.value);
      // and every Word's span covers its text
      for (const w of [d.name, ...d.args]) expect(text.slice(w.span.start, w.span.end)).toBe(w.raw);
    }
    expect(all[0]!.args.map((a) => a.raw)).toEqual(['b', 'd']);
    expect(all[4]!.args.map((a) => a.raw)).toEqual(['1,2}', 'v']);
    // a Word once made is kept: the same object at each read
    expect(all[0]!.args).toBe(all[0]!.args);
    expect(all[0]!.name).toBe(all[0]!.name);
  });

  it('read plain arguments from the text as the lexer reads them, in any order, and keep them when the span or name is set', () => {
    const text = [
      'a  b\t# c d\n\r\n  e$x f#g ${h}i\\\\;',
      'set $v "q" r s;',
      'k ${a}b ${c}} x\\y;',
      'server_name one two three four five;',
    ].join('\n');
    const file = parseNginx(sourceFromString('p.conf', text));
    const ds = file.children.filter((n): n is Directive => n.kind === 'directive');
    // the words the lexer reads for each directive, independently of the parser
    const lexed = (d: Directive): { value: string; start: number; end: number }[] => {
      const lx = new Lexer(d.file, []);
      lx.pos = d.span.start;
      const out = [];
      for (let k = lx.next(); k !== TOK_EOF && k !== TOK_SEMICOLON && k !== TOK_LBRACE && k !== TOK_RBRACE; k = lx.next()) {
        if (k === TOK_WORD) out.push({ value: lx.value(), start: lx.start, end: lx.end });
      }
      return out.slice(1);
    };
    expect(ds.map((d) => lexed(d).map((w) => w.value))).toEqual([
      ['b', 'e$x', 'f#g', '${h}i\\'],
      ['$v', 'q', 'r', 's'],
      ['${a}b', '${c}}', 'x\\y'],
      ['one', 'two', 'three', 'four', 'five'],
    ]);
    // reads in every order, switching between directives, agree with the lexer
    const orders = [[0, 1, 2, 3], [3, 2, 1, 0], [1, 1, 0, 3, 2], [2, 0, 3]];
    for (const order of orders) {
      for (const i of order) for (const d of ds) expect([argValue(d, i), argSpan(d, i)]).toEqual([lexed(d)[i]?.value, lexed(d)[i] && { start: lexed(d)[i]!.start, end: lexed(d)[i]!.end }]);
    }
    for (const d of ds) expect([argCount(d), argValues(d)]).toEqual([lexed(d).length, lexed(d).map((w) => w.value)]);
    // a directive moved, or renamed to a name of another length, keeps its values
    const [a, , , names] = ds;
    a!.span = { start: 0, end: 0 };
    names!.name = { raw: 'n', value: 'n', quote: null, span: { start: 0, end: 1 } };
    expect([argValues(a!), argValue(names!, 4), argCount(names!)]).toEqual([['b', 'e$x', 'f#g', '${h}i\\'], 'five', 5]);
  });

  it('keep comments as spans and make them into children in text order when read, each in its innermost block', () => {
    const text = [
      '# file 1',
      'http { # http 1',
      '  server {',
      '    # server 1',
      '    listen 80; # server 2',
      '    location / { # loc 1',
      '      return 200 # inside the directive',
      '        ;',
      '    } # server 3',
      '    { # in a stray block',
      '      root /x;',
      '    }',
      '  }',
      '  # http 2',
      '}',
      '# file 2',
      'events {',
      '  # cut off',
    ].join('\n');
    const file = parseNginx(sourceFromString('c.conf', text));
    // every comment token the lexer reads, by its start
    const lx = new Lexer(file.source, []);
    const all: number[] = [];
    for (let k = lx.next(); k !== TOK_EOF; k = lx.next()) if (k === TOK_COMMENT) all.push(lx.start);
    const seen: number[] = [];
    const shape = (nodes: Node[]): unknown[] =>
      nodes.map((n) => {
        if (n.kind === 'comment') {
          seen.push(n.span.start);
          return n.text.trim();
        }
        for (const c of n.comments ?? []) seen.push(c.span.start);
        expect(n.block ? n.block.children.filter((c) => c.kind === 'directive') : []).toEqual(n.block ? directivesOf(n.block) : []);
        return n.block ? { [nameOf(n)]: shape(n.block.children) } : nameOf(n);
      });
    expect(shape(file.children)).toEqual([
      'file 1',
      { http: ['http 1', { server: ['server 1', 'listen', 'server 2', { location: ['loc 1', 'return'] }, 'server 3', 'in a stray block', 'root'] }, 'http 2'] },
      'file 2',
      { events: ['cut off'] },
    ]);
    // none lost, none twice (the directive's own comment is in its `comments`)
    expect(seen.sort((a, b) => a - b)).toEqual(all);
    // made once: the same list and the same nodes at each read
    expect(file.children).toBe(file.children);
    expect(file.children[0]).toBe(file.children[0]);
    expect(directivesOf(file).map(nameOf)).toEqual(['http', 'events']);
    // set by hand: kept as given, and the lint's walks read its directives
    const http = file.children[1] as Directive;
    http.block!.children = [http.block!.children[1]!];
    expect([http.block!.children.length, directivesOf(http.block!).map(nameOf)]).toEqual([1, ['server']]);
    // a tree made by hand: its directives are its children that are directives
    expect(directivesOf({ open: { start: 0, end: 1 }, close: null, children: [...file.children] }).map(nameOf)).toEqual(['http', 'events']);
  });
});

