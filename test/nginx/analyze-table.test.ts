/** The directive table (directives.ts): its encoding and facts from nginx's command tables. */
import { describe, expect, it } from 'vitest';
import {
  NGX_CONF_1MORE,
  NGX_CONF_FLAG,
  acceptsArgCount,
  allDirectives,
  allowedIn,
  describeArgs,
  directiveModules,
  existsIn,
  lookupDirective,
  moduleFilterFromConfigure,
} from '../../src/syntax/nginx/directives.js';
import { parseNginxVersion } from '../../src/syntax/nginx/version.js';

const v = (s: string) => parseNginxVersion(s)!;
const one = (name: string) => {
  const specs = lookupDirective(name);
  expect(specs.length, name).toBe(1);
  return specs[0]!;
};

describe('directive table', () => {
  it('loads quickly and is complete', () => {
    const all = allDirectives();
    expect(all.length).toBeGreaterThan(900);
    expect(new Set(all.map((s) => s.name)).size).toBeGreaterThan(750);
    for (const s of all) {
      expect(s.contexts.length, s.name).toBeGreaterThan(0);
      if (s.block) expect(s.child, `${s.name} has no child context`).not.toBeNull();
      else expect(s.child).toBeNull();
    }
    expect(directiveModules().map((m) => m.name)).toContain('http_proxy');
  });

  it('has nginx’s contexts and argument masks', () => {
    expect(lookupDirective('proxy_pass').map((s) => s.module)).toEqual(['http_proxy', 'stream_proxy']);
    const pass = lookupDirective('proxy_pass')[0]!;
    expect(pass.contexts).toEqual(['location', 'lif', 'limit_except']);
    expect(acceptsArgCount(pass, 1)).toBe(true);
    expect(acceptsArgCount(pass, 0)).toBe(false);
    expect(acceptsArgCount(pass, 2)).toBe(false);

    const gzip = one('gzip');
    expect(gzip.flag).toBe(true);
    expect(gzip.args).toBe(NGX_CONF_FLAG);
    expect(gzip.duplicate).toBe(true);
    expect(gzip.contexts).toEqual(['http', 'server', 'location', 'lif']);

    const location = one('location');
    expect(location.block).toBe(true);
    expect(location.child).toBe('location');
    expect(describeArgs(location)).toBe('block, 1|2');
    expect(one('if').child).toBe('if');
    expect(lookupDirective('access_log')[0]!.args).toBe(NGX_CONF_1MORE);
    expect(one('include').contexts).toContain('stream_upstream');
    expect(lookupDirective('content_by_lua_block').map((s) => `${s.module}:${s.child}`)).toEqual(['http_lua:raw', 'stream_lua:raw']);

    const servers = lookupDirective('server');
    expect(servers.map((s) => `${s.module}:${s.contexts.join(',')}:${s.block}`)).toEqual([
      'http_core:http:true',
      'http_upstream:upstream:false',
      'mail_core:mail:true',
      'stream_core:stream:true',
      'stream_upstream:stream_upstream:false',
    ]);
    expect(lookupDirective('nonexistent')).toEqual([]);
  });

  it('follows nginx’s argument-count rules', () => {
    expect(acceptsArgCount(one('stub_status'), 0)).toBe(true);
    expect(acceptsArgCount(one('stub_status'), 1)).toBe(true);
    expect(acceptsArgCount(one('try_files'), 1)).toBe(false);
    expect(acceptsArgCount(one('try_files'), 9)).toBe(true);
    expect(acceptsArgCount(one('add_header'), 8)).toBe(false);
    const periodic = lookupDirective('js_periodic')[0]!;
    expect(acceptsArgCount(periodic, 0)).toBe(true);
    expect(acceptsArgCount(periodic, 12)).toBe(true);
  });

  it('knows when directives appeared and went', () => {
    const http2 = one('http2');
    expect(existsIn(http2, v('1.25.0'))).toBe(false);
    expect(existsIn(http2, v('1.25.1'))).toBe(true);
    const ssl = lookupDirective('ssl').find((s) => s.module === 'http_ssl')!;
    expect(existsIn(ssl, v('1.24.0'))).toBe(true);
    expect(existsIn(ssl, v('1.25.1'))).toBe(false);
    expect(existsIn(one('keepalive_min_timeout'), v('1.27.3'))).toBe(false);
    expect(existsIn(one('keepalive_min_timeout'), v('1.27.4'))).toBe(true);
    const upstreamResolver = lookupDirective('resolver').find((s) => s.contexts.includes('upstream'))!;
    expect(existsIn(upstreamResolver, v('1.27.2'))).toBe(false);
    expect(allowedIn(upstreamResolver, 'upstream')).toBe(true);
  });

  it('reads the modules of a build from nginx -V', () => {
    const debian =
      "configure arguments: --with-cc-opt='-g -O2' --prefix=/usr/share/nginx --with-compat --with-http_ssl_module --with-http_v2_module --with-http_realip_module --with-http_geoip_module=dynamic --with-mail=dynamic --with-stream=dynamic --with-stream_ssl_module --without-http_memcached_module";
    const has = moduleFilterFromConfigure(debian);
    expect(has('core')).toBe(true);
    expect(has('http_core')).toBe(true);
    expect(has('http_proxy')).toBe(true);
    expect(has('http_ssl')).toBe(true);
    expect(has('http_v2')).toBe(true);
    expect(has('http_v3')).toBe(false);
    expect(has('http_geoip')).toBe(false);
    expect(has('http_memcached')).toBe(false);
    expect(has('stream_core')).toBe(false);
    expect(has('stream_ssl')).toBe(false);
    expect(has('stream_proxy')).toBe(false);
    expect(has('mail_smtp')).toBe(false);
    expect(has('http_lua')).toBe(false);
    const withStream = moduleFilterFromConfigure('configure arguments: --with-stream --with-stream_ssl_module');
    expect(withStream('stream_proxy')).toBe(true);
    expect(withStream('stream_ssl')).toBe(true);
    expect(withStream('stream_realip')).toBe(false);
  });
});
