/**
 * Every directive PHP-FPM 8.x accepts, as its configuration table lists them
 * (sapi/fpm/fpm/fpm_conf.c: ini_fpm_global_options, ini_fpm_pool_options),
 * for the Debian build (syslog, systemd, ACL and AppArmor support; no
 * FreeBSD-only `listen.setfib`). Names match case-insensitively, as php-fpm
 * compares them with strcasecmp.
 *
 * `type` is the php-fpm reader that checks the value; `default` is the value
 * php-fpm uses when the directive is absent (as `php-fpm -tt` prints it), null
 * when there is none (the directive is required or has no effect unset).
 */

/** How php-fpm reads a value (fpm_conf_set_*) */
export type FpmValueType =
  | 'string'
  | 'integer'
  /** seconds, with an optional s/m/h/d suffix */
  | 'time'
  | 'boolean'
  | 'pm'
  | 'log_level'
  | 'rlimit'
  | 'syslog_facility';

/** What a string value means, for checks beyond php-fpm's own. */
export type FpmValueMeaning =
  | 'path'
  | 'address'
  | 'octal-mode'
  | 'user'
  | 'group'
  | 'user-list'
  | 'group-list'
  | 'ip-list'
  | 'url-path'
  | 'extension-list'
  | 'log-format'
  | 'events-mechanism'
  | 'text';

export interface FpmDirective {
  name: string;
  scope: 'global' | 'pool';
  type: FpmValueType;
  meaning?: FpmValueMeaning;
  default: string | null;
  /** PHP version that introduced it (8.x knows all of them) */
  since?: string;
  description: string;
}

const g = (name: string, type: FpmValueType, def: string | null, description: string, extra: Partial<FpmDirective> = {}): FpmDirective => ({
  name,
  scope: 'global',
  type,
  default: def,
  description,
  ...extra,
});
const p = (name: string, type: FpmValueType, def: string | null, description: string, extra: Partial<FpmDirective> = {}): FpmDirective => ({
  name,
  scope: 'pool',
  type,
  default: def,
  description,
  ...extra,
});

export const FPM_GLOBAL_DIRECTIVES: readonly FpmDirective[] = [
  g('pid', 'string', null, 'PID file, relative to the prefix (--prefix) or /var', { meaning: 'path' }),
  g('error_log', 'string', 'log/php-fpm.log', 'error log file ("syslog" to use syslog), relative to the prefix or /var', { meaning: 'path' }),
  g('syslog.ident', 'string', 'php-fpm', 'syslog identity'),
  g('syslog.facility', 'syslog_facility', 'daemon', 'syslog facility'),
  g('log_buffering', 'boolean', 'yes', 'buffer log lines', { since: '7.3' }),
  g('log_level', 'log_level', 'notice', 'alert, error, warning, notice or debug'),
  g('log_limit', 'integer', '1024', 'longest log line in bytes (at least 512)', { since: '7.3' }),
  g('emergency_restart_threshold', 'integer', '0', 'restart the master after this many children failed within emergency_restart_interval'),
  g('emergency_restart_interval', 'time', '0', 'window for emergency_restart_threshold'),
  g('process_control_timeout', 'time', '0', 'time children wait for the master to signal them'),
  g('process.max', 'integer', '0', 'most processes across all pools (0: no limit)'),
  g('process.priority', 'integer', null, 'nice value of the master (-19..20)'),
  g('daemonize', 'boolean', 'yes', 'run in the background'),
  g('rlimit_files', 'integer', null, 'open file descriptor limit of the master'),
  g('rlimit_core', 'rlimit', null, 'core size limit of the master ("unlimited" or bytes)'),
  g('events.mechanism', 'string', null, 'event mechanism (epoll, poll, select on Linux); default: the best available', { meaning: 'events-mechanism' }),
  g('systemd_interval', 'time', '10', 'interval of status reports to systemd (0: off)'),
];

export const FPM_POOL_DIRECTIVES: readonly FpmDirective[] = [
  p('prefix', 'string', null, 'prefix for relative paths of this pool', { meaning: 'path' }),
  p('user', 'string', null, 'Unix user of the workers (required when php-fpm runs as root)', { meaning: 'user' }),
  p('group', 'string', null, "Unix group of the workers (default: the user's group)", { meaning: 'group' }),
  p('listen', 'string', null, 'address to accept FastCGI requests on: ip:port, port, or a socket path (required)', { meaning: 'address' }),
  p('listen.backlog', 'integer', '-1', 'listen(2) backlog (-1: the system maximum)'),
  p('listen.acl_users', 'string', null, 'users given access to the socket through POSIX ACLs (comma list)', { meaning: 'user-list' }),
  p('listen.acl_groups', 'string', null, 'groups given access to the socket through POSIX ACLs (comma list)', { meaning: 'group-list' }),
  p('listen.owner', 'string', null, 'owner of the Unix socket (default: the user running php-fpm)', { meaning: 'user' }),
  p('listen.group', 'string', null, 'group of the Unix socket', { meaning: 'group' }),
  p('listen.mode', 'string', '0660', 'permissions of the Unix socket (octal)', { meaning: 'octal-mode' }),
  p('listen.allowed_clients', 'string', null, 'IP addresses allowed to connect (comma list; TCP only)', { meaning: 'ip-list' }),
  p('process.priority', 'integer', null, 'nice value of the workers (-19..20)'),
  p('process.dumpable', 'boolean', 'no', 'set the dumpable flag on workers (allows ptrace by the pool user)', { since: '7.0' }),
  p('pm', 'pm', null, 'process manager: static, dynamic or ondemand (required)'),
  p('pm.max_children', 'integer', null, 'most workers at once (required)'),
  p('pm.start_servers', 'integer', null, 'workers started at launch (dynamic; default min_spare + (max_spare - min_spare) / 2)'),
  p('pm.min_spare_servers', 'integer', null, 'fewest idle workers (dynamic; required)'),
  p('pm.max_spare_servers', 'integer', null, 'most idle workers (dynamic; required)'),
  p('pm.max_spawn_rate', 'integer', '32', 'most workers spawned at once (dynamic)', { since: '8.1' }),
  p('pm.process_idle_timeout', 'time', '10', 'idle time after which an ondemand worker is stopped'),
  p('pm.max_requests', 'integer', '0', 'requests each worker serves before it is respawned (0: no limit)'),
  p('pm.status_path', 'string', null, 'URI of the status page', { meaning: 'url-path' }),
  p('pm.status_listen', 'string', null, 'separate address for the status page', { meaning: 'address', since: '8.0' }),
  p('ping.path', 'string', null, 'URI of the ping page', { meaning: 'url-path' }),
  p('ping.response', 'string', 'pong', 'body of the ping response'),
  p('access.log', 'string', null, 'access log file', { meaning: 'path' }),
  p('access.format', 'string', '%R - %u %t "%m %r" %s', 'access log format', { meaning: 'log-format' }),
  p('slowlog', 'string', null, 'file for slow request backtraces', { meaning: 'path' }),
  p('request_slowlog_timeout', 'time', '0', 'log a backtrace of requests slower than this (0: off)'),
  p('request_slowlog_trace_depth', 'integer', '20', 'depth of slowlog backtraces', { since: '7.2' }),
  p('request_terminate_timeout', 'time', '0', 'kill workers serving one request longer than this (0: off)'),
  p('request_terminate_timeout_track_finished', 'boolean', 'no', 'also apply request_terminate_timeout after fastcgi_finish_request', { since: '7.3' }),
  p('rlimit_files', 'integer', null, 'open file descriptor limit of the workers'),
  p('rlimit_core', 'rlimit', null, 'core size limit of the workers ("unlimited" or bytes)'),
  p('chroot', 'string', null, 'chroot directory of the workers (absolute; may start with $prefix)', { meaning: 'path' }),
  p('chdir', 'string', null, 'working directory of the workers (absolute)', { meaning: 'path' }),
  p('catch_workers_output', 'boolean', 'no', "send the workers' stdout/stderr to the error log"),
  p('decorate_workers_output', 'boolean', 'yes', 'prefix caught worker output with pool and pid', { since: '7.3' }),
  p('clear_env', 'boolean', 'yes', 'clear the environment of workers (only env[] entries pass)'),
  p('security.limit_extensions', 'string', '.php .phar', 'script extensions php-fpm will run (blank-separated)', { meaning: 'extension-list' }),
  p('apparmor_hat', 'string', null, 'AppArmor hat the workers change to'),
];

/** The `name[key] = value` directives of a pool. */
export const FPM_ARRAY_DIRECTIVES = ['env', 'php_value', 'php_admin_value', 'php_flag', 'php_admin_flag'] as const;
export type FpmArrayDirective = (typeof FPM_ARRAY_DIRECTIVES)[number];

const byName = (list: readonly FpmDirective[]) => new Map(list.map((d) => [d.name.toLowerCase(), d]));
const GLOBAL_BY_NAME = byName(FPM_GLOBAL_DIRECTIVES);
const POOL_BY_NAME = byName(FPM_POOL_DIRECTIVES);

/** The directive `name` in a scope (case-insensitive, as php-fpm). */
export function findFpmDirective(scope: 'global' | 'pool', name: string): FpmDirective | undefined {
  return (scope === 'global' ? GLOBAL_BY_NAME : POOL_BY_NAME).get(name.toLowerCase());
}

/** php-fpm's directory defaults for Debian's build (php-fpm8.2 -i / --help). */
export const FPM_DEBIAN_DEFAULTS = {
  /** PHP_PREFIX: relative include paths and pool paths resolve against it (--prefix overrides) */
  prefix: '/usr',
  /** PHP_LOCALSTATEDIR: default base of pid and error_log */
  localstatedir: '/var',
  /** PHP_SYSCONFDIR */
  sysconfdir: '/etc',
  /** the main config file Debian's service uses */
  config: '/etc/php/8.2/fpm/php-fpm.conf',
} as const;
