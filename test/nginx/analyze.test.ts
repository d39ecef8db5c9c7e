/**
 * The analyzer on small configurations: each case is nginx's exact message,
 * rule and position (line:column of the name nginx blames). The messages
 * were checked against nginx 1.22's `nginx -t` (see nginx-t.test.ts for the
 * live comparison).
 */
import { describe, expect, it } from 'vitest';
import { toReported } from '../../src/diagnostic.js';
import { memoryFileSystem } from '../../src/fs.js';
import { ANALYZE_RULES, analyze, ifCondition, nginxErrorOffset, singleFileConfig, sortInNginxOrder, type AnalyzeOptions } from '../../src/syntax/nginx/analyze.js';
import type { ContextName } from '../../src/syntax/nginx/ast.js';
import { loadNginxConfig, parseNginx } from '../../src/syntax/nginx/index.js';
import { parseNginxVersion } from '../../src/syntax/nginx/version.js';
import { positionAt, sourceFromString } from '../../src/syntax/source.js';

const v = (s: string) => parseNginxVersion(s)!;

function run(text: string, opts: AnalyzeOptions = {}): string[] {
  const file = parseNginx(sourceFromString('t.conf', text));
  expect(file.diagnostics.map((d) => d.message)).toEqual([]);
  return analyze(singleFileConfig(file), { requireEvents: false, ...opts }).map((d) => {
    const r = toReported(d);
    return `${r.line}:${r.column} ${r.rule} ${r.message}`;
  });
}

const R = ANALYZE_RULES;

interface Case {
  name: string;
  text: string;
  context?: ContextName;
  version?: string;
  expected: string[];
}

const valid: Case[] = [
  { name: 'minimal', text: 'events {}\n', expected: [] },
  {
    name: 'a typical http server',
    text: `events { worker_connections 512; }
http {
  include mime.types;
  server {
    listen 80;
    server_name example.test;
    location / { try_files $uri $uri/ /index.php?$args; }
    location ~ \\.php$ { fastcgi_pass unix:/run/php.sock; include fastcgi_params; }
    location /api/ { proxy_pass http://127.0.0.1:9000; proxy_set_header Host $host; }
  }
}
`,
    expected: [],
  },
  { name: 'flags are case-insensitive', text: 'events{}\nhttp { gzip ON; sendfile Off; }\n', expected: [] },
  {
    name: 'if conditions nginx accepts',
    text: `events{}
http { server {
  if ($request_method = POST) { return 405; }
  location / {
    if ($http_user_agent ~* bot) { return 403; }
    if (!-e $request_filename) { rewrite ^ /index.php last; }
    if ($request_uri) { set $a 1; }
    if ( $args !~ "x" ) { break; }
  }
} }
`,
    expected: [],
  },
  {
    name: 'same directive in nested blocks is not a duplicate',
    text: 'events{}\nhttp { gzip on; server { gzip off; location / { gzip on; if ($uri) { gzip off; } } } }\n',
    expected: [],
  },
  {
    name: 'map, geo, split_clients, types, charset_map entries',
    text: `events{}
http {
  map $host $m { hostnames; volatile; default 0; example.test 1; ~^www 2; \\default 3; }
  geo $g { ranges; proxy_recursive; default 0; 127.0.0.1-127.0.0.9 1; }
  split_clients $remote_addr $s { 33.3% a; 66.7% b; * c; }
  types { text/html html htm; text/plain; }
  charset_map koi8-r utf-8 { C0 D18E; }
  charset_map koi8-r windows-1251 { C0 FE; }
}
`,
    expected: [],
  },
  { name: 'a server-level fragment', context: 'server', text: 'listen 80;\nroot /srv;\nlocation / { }\n', expected: [] },
  { name: 'a location-level fragment', context: 'location', text: 'proxy_pass http://x;\nif ($uri) { proxy_pass http://y; }\n', expected: [] },
  { name: 'a map fragment', context: 'map', text: 'default 0;\n/a 1;\n', expected: [] },
  { name: 'http2 in 1.25.1', version: '1.25.1', text: 'events{}\nhttp { server { http2 on; } }\n', expected: [] },
  { name: 'ssl before 1.25.1', version: '1.24.0', text: 'events{}\nhttp { server { ssl on; } }\n', expected: [] },
  { name: 'stream', text: 'events{}\nstream { upstream u { server 127.0.0.1:1; } server { listen 1; proxy_pass u; } }\n', expected: [] },
  { name: 'mail', text: 'events{}\nmail { server { listen 25; protocol smtp; } }\n', expected: [] },
  {
    name: 'Lua blocks',
    text: 'events{}\nhttp { init_by_lua_block { x = {} } server { location / { content_by_lua_block { ngx.say("}") } } } }\n',
    expected: [],
  },
];

const invalid: Case[] = [
  { name: 'unknown directive', text: 'events{}\nfoo bar;\n', expected: [`2:1 ${R.unknown} unknown directive "foo"`] },
  { name: 'unknown in location', text: 'events{}\nhttp { server { location / { proxy_passs x; } } }\n', expected: [`2:30 ${R.unknown} unknown directive "proxy_passs"`] },
  { name: 'too new for the version', version: '1.22.1', text: 'events{}\nhttp { server { http2 on; } }\n', expected: [`2:17 ${R.unknown} unknown directive "http2"`] },
  { name: 'removed in the version', version: '1.26.0', text: 'events{}\nhttp { server { ssl on; } }\n', expected: [`2:17 ${R.unknown} unknown directive "ssl"`] },
  { name: 'main directive in http', text: 'events{}\nhttp { worker_processes 1; }\n', expected: [`2:8 ${R.context} "worker_processes" directive is not allowed here`] },
  { name: 'http directive in main', text: 'events{}\ngzip on;\n', expected: [`2:1 ${R.context} "gzip" directive is not allowed here`] },
  { name: 'events directive in http', text: 'events{}\nhttp { worker_connections 1; }\n', expected: [`2:8 ${R.context} "worker_connections" directive is not allowed here`] },
  { name: 'server in server', text: 'events{}\nhttp { server { server { } } }\n', expected: [`2:17 ${R.context} "server" directive is not allowed here`] },
  { name: 'location in http', text: 'events{}\nhttp { location / { } }\n', expected: [`2:8 ${R.context} "location" directive is not allowed here`] },
  { name: 'alias in server', text: 'events{}\nhttp { server { alias /x; } }\n', expected: [`2:17 ${R.context} "alias" directive is not allowed here`] },
  { name: 'proxy_pass in a server if', text: 'events{}\nhttp { server { if ($uri) { proxy_pass http://x; } } }\n', expected: [`2:29 ${R.context} "proxy_pass" directive is not allowed here`] },
  { name: 'if in if', text: 'events{}\nhttp { server { location / { if ($uri) { if ($uri) { } } } } }\n', expected: [`2:42 ${R.context} "if" directive is not allowed here`] },
  { name: 'return in limit_except', text: 'events{}\nhttp { server { location / { limit_except GET { return 403; } } } }\n', expected: [`2:49 ${R.context} "return" directive is not allowed here`] },
  { name: 'listen in an upstream', text: 'events{}\nhttp { upstream u { listen 80; } }\n', expected: [`2:21 ${R.context} "listen" directive is not allowed here`] },
  { name: 'http directive in stream', text: 'events{}\nstream { server { gzip on; } }\n', expected: [`2:19 ${R.context} "gzip" directive is not allowed here`] },
  { name: 'mail directive in stream', text: 'events{}\nstream { server { protocol smtp; } }\n', expected: [`2:19 ${R.context} "protocol" directive is not allowed here`] },
  {
    name: 'a misplaced block is still checked inside',
    text: 'events{}\nserver { listen 80; foo; }\n',
    expected: [`2:1 ${R.context} "server" directive is not allowed here`, `2:21 ${R.unknown} unknown directive "foo"`],
  },
  { name: 'server fragment read in main', text: 'listen 80;\n', expected: [`1:1 ${R.context} "listen" directive is not allowed here`] },
  { name: 'http fragment read as server', context: 'server', text: 'server_names_hash_bucket_size 64;\n', expected: [`1:1 ${R.context} "server_names_hash_bucket_size" directive is not allowed here`] },
  { name: 'too many arguments', text: 'events{}\nhttp { root /a /b; }\n', expected: [`2:8 ${R.arguments} invalid number of arguments in "root" directive`] },
  { name: 'missing argument', text: 'events{}\nhttp { server { location / { proxy_pass; } } }\n', expected: [`2:30 ${R.arguments} invalid number of arguments in "proxy_pass" directive`] },
  { name: 'argument to a no-argument directive', text: 'events{}\nhttp { server { location / { internal 1; } } }\n', expected: [`2:30 ${R.arguments} invalid number of arguments in "internal" directive`] },
  { name: 'flag with two values', text: 'events{}\nhttp { gzip on off; }\n', expected: [`2:8 ${R.arguments} invalid number of arguments in "gzip" directive`] },
  { name: 'block without arguments', text: 'events{}\nhttp { server { location { } } }\n', expected: [`2:17 ${R.arguments} invalid number of arguments in "location" directive`] },
  { name: 'more than 7 arguments', text: 'events{}\nhttp { add_header a b c d e f g h; }\n', expected: [`2:8 ${R.arguments} invalid number of arguments in "add_header" directive`] },
  { name: 'bad flag value', text: 'events{}\nhttp { sendfile yes; }\n', expected: [`2:8 ${R.flag} invalid value "yes" in "sendfile" directive, it must be "on" or "off"`] },
  { name: 'bad flag in main', text: 'daemon maybe;\nevents{}\n', expected: [`1:1 ${R.flag} invalid value "maybe" in "daemon" directive, it must be "on" or "off"`] },
  { name: 'block directive with ;', text: 'events{}\nhttp { server; }\n', expected: [`2:8 ${R.block} directive "server" has no opening "{"`] },
  { name: 'simple directive with a block', text: 'events{}\nhttp { server_tokens off { } }\n', expected: [`2:8 ${R.block} directive "server_tokens" is not terminated by ";"`] },
  { name: 'Lua block directive with ;', text: 'events{}\nhttp { server { location / { content_by_lua_block; } } }\n', expected: [`2:30 ${R.block} directive "content_by_lua_block" has no opening "{"`] },
  { name: 'duplicate', text: 'events{}\nhttp { server { root /a; root /b; } }\n', expected: [`2:26 ${R.duplicate} "root" directive is duplicate`] },
  { name: 'alias after root', text: 'events{}\nhttp { server { location / { root /a; alias /b; } } }\n', expected: [`2:39 ${R.duplicate} "alias" directive is duplicate, "root" directive was specified earlier`] },
  { name: 'duplicate events', text: 'events{}\nevents{}\n', expected: [`2:1 ${R.duplicate} "events" directive is duplicate`] },
  // many single-valued directives in one block: each duplicate is found, the first slot's as the last's
  (() => {
    const flags = ['sendfile', 'tcp_nopush', 'tcp_nodelay', 'gzip', 'gzip_vary', 'server_tokens', 'autoindex', 'absolute_redirect', 'etag', 'msie_padding', 'port_in_redirect', 'chunked_transfer_encoding', 'log_not_found', 'gzip_static', 'proxy_buffering'];
    const body = `${flags.map((f) => `${f} on;`).join(' ')} root /a; tcp_nodelay off; sendfile_max_chunk 1m; gzip_static on; alias /b; etag off; sendfile off;`;
    const text = `events{}\nhttp { server { location / { ${body} } } }\n`;
    const col = (needle: string) => text.indexOf(needle) - text.indexOf('\n');
    return {
      name: 'duplicates among seventeen single-valued directives of one block',
      text,
      expected: [
        `2:${col('tcp_nodelay off')} ${R.duplicate} "tcp_nodelay" directive is duplicate`,
        `2:${col('gzip_static on; alias')} ${R.duplicate} "gzip_static" directive is duplicate`,
        `2:${col('alias /b')} ${R.duplicate} "alias" directive is duplicate, "root" directive was specified earlier`,
        `2:${col('etag off')} ${R.duplicate} "etag" directive is duplicate`,
        `2:${col('sendfile off')} ${R.duplicate} "sendfile" directive is duplicate`,
      ],
    };
  })(),
  { name: 'duplicate before a bad flag value', text: 'events{}\nhttp { gzip on; gzip maybe; }\n', expected: [`2:17 ${R.duplicate} "gzip" directive is duplicate`] },
  { name: 'arrays are not duplicates', text: 'events{}\nhttp { add_header a b; add_header a b; proxy_set_header a b; proxy_set_header a b; }\n', expected: [] },
  { name: 'if ()', text: 'events{}\nhttp { server { if () { } } }\n', expected: [`2:17 ${R.ifCondition} invalid condition ")"`] },
  { name: 'if ( )', text: 'events{}\nhttp { server { if ( ) { } } }\n', expected: [`2:17 ${R.ifCondition} invalid condition ")"`] },
  { name: 'if without parentheses', text: 'events{}\nhttp { server { if $uri { } } }\n', expected: [`2:17 ${R.ifCondition} invalid condition "$uri"`] },
  { name: 'if without (', text: 'events{}\nhttp { server { if $uri) { } } }\n', expected: [`2:17 ${R.ifCondition} invalid condition "$uri)"`] },
  { name: 'if without )', text: 'events{}\nhttp { server { if ($uri { } } }\n', expected: [`2:17 ${R.ifCondition} invalid condition "$uri"`] },
  { name: 'if with an unknown operator', text: 'events{}\nhttp { server { if ($uri foo x) { } } }\n', expected: [`2:17 ${R.ifCondition} unexpected "foo" in condition`] },
  { name: 'if with a bad file test', text: 'events{}\nhttp { server { if (-q $uri) { } } }\n', expected: [`2:17 ${R.ifCondition} invalid condition "-q"`] },
  { name: 'if with no arguments', text: 'events{}\nhttp { server { if { } } }\n', expected: [`2:17 ${R.arguments} invalid number of arguments in "if" directive`] },
  { name: 'map entry with 3 parameters', text: 'events{}\nhttp { map $a $b { x 1 2; } }\n', expected: [`2:20 ${R.entry} invalid number of the map parameters`] },
  { name: 'map entry with 1 parameter', text: 'events{}\nhttp { map $a $b { x; } }\n', expected: [`2:20 ${R.entry} invalid number of the map parameters`] },
  { name: 'map default twice', text: 'events{}\nhttp { map $a $b { default 1; default 2; } }\n', expected: [`2:31 ${R.entry} duplicate default map parameter`] },
  { name: 'map key twice (case-insensitive)', text: 'events{}\nhttp { map $a $b { X 1; x 2; } }\n', expected: [`2:25 ${R.entry} conflicting parameter "x"`] },
  { name: 'map include with 2 arguments', text: 'events{}\nhttp { map $a $b { include a b; } }\n', expected: [`2:20 ${R.entry} invalid number of the map parameters`] },
  { name: 'geo entry with 1 parameter', text: 'events{}\nhttp { geo $g { proxy; } }\n', expected: [`2:17 ${R.entry} invalid number of the geo parameters`] },
  { name: 'split_clients percent', text: 'events{}\nhttp { split_clients $a $b { half x; } }\n', expected: [`2:30 ${R.entry} invalid percent value "half"`] },
  { name: 'split_clients zero percent', text: 'events{}\nhttp { split_clients $a $b { 0% x; } }\n', expected: [`2:30 ${R.entry} invalid percent value "0%"`] },
  { name: 'split_clients over 100%', text: 'events{}\nhttp { split_clients $a $b {\n60% x;\n50% y;\n}\n}\n', expected: [`5:1 ${R.entry} percent total is greater than 100%`] },
  { name: 'charset_map entry count', text: 'events{}\nhttp { charset_map a b { C0; } }\n', expected: [`2:26 ${R.entry} invalid parameters number`] },
  { name: 'charset_map value', text: 'events{}\nhttp { charset_map a b { ZZ C0; } }\n', expected: [`2:26 ${R.entry} invalid value "ZZ"`] },
  { name: 'types include count', text: 'events{}\nhttp { types { include a b; } }\n', expected: [`2:16 ${R.arguments} invalid number of arguments in "include" directive`] },
  { name: 'bad location modifier', text: 'events{}\nhttp { server { location !~ /a { } } }\n', expected: [`2:17 ${R.location} invalid location modifier "!~"`] },
  { name: 'nested location outside its parent', text: 'events{}\nhttp { server { location /a { location /b { } } } }\n', expected: [`2:31 ${R.location} location "/b" is outside location "/a"`] },
  { name: 'location in an exact location', text: 'events{}\nhttp { server { location = /a { location /a/b { } } } }\n', expected: [`2:33 ${R.location} location "/a/b" cannot be inside the exact location "/a"`] },
  { name: 'location in a named location', text: 'events{}\nhttp { server { location @n { location /x { } } } }\n', expected: [`2:31 ${R.location} location "/x" cannot be inside the named location "@n"`] },
  { name: 'nested named location', text: 'events{}\nhttp { server { location /a { location @n { } } } }\n', expected: [`2:31 ${R.location} named location "@n" can be on the server level only`] },
  { name: 'duplicate prefix location (^~ is a prefix too)', text: 'events{}\nhttp { server { location /a { } location ^~/a { } } }\n', expected: [`2:33 ${R.location} duplicate location "/a"`] },
  { name: 'duplicate exact location', text: 'events{}\nhttp { server { location = /a { } location = /a { } } }\n', expected: [`2:35 ${R.location} duplicate location "/a"`] },
  {
    name: 'regex, named and exact-vs-prefix locations are not duplicates',
    text: 'events{}\nhttp { server { location ~ x { } location ~ x { } location @n { } location = /a { } location /a { location ~ y { } } } server { location /a { } } }\n',
    expected: [],
  },
  { name: 'block in a map fragment', context: 'map', text: 'a {\n}\n', expected: [`1:3 ${R.block} unexpected "{"`] },
  {
    name: 'all errors, in order',
    text: 'events{}\nhttp {\n  sendfile perhaps;\n  server { proxy_passs x; location { } }\n  worker_processes 2;\n}\n',
    expected: [
      `3:3 ${R.flag} invalid value "perhaps" in "sendfile" directive, it must be "on" or "off"`,
      `4:12 ${R.unknown} unknown directive "proxy_passs"`,
      `4:27 ${R.arguments} invalid number of arguments in "location" directive`,
      `5:3 ${R.context} "worker_processes" directive is not allowed here`,
    ],
  },
];

describe('analyze: valid configurations', () => {
  it.each(valid)('$name', (c) => {
    expect(run(c.text, { ...(c.context ? { context: c.context } : {}), ...(c.version ? { version: v(c.version) } : {}) })).toEqual(c.expected);
  });
});

describe('analyze: nginx -t errors', () => {
  it.each(invalid)('$name', (c) => {
    expect(run(c.text, { ...(c.context ? { context: c.context } : {}), ...(c.version ? { version: v(c.version) } : {}) })).toEqual(c.expected);
  });
});

describe('analyze: options', () => {
  it('ignores unknown directives when asked, and skips their blocks', () => {
    expect(run('events{}\nfoo { bar; }\nhttp { baz 1; }\n', { unknownDirectives: 'ignore' })).toEqual([]);
  });

  it('reports a missing events block in main', () => {
    const file = parseNginx(sourceFromString('t.conf', 'http { }\n'));
    const ds = analyze(singleFileConfig(file));
    expect(ds.map((d) => [d.rule, d.message])).toEqual([[R.events, 'no "events" section in configuration']]);
    expect(nginxErrorOffset(ds[0]!)).toBe(Number.POSITIVE_INFINITY);
    expect(analyze(singleFileConfig(file), { requireEvents: false })).toEqual([]);
    expect(analyze(singleFileConfig(parseNginx(sourceFromString('s.conf', 'listen 80;\n'))), { context: 'server' })).toEqual([]);
  });

  it('treats modules the build lacks as unknown', () => {
    const only = (m: string) => !m.startsWith('stream');
    expect(run('events{}\nstream { }\n', { modules: only })).toEqual([`2:1 ${R.unknown} unknown directive "stream"`]);
  });

  it('says why a directive is unknown in the target version', () => {
    const file = parseNginx(sourceFromString('t.conf', 'events{}\nhttp { server { http2 on; } }\n'));
    const [d] = analyze(singleFileConfig(file), { version: v('1.24.0') });
    expect(d?.related?.[0]?.message).toBe('"http2" appeared in nginx 1.25.1 (the target is 1.24.0)');
  });

  it('places a directive error where nginx reports it: the line of its ; or {', () => {
    const file = parseNginx(sourceFromString('t.conf', 'events{}\nhttp {\n  root\n    /a\n    /b;\n}\n'));
    const [d] = analyze(singleFileConfig(file));
    expect(toReported(d!).line).toBe(3);
    expect(positionAt(file.source, nginxErrorOffset(d!)).line).toBe(5);
  });

  it('does not analyse a directive the parser cut off', () => {
    const file = parseNginx(sourceFromString('t.conf', 'events{}\nhttp { foo bar }\n'));
    expect(file.diagnostics.map((d) => d.message)).toEqual(['unexpected "}"']);
    expect(analyze(singleFileConfig(file))).toEqual([]);
  });
});

describe('analyze: includes', () => {
  const fs = memoryFileSystem({
    '/etc/nginx/nginx.conf': 'events {}\nhttp {\n  include conf.d/*.conf;\n  server {\n    location / { include snippets/loc.conf; }\n    include snippets/loc.conf;\n  }\n  gzip maybe;\n}\n',
    '/etc/nginx/conf.d/a.conf': 'client_max_body_size 1m;\n',
    '/etc/nginx/conf.d/b.conf': 'client_max_body_size 2m;\n',
    '/etc/nginx/snippets/loc.conf': 'alias /srv/;\n',
  });
  const config = loadNginxConfig('/etc/nginx/nginx.conf', { fs });

  it('checks each included file in the context of each include, and duplicates across files', () => {
    const ds = analyze(config).map((d) => `${d.file.path}:${toReported(d).line} ${d.message}`);
    expect(ds).toEqual([
      '/etc/nginx/conf.d/b.conf:1 "client_max_body_size" directive is duplicate',
      '/etc/nginx/snippets/loc.conf:1 "alias" directive is not allowed here',
      '/etc/nginx/nginx.conf:8 invalid value "maybe" in "gzip" directive, it must be "on" or "off"',
    ]);
  });

  it('sorts the parser\'s, the loader\'s and the analyzer\'s diagnostics in nginx\'s order', () => {
    const fs2 = memoryFileSystem({
      '/n.conf': 'events {}\nhttp {\n  gzip maybe;\n  include missing.conf;\n  include a.conf;\n}\n}\n',
      '/a.conf': 'foo;\n',
    });
    const c = loadNginxConfig('/n.conf', { fs: fs2 });
    const all = [...analyze(c), ...c.diagnostics, ...[...c.files.values()].flatMap((f) => f.diagnostics)].reverse();
    expect(sortInNginxOrder(c, all).map((d) => `${d.file.path} ${d.message}`)).toEqual([
      '/n.conf invalid value "maybe" in "gzip" directive, it must be "on" or "off"',
      '/n.conf open() "/missing.conf" failed (2: No such file or directory)',
      '/a.conf unknown directive "foo"',
      '/n.conf unexpected "}"',
    ]);
  });

  it('reports duplicate locations after the errors of their http block, at the second location\'s line', () => {
    const fs4 = memoryFileSystem({ '/m.conf': 'events {}\nhttp {\n  server {\n    location /a { }\n    include l.conf;\n  }\n  gzip maybe;\n}\n', '/l.conf': 'location /a {\n}\n' });
    const c = loadNginxConfig('/m.conf', { fs: fs4 });
    const sorted = sortInNginxOrder(c, analyze(c));
    expect(sorted.map((d) => `${d.file.path}:${positionAt(d.file, nginxErrorOffset(d)).line} ${d.message}`)).toEqual([
      '/m.conf:7 invalid value "maybe" in "gzip" directive, it must be "on" or "off"',
      '/l.conf:1 duplicate location "/a"',
    ]);
  });

  it('does not loop on include cycles', () => {
    const fs3 = memoryFileSystem({ '/m.conf': 'events {}\nhttp { include a.conf; }\n', '/a.conf': 'include b.conf;\n', '/b.conf': 'include a.conf;\nfoo;\n' });
    const c = loadNginxConfig('/m.conf', { fs: fs3 });
    expect(analyze(c).map((d) => d.message)).toEqual(['unknown directive "foo"']);
    // and even when the loader's includes map has the closing edge
    const a = c.files.get('/a.conf')!;
    const b = c.files.get('/b.conf')!;
    const inc = b.children.find((n) => n.kind === 'directive' && n.name.value === 'include');
    if (inc?.kind === 'directive') c.includes.set(inc, [a]);
    expect(analyze(c).map((d) => d.message)).toEqual(['unknown directive "foo"']);
  });
});

describe('ifCondition', () => {
  it.each([
    [['($a)'], null],
    [['(', '$a', ')'], null],
    [['($a', '=', 'b)'], null],
    [['($a', '!~*', 'b)'], null],
    [['(-f', '$a)'], null],
    [['(!-x', '$a)'], null],
    [['()'], 'invalid condition ")"'],
    [['(', ')'], 'invalid condition ")"'],
    [['$a'], 'invalid condition "$a"'],
    [['($a'], 'invalid condition "$a"'],
    [['($'], 'invalid condition "$"'],
    [['($)'], 'invalid condition "$"'],
    [['($a', '=', ')'], 'invalid condition "$a"'],
    [['($a', '==', 'b)'], 'unexpected "==" in condition'],
    [['(-f)'], 'invalid condition "-f"'],
    [['(-ff', '$a)'], 'invalid condition "-ff"'],
    [['(word)'], 'invalid condition "word"'],
  ] as [string[], string | null][])('%j → %s', (args, expected) => {
    expect(ifCondition(args)).toBe(expected);
  });
});
