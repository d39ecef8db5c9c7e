/**
 * The FPM model on an in-memory file system. What php-fpm itself does is
 * checked live in fpm-live.test.ts; these pin the model's API.
 */
import { describe, expect, it } from 'vitest';
import { memoryFileSystem } from '../../src/fs.js';
import {
  detectIniKind,
  fnmatch,
  fpmArrays,
  fpmGlob,
  fpmPhpValues,
  fpmSetting,
  fpmValuesView,
  isUnixAddress,
  loadFpmConfig,
  type FpmConfig,
} from '../../src/syntax/ini/index.js';

const POOL = '[www]\nlisten = 127.0.0.1:9000\npm = static\npm.max_children = 5\n';
const errors = (c: FpmConfig) => c.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message);
const text = (c: FpmConfig, file: string, s: { start: number; end: number }) => c.files.get(file)!.source.text.slice(s.start, s.end);

describe('loadFpmConfig', () => {
  it('reads global settings and pools with typed values', () => {
    const fs = memoryFileSystem({
      '/etc/fpm/php-fpm.conf': '[global]\npid = /run/fpm.pid\nemergency_restart_interval = 1m\ndaemonize = no\n' + POOL + 'request_terminate_timeout = 2h\ncatch_workers_output = yes\n',
    });
    const c = loadFpmConfig('/etc/fpm/php-fpm.conf', { fs });
    expect(errors(c)).toEqual([]);
    expect(fpmSetting(c.global, 'pid')!.value).toBe('/run/fpm.pid');
    expect(fpmSetting(c.global, 'emergency_restart_interval')!.typed).toBe(60);
    expect(fpmSetting(c.global, 'daemonize')!.typed).toBe(false);
    const www = c.pools[0]!;
    expect(www.name).toBe('www');
    expect(fpmSetting(www, 'pm.max_children')!.typed).toBe(5);
    expect(fpmSetting(www, 'request_terminate_timeout')!.typed).toBe(7200);
    expect(fpmSetting(www, 'catch_workers_output')!.typed).toBe(true);
    expect(fpmSetting(www, 'PM')!.typed).toBe('static');
  });

  it('keeps each entry\'s source spans so a fix can replace it or add a line after it', () => {
    const fs = memoryFileSystem({ '/f.conf': POOL + 'pm.max_requests = 500 ; recycle\n' });
    const c = loadFpmConfig('/f.conf', { fs });
    const s = fpmSetting(c.pools[0]!, 'pm.max_requests')!;
    expect(text(c, '/f.conf', s.entry.value!.span)).toBe('500');
    expect(text(c, '/f.conf', s.entry.line)).toBe('pm.max_requests = 500 ; recycle\n');
    expect(s.file.source.path).toBe('/f.conf');
    const header = c.pools[0]!.sections[0]!;
    expect(text(c, '/f.conf', header.node.line)).toBe('[www]\n');
  });

  it('follows include globs relative to the prefix, in sorted order, skipping directories', () => {
    const fs = memoryFileSystem({
      '/opt/fpm/etc/php-fpm.conf': '[global]\ninclude = etc/pool.d/*.conf\n',
      '/opt/fpm/etc/pool.d/b.conf': '[b]\nlisten = 9001\npm = static\npm.max_children = 1\n',
      '/opt/fpm/etc/pool.d/a.conf': '[a]\nlisten = 9000\npm = static\npm.max_children = 1\n',
      '/opt/fpm/etc/pool.d/.hidden.conf': '[hidden]\n',
      '/opt/fpm/etc/pool.d/dir.conf/x': '',
      '/opt/fpm/etc/pool.d/notes.txt': '[notes]\n',
    });
    const c = loadFpmConfig('/opt/fpm/etc/php-fpm.conf', { fs, prefix: '/opt/fpm' });
    expect(errors(c)).toEqual([]);
    expect(c.pools.map((p) => p.name)).toEqual(['a', 'b']);
    expect(c.includes[0]!.pattern).toBe('/opt/fpm/etc/pool.d/*.conf');
    expect(c.includes[0]!.files).toEqual(['/opt/fpm/etc/pool.d/a.conf', '/opt/fpm/etc/pool.d/b.conf']);
  });

  it('resolves a relative include against /usr without --prefix, as Debian\'s php-fpm', () => {
    const fs = memoryFileSystem({ '/etc/php-fpm.conf': 'include = etc/php-fpm.d/*.conf\n', '/usr/etc/php-fpm.d/www.conf': POOL });
    const c = loadFpmConfig('/etc/php-fpm.conf', { fs });
    expect(c.pools.map((p) => p.name)).toEqual(['www']);
  });

  it('warns when an include matches nothing and fails when its directory is missing', () => {
    const fs = memoryFileSystem({ '/f.conf': 'include = /etc/fpm/*.conf\n' + POOL, '/etc/fpm/readme': '' });
    const c = loadFpmConfig('/f.conf', { fs });
    expect(c.diagnostics.map((d) => [d.severity, d.message])).toEqual([['warning', "Nothing matches the include pattern '/etc/fpm/*.conf' from /f.conf at line 1."]]);
    const d = loadFpmConfig('/f.conf', { fs: memoryFileSystem({ '/f.conf': 'include = /nope/*.conf\n' + POOL }) });
    expect(errors(d)).toEqual(["Unable to globalize '/nope/*.conf' (ret=2) from /f.conf at line 1."]);
  });

  it('stops an include cycle after five nested files, as php-fpm', () => {
    const c = loadFpmConfig('/f.conf', { fs: memoryFileSystem({ '/f.conf': 'include = /f.conf\n' + POOL }) });
    expect(errors(c)[0]).toBe('failed to include more than 5 files recursively');
  });

  it('merges a pool named again (any case, any file) and keeps the last plain value', () => {
    const fs = memoryFileSystem({
      '/m.conf': '[global]\ninclude = /d/*.conf\n[www]\npm.max_children = 7\n',
      '/d/1.conf': POOL + '[WWW]\nuser = nobody\n',
      '/d/2.conf': 'pm.max_requests = 50\n',
    });
    const c = loadFpmConfig('/m.conf', { fs });
    expect(errors(c)).toEqual([]);
    expect(c.pools).toHaveLength(1);
    const www = c.pools[0]!;
    expect(www.sections.map((s) => s.file.source.path)).toEqual(['/d/1.conf', '/d/1.conf', '/m.conf']);
    expect(fpmValuesView(c).pools).toEqual({
      www: { listen: '127.0.0.1:9000', pm: 'static', 'pm.max_children': '7', user: 'nobody', 'pm.max_requests': '50' },
    });
  });

  it('expands $pool in string values and arrays, and rejects it outside a pool', () => {
    const c = loadFpmConfig('/f.conf', {
      fs: memoryFileSystem({ '/f.conf': '[site]\nlisten = /run/php/$pool.sock\npm = static\npm.max_children = 1\nphp_admin_value[error_log] = /var/log/$pool-$pool.log\n' }),
    });
    expect(fpmValuesView(c).pools.site).toEqual({
      listen: '/run/php/site.sock',
      pm: 'static',
      'pm.max_children': '1',
      'php_admin_value[error_log]': '/var/log/site-site.log',
    });
    const g = loadFpmConfig('/g.conf', { fs: memoryFileSystem({ '/g.conf': '[global]\npid = /run/$pool.pid\n' + POOL }) });
    expect(errors(g)).toEqual(["unable to parse value for entry 'pid': Can't use '$pool' when the pool is not defined"]);
  });

  it('takes the first of duplicated php_value / env keys, admin values over php_value', () => {
    const c = loadFpmConfig('/f.conf', {
      fs: memoryFileSystem({
        '/f.conf': POOL + 'php_value[a] = 1\nphp_value[a] = 2\nphp_admin_value[b] = x\nphp_value[b] = y\nphp_flag[c] = on\nenv[E] = first\nenv[E] = second\n',
      }),
    });
    const pool = c.pools[0]!;
    const php = fpmPhpValues(pool);
    expect(php.get('a')!.setting.value).toBe('1');
    expect(php.get('b')).toMatchObject({ admin: true, setting: { value: 'x' } });
    expect(php.get('c')!.setting.value).toBe('1');
    expect(fpmArrays(pool).env.get('E')!.value).toBe('first');
    expect(fpmValuesView(c).pools.www).toMatchObject({ 'php_value[a]': '1', 'php_admin_value[b]': 'x', 'php_flag[c]': '1', 'env[E]': 'first' });
  });

  it('marks values that read the environment as dynamic, or reads them from `env`', () => {
    const fs = memoryFileSystem({ '/f.conf': '[www]\nlisten = ${FPM_LISTEN}\npm = static\npm.max_children = ${CHILDREN}\n' });
    const dyn = loadFpmConfig('/f.conf', { fs });
    expect(errors(dyn)).toEqual([]);
    expect(fpmValuesView(dyn).pools.www).toEqual({ listen: { dynamic: '${FPM_LISTEN}' }, pm: 'static', 'pm.max_children': { dynamic: '${CHILDREN}' } });
    const known = loadFpmConfig('/f.conf', { fs, env: { FPM_LISTEN: '/run/x.sock', CHILDREN: '0' } });
    expect(errors(known)).toEqual(['[pool www] pm.max_children must be a positive value']);
  });

  it('reports php-fpm\'s own messages, at the offending key or value', () => {
    const fs = memoryFileSystem({ '/f.conf': POOL + 'pm.max_childern = 10\nrequest_terminate_timeout = 30x\nphp_values[x] = 1\n' });
    const c = loadFpmConfig('/f.conf', { fs });
    expect(c.diagnostics.map((d) => [d.rule, d.message, text(c, '/f.conf', d.span)])).toEqual([
      ['fpm-unknown-entry', "unknown entry 'pm.max_childern'", 'pm.max_childern'],
      ['fpm-invalid-value', "unable to parse value for entry 'request_terminate_timeout': unknown suffix used in time value", '30x'],
      ['fpm-unknown-entry', "unknown directive 'php_values'", 'php_values'],
    ]);
  });

  it('checks pools after loading as php-fpm -t does, system checks only on request', () => {
    const fs = memoryFileSystem({ '/f.conf': '[www]\nlisten = 9000\npm = dynamic\npm.max_children = 3\npm.min_spare_servers = 2\npm.max_spare_servers = 6\nchroot = /jail\n' });
    expect(errors(loadFpmConfig('/f.conf', { fs }))).toEqual(['[pool www] pm.min_spare_servers(2) and pm.max_spare_servers(6) cannot be greater than pm.max_children(3)']);
    expect(errors(loadFpmConfig('/f.conf', { fs, checkSystem: true }))).toContain("[pool www] the chroot path '/jail' does not exist or is not a directory");
    expect(errors(loadFpmConfig('/g.conf', { fs: memoryFileSystem({ '/g.conf': POOL }), runAsRoot: true }))).toEqual(['[pool www] user has not been defined']);
  });

  it('never throws: a missing main file is a diagnostic', () => {
    const c = loadFpmConfig('/missing.conf', { fs: memoryFileSystem({}) });
    expect(errors(c)[0]).toBe("failed to open configuration file '/missing.conf': No such file or directory (2)");
  });
});

describe('glob', () => {
  it('matches like fnmatch with FNM_PERIOD', () => {
    expect(fnmatch('*.conf', 'www.conf')).toBe(true);
    expect(fnmatch('*.conf', '.www.conf')).toBe(false);
    expect(fnmatch('.*.conf', '.www.conf')).toBe(true);
    expect(fnmatch('[a-c]?.conf', 'b1.conf')).toBe(true);
    expect(fnmatch('[!a-c]*', 'b1.conf')).toBe(false);
    expect(fnmatch('\\*', '*')).toBe(true);
    expect(fnmatch('{a,b}', 'a')).toBe(false);
  });
  it('sorts bytewise and expands wildcard directories', () => {
    const fs = memoryFileSystem({ '/e/b/x.conf': '', '/e/a/x.conf': '', '/e/B/x.conf': '' });
    expect(fpmGlob(fs, '/e/*/x.conf')).toEqual({ status: 'ok', paths: ['/e/B/x.conf', '/e/a/x.conf', '/e/b/x.conf'] });
    expect(fpmGlob(fs, '/e/*')).toEqual({ status: 'ok', paths: ['/e/B/', '/e/a/', '/e/b/'] });
    expect(fpmGlob(fs, '/e/c/*.conf')).toEqual({ status: 'aborted', path: '/e/c' });
    expect(fpmGlob(fs, '/e/a/*.ini')).toEqual({ status: 'nomatch' });
  });
});

describe('isUnixAddress', () => {
  it('tells sockets from TCP addresses as php-fpm does', () => {
    expect(isUnixAddress('/run/php/www.sock')).toBe(true);
    expect(isUnixAddress('www.sock')).toBe(true);
    expect(isUnixAddress('9000')).toBe(false);
    expect(isUnixAddress('127.0.0.1:9000')).toBe(false);
    expect(isUnixAddress('[::1]:9000')).toBe(false);
  });
});

describe('detectIniKind', () => {
  it('knows php.ini and FPM files by name and content', () => {
    expect(detectIniKind('/etc/php/8.2/fpm/php.ini', '[PHP]\nengine = On\n')).toBe('php-ini');
    expect(detectIniKind('conf.d/20-opcache.ini', 'zend_extension=opcache.so\n')).toBe('php-ini');
    expect(detectIniKind('/etc/php/8.2/fpm/php-fpm.conf', '[global]\npid = /run/php.pid\n')).toBe('fpm');
    expect(detectIniKind('pool.d/www.conf', '')).toBe('fpm');
    // content wins over a misleading name
    expect(detectIniKind('custom.ini', '[www]\nlisten = 9000\npm = dynamic\npm.max_children = 5\n')).toBe('fpm');
    expect(detectIniKind('app.conf', 'memory_limit = 256M\nupload_max_filesize = 64M\n')).toBe('php-ini');
    expect(detectIniKind('nginx.conf', 'server { listen 80; }\n')).toBe(null);
  });
});
