import { describe, expect, it } from 'vitest';
import { memoryFileSystem } from '../../src/fs.js';
import { loadNginxConfig } from '../../src/syntax/nginx/index.js';
import { parseNginxVersion, type NginxVersion } from '../../src/syntax/nginx/version.js';
import { allScopes, buildScopes, type Scope } from '../../src/stack/nginx-scopes.js';
import { describeOrigin, effective, effectiveProxyHeaders, isArrayDirective, proxyKeepalive } from '../../src/stack/nginx-effective.js';

const v = (s: string) => parseNginxVersion(s) as NginxVersion;

function scopes(files: Record<string, string>): Scope {
  const config = loadNginxConfig('/etc/nginx/nginx.conf', { fs: memoryFileSystem(files) });
  return buildScopes(config);
}

/** The location scope whose first argument is `arg` (or the server named `arg`). */
function find(root: Scope, kind: Scope['kind'], arg: string): Scope {
  for (const s of allScopes(root)) if (s.kind === kind && s.block?.args.map((a) => a.value).join(' ') === arg) return s;
  throw new Error(`no ${kind} ${arg}`);
}

const base = (body: string) => ({ '/etc/nginx/nginx.conf': `events {}\nhttp {\n${body}\n}\n` });

describe('effective nginx values', () => {
  it('inherits a scalar from the nearest level that sets it', () => {
    const root = scopes(base('proxy_read_timeout 90s;\nserver {\n  location /a { }\n  location /b { proxy_read_timeout 5s; location /b/c { } }\n}'));
    const a = effective(find(root, 'location', '/a'), 'proxy_read_timeout', v('1.22.1'));
    expect(a.args).toEqual(['90s']);
    expect(a.scope?.kind).toBe('http');
    expect(effective(find(root, 'location', '/b/c'), 'proxy_read_timeout', v('1.22.1')).args).toEqual(['5s']);
  });

  it('falls back to the default of the target version, saying so', () => {
    const root = scopes(base('server { location / { } }'));
    const loc = find(root, 'location', '/');
    const old = effective(loc, 'proxy_http_version', v('1.22.1'));
    expect(old).toMatchObject({ scope: null, args: ['1.0'], directives: [] });
    expect(effective(loc, 'proxy_http_version', v('1.29.7')).args).toEqual(['1.1']);
  });

  it('replaces array directives as a whole at an inner level (the proxy_set_header trap)', () => {
    const root = scopes(
      base('server {\n  proxy_set_header Connection "";\n  proxy_set_header X-A a;\n  location /keep { }\n  location /lost { proxy_set_header Host $host; }\n}'),
    );
    const keep = effective(find(root, 'location', '/keep'), 'proxy_set_header', v('1.22.1'));
    expect(keep.directives.map((d) => d.args.map((a) => a.value))).toEqual([['Connection', ''], ['X-A', 'a']]);
    const lost = effective(find(root, 'location', '/lost'), 'proxy_set_header', v('1.22.1'));
    expect(lost.directives.map((d) => d.args.map((a) => a.value))).toEqual([['Host', '$host']]);
  });

  it('treats allow and deny as one array', () => {
    const root = scopes(base('server {\n  deny 10.0.0.1;\n  allow all;\n  location /a { deny all; }\n}'));
    const a = effective(find(root, 'location', '/a'), 'allow', v('1.22.1'));
    expect(a.directives.map((d) => d.name.value)).toEqual(['deny']);
  });

  it('expands includes in place, with positions in the included file', () => {
    const root = scopes({
      '/etc/nginx/nginx.conf': 'events {}\nhttp {\n  include conf.d/*.conf;\n}\n',
      '/etc/nginx/conf.d/a.conf': 'server {\n  location / {\n    include /etc/nginx/timeouts;\n  }\n}\n',
      '/etc/nginx/timeouts': 'fastcgi_read_timeout 300;\n',
    });
    const e = effective(find(root, 'location', '/'), 'fastcgi_read_timeout', v('1.22.1'));
    expect(e.args).toEqual(['300']);
    expect(e.directives[0]!.file.path).toBe('/etc/nginx/timeouts');
  });

  it('does not inherit proxy_pass into nested locations, but does into if and limit_except', () => {
    const root = scopes(base('server {\n  location / {\n    proxy_pass http://app;\n    location /n { }\n    if ($x) { }\n    limit_except GET { }\n  }\n}'));
    expect(effective(find(root, 'location', '/n'), 'proxy_pass', v('1.22.1')).args).toBeNull();
    const lif = [...allScopes(root)].find((s) => s.kind === 'lif')!;
    expect(effective(lif, 'proxy_pass', v('1.22.1')).args).toEqual(['http://app']);
    expect(effective(find(root, 'limit_except', 'GET'), 'proxy_pass', v('1.22.1')).args).toEqual(['http://app']);
  });

  it('reads upstream-level defaults apart from http ones', () => {
    const root = scopes(base('upstream app { server 127.0.0.1:8000; }'));
    const up = find(root, 'upstream', 'app');
    expect(effective(up, 'keepalive_timeout', v('1.22.1')).args).toEqual(['60s']);
    expect(effective(up, 'keepalive', v('1.22.1')).args).toBeNull();
    expect(effective(up, 'keepalive', v('1.30.1')).args).toEqual(['32', 'local']);
  });
});

const argsOf = (e: { directives: { args: { value: string }[] }[] }) => e.directives.map((d) => d.args.map((a) => a.value));
const V = (s: string) => v(s);

describe('levels of every size', () => {
  // a level is scanned (few directives), indexed by name numbers, or by a Map (thousands): the answers agree
  for (const filler of [0, 20, 600]) {
    it(`finds own, grouped and inherited values with ${filler} other directives at the level`, () => {
      const pad = Array.from({ length: filler }, (_, i) => `  set $v${i} ${i};`).join('\n');
      const root = scopes(base(`proxy_read_timeout 90s;\nserver {\n  location /a {\n${pad}\n  allow 10.0.0.0/8;\n  add_header X-A 1;\n  deny all;\n  add_header X-B 2;\n  proxy_connect_timeout 3s;\n  proxy_connect_timeout 4s;\n  }\n}`));
      const a = find(root, 'location', '/a');
      expect(a.directives.length).toBe(filler + 6);
      const args = (name: string) => effective(a, name, v('1.22.1')).directives.map((d) => `${d.name.value} ${d.args.map((x) => x.value).join(' ')}`);
      expect(args('deny')).toEqual(['allow 10.0.0.0/8', 'deny all']);
      expect(args('allow')).toEqual(['allow 10.0.0.0/8', 'deny all']);
      expect(args('add_header')).toEqual(['add_header X-A 1', 'add_header X-B 2']);
      expect(args('proxy_connect_timeout')).toEqual(['proxy_connect_timeout 3s']);
      expect(effective(a, 'proxy_read_timeout', v('1.22.1'))).toMatchObject({ args: ['90s'], scope: { kind: 'http' } });
      expect(effective(a, 'add_trailer', v('1.22.1')).directives).toEqual([]);
      expect(effective(a, 'no_such_directive', v('1.22.1')).directives).toEqual([]);
      expect(effective(a, 'add_header', v('1.29.3')).directives.map((d) => d.args[0]!.value)).toEqual(['X-A', 'X-B']);
    });
  }
});

describe('inheritance through every level', () => {
  const root = scopes(
    base(
      [
        'proxy_read_timeout 11s;',
        'server {',
        '  location /a {',
        '    location /a/b {',
        '      if ($x) { set $y 1; }',
        '      limit_except GET { deny all; }',
        '    }',
        '  }',
        '  location /c { proxy_read_timeout 3s; limit_except GET { deny all; } }',
        '  location @named { }',
        '}',
      ].join('\n'),
    ),
  );

  it('carries a scalar from http down to if-in-location and limit_except', () => {
    const chain = [find(root, 'location', '/a'), find(root, 'location', '/a/b'), [...allScopes(root)].find((s) => s.kind === 'lif')!];
    chain.push(find(root, 'location', '/a/b').children.find((c) => c.kind === 'limit_except')!);
    for (const s of chain) expect(effective(s, 'proxy_read_timeout', V('1.22.1'))).toMatchObject({ args: ['11s'], scope: { kind: 'http' } });
    const lim = find(root, 'location', '/c').children.find((c) => c.kind === 'limit_except')!;
    expect(effective(lim, 'proxy_read_timeout', V('1.22.1'))).toMatchObject({ args: ['3s'], scope: { kind: 'location' } });
  });

  it('lets a named location inherit from its server', () => {
    expect(effective(find(root, 'location', '@named'), 'proxy_read_timeout', V('1.22.1')).scope?.kind).toBe('http');
  });

  it('does not inherit return, rewrite, set or try_files', () => {
    const r = scopes(base('server {\n  try_files $uri @x;\n  location /p {\n    return 418;\n    set $a 1;\n    location /p/n { }\n  }\n  location @x { }\n}'));
    const n = find(r, 'location', '/p/n');
    for (const name of ['return', 'set', 'try_files']) expect(effective(n, name, V('1.22.1')).args).toBeNull();
    expect(effective(find(r, 'location', '/p'), 'return', V('1.22.1')).args).toEqual(['418']);
  });
});

describe('array directives', () => {
  it('replaces fastcgi_param, add_header and proxy_hide_header as a whole', () => {
    const root = scopes(
      base(
        [
          'fastcgi_param A a;',
          'fastcgi_param B b;',
          'add_header X-A a always;',
          'proxy_hide_header X-Secret;',
          'server {',
          '  location /own { fastcgi_param C c; add_header X-B b; proxy_hide_header X-Other; }',
          '  location /none { }',
          '}',
        ].join('\n'),
      ),
    );
    const own = find(root, 'location', '/own');
    const none = find(root, 'location', '/none');
    expect(argsOf(effective(own, 'fastcgi_param', V('1.22.1')))).toEqual([['C', 'c']]);
    expect(argsOf(effective(none, 'fastcgi_param', V('1.22.1')))).toEqual([['A', 'a'], ['B', 'b']]);
    expect(argsOf(effective(own, 'add_header', V('1.22.1')))).toEqual([['X-B', 'b']]);
    expect(argsOf(effective(none, 'add_header', V('1.22.1')))).toEqual([['X-A', 'a', 'always']]);
    expect(argsOf(effective(own, 'proxy_hide_header', V('1.22.1')))).toEqual([['X-Other']]);
    expect(isArrayDirective('proxy_set_header')).toBe(true);
    expect(isArrayDirective('proxy_read_timeout')).toBe(false);
  });

  it('keeps proxy_hide_header and proxy_pass_header apart', () => {
    const root = scopes(base('server {\n  proxy_hide_header X-A;\n  location /p { proxy_pass_header X-A; }\n}'));
    const p = find(root, 'location', '/p');
    expect(argsOf(effective(p, 'proxy_hide_header', V('1.22.1')))).toEqual([['X-A']]);
    expect(argsOf(effective(p, 'proxy_pass_header', V('1.22.1')))).toEqual([['X-A']]);
  });

  it('counts an add_header with an empty value as the level\'s set', () => {
    const root = scopes(base('add_header X-A a;\nserver { location /c { add_header X-Cancel ""; } }'));
    expect(argsOf(effective(find(root, 'location', '/c'), 'add_header', V('1.22.1')))).toEqual([['X-Cancel', '']]);
  });
});

describe('includes', () => {
  it('resolves includes in the context they are included in, at every level', () => {
    const root = scopes({
      '/etc/nginx/nginx.conf': 'events {}\nhttp {\n  include http.conf;\n  server {\n    include server.conf;\n    include locations/*.conf;\n  }\n}\n',
      '/etc/nginx/http.conf': 'proxy_set_header X-Http h;\nproxy_read_timeout 7s;\n',
      '/etc/nginx/server.conf': 'add_header X-Srv s;\n',
      '/etc/nginx/locations/a.conf': 'location /a {\n  include /etc/nginx/loc.conf;\n}\nlocation /b { }\n',
      '/etc/nginx/loc.conf': 'proxy_read_timeout 2s;\n',
    });
    const a = find(root, 'location', '/a');
    const b = find(root, 'location', '/b');
    expect(a.parent?.kind).toBe('server');
    expect(effective(a, 'proxy_read_timeout', V('1.22.1')).args).toEqual(['2s']);
    expect(effective(b, 'proxy_read_timeout', V('1.22.1'))).toMatchObject({ args: ['7s'], scope: { kind: 'http' } });
    expect(effective(b, 'add_header', V('1.22.1')).directives[0]!.file.path).toBe('/etc/nginx/server.conf');
    expect(effectiveProxyHeaders(b, V('1.22.1')).get('x-http')?.directive?.file.path).toBe('/etc/nginx/http.conf');
  });
});

describe('defaults per version and platform', () => {
  const root = scopes(base('upstream app { server 127.0.0.1:8000; }\nserver {\n  location /up { proxy_pass http://app; }\n  location /addr { proxy_pass http://127.0.0.1:8000; }\n}'));
  const up = find(root, 'location', '/up');
  const addr = find(root, 'location', '/addr');

  it('switches proxy_http_version and the Connection header at 1.29.7', () => {
    for (const [ver, http, conn] of [['1.22.1', '1.0', 'close'], ['1.29.6', '1.0', 'close'], ['1.29.7', '1.1', ''], ['1.30.1', '1.1', '']] as const) {
      expect(effective(up, 'proxy_http_version', V(ver)).args, ver).toEqual([http]);
      const h = effectiveProxyHeaders(up, V(ver));
      expect(h.get('connection'), ver).toEqual({ name: 'Connection', value: conn, directive: null });
      expect(h.get('host')?.value).toBe('$proxy_host');
    }
  });

  it('gives explicit upstream blocks keepalive 32 local from 1.29.7, addresses never', () => {
    expect(proxyKeepalive(up, V('1.22.1'))).toMatchObject({ reusable: false, keepalive: { args: null } });
    expect(proxyKeepalive(up, V('1.29.7'))).toMatchObject({ reusable: true, keepalive: { args: ['32', 'local'] }, reason: '' });
    expect(proxyKeepalive(addr, V('1.29.7'))).toMatchObject({ reusable: false, upstream: null });
    expect(proxyKeepalive(find(root, 'upstream', 'app'), V('1.29.7'))).toBeNull();
  });

  it('reads upstream keepalive_timeout and keepalive_requests defaults', () => {
    const u = find(root, 'upstream', 'app');
    expect(effective(u, 'keepalive_timeout', V('1.22.1')).args).toEqual(['60s']);
    expect(effective(u, 'keepalive_requests', V('1.22.1')).args).toEqual(['1000']);
    expect(effective(u, 'keepalive_requests', V('1.19.9')).args).toEqual(['100']);
    expect(effective(find(root, 'location', '/up'), 'keepalive_timeout', V('1.22.1')).args).toEqual(['75s']);
  });

  it('sizes buffers from the page size', () => {
    const big = { pageSize: 16384 };
    expect(effective(up, 'proxy_buffer_size', V('1.22.1')).args).toEqual(['4k']);
    expect(effective(up, 'proxy_buffer_size', V('1.22.1'), big).args).toEqual(['16k']);
    expect(effective(up, 'proxy_buffers', V('1.22.1'), big).args).toEqual(['8', '16k']);
    expect(effective(up, 'proxy_busy_buffers_size', V('1.22.1'), big).args).toEqual(['32k']);
    expect(effective(up, 'client_body_buffer_size', V('1.22.1')).args).toEqual(['8k']);
  });

  it('derives busy and temp-file write sizes from the effective buffer sizes of the level', () => {
    const r = scopes(base('server {\n  proxy_buffer_size 16k;\n  location /a { }\n  location /b { proxy_buffers 4 32k; fastcgi_buffer_size 8k; }\n  location /c { proxy_busy_buffers_size 12k; }\n}'));
    expect(effective(find(r, 'location', '/a'), 'proxy_busy_buffers_size', V('1.22.1')).args).toEqual(['32k']);
    expect(effective(find(r, 'location', '/b'), 'proxy_busy_buffers_size', V('1.22.1')).args).toEqual(['64k']);
    expect(effective(find(r, 'location', '/b'), 'proxy_temp_file_write_size', V('1.22.1')).args).toEqual(['64k']);
    expect(effective(find(r, 'location', '/b'), 'fastcgi_busy_buffers_size', V('1.22.1')).args).toEqual(['16k']);
    expect(effective(find(r, 'location', '/c'), 'proxy_busy_buffers_size', V('1.22.1')).args).toEqual(['12k']);
  });
});

describe('add_header_inherit (nginx 1.29.3+)', () => {
  const root = scopes(
    base(
      [
        'add_header X-Http h;',
        'server {',
        '  add_header X-Srv s;',
        '  add_trailer X-T t;',
        '  location /merge { add_header_inherit merge; add_header X-Loc l always; add_trailer X-T2 t2; }',
        '  location /off { add_header_inherit off; }',
        '  location /off-own { add_header_inherit off; add_header X-Own o; }',
        '  location /on { add_header X-Loc l; }',
        '  location /none { }',
        '}',
        'server {',
        '  add_header_inherit merge;',
        '  add_header X-Srv2 s;',
        '  location /deep { add_header X-Loc l; location /deep/n { add_header X-N n; } }',
        '}',
      ].join('\n'),
    ),
  );
  const at = (loc: string, name = 'add_header', ver = '1.29.3') => argsOf(effective(find(root, 'location', loc), name, V(ver)));

  it('merge appends the outer (already merged) headers after the level\'s own', () => {
    expect(at('/merge')).toEqual([['X-Loc', 'l', 'always'], ['X-Srv', 's']]);
  });

  it('off drops the outer headers, with or without headers of its own', () => {
    expect(at('/off')).toEqual([]);
    expect(effective(find(root, 'location', '/off'), 'add_header', V('1.29.3')).args).toBeNull();
    expect(at('/off-own')).toEqual([['X-Own', 'o']]);
  });

  it('on (the default) keeps the replace-as-a-whole rule', () => {
    expect(at('/on')).toEqual([['X-Loc', 'l']]);
    expect(at('/none')).toEqual([['X-Srv', 's']]);
  });

  it('is itself inherited, so a server-level merge reaches nested locations', () => {
    expect(at('/deep/n')).toEqual([['X-N', 'n'], ['X-Loc', 'l'], ['X-Srv2', 's'], ['X-Http', 'h']]);
  });

  it('leaves add_trailer to add_trailer_inherit', () => {
    expect(at('/merge', 'add_trailer')).toEqual([['X-T2', 't2']]);
  });

  it('does not exist before 1.29.3', () => {
    expect(at('/merge', 'add_header', '1.29.2')).toEqual([['X-Loc', 'l', 'always']]);
    expect(at('/off', 'add_header', '1.22.1')).toEqual([['X-Srv', 's']]);
    expect(effective(find(root, 'location', '/none'), 'add_header_inherit', V('1.22.1')).args).toBeNull();
    expect(effective(find(root, 'location', '/none'), 'add_header_inherit', V('1.29.3')).args).toEqual(['on']);
  });
});

describe('describeOrigin', () => {
  it('names the file, line and column of the directive, or the default of the version', () => {
    const root = scopes(base('server {\n  location / {\n      proxy_read_timeout 5s;\n  }\n}'));
    const loc = find(root, 'location', '/');
    expect(describeOrigin(effective(loc, 'proxy_read_timeout', V('1.22.1')), V('1.22.1'))).toBe('/etc/nginx/nginx.conf:5:7');
    expect(describeOrigin(effective(loc, 'proxy_http_version', V('1.22.1')), V('1.22.1'))).toBe('default of nginx 1.22.1');
    expect(describeOrigin(effective(loc, 'proxy_pass', V('1.22.1')), V('1.22.1'))).toBe('unset in nginx 1.22.1');
  });
});

describe('effectiveProxyHeaders', () => {
  it('puts the set headers first and nginx\'s implicit ones after, names compared without case', () => {
    const root = scopes(base('server {\n  proxy_set_header host example.test;\n  proxy_set_header X-D 1;\n  proxy_set_header X-D 2;\n  location / { }\n}'));
    const h = effectiveProxyHeaders(find(root, 'location', '/'), V('1.22.1'));
    expect([...h.keys()]).toEqual(['host', 'x-d', 'connection', 'content-length', 'transfer-encoding', 'te', 'keep-alive', 'expect', 'upgrade']);
    expect(h.get('host')).toMatchObject({ name: 'host', value: 'example.test' });
    expect(h.get('x-d')?.duplicates?.map((d) => d.args[1]!.value)).toEqual(['2']);
    expect(h.get('te')).toEqual({ name: 'TE', value: '', directive: null });
  });

  it('adds the cache defaults where proxy_cache is on', () => {
    const root = scopes(base('proxy_cache_path /tmp/c keys_zone=c:1m;\nserver {\n  proxy_cache c;\n  location /c { }\n  location /off { proxy_cache off; }\n}'));
    expect(effectiveProxyHeaders(find(root, 'location', '/c'), V('1.22.1')).get('if-none-match')?.value).toBe('$upstream_cache_etag');
    expect(effectiveProxyHeaders(find(root, 'location', '/c'), V('1.22.1')).get('range')?.value).toBe('');
    expect(effectiveProxyHeaders(find(root, 'location', '/off'), V('1.22.1')).has('if-none-match')).toBe(false);
  });

  it('loses the server\'s Connection "" when a location sets any header (the array trap)', () => {
    const root = scopes(base('upstream up { server 127.0.0.1:1; keepalive 8; }\nserver {\n  proxy_http_version 1.1;\n  proxy_set_header Connection "";\n  location /ok { proxy_pass http://up; }\n  location /trap { proxy_set_header X-A a; proxy_pass http://up; }\n}'));
    expect(effectiveProxyHeaders(find(root, 'location', '/ok'), V('1.22.1')).get('connection')?.value).toBe('');
    expect(effectiveProxyHeaders(find(root, 'location', '/trap'), V('1.22.1')).get('connection')).toMatchObject({ value: 'close', directive: null });
    expect(proxyKeepalive(find(root, 'location', '/ok'), V('1.22.1'))).toMatchObject({ reusable: true });
    expect(proxyKeepalive(find(root, 'location', '/trap'), V('1.22.1'))).toMatchObject({ reusable: false, reason: 'nginx sends "Connection: close"' });
  });
});
