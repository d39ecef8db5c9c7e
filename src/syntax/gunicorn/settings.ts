/**
 * gunicorn's settings, 20.1 → 23.0: name, command-line flags and argparse
 * action, validator, default, and where versions differ.
 *
 * The facts follow gunicorn's own `gunicorn/config.py` (20.1.0 as Debian
 * bookworm ships it, which is what the project's live tests run, and the 21.x,
 * 22.0 and 23.0 releases).
 */

export const GUNICORN_VERSIONS = ['20.1', '21', '22', '23'] as const;
export type GunicornVersion = (typeof GUNICORN_VERSIONS)[number];
/** The version our tests run against (Debian bookworm's gunicorn 20.1.0). */
export const DEFAULT_GUNICORN_VERSION: GunicornVersion = '20.1';

export type ValidatorKind =
  | 'pos_int'
  | 'bool'
  | 'string'
  | 'list_string'
  | 'list_of_existing_files'
  | 'string_to_list'
  | 'string_to_addr_list'
  | 'dict'
  | 'class'
  | 'callable'
  | 'post_request'
  | 'user'
  | 'group'
  | 'chdir'
  | 'hostport'
  | 'statsd_address'
  | 'reload_engine'
  | 'ssl_version'
  | 'ssl_version_deprecated'
  | 'header_map';

/** argparse's `type=` for the flag: int(), gunicorn's auto_int, or str. */
export type CliType = 'int' | 'auto_int' | 'str';
export type CliAction = 'store' | 'store_true' | 'store_const' | 'append';

/**
 * Defaults that are not constants: gunicorn computes them when it starts
 * (from the environment, the process's uid/gid, or its working directory).
 */
export type DefaultSpec =
  | { kind: 'value'; value: unknown }
  /** os.environ.get(env, fallback), then the validator */
  | { kind: 'env'; env: string; fallback: unknown; expression: string }
  /** PORT set → ['0.0.0.0:$PORT'], else ['127.0.0.1:8000'] */
  | { kind: 'bind' }
  | { kind: 'machine'; expression: string };

export interface SettingDef {
  name: string;
  section: string;
  /** flags on gunicorn's command line (and in GUNICORN_CMD_ARGS); empty for config-file-only settings */
  cli: string[];
  action: CliAction;
  cliType: CliType;
  /** the value `store_const` stores */
  constValue?: unknown;
  validator: ValidatorKind;
  /** for hooks: the arity gunicorn checks */
  arity?: number;
  default: DefaultSpec;
  /** a hook's default callable, as gunicorn's Config prints it (`<qualname()>`) */
  defaultQualname?: string;
  /** first version that knows the setting (absent: 20.1 and earlier) */
  since?: GunicornVersion;
  /** only in Debian's patched 20.1.0 (20.1.0-6+deb12u1, CVE-2024-1135) */
  vendor?: 'debian';
  /** how the setting changed across versions */
  versions?: Partial<Record<GunicornVersion, Partial<Pick<SettingDef, 'default' | 'validator'>>>>;
  notes?: string;
}

const v = (value: unknown): DefaultSpec => ({ kind: 'value', value });

type Partial2 = Omit<SettingDef, 'action' | 'cliType' | 'section'> & Partial<Pick<SettingDef, 'action' | 'cliType' | 'section'>>;

const S = (section: string, defs: Partial2[]): SettingDef[] =>
  defs.map((d) => ({ action: 'store', cliType: 'str', section, ...d }));

const hook = (name: string, arity: number, cls: string, extra: Partial<SettingDef> = {}): Partial2 => ({
  name,
  cli: [],
  validator: 'callable',
  arity,
  default: v(null),
  defaultQualname: `${cls}.${name}`,
  ...extra,
});

const flag = (name: string, cli: string[], def = false, extra: Partial<SettingDef> = {}): Partial2 => ({
  name,
  cli,
  action: 'store_true',
  validator: 'bool',
  default: v(def),
  ...extra,
});

const intSetting = (name: string, cli: string[], def: number, extra: Partial<SettingDef> = {}): Partial2 => ({
  name,
  cli,
  cliType: 'int',
  validator: 'pos_int',
  default: v(def),
  ...extra,
});

const strSetting = (name: string, cli: string[], def: string | null, extra: Partial<SettingDef> = {}): Partial2 => ({
  name,
  cli,
  validator: 'string',
  default: v(def),
  ...extra,
});

/** Every setting, in gunicorn's order. */
export const SETTINGS: readonly SettingDef[] = [
  ...S('Config File', [
    strSetting('config', ['-c', '--config'], './gunicorn.conf.py', { notes: 'only has an effect on the command line (or GUNICORN_CMD_ARGS)' }),
    strSetting('wsgi_app', [], null),
  ]),
  ...S('Server Socket', [
    { name: 'bind', cli: ['-b', '--bind'], action: 'append', validator: 'list_string', default: { kind: 'bind' } },
    intSetting('backlog', ['--backlog'], 2048),
  ]),
  ...S('Worker Processes', [
    intSetting('workers', ['-w', '--workers'], 1, { default: { kind: 'env', env: 'WEB_CONCURRENCY', fallback: 1, expression: "int(os.environ.get('WEB_CONCURRENCY', 1))" } }),
    { name: 'worker_class', cli: ['-k', '--worker-class'], validator: 'class', default: v('sync'), notes: '23.0 also accepts a class object' },
    intSetting('threads', ['--threads'], 1),
    intSetting('worker_connections', ['--worker-connections'], 1000),
    intSetting('max_requests', ['--max-requests'], 0),
    intSetting('max_requests_jitter', ['--max-requests-jitter'], 0),
    intSetting('timeout', ['-t', '--timeout'], 30),
    intSetting('graceful_timeout', ['--graceful-timeout'], 30),
    intSetting('keepalive', ['--keep-alive'], 2),
  ]),
  ...S('Security', [
    intSetting('limit_request_line', ['--limit-request-line'], 4094),
    intSetting('limit_request_fields', ['--limit-request-fields'], 100),
    intSetting('limit_request_field_size', ['--limit-request-field_size'], 8190),
  ]),
  ...S('Debugging', [
    flag('reload', ['--reload']),
    { name: 'reload_engine', cli: ['--reload-engine'], validator: 'reload_engine', default: v('auto') },
    { name: 'reload_extra_files', cli: ['--reload-extra-file'], action: 'append', validator: 'list_of_existing_files', default: v([]) },
    flag('spew', ['--spew']),
    flag('check_config', ['--check-config']),
    flag('print_config', ['--print-config']),
  ]),
  ...S('Server Mechanics', [
    flag('preload_app', ['--preload']),
    { name: 'sendfile', cli: ['--no-sendfile'], action: 'store_const', constValue: false, validator: 'bool', default: v(null) },
    flag('reuse_port', ['--reuse-port']),
    { name: 'chdir', cli: ['--chdir'], validator: 'chdir', default: { kind: 'machine', expression: 'os.getcwd()' } },
    flag('daemon', ['-D', '--daemon']),
    { name: 'raw_env', cli: ['-e', '--env'], action: 'append', validator: 'list_string', default: v([]) },
    strSetting('pidfile', ['-p', '--pid'], null),
    strSetting('worker_tmp_dir', ['--worker-tmp-dir'], null),
    { name: 'user', cli: ['-u', '--user'], validator: 'user', default: { kind: 'machine', expression: 'os.geteuid()' } },
    { name: 'group', cli: ['-g', '--group'], validator: 'group', default: { kind: 'machine', expression: 'os.getegid()' } },
    intSetting('umask', ['-m', '--umask'], 0, { cliType: 'auto_int' }),
    flag('initgroups', ['--initgroups']),
    strSetting('tmp_upload_dir', [], null),
    {
      name: 'secure_scheme_headers',
      cli: [],
      validator: 'dict',
      default: v({ 'X-FORWARDED-PROTOCOL': 'ssl', 'X-FORWARDED-PROTO': 'https', 'X-FORWARDED-SSL': 'on' }),
    },
    {
      name: 'forwarded_allow_ips',
      cli: ['--forwarded-allow-ips'],
      validator: 'string_to_list',
      default: { kind: 'env', env: 'FORWARDED_ALLOW_IPS', fallback: '127.0.0.1', expression: "os.environ.get('FORWARDED_ALLOW_IPS', '127.0.0.1')" },
      versions: {
        '23': {
          validator: 'string_to_addr_list',
          default: { kind: 'env', env: 'FORWARDED_ALLOW_IPS', fallback: '127.0.0.1,::1', expression: "os.environ.get('FORWARDED_ALLOW_IPS', '127.0.0.1,::1')" },
        },
      },
    },
  ]),
  ...S('Logging', [
    strSetting('accesslog', ['--access-logfile'], null),
    flag('disable_redirect_access_to_syslog', ['--disable-redirect-access-to-syslog']),
    strSetting('access_log_format', ['--access-logformat'], '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s"'),
    strSetting('errorlog', ['--error-logfile', '--log-file'], '-'),
    strSetting('loglevel', ['--log-level'], 'info'),
    flag('capture_output', ['--capture-output']),
    { name: 'logger_class', cli: ['--logger-class'], validator: 'class', default: v('gunicorn.glogging.Logger') },
    strSetting('logconfig', ['--log-config'], null),
    { name: 'logconfig_dict', cli: [], validator: 'dict', default: v({}) },
    strSetting('logconfig_json', ['--log-config-json'], null, { since: '21' }),
    strSetting('syslog_addr', ['--log-syslog-to'], 'udp://localhost:514', { notes: "on macOS 'unix:///var/run/syslog', on FreeBSD 'unix:///var/run/log', on OpenBSD 'unix:///dev/log'" }),
    flag('syslog', ['--log-syslog']),
    strSetting('syslog_prefix', ['--log-syslog-prefix'], null),
    strSetting('syslog_facility', ['--log-syslog-facility'], 'user'),
    flag('enable_stdio_inheritance', ['-R', '--enable-stdio-inheritance']),
    { name: 'statsd_host', cli: ['--statsd-host'], validator: 'hostport', default: v(null), versions: { '21': { validator: 'statsd_address' }, '22': { validator: 'statsd_address' }, '23': { validator: 'statsd_address' } } },
    strSetting('dogstatsd_tags', ['--dogstatsd-tags'], ''),
    strSetting('statsd_prefix', ['--statsd-prefix'], ''),
  ]),
  ...S('Process Naming', [strSetting('proc_name', ['-n', '--name'], null), strSetting('default_proc_name', [], 'gunicorn')]),
  ...S('Server Mechanics', [strSetting('pythonpath', ['--pythonpath'], null), strSetting('paste', ['--paste', '--paster'], null)]),
  ...S('Server Hooks', [
    hook('on_starting', 1, 'OnStarting'),
    hook('on_reload', 1, 'OnReload'),
    hook('when_ready', 1, 'WhenReady'),
    hook('pre_fork', 2, 'Prefork'),
    hook('post_fork', 2, 'Postfork'),
    hook('post_worker_init', 1, 'PostWorkerInit'),
    hook('worker_int', 1, 'WorkerInt'),
    hook('worker_abort', 1, 'WorkerAbort'),
    hook('pre_exec', 1, 'PreExec'),
    hook('pre_request', 2, 'PreRequest'),
    hook('post_request', 4, 'PostRequest', { validator: 'post_request' }),
    hook('child_exit', 2, 'ChildExit'),
    hook('worker_exit', 2, 'WorkerExit'),
    hook('nworkers_changed', 3, 'NumWorkersChanged'),
    hook('on_exit', 1, 'OnExit'),
    hook('ssl_context', 2, 'NewSSLContext', { since: '21' }),
  ]),
  ...S('Server Mechanics', [
    flag('proxy_protocol', ['--proxy-protocol']),
    {
      name: 'proxy_allow_ips',
      cli: ['--proxy-allow-from'],
      validator: 'string_to_list',
      default: v('127.0.0.1'),
      versions: { '23': { validator: 'string_to_addr_list', default: v('127.0.0.1,::1') } },
    },
  ]),
  ...S('SSL', [
    strSetting('keyfile', ['--keyfile'], null),
    strSetting('certfile', ['--certfile'], null),
    {
      name: 'ssl_version',
      cli: ['--ssl-version'],
      validator: 'ssl_version',
      default: v(2),
      notes: 'deprecated and ignored since 21.0 (use ssl_context)',
      versions: { '21': { validator: 'ssl_version_deprecated' }, '22': { validator: 'ssl_version_deprecated' }, '23': { validator: 'ssl_version_deprecated' } },
    },
    { name: 'cert_reqs', cli: ['--cert-reqs'], validator: 'pos_int', default: v(0) },
    strSetting('ca_certs', ['--ca-certs'], null),
    flag('suppress_ragged_eofs', ['--suppress-ragged-eofs'], true),
    flag('do_handshake_on_connect', ['--do-handshake-on-connect']),
    strSetting('ciphers', ['--ciphers'], null),
  ]),
  ...S('Server Mechanics', [
    { name: 'raw_paste_global_conf', cli: ['--paste-global'], action: 'append', validator: 'list_string', default: v([]) },
    flag('permit_obsolete_folding', ['--permit-obsolete-folding'], false, { since: '23' }),
    flag('strip_header_spaces', ['--strip-header-spaces']),
    flag('tolerate_dangerous_framing', ['--tolerate-dangerous-framing'], false, { vendor: 'debian' }),
    flag('permit_unconventional_http_method', ['--permit-unconventional-http-method'], false, { since: '22' }),
    flag('permit_unconventional_http_version', ['--permit-unconventional-http-version'], false, { since: '22' }),
    flag('casefold_http_method', ['--casefold-http-method'], false, { since: '22' }),
    { name: 'forwarder_headers', cli: ['--forwarder-headers'], validator: 'string_to_list', default: v('SCRIPT_NAME,PATH_INFO'), since: '23' },
    { name: 'header_map', cli: ['--header-map'], validator: 'header_map', default: v('drop'), since: '22' },
  ]),
];

const ORDER: Record<GunicornVersion, number> = { '20.1': 0, '21': 1, '22': 2, '23': 3 };

export function versionAtLeast(version: GunicornVersion, min: GunicornVersion): boolean {
  return ORDER[version] >= ORDER[min];
}

/** Is the setting known to this gunicorn version? (Debian-only settings count for 20.1.) */
export function settingExists(def: SettingDef, version: GunicornVersion): boolean {
  if (def.vendor === 'debian') return version === '20.1';
  return !def.since || versionAtLeast(version, def.since);
}

/** The setting as a given version defines it (default and validator resolved). */
export function settingFor(def: SettingDef, version: GunicornVersion): SettingDef {
  let out = def;
  for (const ver of GUNICORN_VERSIONS) {
    if (!versionAtLeast(version, ver)) break;
    const o = def.versions?.[ver];
    if (o) out = { ...out, ...o };
  }
  return out;
}

const BY_NAME = new Map(SETTINGS.map((s) => [s.name, s]));

/** The settings table of one version, by name. */
export function settingsTable(version: GunicornVersion = DEFAULT_GUNICORN_VERSION): Map<string, SettingDef> {
  const out = new Map<string, SettingDef>();
  for (const s of SETTINGS) if (settingExists(s, version)) out.set(s.name, settingFor(s, version));
  return out;
}

/** A setting of any version, by name. */
export function anySetting(name: string): SettingDef | undefined {
  return BY_NAME.get(name);
}

/**
 * Names that are not settings but that people write in config files because
 * they are the command-line spelling, an old name, or a common misspelling.
 * (Any close match to a real setting is found by similarity as well.)
 */
export const SETTING_ALIASES: Record<string, { setting: string; why: string }> = (() => {
  const out: Record<string, { setting: string; why: string }> = {};
  for (const s of SETTINGS) {
    for (const f of s.cli) {
      if (!f.startsWith('--')) continue;
      const asName = f.slice(2).replace(/-/g, '_');
      if (asName !== s.name && !BY_NAME.has(asName)) out[asName] = { setting: s.name, why: `\`${f}\` on the command line is \`${s.name}\` in a config file` };
    }
  }
  out.debug = { setting: 'loglevel', why: '`debug` was removed in gunicorn 19.0; use `loglevel = "debug"` (or `reload = True`)' };
  out.logfile = { setting: 'errorlog', why: '`logfile` is the old name of `errorlog`' };
  out.worker = { setting: 'workers', why: 'the setting is `workers`' };
  out.thread = { setting: 'threads', why: 'the setting is `threads`' };
  out.num_workers = { setting: 'workers', why: 'the setting is `workers`' };
  out.log_level = { setting: 'loglevel', why: 'the setting is `loglevel`' };
  out.keep_alive = { setting: 'keepalive', why: '`--keep-alive` on the command line is `keepalive` in a config file' };
  return out;
})();
