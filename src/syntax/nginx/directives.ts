/**
 * The nginx directive table: for every directive of nginx's core, standard
 * http/stream/mail modules (1.22 … 1.30) and common third-party modules,
 * where nginx accepts it, how many arguments it takes, whether it opens a
 * block, and in which versions it exists.
 *
 * The facts come from nginx itself: the ngx_command_t tables of the Debian
 * nginx 1.22.1 binary and its dynamic modules (contexts, argument masks, set
 * handlers), probes of `nginx -t` for which directives nginx rejects as
 * duplicates, and nginx's CHANGES / documentation for later versions.
 *
 * ## Encoding
 *
 * One line per directive variant (a name may have several: `server` in http,
 * upstream, mail, stream ...), grouped under `@module [with|3p]` headers
 * (`with`: off unless configured `--with-…`; `3p`: third-party module):
 *
 *     name CONTEXTS ARGS [d] [=CHILD] [>since] [<until]
 *
 * CONTEXTS, one letter each: M main, E events, h http, s server, l location,
 * u upstream, i if (in server), f if (in location), x limit_except, m mail,
 * n mail server, S stream, T stream server, U stream upstream,
 * o otel_exporter, A any (nginx's NGX_ANY_CONF).
 *
 * ARGS, as nginx's NGX_CONF_* mask: digits 0–7 for NOARGS/TAKEn (`12` is
 * TAKE12), `F` FLAG (one "on"/"off"), `+` 1MORE, `2+` 2MORE, `*` ANY; a
 * leading `{` marks a block directive (NGX_CONF_BLOCK).
 *
 * `d`: nginx rejects a second occurrence in the same block ("is duplicate").
 * `=CHILD`: the context of a block's contents (`raw`: not nginx directives,
 * e.g. Lua code or a geoip2 mapping, left unchecked). `>1.25.1`: appeared in
 * that version (marked for nginx 1.17 and later); `<1.25.1`: removed in that
 * version.
 *
 * The table is parsed once, on first use.
 */
import type { ContextName } from './ast.js';
import type { NginxVersion } from './version.js';
import { compareVersions, parseNginxVersion } from './version.js';

/** nginx's argument mask bits (ngx_conf_file.h). */
export const NGX_CONF_NOARGS = 0x1;
export const NGX_CONF_FLAG = 0x200;
export const NGX_CONF_ANY = 0x400;
export const NGX_CONF_1MORE = 0x800;
export const NGX_CONF_2MORE = 0x1000;
/** nginx counts the name as an argument: at most 7 real arguments for TAKEn masks */
export const NGX_CONF_MAX_ARGS = 7;

/** Contexts whose contents are parsed by nginx's command table (the others have their own entry syntax). */
export const COMMAND_CONTEXTS = [
  'main',
  'events',
  'http',
  'server',
  'location',
  'upstream',
  'if',
  'lif',
  'limit_except',
  'mail',
  'mail_server',
  'stream',
  'stream_server',
  'stream_upstream',
  'otel_exporter',
] as const satisfies readonly ContextName[];

/** Contexts whose entries a module parses itself (`types { text/html html; }`, `map`, …). */
export const ENTRY_CONTEXTS = ['map', 'geo', 'split_clients', 'types', 'charset_map'] as const satisfies readonly ContextName[];

export type ModuleKind = 'default' | 'with' | 'third-party';

export interface ModuleSpec {
  /** nginx's module name without `ngx_` and `_module` (`http_ssl`, `stream_proxy`), or the third-party module's */
  readonly name: string;
  readonly kind: ModuleKind;
}

/** What a block directive's contents are: an nginx context, or `raw` (not nginx directives; not checked). */
export type ChildContext = ContextName | 'raw';

export interface DirectiveSpec {
  readonly name: string;
  readonly module: string;
  /** where nginx accepts this variant */
  readonly contexts: readonly ContextName[];
  /** NGX_CONF_* argument mask (without NGX_CONF_BLOCK) */
  readonly args: number;
  readonly block: boolean;
  /** contents of the block; `if` is resolved by the caller (`if` in a server, `lif` in a location) */
  readonly child: ChildContext | null;
  /** NGX_CONF_FLAG: one argument, "on" or "off" */
  readonly flag: boolean;
  /** a second occurrence in the same block is an error ("is duplicate") */
  readonly duplicate: boolean;
  /** first nginx version that has it (null: older than 1.17, or a third-party module, which has its own versions) */
  readonly since: NginxVersion | null;
  /** first nginx version that no longer has it */
  readonly until: NginxVersion | null;
}

/* prettier-ignore */
const TABLE = `
@core
daemon M F d
master_process M F d
timer_resolution M 1 d
pid M 1 d
lock_file M 1 d
worker_processes M 1 d
debug_points M 1 d
user M 12 d
worker_priority M 1 d
worker_cpu_affinity M + d
worker_rlimit_nofile M 1 d
worker_rlimit_core M 1 d
worker_shutdown_timeout M 1 d
working_directory M 1 d
env M 1
load_module M 1
error_log M +
include A 1
ssl_engine M 1
pcre_jit M F d
events M {0 d =events
worker_connections E 1 d
use E 1 d
multi_accept E F d
accept_mutex E F d
accept_mutex_delay E 1 d
debug_connection E 1
epoll_events E 1 d
worker_aio_requests E 1 d
thread_pool M 23
quic_bpf M F d >1.25.0
ssl_object_cache_inheritable M F d >1.27.4
@http_core
http M {0 d =http
variables_hash_max_size h 1 d
variables_hash_bucket_size h 1 d
server_names_hash_max_size h 1 d
server_names_hash_bucket_size h 1 d
server h {0 =server
connection_pool_size hs 1 d
request_pool_size hs 1 d
client_header_timeout hs 1 d
client_header_buffer_size hs 1 d
large_client_header_buffers hs 2 d
ignore_invalid_headers hs F d
merge_slashes hs F d
underscores_in_headers hs F d
location sl {12 =location
listen s +
server_name s +
types_hash_max_size hsl 1 d
types_hash_bucket_size hsl 1 d
types hsl {0 =types
default_type hsl 1 d
root hslf 1 d
alias l 1 d
limit_except l {+ =limit_except
client_max_body_size hsl 1 d
client_body_buffer_size hsl 1 d
client_body_timeout hsl 1 d
client_body_temp_path hsl 1234 d
client_body_in_file_only hsl 1 d
client_body_in_single_buffer hsl F d
sendfile hslf F d
sendfile_max_chunk hsl 1 d
subrequest_output_buffer_size hsl 1 d
aio hsl 1 d
aio_write hsl F d
read_ahead hsl 1 d
directio hsl 1 d
directio_alignment hsl 1 d
tcp_nopush hsl F d
tcp_nodelay hsl F d
send_timeout hsl 1 d
send_lowat hsl 1 d
postpone_output hsl 1 d
limit_rate hslf 1 d
limit_rate_after hslf 1 d
keepalive_time hsl 1 d >1.19.10
keepalive_timeout hsl 12 d
keepalive_requests hsl 1 d
keepalive_disable hsl 12
satisfy hsl 1 d
auth_delay hsl 1 d >1.17.10
internal l 0 d
lingering_close hsl 1 d
lingering_time hsl 1 d
lingering_timeout hsl 1 d
reset_timedout_connection hsl F d
absolute_redirect hsl F d
server_name_in_redirect hsl F d
port_in_redirect hsl F d
msie_padding hsl F d
msie_refresh hsl F d
log_not_found hsl F d
log_subrequest hsl F d
recursive_error_pages hsl F d
server_tokens hsl 1 d
if_modified_since hsl 1 d
max_ranges hsl 1 d
chunked_transfer_encoding hsl F d
etag hsl F d
error_page hslf 2+
post_action hslf 1 d
error_log hsl +
open_file_cache hsl 12 d
open_file_cache_valid hsl 1 d
open_file_cache_min_uses hsl 1 d
open_file_cache_errors hsl F d
open_file_cache_events hsl F d
resolver hsl + d
resolver_timeout hsl 1 d
gzip_vary hsl F d
gzip_http_version hsl 1 d
gzip_proxied hsl +
gzip_disable hsl +
disable_symlinks hsl 12 d
output_buffers hsl 2 d
keepalive_min_timeout hsl 1 d >1.27.4
early_hints hsl + >1.29.0
max_headers hs 1 d >1.29.8
@http_log
log_format h 2+
access_log hslfx +
open_log_file_cache hsl 1234 d
@http_upstream
upstream h {1 =upstream
server u +
resolver u + d >1.27.3
resolver_timeout u 1 d >1.27.3
@http_v2 with
http2_recv_buffer_size h 1 d
http2_pool_size hs 1 d
http2_max_concurrent_streams hs 1 d
http2_max_concurrent_pushes hs 1 d
http2_max_requests hs 1
http2_max_field_size hs 1
http2_max_header_size hs 1
http2_body_preread_size hs 1 d
http2_streams_index_size hs 1 d
http2_recv_timeout hs 1
http2_idle_timeout hs 1
http2_chunk_size hsl 1 d
http2_push_preload hsl F d
http2_push hsl 1
http2 hs F d >1.25.1
@http_gzip_static with
gzip_static hsl 1 d
@http_dav with
dav_methods hsl +
create_full_put_path hsl F d
min_delete_depth hsl 1 d
dav_access hsl 123 d
@http_autoindex
autoindex hsl F d
autoindex_format hsl 1 d
autoindex_localtime hsl F d
autoindex_exact_size hsl F d
@http_index
index hsl +
@http_random_index with
random_index l F d
@http_mirror
mirror hsl 1
mirror_request_body hsl F d
@http_try_files
try_files sl 2+ d
@http_auth_request with
auth_request hsl 1 d
auth_request_set hsl 2
@http_auth_basic
auth_basic hslx 1 d
auth_basic_user_file hslx 1 d
@http_access
allow hslx 1
deny hslx 1
@http_limit_conn
limit_conn_zone h 2
limit_conn hsl 2
limit_conn_log_level hsl 1 d
limit_conn_status hsl 1 d
limit_conn_dry_run hsl F d >1.17.6
@http_limit_req
limit_req_zone h 3
limit_req hsl 123
limit_req_log_level hsl 1 d
limit_req_status hsl 1 d
limit_req_dry_run hsl F d >1.17.1
@http_realip with
set_real_ip_from hsl 1
real_ip_header hsl 1 d
real_ip_recursive hsl F d
@http_geo
geo h {12 =geo
@http_map
map h {2 =map
map_hash_max_size h 1 d
map_hash_bucket_size h 1 d
@http_split_clients
split_clients h {2 =split_clients
@http_referer
valid_referers sl +
referer_hash_max_size sl 1 d
referer_hash_bucket_size sl 1 d
@http_rewrite
rewrite slif 23
return slif 12
break slif 0
if sl {+ =if
set slif 2
rewrite_log hslif F d
uninitialized_variable_warn hslif F d
@http_ssl with
ssl hs F d <1.25.1
ssl_certificate hs 1
ssl_certificate_key hs 1
ssl_password_file hs 1 d
ssl_dhparam hs 1 d
ssl_ecdh_curve hs 1 d
ssl_protocols hs +
ssl_ciphers hs 1 d
ssl_buffer_size hs 1 d
ssl_verify_client hs 1 d
ssl_verify_depth hs 1 d
ssl_client_certificate hs 1 d
ssl_trusted_certificate hs 1 d
ssl_prefer_server_ciphers hs F d
ssl_session_cache hs 12
ssl_session_tickets hs F d
ssl_session_ticket_key hs 1
ssl_session_timeout hs 1 d
ssl_crl hs 1 d
ssl_ocsp hs 1 d >1.19.0
ssl_ocsp_responder hs 1 d >1.19.0
ssl_ocsp_cache hs 1 d >1.19.0
ssl_stapling hs F d
ssl_stapling_file hs 1 d
ssl_stapling_responder hs 1 d
ssl_stapling_verify hs F d
ssl_early_data hs F d
ssl_conf_command hs 2 >1.19.4
ssl_reject_handshake hs F d >1.19.4
ssl_certificate_cache hs 123 d >1.27.4
ssl_certificate_compression hs F d >1.29.1
ssl_ech_file hs 1 >1.29.4
@http_proxy
proxy_pass lfx 1 d
proxy_redirect hsl 12
proxy_cookie_domain hsl 12
proxy_cookie_path hsl 12
proxy_cookie_flags hsl 1234 >1.19.3
proxy_store hsl 1 d
proxy_store_access hsl 123 d
proxy_buffering hsl F d
proxy_request_buffering hsl F d
proxy_ignore_client_abort hsl F d
proxy_bind hsl 12 d
proxy_socket_keepalive hsl F d
proxy_connect_timeout hsl 1 d
proxy_send_timeout hsl 1 d
proxy_send_lowat hsl 1 d
proxy_intercept_errors hsl F d
proxy_set_header hsl 2
proxy_headers_hash_max_size hsl 1 d
proxy_headers_hash_bucket_size hsl 1 d
proxy_set_body hsl 1 d
proxy_method hsl 1 d
proxy_pass_request_headers hsl F d
proxy_pass_request_body hsl F d
proxy_buffer_size hsl 1 d
proxy_read_timeout hsl 1 d
proxy_buffers hsl 2 d
proxy_busy_buffers_size hsl 1 d
proxy_force_ranges hsl F d
proxy_limit_rate hsl 1 d
proxy_cache hsl 1 d
proxy_cache_key hsl 1 d
proxy_cache_path h 2+
proxy_cache_bypass hsl +
proxy_no_cache hsl +
proxy_cache_valid hsl +
proxy_cache_min_uses hsl 1 d
proxy_cache_max_range_offset hsl 1 d
proxy_cache_use_stale hsl +
proxy_cache_methods hsl +
proxy_cache_lock hsl F d
proxy_cache_lock_timeout hsl 1 d
proxy_cache_lock_age hsl 1 d
proxy_cache_revalidate hsl F d
proxy_cache_convert_head hsl F d
proxy_cache_background_update hsl F d
proxy_temp_path hsl 1234 d
proxy_max_temp_file_size hsl 1 d
proxy_temp_file_write_size hsl 1 d
proxy_next_upstream hsl +
proxy_next_upstream_tries hsl 1 d
proxy_next_upstream_timeout hsl 1 d
proxy_pass_header hsl 1
proxy_hide_header hsl 1
proxy_ignore_headers hsl +
proxy_http_version hsl 1 d
proxy_ssl_session_reuse hsl F d
proxy_ssl_protocols hsl +
proxy_ssl_ciphers hsl 1 d
proxy_ssl_name hsl 1 d
proxy_ssl_server_name hsl F d
proxy_ssl_verify hsl F d
proxy_ssl_verify_depth hsl 1 d
proxy_ssl_trusted_certificate hsl 1 d
proxy_ssl_crl hsl 1 d
proxy_ssl_certificate hsl 1 d
proxy_ssl_certificate_key hsl 1 d
proxy_ssl_password_file hsl 1 d
proxy_ssl_conf_command hsl 2 >1.19.4
proxy_pass_trailers hsl F d >1.27.2
proxy_ssl_certificate_cache hsl 123 d >1.27.4
@http_fastcgi
fastcgi_pass lf 1 d
fastcgi_index hsl 1 d
fastcgi_split_path_info hsl 1
fastcgi_store hsl 1 d
fastcgi_store_access hsl 123 d
fastcgi_buffering hsl F d
fastcgi_request_buffering hsl F d
fastcgi_ignore_client_abort hsl F d
fastcgi_bind hsl 12 d
fastcgi_socket_keepalive hsl F d
fastcgi_connect_timeout hsl 1 d
fastcgi_send_timeout hsl 1 d
fastcgi_send_lowat hsl 1 d
fastcgi_buffer_size hsl 1 d
fastcgi_pass_request_headers hsl F d
fastcgi_pass_request_body hsl F d
fastcgi_intercept_errors hsl F d
fastcgi_read_timeout hsl 1 d
fastcgi_buffers hsl 2 d
fastcgi_busy_buffers_size hsl 1 d
fastcgi_force_ranges hsl F d
fastcgi_limit_rate hsl 1 d
fastcgi_cache hsl 1 d
fastcgi_cache_key hsl 1 d
fastcgi_cache_path h 2+
fastcgi_cache_bypass hsl +
fastcgi_no_cache hsl +
fastcgi_cache_valid hsl +
fastcgi_cache_min_uses hsl 1 d
fastcgi_cache_max_range_offset hsl 1 d
fastcgi_cache_use_stale hsl +
fastcgi_cache_methods hsl +
fastcgi_cache_lock hsl F d
fastcgi_cache_lock_timeout hsl 1 d
fastcgi_cache_lock_age hsl 1 d
fastcgi_cache_revalidate hsl F d
fastcgi_cache_background_update hsl F d
fastcgi_temp_path hsl 1234 d
fastcgi_max_temp_file_size hsl 1 d
fastcgi_temp_file_write_size hsl 1 d
fastcgi_next_upstream hsl +
fastcgi_next_upstream_tries hsl 1 d
fastcgi_next_upstream_timeout hsl 1 d
fastcgi_param hsl 23
fastcgi_pass_header hsl 1
fastcgi_hide_header hsl 1
fastcgi_ignore_headers hsl +
fastcgi_catch_stderr hsl 1
fastcgi_keep_conn hsl F d
@http_uwsgi
uwsgi_pass lf 1 d
uwsgi_modifier1 hsl 1 d
uwsgi_modifier2 hsl 1 d
uwsgi_store hsl 1 d
uwsgi_store_access hsl 123 d
uwsgi_buffering hsl F d
uwsgi_request_buffering hsl F d
uwsgi_ignore_client_abort hsl F d
uwsgi_bind hsl 12 d
uwsgi_socket_keepalive hsl F d
uwsgi_connect_timeout hsl 1 d
uwsgi_send_timeout hsl 1 d
uwsgi_buffer_size hsl 1 d
uwsgi_pass_request_headers hsl F d
uwsgi_pass_request_body hsl F d
uwsgi_intercept_errors hsl F d
uwsgi_read_timeout hsl 1 d
uwsgi_buffers hsl 2 d
uwsgi_busy_buffers_size hsl 1 d
uwsgi_force_ranges hsl F d
uwsgi_limit_rate hsl 1 d
uwsgi_cache hsl 1 d
uwsgi_cache_key hsl 1 d
uwsgi_cache_path h 2+
uwsgi_cache_bypass hsl +
uwsgi_no_cache hsl +
uwsgi_cache_valid hsl +
uwsgi_cache_min_uses hsl 1 d
uwsgi_cache_max_range_offset hsl 1 d
uwsgi_cache_use_stale hsl +
uwsgi_cache_methods hsl +
uwsgi_cache_lock hsl F d
uwsgi_cache_lock_timeout hsl 1 d
uwsgi_cache_lock_age hsl 1 d
uwsgi_cache_revalidate hsl F d
uwsgi_cache_background_update hsl 1 d
uwsgi_temp_path hsl 1234 d
uwsgi_max_temp_file_size hsl 1 d
uwsgi_temp_file_write_size hsl 1 d
uwsgi_next_upstream hsl +
uwsgi_next_upstream_tries hsl 1 d
uwsgi_next_upstream_timeout hsl 1 d
uwsgi_param hsl 23
uwsgi_string hsl 1 d
uwsgi_pass_header hsl 1
uwsgi_hide_header hsl 1
uwsgi_ignore_headers hsl +
uwsgi_ssl_session_reuse hsl F d
uwsgi_ssl_protocols hsl +
uwsgi_ssl_ciphers hsl 1 d
uwsgi_ssl_name hsl 1 d
uwsgi_ssl_server_name hsl F d
uwsgi_ssl_verify hsl F d
uwsgi_ssl_verify_depth hsl 1 d
uwsgi_ssl_trusted_certificate hsl 1 d
uwsgi_ssl_crl hsl 1 d
uwsgi_ssl_certificate hsl 1 d
uwsgi_ssl_certificate_key hsl 1 d
uwsgi_ssl_password_file hsl 1 d
uwsgi_ssl_conf_command hsl 2 >1.19.4
uwsgi_ssl_certificate_cache hsl 123 d >1.27.4
@http_scgi
scgi_pass lf 1 d
scgi_store hsl 1 d
scgi_store_access hsl 123 d
scgi_buffering hsl F d
scgi_request_buffering hsl F d
scgi_ignore_client_abort hsl F d
scgi_bind hsl 12 d
scgi_socket_keepalive hsl F d
scgi_connect_timeout hsl 1 d
scgi_send_timeout hsl 1 d
scgi_buffer_size hsl 1 d
scgi_pass_request_headers hsl F d
scgi_pass_request_body hsl F d
scgi_intercept_errors hsl F d
scgi_read_timeout hsl 1 d
scgi_buffers hsl 2 d
scgi_busy_buffers_size hsl 1 d
scgi_force_ranges hsl F d
scgi_limit_rate hsl 1 d
scgi_cache hsl 1 d
scgi_cache_key hsl 1 d
scgi_cache_path h 2+
scgi_cache_bypass hsl +
scgi_no_cache hsl +
scgi_cache_valid hsl +
scgi_cache_min_uses hsl 1 d
scgi_cache_max_range_offset hsl 1 d
scgi_cache_use_stale hsl +
scgi_cache_methods hsl +
scgi_cache_lock hsl F d
scgi_cache_lock_timeout hsl 1 d
scgi_cache_lock_age hsl 1 d
scgi_cache_revalidate hsl F d
scgi_cache_background_update hsl F d
scgi_temp_path hsl 1234 d
scgi_max_temp_file_size hsl 1 d
scgi_temp_file_write_size hsl 1 d
scgi_next_upstream hsl +
scgi_next_upstream_tries hsl 1 d
scgi_next_upstream_timeout hsl 1 d
scgi_param hsl 23
scgi_pass_header hsl 1
scgi_hide_header hsl 1
scgi_ignore_headers hsl +
@http_grpc
grpc_pass lf 1 d
grpc_bind hsl 12 d
grpc_socket_keepalive hsl F d
grpc_connect_timeout hsl 1 d
grpc_send_timeout hsl 1 d
grpc_intercept_errors hsl F d
grpc_buffer_size hsl 1 d
grpc_read_timeout hsl 1 d
grpc_next_upstream hsl +
grpc_next_upstream_tries hsl 1 d
grpc_next_upstream_timeout hsl 1 d
grpc_set_header hsl 2
grpc_pass_header hsl 1
grpc_hide_header hsl 1
grpc_ignore_headers hsl +
grpc_ssl_session_reuse hsl F d
grpc_ssl_protocols hsl +
grpc_ssl_ciphers hsl 1 d
grpc_ssl_name hsl 1 d
grpc_ssl_server_name hsl F d
grpc_ssl_verify hsl F d
grpc_ssl_verify_depth hsl 1 d
grpc_ssl_trusted_certificate hsl 1 d
grpc_ssl_crl hsl 1 d
grpc_ssl_certificate hsl 1 d
grpc_ssl_certificate_key hsl 1 d
grpc_ssl_password_file hsl 1 d
grpc_ssl_conf_command hsl 2 >1.19.4
grpc_ssl_certificate_cache hsl 123 d >1.27.4
@http_memcached
memcached_pass lf 1 d
memcached_bind hsl 12 d
memcached_socket_keepalive hsl F d
memcached_connect_timeout hsl 1 d
memcached_send_timeout hsl 1 d
memcached_buffer_size hsl 1 d
memcached_read_timeout hsl 1 d
memcached_next_upstream hsl +
memcached_next_upstream_tries hsl 1 d
memcached_next_upstream_timeout hsl 1 d
memcached_gzip_flag hsl 1 d
@http_empty_gif
empty_gif l 0
@http_browser
modern_browser hsl 12
ancient_browser hsl +
modern_browser_value hsl 1
ancient_browser_value hsl 1
@http_secure_link with
secure_link hsl 1 d
secure_link_md5 hsl 1 d
secure_link_secret hsl 1 d
@http_flv with
flv l 0
@http_mp4 with
mp4 l 0
mp4_buffer_size hsl 1 d
mp4_max_buffer_size hsl 1 d
mp4_start_key_frame hsl F d >1.21.4
@http_upstream_hash
hash u 12
@http_upstream_ip_hash
ip_hash u 0
@http_upstream_least_conn
least_conn u 0
@http_upstream_random
random u 012
@http_upstream_keepalive
keepalive u 1 d
keepalive_time u 1 d >1.19.10
keepalive_timeout u 1 d
keepalive_requests u 1 d
@http_upstream_zone
zone u 12
@http_stub_status with
stub_status sl 01
@http_gzip
gzip hslf F d
gzip_buffers hsl 2 d
gzip_types hsl +
gzip_comp_level hsl 1 d
gzip_window hsl 1 d
gzip_hash hsl 1 d
postpone_gzipping hsl 1 d
gzip_no_buffer hsl F d
gzip_min_length hsl 1 d
@http_ssi
ssi hslf F d
ssi_silent_errors hsl F d
ssi_ignore_recycled_buffers hsl F d
ssi_min_file_chunk hsl 1 d
ssi_value_length hsl 1 d
ssi_types hsl +
ssi_last_modified hsl F d
@http_charset
charset hslf 1 d
source_charset hslf 1 d
override_charset hslf F d
charset_types hsl +
charset_map h {2 =charset_map
@http_sub with
sub_filter hsl 2
sub_filter_types hsl +
sub_filter_once hsl F d
sub_filter_last_modified hsl F d
@http_addition with
add_before_body hsl 1 d
add_after_body hsl 1 d
addition_types hsl +
@http_gunzip with
gunzip hsl F d
gunzip_buffers hsl 2 d
@http_userid
userid hsl 1 d
userid_service hsl 1 d
userid_name hsl 1 d
userid_domain hsl 1 d
userid_path hsl 1 d
userid_expires hsl 1 d
userid_flags hsl 123
userid_p3p hsl 1 d
userid_mark hsl 1 d
@http_headers
expires hslf 12 d
add_header hslf 23
add_trailer hslf 23
add_header_inherit hslf 1 d >1.29.3
add_trailer_inherit hslf 1 d >1.29.3
@http_slice with
slice hsl 1 d
@http_geoip with
geoip_country h 12
geoip_org h 12
geoip_city h 12
geoip_proxy h 1
geoip_proxy_recursive h F d
@http_image_filter with
image_filter l 123
image_filter_jpeg_quality hsl 1
image_filter_webp_quality hsl 1
image_filter_sharpen hsl 1
image_filter_transparency hsl F d
image_filter_interlace hsl F d
image_filter_buffer hsl 1 d
@http_perl with
perl_modules h 1
perl_require h 1
perl lx 1
perl_set h 2
@http_xslt with
xml_entities hsl 1
xslt_stylesheet l +
xslt_param hsl 2
xslt_string_param hsl 2
xslt_types hsl +
xslt_last_modified hsl F d
@http_v3 with
http3 hs F d >1.25.0
http3_hq hs F d >1.25.0
http3_max_concurrent_streams hs 1 d >1.25.0
http3_stream_buffer_size hs 1 d >1.25.0
quic_active_connection_id_limit hs 1 d >1.25.0
quic_gso hs F d >1.25.0
quic_host_key hs 1 d >1.25.0
quic_retry hs F d >1.25.0
@mail_core with
mail M {0 d =mail
server m {0 =mail_server
listen n +
protocol n 1
timeout mn 1 d
server_name mn 1 d
error_log mn +
resolver mn + d
resolver_timeout mn 1 d
max_errors mn 1 d >1.21.0
@mail_ssl with
ssl mn F d <1.25.1
starttls mn 1 d
ssl_certificate mn 1
ssl_certificate_key mn 1
ssl_password_file mn 1 d
ssl_dhparam mn 1 d
ssl_ecdh_curve mn 1 d
ssl_protocols mn +
ssl_ciphers mn 1 d
ssl_prefer_server_ciphers mn F d
ssl_session_cache mn 12
ssl_session_tickets mn F d
ssl_session_ticket_key mn 1
ssl_session_timeout mn 1 d
ssl_verify_client mn 1 d
ssl_verify_depth mn 1 d
ssl_client_certificate mn 1 d
ssl_trusted_certificate mn 1 d
ssl_crl mn 1 d
ssl_conf_command mn 2 >1.19.4
ssl_certificate_compression mn F d >1.29.1
@mail_pop3
pop3_capabilities mn +
pop3_auth mn +
@mail_imap
imap_client_buffer mn 1 d
imap_capabilities mn +
imap_auth mn +
@mail_smtp
smtp_client_buffer mn 1 d
smtp_greeting_delay mn 1 d
smtp_capabilities mn +
smtp_auth mn +
@mail_auth_http
auth_http mn 1
auth_http_timeout mn 1 d
auth_http_header mn 2
auth_http_pass_client_cert mn F d >1.21.0
@mail_proxy
proxy mn F d
proxy_buffer mn 1 d
proxy_timeout mn 1 d
proxy_pass_error_message mn F d
xclient mn F d
proxy_smtp_auth mn F d >1.21.0
proxy_protocol mn F d
@mail_realip
set_real_ip_from mn 1
@stream_core with
stream M {0 d =stream
variables_hash_max_size S 1 d
variables_hash_bucket_size S 1 d
server S {0 =stream_server
listen T +
error_log ST +
resolver ST + d
resolver_timeout ST 1 d
proxy_protocol_timeout ST 1 d
tcp_nodelay ST F d
preread_buffer_size ST 1 d
preread_timeout ST 1 d
server_name T + >1.25.5
server_names_hash_max_size S 1 d >1.25.5
server_names_hash_bucket_size S 1 d >1.25.5
@stream_geoip with
geoip_country S 12
geoip_org S 12
geoip_city S 12
@stream_log
log_format S 2+
access_log ST +
open_log_file_cache ST 1234 d
@stream_proxy
proxy_pass T 1 d
proxy_bind ST 12 d
proxy_socket_keepalive ST F d
proxy_connect_timeout ST 1 d
proxy_timeout ST 1 d
proxy_buffer_size ST 1 d
proxy_downstream_buffer ST 1 d
proxy_upstream_buffer ST 1 d
proxy_upload_rate ST 1 d
proxy_download_rate ST 1 d
proxy_requests ST 1 d
proxy_responses ST 1 d
proxy_next_upstream ST F d
proxy_next_upstream_tries ST 1 d
proxy_next_upstream_timeout ST 1 d
proxy_protocol ST F d
proxy_half_close ST F d >1.21.4
proxy_ssl ST F d
proxy_ssl_session_reuse ST F d
proxy_ssl_protocols ST +
proxy_ssl_ciphers ST 1 d
proxy_ssl_name ST 1 d
proxy_ssl_server_name ST F d
proxy_ssl_verify ST F d
proxy_ssl_verify_depth ST 1 d
proxy_ssl_trusted_certificate ST 1 d
proxy_ssl_crl ST 1 d
proxy_ssl_certificate ST 1 d
proxy_ssl_certificate_key ST 1 d
proxy_ssl_password_file ST 1 d
proxy_ssl_conf_command ST 2 >1.19.4
proxy_ssl_certificate_cache ST 123 d >1.27.4
@stream_upstream
upstream S {1 =stream_upstream
server U +
resolver U + d >1.27.3
resolver_timeout U 1 d >1.27.3
@stream_ssl with
ssl_handshake_timeout ST 1 d
ssl_certificate ST 1
ssl_certificate_key ST 1
ssl_password_file ST 1 d
ssl_dhparam ST 1 d
ssl_ecdh_curve ST 1 d
ssl_protocols ST +
ssl_ciphers ST 1 d
ssl_verify_client ST 1 d
ssl_verify_depth ST 1 d
ssl_client_certificate ST 1 d
ssl_trusted_certificate ST 1 d
ssl_prefer_server_ciphers ST F d
ssl_session_cache ST 12
ssl_session_tickets ST F d
ssl_session_ticket_key ST 1
ssl_session_timeout ST 1 d
ssl_crl ST 1 d
ssl_conf_command ST 2 >1.19.4
ssl_alpn ST + d >1.21.4
ssl_reject_handshake ST F d >1.25.5
ssl_ocsp ST 1 d >1.27.2
ssl_ocsp_responder ST 1 d >1.27.2
ssl_ocsp_cache ST 1 d >1.27.2
ssl_stapling ST F d >1.27.2
ssl_stapling_file ST 1 d >1.27.2
ssl_stapling_responder ST 1 d >1.27.2
ssl_stapling_verify ST F d >1.27.2
ssl_certificate_cache ST 123 d >1.27.4
ssl_certificate_compression ST F d >1.29.1
ssl_ech_file ST 1 >1.29.4
@stream_realip with
set_real_ip_from ST 1
@stream_limit_conn
limit_conn_zone S 2
limit_conn ST 2
limit_conn_log_level ST 1 d
limit_conn_dry_run ST F d >1.17.6
@stream_access
allow ST 1
deny ST 1
@stream_geo
geo S {12 =geo
@stream_map
map S {2 =map
map_hash_max_size S 1 d
map_hash_bucket_size S 1 d
@stream_split_clients
split_clients S {2 =split_clients
@stream_return
return T 1
@stream_set
set T 2 >1.19.3
@stream_upstream_hash
hash U 12
@stream_upstream_least_conn
least_conn U 0
@stream_upstream_random
random U 012
@stream_upstream_zone
zone U 12
@stream_ssl_preread with
ssl_preread ST F d
@stream_pass
pass T 1 d >1.25.5
@http_brotli 3p
brotli hslf F d
brotli_buffers hsl 2 d
brotli_types hsl +
brotli_comp_level hsl 1 d
brotli_window hsl 1 d
brotli_min_length hsl 1 d
brotli_static hsl 1 d
@http_geoip2 3p
geoip2 h {1 =raw
geoip2_proxy h 1
geoip2_proxy_recursive h F d
@stream_geoip2 3p
geoip2 S {1 =raw
@http_headers_more 3p
more_set_headers hslf +
more_clear_headers hslf +
more_set_input_headers hslf +
more_clear_input_headers hslf +
@njs_core 3p
js_load_http_native_module M 13
js_load_stream_native_module M 13
@http_js 3p
js_import hsl 13
js_preload_object hsl 13
js_path hsl 1
js_set hsl 23
js_var hsl 12
js_content lfx 1 d
js_header_filter lfx 1 d
js_body_filter lfx 12
js_periodic l *
js_shared_dict_zone h +
js_engine hsl 1 d
js_context_reuse hsl 1 d
js_context_reuse_max_size hsl 1 d
js_fetch_buffer_size hsl 1 d
js_fetch_max_response_buffer_size hsl 1 d
js_fetch_timeout hsl 1 d
js_fetch_ciphers hsl 1 d
js_fetch_protocols hsl +
js_fetch_verify hsl F d
js_fetch_verify_depth hsl 1 d
js_fetch_trusted_certificate hsl 1 d
js_fetch_keepalive hsl 1 d
js_fetch_keepalive_requests hsl 1 d
js_fetch_keepalive_time hsl 1 d
js_fetch_keepalive_timeout hsl 1 d
js_fetch_proxy hsl 1 d
@stream_js 3p
js_import ST 13
js_preload_object ST 13
js_path ST 1
js_set ST 23
js_var ST 12
js_access ST 1 d
js_preread ST 1 d
js_filter ST 1 d
js_periodic T *
js_shared_dict_zone S +
js_engine ST + d
js_context_reuse ST 1 d
js_context_reuse_max_size ST 1 d
js_fetch_buffer_size ST 1 d
js_fetch_max_response_buffer_size ST 1 d
js_fetch_timeout ST 1 d
js_fetch_ciphers ST 1 d
js_fetch_protocols ST +
js_fetch_verify ST F d
js_fetch_verify_depth ST 1 d
js_fetch_trusted_certificate ST 1 d
js_fetch_keepalive ST 1 d
js_fetch_keepalive_requests ST 1 d
js_fetch_keepalive_time ST 1 d
js_fetch_keepalive_timeout ST 1 d
js_fetch_proxy ST 1 d
@http_lua 3p
lua_load_resty_core h F
lua_thread_cache_max_entries h 1 d
lua_max_running_timers h 1 d
lua_max_pending_timers h 1 d
lua_shared_dict h 2
lua_capture_error_log h 1
lua_sa_restart h F d
lua_regex_cache_max_entries h 1
lua_regex_match_limit h 1
lua_package_cpath h 1
lua_package_path h 1
lua_code_cache hslf F
lua_need_request_body hslf F d
lua_transform_underscores_in_response_headers hslf F d
lua_socket_log_errors hslf F d
init_by_lua_block h {0 =raw
init_by_lua h 1
init_by_lua_file h 1
init_worker_by_lua_block h {0 =raw
init_worker_by_lua h 1
init_worker_by_lua_file h 1
exit_worker_by_lua_block h {0 =raw
exit_worker_by_lua_file h 1
set_by_lua_block slif {1 =raw
set_by_lua slif 2+
set_by_lua_file slif 2+
server_rewrite_by_lua_block hs {0 =raw
server_rewrite_by_lua_file hs 1
rewrite_by_lua hslf 1
rewrite_by_lua_block hslf {0 =raw
access_by_lua hslf 1
access_by_lua_block hslf {0 =raw
content_by_lua lf 1
content_by_lua_block lf {0 =raw
log_by_lua hslf 1
log_by_lua_block hslf {0 =raw
rewrite_by_lua_file hslf 1
rewrite_by_lua_no_postpone h F d
access_by_lua_file hslf 1
access_by_lua_no_postpone h F d
content_by_lua_file lf 1
log_by_lua_file hslf 1
header_filter_by_lua hslf 1
header_filter_by_lua_block hslf {0 =raw
header_filter_by_lua_file hslf 1
body_filter_by_lua hslf 1
body_filter_by_lua_block hslf {0 =raw
body_filter_by_lua_file hslf 1
balancer_by_lua_block u {0 =raw
balancer_by_lua_file u 1
lua_socket_keepalive_timeout hslf 1 d
lua_socket_connect_timeout hslf 1 d
lua_socket_send_timeout hslf 1 d
lua_socket_send_lowat hslf 1 d
lua_socket_buffer_size hslf 1 d
lua_socket_pool_size hslf 1 d
lua_socket_read_timeout hslf 1 d
lua_http10_buffering hslf F d
lua_check_client_abort hslf F d
lua_use_default_type hslf F d
lua_ssl_protocols hsl +
lua_ssl_ciphers hsl 1 d
ssl_client_hello_by_lua_block hs {0 =raw
ssl_client_hello_by_lua_file hs 1
ssl_certificate_by_lua_block hs {0 =raw
ssl_certificate_by_lua_file hs 1
ssl_session_store_by_lua_block h {0 =raw
ssl_session_store_by_lua_file h 1
ssl_session_fetch_by_lua_block h {0 =raw
ssl_session_fetch_by_lua_file h 1
lua_ssl_verify_depth hsl 1 d
lua_ssl_trusted_certificate hsl 1 d
lua_ssl_crl hsl 1 d
lua_ssl_conf_command hsl 2
lua_malloc_trim h 1
lua_worker_thread_vm_pool_size h 1 d
balancer_keepalive u 1
lua_ssl_certificate hsl 1
lua_ssl_certificate_key hsl 1
lua_ssl_key_log hsl 1 d
lua_upstream_skip_openssl_default_verify lf F d
precontent_by_lua_block hslf {0 =raw
precontent_by_lua_file hslf 1
precontent_by_lua_no_postpone h F d
proxy_ssl_certificate_by_lua_block lf {0 =raw
proxy_ssl_certificate_by_lua_file lf 1
proxy_ssl_verify_by_lua_block lf {0 =raw
proxy_ssl_verify_by_lua_file lf 1
@stream_lua 3p
lua_max_running_timers S 1 d
lua_max_pending_timers S 1 d
lua_shared_dict S 2
lua_capture_error_log S 1
lua_sa_restart S F d
lua_regex_cache_max_entries S 1
lua_regex_match_limit S 1
lua_package_cpath S 1
lua_package_path S 1
lua_code_cache ST F d
lua_socket_log_errors ST F d
lua_add_variable S 1
init_by_lua_block S {0 =raw
init_by_lua S 1
init_by_lua_file S 1
init_worker_by_lua_block S {0 =raw
init_worker_by_lua S 1
init_worker_by_lua_file S 1
preread_by_lua_block ST {0 =raw
preread_by_lua_file ST 1
preread_by_lua_no_postpone S F d
content_by_lua_block T {0 =raw
content_by_lua_file T 1
content_by_lua T 1
log_by_lua_block ST {0 =raw
log_by_lua_file ST 1
balancer_by_lua_block U {0 =raw
balancer_by_lua_file U 1
ssl_client_hello_by_lua_block ST {0 =raw
ssl_client_hello_by_lua_file ST 1
ssl_certificate_by_lua_block ST {0 =raw
ssl_certificate_by_lua_file ST 1
lua_socket_keepalive_timeout ST 1 d
lua_socket_connect_timeout ST 1 d
lua_socket_send_timeout ST 1 d
lua_socket_send_lowat ST 1 d
lua_socket_buffer_size ST 1 d
lua_socket_pool_size ST 1 d
lua_socket_read_timeout ST 1 d
lua_check_client_abort ST F d
lua_ssl_protocols ST +
lua_ssl_ciphers ST 1 d
lua_ssl_verify_depth ST 1 d
lua_ssl_trusted_certificate ST 1 d
lua_ssl_crl ST 1 d
lua_ssl_certificate ST 1
lua_ssl_certificate_key ST 1
lua_ssl_conf_command ST 2
lua_malloc_trim S 1
@http_vts 3p
vhost_traffic_status hsl F d
vhost_traffic_status_zone h 01
vhost_traffic_status_dump h 12
vhost_traffic_status_display hsl 0
vhost_traffic_status_display_format hsl 1
vhost_traffic_status_display_jsonp hsl 1
vhost_traffic_status_display_sum_key hsl 1
vhost_traffic_status_filter hsl F d
vhost_traffic_status_filter_by_host hsl F d
vhost_traffic_status_filter_by_set_key hsl 12
vhost_traffic_status_filter_check_duplicate hsl F d
vhost_traffic_status_filter_max_node h +
vhost_traffic_status_limit hsl F d
vhost_traffic_status_limit_check_duplicate hsl F d
vhost_traffic_status_limit_traffic hsl 12
vhost_traffic_status_limit_traffic_by_set_key hsl 23
vhost_traffic_status_set_by_filter slif 2
vhost_traffic_status_average_method hsl 12
vhost_traffic_status_histogram_buckets hsl +
vhost_traffic_status_bypass_limit hsl F d
vhost_traffic_status_bypass_stats hsl F d
@otel 3p
otel_exporter h {0 d =otel_exporter
otel_service_name h 1 d
otel_resource_attr h 2
otel_trace hsl 1 d
otel_trace_context hsl 1 d
otel_span_name hsl 1 d
otel_span_attr hsl 2
endpoint o 1 d
interval o 1 d
batch_size o 1 d
batch_count o 1 d
header o 2
trusted_certificate o 1 d
@http_acme 3p
acme_issuer h {1 =raw
acme_shared_zone h 1
acme_certificate s +
`;

const CONTEXT_LETTERS: Record<string, ContextName> = {
  M: 'main',
  E: 'events',
  h: 'http',
  s: 'server',
  l: 'location',
  u: 'upstream',
  i: 'if',
  f: 'lif',
  x: 'limit_except',
  m: 'mail',
  n: 'mail_server',
  S: 'stream',
  T: 'stream_server',
  U: 'stream_upstream',
  o: 'otel_exporter',
};

/**
 * The table is read in two steps, because a small run looks up a few dozen
 * of its ~1,000 rows and start-up time is most of such a run: `rows()` only
 * splits the text into rows by directive name (in table order); a row
 * becomes a DirectiveSpec when its name is first looked up, and the whole
 * table only when something asks for all of it. A spec is made once, so
 * lookups and allDirectives() hand out the same objects.
 */
interface Row {
  line: string;
  module: ModuleSpec;
  spec?: DirectiveSpec;
}

interface Rows {
  byName: Map<string, Row[]>;
  all: Row[];
  modules: ModuleSpec[];
}

let table: Rows | null = null;
const contextSets = new WeakMap<DirectiveSpec, ReadonlySet<ContextName>>();

function rows(): Rows {
  if (table) return table;
  const byName = new Map<string, Row[]>();
  const all: Row[] = [];
  const modules: ModuleSpec[] = [];
  let module: ModuleSpec | null = null;
  for (const line of TABLE.split('\n')) {
    if (!line) continue;
    const space = line.indexOf(' ');
    if (line.startsWith('@')) {
      const kind = line.slice(space + 1);
      module = { name: line.slice(1, space === -1 ? undefined : space), kind: kind === 'with' ? 'with' : kind === '3p' ? 'third-party' : 'default' };
      modules.push(module);
      continue;
    }
    if (!module || space === -1) throw new Error(`directive table: bad line "${line}"`);
    const row: Row = { line, module };
    all.push(row);
    const name = line.slice(0, space);
    const list = byName.get(name);
    if (list) list.push(row);
    else byName.set(name, [row]);
  }
  table = { byName, all, modules };
  return table;
}

function parseArgs(text: string, line: string): { args: number; block: boolean } {
  let s = text;
  let block = false;
  if (s.startsWith('{')) {
    block = true;
    s = s.slice(1);
  }
  let args = 0;
  if (s.startsWith('2+')) {
    args |= NGX_CONF_2MORE;
    s = s.slice(2);
  }
  for (const ch of s) {
    if (ch === 'F') args |= NGX_CONF_FLAG;
    else if (ch === '+') args |= NGX_CONF_1MORE;
    else if (ch === '*') args |= NGX_CONF_ANY;
    else if (ch >= '0' && ch <= '7') args |= 1 << Number(ch);
    else throw new Error(`directive table: bad argument mask in "${line}"`);
  }
  return { args, block };
}

function version(text: string, line: string): NginxVersion {
  const v = parseNginxVersion(text);
  if (!v) throw new Error(`directive table: bad version in "${line}"`);
  return v;
}

function specOf(row: Row): DirectiveSpec {
  if (row.spec) return row.spec;
  const { line, module } = row;
  const parts = line.split(' ');
  if (parts.length < 3) throw new Error(`directive table: bad line "${line}"`);
  const [name, ctx, argText, ...rest] = parts as [string, string, string, ...string[]];
  const contexts: ContextName[] = [];
  for (const letter of ctx) {
    if (letter === 'A') contexts.push(...COMMAND_CONTEXTS);
    else {
      const c = CONTEXT_LETTERS[letter];
      if (!c) throw new Error(`directive table: bad context in "${line}"`);
      contexts.push(c);
    }
  }
  const { args, block } = parseArgs(argText, line);
  let duplicate = false;
  let child: ChildContext | null = null;
  let since: NginxVersion | null = null;
  let until: NginxVersion | null = null;
  for (const r of rest) {
    if (r === 'd') duplicate = true;
    else if (r.startsWith('=')) child = r.slice(1) as ChildContext;
    else if (r.startsWith('>')) since = version(r.slice(1), line);
    else if (r.startsWith('<')) until = version(r.slice(1), line);
    else throw new Error(`directive table: bad flag "${r}" in "${line}"`);
  }
  const spec: DirectiveSpec = {
    name,
    module: module.name,
    contexts,
    args,
    block,
    child: block ? child : null,
    flag: (args & NGX_CONF_FLAG) !== 0,
    duplicate,
    since,
    until,
  };
  contextSets.set(spec, new Set(contexts));
  row.spec = spec;
  return spec;
}

const NONE: readonly DirectiveSpec[] = [];
const specsByName = new Map<string, readonly DirectiveSpec[]>();

/** Every variant of a directive, in nginx's module order (empty when nginx has no such directive). */
export function lookupDirective(name: string): readonly DirectiveSpec[] {
  let specs = specsByName.get(name);
  if (!specs) {
    specs = rows().byName.get(name)?.map(specOf) ?? NONE;
    specsByName.set(name, specs);
  }
  return specs;
}

let allSpecs: readonly DirectiveSpec[] | null = null;

/** The whole table, in module order. */
export function allDirectives(): readonly DirectiveSpec[] {
  return (allSpecs ??= rows().all.map(specOf));
}

/** The modules the table knows, in nginx's order. */
export function directiveModules(): readonly ModuleSpec[] {
  return rows().modules;
}

/** Does nginx accept this variant in this context? */
export function allowedIn(spec: DirectiveSpec, context: ContextName): boolean {
  return contextSets.get(spec)?.has(context) ?? false;
}

/** nginx's argument-count check (ngx_conf_handler), `n` not counting the name. */
export function acceptsArgCount(spec: DirectiveSpec, n: number): boolean {
  const a = spec.args;
  if (a & NGX_CONF_ANY) return true;
  if (a & NGX_CONF_FLAG) return n === 1;
  if (a & NGX_CONF_1MORE) return n >= 1;
  if (a & NGX_CONF_2MORE) return n >= 2;
  if (n > NGX_CONF_MAX_ARGS) return false;
  return (a & (1 << n)) !== 0;
}

/** Does the directive exist in this nginx version? */
export function existsIn(spec: DirectiveSpec, v: NginxVersion): boolean {
  if (spec.since && compareVersions(v, spec.since) < 0) return false;
  if (spec.until && compareVersions(v, spec.until) >= 0) return false;
  return true;
}

/** A readable form of the argument mask: "1", "1|2", "flag", "1+", "block, 1+". */
export function describeArgs(spec: DirectiveSpec): string {
  const a = spec.args;
  const parts: string[] = [];
  if (a & NGX_CONF_FLAG) parts.push('on|off');
  if (a & NGX_CONF_ANY) parts.push('any');
  if (a & NGX_CONF_1MORE) parts.push('1+');
  if (a & NGX_CONF_2MORE) parts.push('2+');
  const counts: number[] = [];
  for (let i = 0; i <= NGX_CONF_MAX_ARGS; i++) if (a & (1 << i)) counts.push(i);
  if (counts.length) parts.push(counts.join('|'));
  return (spec.block ? 'block, ' : '') + parts.join(', ');
}

/**
 * Which modules a build has, from `nginx -V` output (its "configure
 * arguments:" line): default modules unless `--without-…`, `with` modules
 * only when built in statically (`--with-…_module`, not `=dynamic`; dynamic
 * ones need `load_module`), third-party modules never (they are dynamic or
 * `--add-module`d, which nginx -V shows as paths).
 */
export function moduleFilterFromConfigure(nginxV: string): (module: string) => boolean {
  const args = new Set(nginxV.split(/\s+/).filter((a) => a.startsWith('--')));
  const kinds = new Map(directiveModules().map((m) => [m.name, m.kind]));
  const flagName = (m: string) => (m === 'mail_core' ? 'mail' : m === 'stream_core' ? 'stream' : `${m}_module`);
  const has = (m: string): boolean => {
    const kind = kinds.get(m);
    if (kind === undefined || kind === 'third-party') return false;
    if (m !== 'mail_core' && m.startsWith('mail_') && !has('mail_core')) return false;
    if (m !== 'stream_core' && m.startsWith('stream_') && !has('stream_core')) return false;
    if (m === 'core' || m === 'http_core') return true;
    const flag = flagName(m);
    if (kind === 'with') return args.has(`--with-${flag}`);
    return !args.has(`--without-${flag}`);
  };
  const cache = new Map<string, boolean>();
  return (m) => {
    let r = cache.get(m);
    if (r === undefined) cache.set(m, (r = has(m)));
    return r;
  };
}
