import { describe, expect, it } from 'vitest';
import { memoryFileSystem } from '../../src/fs.js';
import type { Directive, NginxConfig, NginxFile, Node } from '../../src/syntax/nginx/ast.js';
import { expandGlob, globMatch, loadNginxConfig } from '../../src/syntax/nginx/index.js';
import { positionAt } from '../../src/syntax/source.js';

/** every include directive of a file, at any depth */
function includesOf(nodes: Node[]): Directive[] {
  const out: Directive[] = [];
  for (const n of nodes) {
    if (n.kind !== 'directive') continue;
    if (n.name.value === 'include') out.push(n);
    if (n.block) out.push(...includesOf(n.block.children));
  }
  return out;
}

function targets(config: NginxConfig, file: NginxFile): string[][] {
  return includesOf(file.children).map((d) => (config.includes.get(d) ?? []).map((f) => f.source.path));
}

function diags(config: NginxConfig): string[] {
  return config.diagnostics.map((d) => `${d.file.path}:${positionAt(d.file, d.span.start).line} ${d.rule} ${d.message}`);
}

describe('loadNginxConfig', () => {
  it('expands globs in sorted (byte) order, skipping dot files', () => {
    const fs = memoryFileSystem({
      '/etc/nginx/nginx.conf': 'http { include conf.d/*.conf; }',
      '/etc/nginx/conf.d/b.conf': 'b;',
      '/etc/nginx/conf.d/a.conf': 'a;',
      '/etc/nginx/conf.d/B.conf': 'B;',
      '/etc/nginx/conf.d/_x.conf': 'x;',
      '/etc/nginx/conf.d/.hidden.conf': 'h;',
      '/etc/nginx/conf.d/c.txt': 'c;',
    });
    const config = loadNginxConfig('/etc/nginx/nginx.conf', { fs });
    expect(targets(config, config.root)).toEqual([['/etc/nginx/conf.d/B.conf', '/etc/nginx/conf.d/_x.conf', '/etc/nginx/conf.d/a.conf', '/etc/nginx/conf.d/b.conf']]);
    expect([...config.files.keys()]).toEqual(['/etc/nginx/nginx.conf', '/etc/nginx/conf.d/B.conf', '/etc/nginx/conf.d/_x.conf', '/etc/nginx/conf.d/a.conf', '/etc/nginx/conf.d/b.conf']);
    expect(config.diagnostics).toEqual([]);
  });

  it('expands globs in directory components, with ? and [...] sets', () => {
    const fs = memoryFileSystem({
      '/n/nginx.conf': 'include sites-*/s?.conf; include x[0-9].conf; include y[!a].conf;',
      '/n/sites-enabled/s1.conf': '',
      '/n/sites-enabled/s22.conf': '',
      '/n/sites-available/s2.conf': '',
      '/n/other/s3.conf': '',
      '/n/x1.conf': '',
      '/n/xa.conf': '',
      '/n/ya.conf': '',
      '/n/yb.conf': '',
    });
    const config = loadNginxConfig('/n/nginx.conf', { fs });
    expect(targets(config, config.root)).toEqual([['/n/sites-available/s2.conf', '/n/sites-enabled/s1.conf'], ['/n/x1.conf'], ['/n/yb.conf']]);
  });

  it('matches glob patterns like fnmatch(3)', () => {
    expect(globMatch('*.conf', 'a.conf')).toBe(true);
    expect(globMatch('*.conf', 'a.conf.bak')).toBe(false);
    expect(globMatch('a*b*c', 'axxbyyc')).toBe(true);
    expect(globMatch('[]a]', ']')).toBe(true);
    expect(globMatch('[a-c]x', 'bx')).toBe(true);
    expect(globMatch('[!a-c]x', 'bx')).toBe(false);
    expect(globMatch('a[', 'a[')).toBe(true);
    expect(globMatch('\\*', '*')).toBe(true);
    expect(globMatch('\\*', 'a')).toBe(false);
  });

  it('accepts a glob that matches nothing', () => {
    const fs = memoryFileSystem({ '/n/nginx.conf': 'include /n/none/*.conf;' });
    const config = loadNginxConfig('/n/nginx.conf', { fs });
    expect(config.diagnostics).toEqual([]);
    expect(targets(config, config.root)).toEqual([[]]);
    expect(expandGlob(fs, '/n/*.none')).toEqual([]);
  });

  it("reports a missing explicit include at the include, in nginx's words", () => {
    const fs = memoryFileSystem({ '/etc/nginx/nginx.conf': 'events {}\nhttp {\n    include missing.conf;\n}\n' });
    const config = loadNginxConfig('/etc/nginx/nginx.conf', { fs });
    expect(diags(config)).toEqual(['/etc/nginx/nginx.conf:3 nginx-include open() "/etc/nginx/missing.conf" failed (2: No such file or directory)']);
    const d = config.diagnostics[0]!;
    expect(d.severity).toBe('error');
    expect(config.root.source.text.slice(d.span.start, d.span.end)).toBe('include missing.conf;');
  });

  it('reports a directory as nginx does when reading it', () => {
    const fs = memoryFileSystem({ '/n/nginx.conf': 'include conf.d;', '/n/conf.d/a.conf': '' });
    expect(diags(loadNginxConfig('/n/nginx.conf', { fs }))).toEqual(['/n/nginx.conf:1 nginx-include pread() "/n/conf.d" failed (21: Is a directory)']);
  });

  it('reports a missing main file without throwing', () => {
    const config = loadNginxConfig('/nope/nginx.conf', { fs: memoryFileSystem({}) });
    expect(diags(config)).toEqual(['/nope/nginx.conf:1 nginx-include open() "/nope/nginx.conf" failed (2: No such file or directory)']);
    expect(config.root.children).toEqual([]);
  });

  it('resolves relative includes against the main file directory, or the given prefix', () => {
    const fs = memoryFileSystem({
      '/etc/nginx/sites/site.conf': 'include snippets/a.conf;',
      '/etc/nginx/snippets/a.conf': 'a;',
      '/etc/nginx/sites/snippets/a.conf': 'wrong;',
    });
    const byDir = loadNginxConfig('/etc/nginx/sites/site.conf', { fs });
    expect(targets(byDir, byDir.root)).toEqual([['/etc/nginx/sites/snippets/a.conf']]);
    const byPrefix = loadNginxConfig('/etc/nginx/sites/site.conf', { fs, prefix: '/etc/nginx/' });
    expect(targets(byPrefix, byPrefix.root)).toEqual([['/etc/nginx/snippets/a.conf']]);
    // includes of included files also resolve against the prefix, not their own directory
    const fs2 = memoryFileSystem({ '/p/nginx.conf': 'include sub/x.conf;', '/p/sub/x.conf': 'include y.conf;', '/p/y.conf': 'y;', '/p/sub/y.conf': 'no;' });
    const c2 = loadNginxConfig('/p/nginx.conf', { fs: fs2 });
    expect(targets(c2, c2.files.get('/p/sub/x.conf')!)).toEqual([['/p/y.conf']]);
  });

  it('keeps a relative main path relative, as crossplane does', () => {
    const fs = memoryFileSystem({ 'conf/nginx.conf': 'include x.conf;', 'conf/x.conf': 'x;' });
    const config = loadNginxConfig('conf/nginx.conf', { fs });
    expect([...config.files.keys()]).toEqual(['conf/nginx.conf', 'conf/x.conf']);
  });

  it('reports a cycle at the include that closes it, and does not follow it', () => {
    const fs = memoryFileSystem({
      '/n/nginx.conf': 'http {\n  include a.conf;\n}\n',
      '/n/a.conf': 'include b.conf;\n',
      '/n/b.conf': 'x;\ninclude a.conf;\n',
    });
    const config = loadNginxConfig('/n/nginx.conf', { fs });
    expect(diags(config)).toEqual(['/n/b.conf:2 nginx-include include cycle: "/n/a.conf" is already being included (not followed)']);
    expect(config.diagnostics[0]!.related![0]).toMatchObject({ message: '"/n/a.conf" is included here' });
    expect(targets(config, config.files.get('/n/b.conf')!)).toEqual([[]]);
    expect(targets(config, config.files.get('/n/a.conf')!)).toEqual([['/n/b.conf']]);
    // a file including itself
    const self = loadNginxConfig('/s.conf', { fs: memoryFileSystem({ '/s.conf': 'include /s.conf;' }) });
    expect(diags(self)).toEqual(['/s.conf:1 nginx-include include cycle: "/s.conf" is already being included (not followed)']);
  });

  it('bounds the include depth and the number of files', () => {
    const files: Record<string, string> = { '/d/0.conf': 'include 1.conf;' };
    for (let i = 1; i < 6; i++) files[`/d/${i}.conf`] = `include ${i + 1}.conf;`;
    files['/d/6.conf'] = 'end;';
    const deep = loadNginxConfig('/d/0.conf', { fs: memoryFileSystem(files), maxDepth: 3 });
    expect(diags(deep)).toEqual(['/d/3.conf:1 nginx-include includes nested deeper than 3 levels: "/d/4.conf" not followed']);
    expect(deep.files.size).toBe(4);

    const many = loadNginxConfig('/m/nginx.conf', {
      fs: memoryFileSystem({ '/m/nginx.conf': 'include /m/c/*.conf;', '/m/c/1.conf': '', '/m/c/2.conf': '', '/m/c/3.conf': '' }),
      maxFiles: 3,
    });
    expect(diags(many)).toEqual(['/m/nginx.conf:1 nginx-include more than 3 files included: "/m/c/3.conf" not loaded']);
    expect(many.files.size).toBe(3);
  });

  it('parses a file once but maps each include, so it can be analysed in each context', () => {
    const fs = memoryFileSystem({
      '/n/nginx.conf': 'http {\n  server { include snippets/php.conf; }\n  server { location / { include snippets/php.conf; } }\n}\n',
      '/n/snippets/php.conf': 'fastcgi_pass unix:/run/php.sock;',
    });
    const config = loadNginxConfig('/n/nginx.conf', { fs });
    const incs = includesOf(config.root.children);
    expect(incs).toHaveLength(2);
    const [a, b] = incs.map((d) => config.includes.get(d)!);
    expect(a).toHaveLength(1);
    expect(a![0]).toBe(b![0]);
    expect(config.files.size).toBe(2);
  });

  it('follows includes in any block (map, types, upstream, location) but not in Lua bodies', () => {
    const fs = memoryFileSystem({
      '/n/nginx.conf':
        'http {\n types { include mime.types; }\n map $a $b { include map.conf; }\n upstream u { include up.conf; }\n server { location / { include loc.conf; } content_by_lua_block { include("no.conf") } }\n}\n',
      '/n/mime.types': 'text/html html;',
      '/n/map.conf': 'default 1;',
      '/n/up.conf': 'server 127.0.0.1;',
      '/n/loc.conf': 'root /srv;',
    });
    const config = loadNginxConfig('/n/nginx.conf', { fs });
    expect(config.diagnostics).toEqual([]);
    expect(targets(config, config.root)).toEqual([['/n/mime.types'], ['/n/map.conf'], ['/n/up.conf'], ['/n/loc.conf']]);
  });

  it('keeps syntax errors of included files on those files', () => {
    const fs = memoryFileSystem({ '/n/nginx.conf': 'include bad.conf;', '/n/bad.conf': 'a {' });
    const config = loadNginxConfig('/n/nginx.conf', { fs });
    expect(config.files.get('/n/bad.conf')!.diagnostics.map((d) => d.message)).toEqual(['unexpected end of file, expecting "}"']);
    expect(config.root.diagnostics).toEqual([]);
  });
});
