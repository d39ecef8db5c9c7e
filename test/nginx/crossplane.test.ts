import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../src/diagnostic.js';
import { memoryFileSystem } from '../../src/fs.js';
import type { Directive, NginxConfig, NginxFile } from '../../src/syntax/nginx/ast.js';
import { crossplanePayload, loadNginxConfig, parseNginx } from '../../src/syntax/nginx/index.js';
import { decodeSource, sourceFromString, type SourceFile } from '../../src/syntax/source.js';

function single(source: SourceFile): NginxConfig {
  const root = parseNginx(source);
  return { root, files: new Map([[source.path, root]]), includes: new Map(), diagnostics: [] };
}

describe('crossplanePayload: one file', () => {
  it('gives crossplane args, if args, Lua bodies and comments', () => {
    const text = [
      '# top',
      'events { worker_connections 1024; }',
      'http {',
      `    log_format main '$remote_addr "$request"' "a \\"q\\" \\n" a\\ b; # after`,
      '    if ($http_x = "y") { return 403; }',
      '    if ( -f $request_filename ) { break; }',
      '    content_by_lua_block { ngx.say("}") }',
      '    "quoted_name" x;',
      '}',
      '',
    ].join('\n');
    const payload = crossplanePayload(single(sourceFromString('t.conf', text)), { includeComments: true, single: true });
    expect(payload).toEqual({
      status: 'ok',
      errors: [],
      config: [
        {
          file: 't.conf',
          status: 'ok',
          errors: [],
          parsed: [
            { directive: '#', line: 1, args: [], comment: ' top' },
            { directive: 'events', line: 2, args: [], block: [{ directive: 'worker_connections', line: 2, args: ['1024'] }] },
            {
              directive: 'http',
              line: 3,
              args: [],
              block: [
                { directive: 'log_format', line: 4, args: ['main', '$remote_addr "$request"', 'a "q" \\n', 'a\\ b'] },
                { directive: '#', line: 4, args: [], comment: ' after' },
                { directive: 'if', line: 5, args: ['$http_x', '=', 'y'], block: [{ directive: 'return', line: 5, args: ['403'] }] },
                { directive: 'if', line: 6, args: ['-f', '$request_filename'], block: [{ directive: 'break', line: 6, args: [] }] },
                { directive: 'content_by_lua_block', line: 7, args: [' ngx.say("}") '] },
                { directive: 'quoted_name', line: 8, args: ['x'] },
              ],
            },
          ],
        },
      ],
    });
  });

  it('puts comments between arguments after the directive, with its line, and leaves comments out unless asked', () => {
    const config = single(sourceFromString('t.conf', 'a # c1\n  b # c2\n  ;\n'));
    expect(crossplanePayload(config, { includeComments: true }).config[0]!.parsed).toEqual([
      { directive: 'a', line: 1, args: ['b'] },
      { directive: '#', line: 1, args: [], comment: ' c1' },
      { directive: '#', line: 1, args: [], comment: ' c2' },
    ]);
    expect(crossplanePayload(config).config[0]!.parsed).toEqual([{ directive: 'a', line: 1, args: ['b'] }]);
  });

  it('reads strings as Python does: CRLF as LF, non-UTF-8 bytes as U+FFFD', () => {
    const crlf = crossplanePayload(single(sourceFromString('t.conf', '# c\r\nreturn 200 "a\r\nb";\r\n')), { includeComments: true });
    expect(crlf.config[0]!.parsed).toEqual([
      { directive: '#', line: 1, args: [], comment: ' c' },
      { directive: 'return', line: 2, args: ['200', 'a\nb'] },
    ]);
    const latin1 = crossplanePayload(single(decodeSource('l.conf', Buffer.from('return 200 "M\xf6lln";', 'latin1'))));
    expect(latin1.config[0]!.parsed).toEqual([{ directive: 'return', line: 1, args: ['200', 'M\ufffdlln'] }]);
  });

  it('reports a syntax error crossplane stops at with an empty tree, and one it does not see with the tree', () => {
    const eof = crossplanePayload(single(sourceFromString('t.conf', 'http {\n  a;\n')));
    expect(eof).toEqual({
      status: 'failed',
      errors: [{ file: 't.conf', line: 3, error: 'unexpected end of file, expecting "}" in t.conf:3' }],
      config: [{ file: 't.conf', status: 'failed', errors: [{ line: 3, error: 'unexpected end of file, expecting "}" in t.conf:3' }], parsed: [] }],
    });
    const missingSemicolon = crossplanePayload(single(sourceFromString('t.conf', 'http {\n  a b\n}\n')));
    expect(missingSemicolon.config[0]).toEqual({
      file: 't.conf',
      status: 'failed',
      errors: [{ line: 3, error: 'unexpected "}" in t.conf:3' }],
      parsed: [{ directive: 'http', line: 1, args: [], block: [{ directive: 'a', line: 2, args: ['b'] }] }],
    });
  });

  it('leaves the parser warnings out (crossplane has errors only)', () => {
    const payload = crossplanePayload(single(sourceFromString('t.conf', 'server_name ${x;')));
    expect(payload.status).toBe('ok');
    expect(payload.errors).toEqual([]);
  });
});

describe('crossplanePayload: includes', () => {
  const fs = memoryFileSystem({
    '/n/nginx.conf': 'http {\n    include conf.d/*.conf;\n    include mime.types;\n    include missing.conf;\n}\n',
    '/n/conf.d/a.conf': 'server {\n    include snippets/x.conf;\n}\n',
    '/n/conf.d/b.conf': 'server {\n    listen 81;\n    include snippets/x.conf;\n}\n',
    '/n/mime.types': 'types { text/html html; }\n',
    '/n/snippets/x.conf': 'root /srv;\n',
  });
  const config = loadNginxConfig('/n/nginx.conf', { fs });
  const missing = 'open() "/n/missing.conf" failed (2: No such file or directory) in /n/nginx.conf:4';

  it('lists files in crossplane order with include indexes and include errors', () => {
    expect(crossplanePayload(config)).toEqual({
      status: 'failed',
      errors: [{ file: '/n/nginx.conf', line: 4, error: missing }],
      config: [
        {
          file: '/n/nginx.conf',
          status: 'failed',
          errors: [{ line: 4, error: missing }],
          parsed: [
            {
              directive: 'http',
              line: 1,
              args: [],
              block: [
                { directive: 'include', line: 2, args: ['conf.d/*.conf'], includes: [1, 2] },
                { directive: 'include', line: 3, args: ['mime.types'], includes: [3] },
                { directive: 'include', line: 4, args: ['missing.conf'], includes: [] },
              ],
            },
          ],
        },
        { file: '/n/conf.d/a.conf', status: 'ok', errors: [], parsed: [{ directive: 'server', line: 1, args: [], block: [{ directive: 'include', line: 2, args: ['snippets/x.conf'], includes: [4] }] }] },
        {
          file: '/n/conf.d/b.conf',
          status: 'ok',
          errors: [],
          parsed: [
            {
              directive: 'server',
              line: 1,
              args: [],
              block: [
                { directive: 'listen', line: 2, args: ['81'] },
                { directive: 'include', line: 3, args: ['snippets/x.conf'], includes: [4] },
              ],
            },
          ],
        },
        { file: '/n/mime.types', status: 'ok', errors: [], parsed: [{ directive: 'types', line: 1, args: [], block: [{ directive: 'text/html', line: 1, args: ['html'] }] }] },
        { file: '/n/snippets/x.conf', status: 'ok', errors: [], parsed: [{ directive: 'root', line: 1, args: ['/srv'] }] },
      ],
    });
  });

  it('drops includes and include errors in single mode', () => {
    const payload = crossplanePayload(config, { single: true });
    expect(payload.status).toBe('ok');
    expect(payload.config).toHaveLength(1);
    const http = payload.config[0]!.parsed[0]!;
    expect(http.block![0]).toEqual({ directive: 'include', line: 2, args: ['conf.d/*.conf'] });
  });

  it('combines included files into one tree, each directive with its file', () => {
    const payload = crossplanePayload(config, { combine: true });
    expect(payload.config).toHaveLength(1);
    const c = payload.config[0]!;
    expect(c.status).toBe('failed');
    expect(c.errors).toEqual([{ line: 4, error: missing }]);
    expect(c.parsed).toEqual([
      {
        file: '/n/nginx.conf',
        directive: 'http',
        line: 1,
        args: [],
        block: [
          { file: '/n/conf.d/a.conf', directive: 'server', line: 1, args: [], block: [{ file: '/n/snippets/x.conf', directive: 'root', line: 1, args: ['/srv'] }] },
          {
            file: '/n/conf.d/b.conf',
            directive: 'server',
            line: 1,
            args: [],
            block: [
              { file: '/n/conf.d/b.conf', directive: 'listen', line: 2, args: ['81'] },
              { file: '/n/snippets/x.conf', directive: 'root', line: 1, args: ['/srv'] },
            ],
          },
          { file: '/n/mime.types', directive: 'types', line: 1, args: [], block: [{ file: '/n/mime.types', directive: 'text/html', line: 1, args: ['html'] }] },
        ],
      },
    ]);
  });

  it('places extra (analyzer) errors in their file, in crossplane order', () => {
    const b = config.files.get('/n/conf.d/b.conf')!;
    const listen = ((b.children[0] as Directive).block!.children[0] as Directive) satisfies Directive;
    const rootHttp = config.root.children[0] as Directive;
    const extra: Diagnostic[] = [
      { rule: 'nginx-analyze', severity: 'error', message: '"listen" directive is not allowed here', file: b.source, span: listen.span },
      { rule: 'nginx-analyze', severity: 'error', message: 'invalid number of arguments in "http" directive', file: config.root.source, span: rootHttp.name.span },
    ];
    const payload = crossplanePayload(config, { errors: extra });
    expect(payload.errors).toEqual([
      { file: '/n/nginx.conf', line: 1, error: 'invalid number of arguments in "http" directive in /n/nginx.conf:1' },
      { file: '/n/nginx.conf', line: 4, error: missing },
      { file: '/n/conf.d/b.conf', line: 2, error: '"listen" directive is not allowed here in /n/conf.d/b.conf:2' },
    ]);
    expect(payload.config[2]).toMatchObject({ status: 'failed', errors: [{ line: 2, error: '"listen" directive is not allowed here in /n/conf.d/b.conf:2' }] });
  });

  it('still lists the file that closes an include cycle, as crossplane does', () => {
    const cyc = loadNginxConfig('/c/nginx.conf', { fs: memoryFileSystem({ '/c/nginx.conf': 'include a.conf;', '/c/a.conf': 'include nginx.conf;' }) });
    const payload = crossplanePayload(cyc);
    const files: NginxFile[] = [...cyc.files.values()];
    expect(files).toHaveLength(2);
    expect(payload.config.map((c) => [c.file, c.parsed[0]!.includes])).toEqual([
      ['/c/nginx.conf', [1]],
      ['/c/a.conf', [0]],
    ]);
    expect(payload.errors.map((e) => e.error)).toEqual(['include cycle: "/c/nginx.conf" is already being included (not followed) in /c/a.conf:1']);
  });
});
