/**
 * nginx's built-in defaults, per version where they changed. One table; the
 * model asks it when no level of the configuration sets a directive.
 */
import { atLeast, type NginxVersion } from '../syntax/nginx/version.js';

/** Settings of the machine nginx runs on that decide some defaults. */
export interface Platform {
  /** memory page size in bytes (buffer defaults are one page): 4096 on x86-64 Linux */
  pageSize: number;
}

export const DEFAULT_PLATFORM: Platform = { pageSize: 4096 };

type DefaultFn = (v: NginxVersion, p: Platform) => string[] | null;

const page = (p: Platform) => `${p.pageSize / 1024}k`;
const twoPages = (p: Platform) => `${(2 * p.pageSize) / 1024}k`;

/** For each directive, the arguments nginx behaves as if written; null = unset (off / none). */
const DEFAULTS: Record<string, DefaultFn> = {
  // upstream protocol and timeouts (one per upstream family)
  proxy_http_version: (v) => [atLeast(v, '1.29.7') ? '1.1' : '1.0'],
  proxy_connect_timeout: () => ['60s'],
  proxy_read_timeout: () => ['60s'],
  proxy_send_timeout: () => ['60s'],
  fastcgi_connect_timeout: () => ['60s'],
  fastcgi_read_timeout: () => ['60s'],
  fastcgi_send_timeout: () => ['60s'],
  fastcgi_keep_conn: () => ['off'],
  uwsgi_read_timeout: () => ['60s'],
  uwsgi_send_timeout: () => ['60s'],
  uwsgi_connect_timeout: () => ['60s'],
  scgi_read_timeout: () => ['60s'],
  grpc_read_timeout: () => ['60s'],
  // buffers: one page, eight pages; *_busy_buffers_size and *_temp_file_write_size
  // are derived from the effective buffer sizes of the level (nginx-effective.ts),
  // two pages only while those keep their defaults
  proxy_buffering: () => ['on'],
  proxy_buffer_size: (_v, p) => [page(p)],
  proxy_buffers: (_v, p) => ['8', page(p)],
  proxy_busy_buffers_size: (_v, p) => [twoPages(p)],
  proxy_temp_file_write_size: (_v, p) => [twoPages(p)],
  proxy_max_temp_file_size: () => ['1024m'],
  fastcgi_buffering: () => ['on'],
  fastcgi_buffer_size: (_v, p) => [page(p)],
  fastcgi_buffers: (_v, p) => ['8', page(p)],
  fastcgi_busy_buffers_size: (_v, p) => [twoPages(p)],
  fastcgi_temp_file_write_size: (_v, p) => [twoPages(p)],
  fastcgi_max_temp_file_size: () => ['1024m'],
  uwsgi_buffer_size: (_v, p) => [page(p)],
  uwsgi_buffers: (_v, p) => ['8', page(p)],
  uwsgi_busy_buffers_size: (_v, p) => [twoPages(p)],
  uwsgi_temp_file_write_size: (_v, p) => [twoPages(p)],
  uwsgi_max_temp_file_size: () => ['1024m'],
  scgi_buffer_size: (_v, p) => [page(p)],
  scgi_buffers: (_v, p) => ['8', page(p)],
  scgi_busy_buffers_size: (_v, p) => [twoPages(p)],
  scgi_temp_file_write_size: (_v, p) => [twoPages(p)],
  scgi_max_temp_file_size: () => ['1024m'],
  grpc_buffer_size: (_v, p) => [page(p)],
  // client side
  client_max_body_size: () => ['1m'],
  client_body_buffer_size: (_v, p) => [twoPages(p)],
  keepalive_timeout: () => ['75s'],
  // response headers (ngx_http_headers_filter_module)
  add_header_inherit: (v) => (atLeast(v, '1.29.3') ? ['on'] : null),
  add_trailer_inherit: (v) => (atLeast(v, '1.29.3') ? ['on'] : null),
  proxy_pass_request_headers: () => ['on'],
  proxy_pass_request_body: () => ['on'],
  // upstream{} block
  // keepalive 32 local is the default of explicit upstream{} blocks from 1.29.7;
  // proxy_pass to a bare address (an implicit upstream) never keeps connections
  'upstream:keepalive': (v) => (atLeast(v, '1.29.7') ? ['32', 'local'] : null),
  'upstream:keepalive_timeout': () => ['60s'],
  'upstream:keepalive_requests': (v) => [atLeast(v, '1.19.10') ? '1000' : '100'],
  // main
  user: () => ['nobody'],
};

/**
 * The default of `name` in a scope of kind `kind` (`upstream` directives share
 * names with http ones, e.g. keepalive_timeout), or null when nginx leaves it unset.
 */
export function nginxDefault(name: string, kind: string, version: NginxVersion, platform: Platform = DEFAULT_PLATFORM): string[] | null {
  const fn = (kind === 'upstream' ? DEFAULTS[`upstream:${name}`] : undefined) ?? DEFAULTS[name];
  return fn ? fn(version, platform) : null;
}
