import { describe, expect, it } from 'vitest';
import type { Directive, NginxFile, Node, Word } from '../../src/syntax/nginx/ast.js';
import { argValues, parseNginx } from '../../src/syntax/nginx/index.js';
import { Lexer, TOK_COMMENT, TOK_EOF, TOK_LBRACE, TOK_RBRACE, TOK_SEMICOLON, TOK_WORD, unescapeWord } from '../../src/syntax/nginx/lexer.js';
import { decodeSource, positionAt, sourceFromString, type Span } from '../../src/syntax/source.js';

const parse = (text: string): NginxFile => parseNginx(sourceFromString('t.conf', text));

function directives(nodes: Node[]): Directive[] {
  return nodes.filter((n): n is Directive => n.kind === 'directive');
}

/** directive names and arg values, nested, for compact assertions */
function shape(nodes: Node[]): unknown[] {
  return directives(nodes).map((d) => {
    const words = [d.name.value, ...d.args.map((a) => a.value)];
    return d.block ? [...words, shape(d.block.children)] : d.rawBody ? [...words, { lua: d.file.text.slice(d.rawBody.body.start, d.rawBody.body.end) }] : words;
  });
}

/** a span's offsets alone (a parsed node is its own span, so it has more fields) */
const offsets = (s: Span): Span => ({ start: s.start, end: s.end });

/** a word's fields of ast.ts, as a plain object */
const plainWord = (w: Word): Word => ({ raw: w.raw, value: w.value, quote: w.quote, span: offsets(w.span) });

/** each diagnostic as "line:column message" */
function errors(f: NginxFile): string[] {
  return f.diagnostics.map((d) => {
    const p = positionAt(f.source, d.span.start);
    return `${p.line}:${p.column} ${d.message}`;
  });
}

function tokens(text: string): [string, string][] {
  const lx = new Lexer(sourceFromString('t.conf', text), []);
  const names = ['eof', 'word', ';', '{', '}', '#'];
  const out: [string, string][] = [];
  for (let k = lx.next(); k !== TOK_EOF; k = lx.next()) out.push([names[k]!, text.slice(lx.start, lx.end)]);
  return out;
}

describe('lexer', () => {
  it('splits words at whitespace, ";" and "{" but not at "}" or "#"', () => {
    expect(tokens('a#b c}d e;f{g')).toEqual([
      ['word', 'a#b'],
      ['word', 'c}d'],
      ['word', 'e'],
      [';', ';'],
      ['word', 'f'],
      ['{', '{'],
      ['word', 'g'],
    ]);
  });

  it('starts a comment only where a token starts, and ends it before CRLF', () => {
    expect(tokens('a #c1\r\n#c2\n}')).toEqual([
      ['word', 'a'],
      ['#', '#c1'],
      ['#', '#c2'],
      ['}', '}'],
    ]);
  });

  it('keeps "{" inside ${var} and after $ in a word', () => {
    expect(tokens('set $a ${b}c$${ x;')).toEqual([
      ['word', 'set'],
      ['word', '$a'],
      ['word', '${b}c$${'],
      ['word', 'x'],
      [';', ';'],
    ]);
    // after any other char `{` opens a block again, even after a variable name
    expect(tokens('a$x{')).toEqual([
      ['word', 'a$x'],
      ['{', '{'],
    ]);
  });

  it('treats quotes as quotes only at the start of a token', () => {
    expect(tokens(`a"b c" 'd e' "f;g"`)).toEqual([
      ['word', 'a"b'],
      ['word', 'c"'],
      ['word', "'d e'"],
      ['word', '"f;g"'],
    ]);
  });

  it('lets a backslash escape whitespace, quotes and terminators', () => {
    expect(tokens('a\\ b "c\\"d" e\\;f;')).toEqual([
      ['word', 'a\\ b'],
      ['word', '"c\\"d"'],
      ['word', 'e\\;f'],
      [';', ';'],
    ]);
  });

  it('resolves escapes in values as ngx_conf_read_token does', () => {
    expect(unescapeWord('a\\"b\\\'c\\\\d')).toBe('a"b\'c\\d');
    expect(unescapeWord('\\t\\r\\n')).toBe('\t\r\n');
    expect(unescapeWord('\\x\\$\\')).toBe('\\x\\$\\');
    expect(unescapeWord('plain')).toBe('plain');
  });

  it('resolves escapes anywhere in an unquoted word, and keeps the pairs nginx keeps', () => {
    const f = parse('set a\\"b c\\\\d e\\tf g\\xh \\\'i j\\;k;');
    const [d] = f.children as Directive[];
    expect([d!.name.value, ...d!.args.map((a) => a.value)]).toEqual(['set', 'a"b', 'c\\d', 'e\tf', 'g\\xh', "'i", 'j\\;k']);
    expect(argValues(d!)).toEqual(['a"b', 'c\\d', 'e\tf', 'g\\xh', "'i", 'j\\;k']);
  });

  it('gives each token kind', () => {
    const lx = new Lexer(sourceFromString('t', 'a { } ; # c'), []);
    const kinds = [lx.next(), lx.next(), lx.next(), lx.next(), lx.next(), lx.next()];
    expect(kinds).toEqual([TOK_WORD, TOK_LBRACE, TOK_RBRACE, TOK_SEMICOLON, TOK_COMMENT, TOK_EOF]);
  });
});

describe('parseNginx: tree', () => {
  it('builds directives, blocks and comments with exact spans', () => {
    const f = parse('http {\n  listen 80; # c\n}\n');
    expect(f.diagnostics).toEqual([]);
    const http = f.children[0] as Directive;
    expect(plainWord(http.name)).toEqual({ raw: 'http', value: 'http', quote: null, span: { start: 0, end: 4 } });
    expect(offsets(http.span)).toEqual({ start: 0, end: 25 });
    expect(http.block!.open).toEqual({ start: 5, end: 6 });
    expect(http.block!.close).toEqual({ start: 24, end: 25 });
    const [listen, comment] = http.block!.children as [Directive, Node];
    expect(offsets(listen.args[0]!.span)).toEqual({ start: 16, end: 18 });
    expect(listen.semicolon).toEqual({ start: 18, end: 19 });
    expect(offsets(listen.span)).toEqual({ start: 9, end: 19 });
    expect(comment).toMatchObject({ kind: 'comment', text: ' c', span: { start: 20, end: 23 } });
  });

  it('keeps quoted words raw and resolves their value', () => {
    const f = parse(`add_header X "a \\"b\\"\\n" 'it\\'s' "";`);
    const d = f.children[0] as Directive;
    expect(d.args.map((a) => [a.raw, a.value, a.quote])).toEqual([
      ['X', 'X', null],
      ['"a \\"b\\"\\n"', 'a "b"\n', '"'],
      ["'it\\'s'", "it's", "'"],
      ['""', '', '"'],
    ]);
  });

  it('lexes if conditions: ")" may follow a closing quote', () => {
    const f = parse('if ($a = "b") { return 403; }\nif ($x ~* "^(a|b)$"){ }');
    expect(f.diagnostics).toEqual([]);
    expect(shape(f.children)).toEqual([
      ['if', '($a', '=', 'b', ')', [['return', '403']]],
      ['if', '($x', '~*', '^(a|b)$', ')', []],
    ]);
  });

  it('keeps comments between arguments on the directive', () => {
    const f = parse('log_format # one\n  main # two\n  x;');
    const d = f.children[0] as Directive;
    expect(d.args.map((a) => a.value)).toEqual(['main', 'x']);
    expect(d.comments!.map((c) => c.text)).toEqual([' one', ' two']);
    expect(f.children).toHaveLength(1);
  });

  it('keeps *_by_lua_block bodies raw, braces in Lua strings and comments not counted', () => {
    const lua = ` local s = "}" .. '{' .. [[ } ]] .. [==[ ]] } ]==] -- }\n --[[ } ]] local t = { 1 } `;
    const f = parse(`content_by_lua_block {${lua}}\nset_by_lua_block $res { return 1 }\nlisten 80;`);
    expect(f.diagnostics).toEqual([]);
    expect(shape(f.children)).toEqual([['content_by_lua_block', { lua }], ['set_by_lua_block', '$res', { lua: ' return 1 ' }], ['listen', '80']]);
    const d = f.children[0] as Directive;
    expect(d.block).toBeNull();
    expect(d.rawBody!.open).toEqual({ start: 21, end: 22 });
    expect(d.rawBody!.close).toEqual({ start: 22 + lua.length, end: 23 + lua.length });
    expect(offsets(d.span)).toEqual({ start: 0, end: 23 + lua.length });
  });

  it('treats a quoted lua block name like an unquoted one, and the name only in directive position', () => {
    const f = parse('"access_by_lua_block" { x() }\nserver_name content_by_lua_block;');
    expect(shape(f.children)).toEqual([['access_by_lua_block', { lua: ' x() ' }], ['server_name', 'content_by_lua_block']]);
  });

  it('keeps the BOM as part of the first word, as nginx does', () => {
    const f = parseNginx(decodeSource('b.conf', Buffer.from([0xef, 0xbb, 0xbf, ...Buffer.from('user x;')])));
    expect((f.children[0] as Directive).name.value).toBe('\ufeffuser');
  });

  it('treats form feed and NBSP as word characters (nginx whitespace is space, tab, CR, LF)', () => {
    const f = parse('a\fb\u00a0c d;');
    expect(shape(f.children)).toEqual([['a\fb\u00a0c', 'd']]);
  });
});

describe('parseNginx: syntax errors (nginx wording, parsing goes on)', () => {
  it('reports a "}" after arguments and closes the block', () => {
    const f = parse('http {\n  server {\n    listen 80\n  }\n  server_name x;\n}\n');
    expect(errors(f)).toEqual(['4:3 unexpected "}"']);
    expect(shape(f.children)).toEqual([['http', [['server', [['listen', '80']]], ['server_name', 'x']]]]);
    const listen = ((f.children[0] as Directive).block!.children[0] as Directive).block!.children[0] as Directive;
    expect(listen.semicolon).toBeNull();
    expect(offsets(listen.span)).toEqual({ start: 22, end: 31 });
  });

  it('reports a "}" with no open block', () => {
    const f = parse('a;\n}\nb;');
    expect(errors(f)).toEqual(['2:1 unexpected "}"']);
    expect(f.stray).toEqual([{ start: 3, end: 4 }]);
    expect(shape(f.children)).toEqual([['a'], ['b']]);
  });

  it('reports a stray ";" and a "{" with no directive, reading on inside it', () => {
    const f = parse(';\n{ a; }\nb;');
    expect(errors(f)).toEqual(['1:1 unexpected ";"', '2:1 unexpected "{"']);
    expect(shape(f.children)).toEqual([['a'], ['b']]);
    expect(f.stray).toEqual([
      { start: 0, end: 1 },
      { start: 2, end: 3 },
      { start: 7, end: 8 },
    ]);
  });

  it('reports end of file inside a statement', () => {
    const f = parse('http {\n  listen 80');
    expect(errors(f)).toEqual(['2:12 unexpected end of file, expecting ";" or "}"']);
    expect(shape(f.children)).toEqual([['http', [['listen', '80']]]]);
  });

  it('reports end of file inside a block once, however deep', () => {
    const f = parse('http {\n  server {\n    listen 80;\n');
    expect(errors(f)).toEqual(['4:1 unexpected end of file, expecting "}"']);
    const http = f.children[0] as Directive;
    expect(http.block!.close).toBeNull();
    // a block cut off by the end of the file ends with its last token
    expect(offsets(http.span)).toEqual({ start: 0, end: 32 });
  });

  it('reports an unterminated quote at end of file', () => {
    const f = parse('return 200 "abc;\n}\n');
    expect(errors(f)).toEqual(['3:1 unexpected end of file, expecting ";" or "}"']);
    const arg = (f.children[0] as Directive).args[1]!;
    expect(plainWord(arg)).toEqual({ raw: '"abc;\n}\n', value: 'abc;\n}\n', quote: '"', span: { start: 11, end: 19 } });
  });

  it('reports text glued to a closing quote, and reads it as the next word', () => {
    const f = parse('server_name "a"b c;');
    expect(errors(f)).toEqual(['1:16 unexpected "b"']);
    expect(shape(f.children)).toEqual([['server_name', 'a', 'b', 'c']]);
    expect(errors(parse('a "x"}'))).toEqual(['1:6 unexpected "}"']);
  });

  it('reports "{" in a map, types or geo entry (handler blocks take no blocks)', () => {
    const f = parse('map $a $b {\n  ~^x[0-9]{1,5}$ 1;\n  default 0;\n}\n');
    expect(errors(f)).toEqual(['2:11 unexpected "{"']);
    expect(shape(f.children)).toEqual([['map', '$a', '$b', [['~^x[0-9]', '1,5}$', '1'], ['default', '0']]]]);
    const g = parse('types {\n  lost {\n    a b;\n  }\n  text/html html;\n}\n');
    expect(errors(g)).toEqual(['2:8 unexpected "{"']);
    expect(shape(g.children)).toEqual([['types', [['lost', [['a', 'b']]], ['text/html', 'html']]]]);
    // a quoted regex is fine
    expect(parse('map $a $b { "~^x[0-9]{1,5}$" 1; }').diagnostics).toEqual([]);
  });

  it('reports an unterminated Lua block and a missing long bracket in lua-nginx-module words', () => {
    const f = parse('content_by_lua_block {\n  f("{")\n');
    expect(errors(f)).toEqual(['3:1 unexpected end of file, expecting terminating characters for lua code block']);
    const g = parse('content_by_lua_block { x = [==[ never closed }\nlisten 80;');
    expect(errors(g)[0]).toBe('1:28 Lua code block missing the closing long bracket "]==]", the inlined Lua code may be too long');
    expect(shape(g.children)).toEqual([['content_by_lua_block', { lua: ' x = [==[ never closed ' }], ['listen', '80']]);
  });

  it('reports parameters too long for nginx 4096-byte buffer, with both of nginx messages', () => {
    const ok = 'worker_processes "' + 'a'.repeat(4094) + '";';
    expect(parse(ok).diagnostics).toEqual([]);
    const quoted = 'worker_processes "' + 'a'.repeat(4095) + '";';
    expect(errors(parse(quoted))).toEqual(['1:19 too long parameter "aaaaaaaaaa..." started']);
    const open = 'worker_processes "' + 'a'.repeat(5000) + '";';
    expect(errors(parse(open))).toEqual(['1:19 too long parameter, probably missing terminating """ character']);
    expect(errors(parse('#' + 'x'.repeat(5000) + '\nuser a;'))).toEqual(['1:1 too long parameter "#xxxxxxxxx..." started']);
    // bytes, not characters: 2100 two-byte characters overflow
    expect(errors(parse('a ' + 'é'.repeat(2100) + ';'))).toEqual(['1:3 too long parameter "ééééé..." started']);
    expect(parse('a ' + 'é'.repeat(2000) + ';').diagnostics).toEqual([]);
  });

  it('warns about ${name without its closing bracket (nginx fails on it where variables are compiled)', () => {
    const f = parse('server_name ${url ;\nset $a "${b}${c";');
    expect(f.diagnostics.map((d) => [d.severity, d.message, d.span])).toEqual([
      ['warning', 'the closing bracket in "url" variable is missing', { start: 12, end: 17 }],
      ['warning', 'the closing bracket in "c" variable is missing', { start: 32, end: 35 }],
    ]);
    expect(shape(f.children)).toEqual([['server_name', '${url'], ['set', '$a', '${b}${c']]);
  });

  it('finds every ${name without its bracket in words of $, {, } and backslashes (the lexer marks the words to check)', () => {
    // the oracle: each `${` in a word's text, the name after it, and no `}` right after the name
    const expected = (w: Word): [string, Span][] => {
      const out: [string, Span][] = [];
      for (let k = w.raw.indexOf('${'); k !== -1; k = w.raw.indexOf('${', k + 2)) {
        let j = k + 2;
        while (j < w.raw.length && /\w/.test(w.raw[j]!)) j++;
        if (w.raw[j] !== '}') out.push([`the closing bracket in "${w.raw.slice(k + 2, j)}" variable is missing`, { start: w.span.start + k, end: w.span.start + j }]);
      }
      return out;
    };
    const alphabet = ['$', '{', '}', '\\', 'a', '_', '1', '"'];
    let seed = 7;
    const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) & 0x7fffffff) >>> 16;
    let checked = 0;
    for (let i = 0; i < 3000; i++) {
      let word = 'x';
      for (let n = next() % 8; n > 0; n--) word += alphabet[next() % alphabet.length];
      const f = parse(`set $v ${word};\n`);
      const wordsOf = (nodes: Node[]): Word[] => nodes.flatMap((n) => (n.kind === 'directive' ? [n.name, ...n.args, ...wordsOf(n.block?.children ?? [])] : []));
      const words = wordsOf(f.children);
      const warnings = f.diagnostics.filter((d) => d.severity === 'warning').map((d) => [d.message, d.span]);
      expect(warnings, word).toEqual(words.flatMap(expected));
      checked += warnings.length;
    }
    expect(checked).toBeGreaterThan(100);
  });

  it('uses rule nginx-syntax and severity error for syntax errors', () => {
    const [d] = parse('}').diagnostics;
    expect(d).toMatchObject({ rule: 'nginx-syntax', severity: 'error', message: 'unexpected "}"', span: { start: 0, end: 1 } });
  });
});
