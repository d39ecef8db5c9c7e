import { describe, expect, it } from 'vitest';
import { memoryFileSystem } from '../../src/fs.js';
import { loadNginxConfig } from '../../src/syntax/nginx/index.js';
import { parseNginxVersion, type NginxVersion } from '../../src/syntax/nginx/version.js';
import { allScopes, buildScopes, type Scope } from '../../src/stack/nginx-scopes.js';
import { effective } from '../../src/stack/nginx-effective.js';

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
