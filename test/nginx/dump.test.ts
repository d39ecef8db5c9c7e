import { describe, expect, it } from 'vitest';
import type { Directive } from '../../src/syntax/nginx/ast.js';
import { parseNginxDump, printNginx, splitNginxDump } from '../../src/syntax/nginx/index.js';
import { decodeSource, positionAt, sourceFromString } from '../../src/syntax/source.js';

// what `nginx -T` (1.22) printed for a main file without a final line break and two included files
const dump = [
  'nginx: the configuration file /tmp/d/nginx.conf syntax is ok',
  'nginx: configuration file /tmp/d/nginx.conf test is successful',
  '# configuration file /tmp/d/nginx.conf:',
  'events {}',
  'http {',
  '    include /tmp/d/conf.d/*.conf;',
  '    include mime.types;',
  '}',
  '# configuration file /tmp/d/conf.d/a.conf:',
  'server { listen 8081; }',
  '',
  '# configuration file /tmp/d/conf.d/b.conf:',
  'server {',
  '    listen 80',
  '}',
  '',
  '',
].join('\n');

describe('parseNginxDump', () => {
  it('splits the dump into the original files, text exact', () => {
    const { sections, truncated } = splitNginxDump(dump);
    expect(truncated).toBe(false);
    expect(sections.map((s) => [s.path, dump.slice(s.start, s.end)])).toEqual([
      ['/tmp/d/nginx.conf', 'events {}\nhttp {\n    include /tmp/d/conf.d/*.conf;\n    include mime.types;\n}'],
      ['/tmp/d/conf.d/a.conf', 'server { listen 8081; }\n'],
      ['/tmp/d/conf.d/b.conf', 'server {\n    listen 80\n}\n'],
    ]);
  });

  it('resolves includes against the dumped files, with positions in the original files', () => {
    const config = parseNginxDump(sourceFromString('dump.txt', dump));
    expect(config.root.source.path).toBe('/tmp/d/nginx.conf');
    expect([...config.files.keys()]).toEqual(['/tmp/d/nginx.conf', '/tmp/d/conf.d/a.conf', '/tmp/d/conf.d/b.conf']);
    const http = config.root.children[1] as Directive;
    const [glob, mime] = http.block!.children as Directive[];
    expect(config.includes.get(glob!)!.map((f) => f.source.path)).toEqual(['/tmp/d/conf.d/a.conf', '/tmp/d/conf.d/b.conf']);
    // mime.types was not dumped: nginx could not have opened it
    expect(config.includes.get(mime!)).toEqual([]);
    expect(config.diagnostics.map((d) => `${d.file.path}:${positionAt(d.file, d.span.start).line} ${d.message}`)).toEqual([
      '/tmp/d/nginx.conf:4 open() "/tmp/d/mime.types" failed (2: No such file or directory)',
    ]);
    // the syntax error of b.conf is at b.conf:3, as nginx would say
    const b = config.files.get('/tmp/d/conf.d/b.conf')!;
    expect(b.diagnostics.map((d) => `${positionAt(b.source, d.span.start).line} ${d.message}`)).toEqual(['3 unexpected "}"']);
    for (const f of config.files.values()) expect(printNginx(f)).toBe(f.source.text);
  });

  it('reports a truncated dump instead of throwing', () => {
    const cut = dump.slice(0, dump.lastIndexOf('listen 80') + 6);
    const config = parseNginxDump(sourceFromString('dump.txt', cut));
    expect(config.diagnostics.map((d) => [d.rule, d.message])).toContainEqual([
      'nginx-dump',
      'the "nginx -T" dump looks truncated: "/tmp/d/conf.d/b.conf" does not end with the line break nginx writes after each file',
    ]);
    const b = config.files.get('/tmp/d/conf.d/b.conf')!;
    expect(b.source.text).toBe('server {\n    listen');
    expect(b.diagnostics.map((d) => d.message)).toEqual(['unexpected end of file, expecting ";" or "}"']);
  });

  it('reports input that is not a dump, and still parses it', () => {
    const config = parseNginxDump(sourceFromString('plain.conf', 'user nginx;\n'));
    expect(config.diagnostics.map((d) => d.message)).toEqual(['not an "nginx -T" dump: no "# configuration file PATH:" line']);
    expect((config.root.children[0] as Directive).name.value).toBe('user');
  });

  it('keeps a Latin-1 dump Latin-1 and handles CRLF-converted dumps', () => {
    const bytes = Buffer.from('# configuration file /x.conf:\r\nreturn 200 "M\xf6lln";\r\n\r\n', 'latin1');
    const config = parseNginxDump(decodeSource('dump.txt', bytes));
    expect(config.root.source.encoding).toBe('latin1');
    expect(config.root.source.text).toBe('return 200 "M\xf6lln";\r\n');
    expect(config.diagnostics).toEqual([]);
  });
});
