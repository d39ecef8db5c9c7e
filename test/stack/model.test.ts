import { describe, expect, it } from 'vitest';
import { memoryFileSystem } from '../../src/fs.js';
import { lint } from '../../src/engine/lint.js';
import { describeStacks } from '../../src/stack/describe.js';
import { reachedApps } from '../../src/stack/model.js';

function model(files: Record<string, string>, paths: string[] = ['/'], extra: Parameters<typeof lint>[1] = {}) {
  const r = lint(paths, { fs: memoryFileSystem(files), rules: false, ...extra });
  return { result: r, model: r.model, stacks: describeStacks(r.model, r.stacks) };
}

const http = (body: string) => `events {}\nhttp {\n${body}\n}\n`;

describe('stack model: links', () => {
  it('netbox: proxy_pass to 127.0.0.1:8001 reaches the gunicorn app the service starts with --config', () => {
    const { model: m } = model({
      '/contrib/nginx.conf': http('server { listen 80; location / { proxy_pass http://127.0.0.1:8001; } }'),
      '/contrib/gunicorn.py': "bind = '127.0.0.1:8001'\nworkers = 5\ntimeout = 120\n",
      '/contrib/netbox.service': '[Service]\nUser=netbox\nExecStart=/opt/netbox/venv/bin/gunicorn --pid /var/tmp/netbox.pid --config /opt/netbox/gunicorn.py netbox.wsgi\n',
    });
    expect(m.apps).toHaveLength(1);
    const app = m.apps[0]!;
    expect(app.name).toBe('netbox.wsgi');
    expect(app.notes[0]).toMatch(/took \/contrib\/gunicorn\.py for the config file \/opt\/netbox\/gunicorn\.py/);
    const timeout = app.gunicorn.settings.get('timeout')!.value;
    expect(timeout).toEqual({ kind: 'known', value: 120 });
    expect(reachedApps(m.passes[0]!)).toEqual([app]);
  });

  it('bigglesz: proxy_pass http://unix: reaches gunicorn through the .socket unit', () => {
    const { model: m } = model({
      '/nginx.conf': http('server { location / { proxy_pass http://unix:/run/gunicorn_p.sock; } }'),
      '/gunicorn.socket': '[Socket]\nListenStream=/run/gunicorn_p.sock\n',
      '/gunicorn.service': '[Unit]\nRequires=gunicorn_p.socket\n[Service]\nUser=www-data\nExecStart=/venv/bin/gunicorn --config conf/gunicorn.conf.py p.wsgi:application\n',
      '/gunicorn.conf.py': "bind = 'unix:/run/gunicorn_p.sock'\nworkers = 2\n",
    });
    const app = m.apps[0]!;
    expect(app.socketUnit?.file.path).toBe('/gunicorn.socket');
    expect(app.listeners.map((l) => l.via)).toEqual(['ListenStream']);
    const [b] = m.passes[0]!.backends;
    expect(b!.apps.map((a) => [a.app.name, a.listener.file.path, a.match])).toEqual([['p.wsgi:application', '/gunicorn.socket', 'exact']]);
  });

  it('an upstream{} by name, its servers each linked; implicit upstreams by address', () => {
    const { model: m } = model({
      '/etc/nginx/nginx.conf': http('upstream php { server unix:/run/php/a.sock; server 127.0.0.1:9000 backup; }\nserver { location ~ \\.php$ { fastcgi_pass php; } location /x { fastcgi_pass 127.0.0.1:9000; } }'),
      '/etc/php/8.2/fpm/pool.d/a.conf': '[a]\nlisten = /run/php/a.sock\n',
      '/etc/php/8.2/fpm/pool.d/b.conf': '[b]\nlisten = 9000\n',
    });
    const [viaUpstream, direct] = m.passes;
    expect(viaUpstream!.target.kind).toBe('upstream');
    expect(viaUpstream!.backends.map((b) => [b.server?.backup, b.apps.map((a) => a.app.name)])).toEqual([
      [false, ['a']],
      [true, ['b']],
    ]);
    expect(direct!.target.kind).toBe('address');
    expect(reachedApps(direct!).map((a) => a.name)).toEqual(['b']);
  });

  it('$pool in a listen path is expanded before linking', () => {
    const { model: m } = model({
      '/etc/nginx/nginx.conf': http('server { location ~ \\.php$ { fastcgi_pass unix:/run/php/php8.3-fpm.lemper.sock; } }'),
      '/etc/php/8.3/fpm/pool.d/lemper.conf': '[lemper]\nlisten = /run/php/php8.3-fpm.$pool.sock\n',
    });
    expect(reachedApps(m.passes[0]!).map((a) => a.name)).toEqual(['lemper']);
  });

  it('variables are not guessed; a missing upstream name is marked', () => {
    const { model: m } = model({ '/nginx.conf': http('server { location / { proxy_pass http://$backend; } location /p { fastcgi_pass php-upstream; } }') });
    expect(m.passes.map((p) => p.target.kind)).toEqual(['variable', 'missing-upstream']);
  });

  it('two PHP versions side by side are separate stacks, each with its own php.ini', () => {
    const { stacks } = model({
      '/etc/nginx/nginx.conf': http('server { location ~ \\.php$ { fastcgi_pass unix:/run/php/php8.3-fpm.sock; } }'),
      '/etc/php/8.3/fpm/php-fpm.conf': '[global]\ninclude = /etc/php/8.3/fpm/pool.d/*.conf\n',
      '/etc/php/8.3/fpm/pool.d/www.conf': '[www]\nlisten = /run/php/php8.3-fpm.sock\n',
      '/etc/php/8.3/fpm/php.ini': 'post_max_size = 64M\n',
      '/etc/php/8.3/cli/php.ini': 'memory_limit = -1\n',
      '/etc/php/7.4/fpm/php-fpm.conf': '[global]\ninclude = /etc/php/7.4/fpm/pool.d/*.conf\n',
      '/etc/php/7.4/fpm/pool.d/www.conf': '[www]\nlisten = /run/php/php7.4-fpm.sock\n',
      '/etc/php/7.4/fpm/php.ini': 'post_max_size = 8M\n',
    });
    const withNginx = stacks.find((s) => s.nginx.length)!;
    expect(withNginx.fpm.map((f) => f.config)).toEqual(['/etc/php/8.3/fpm/php-fpm.conf']);
    expect(withNginx.phpIni).toEqual(['/etc/php/8.3/fpm/php.ini']);
    const other = stacks.find((s) => s.fpm.some((f) => f.config.includes('7.4')))!;
    expect(other.nginx).toEqual([]);
    expect(other.phpIni).toEqual(['/etc/php/7.4/fpm/php.ini']);
  });

  it('a pool sees php_admin_value over php.ini over the default, with where each was set', () => {
    const { model: m } = model({
      '/etc/php/8.2/fpm/php-fpm.conf': '[global]\n[www]\nlisten = /run/a.sock\nphp_admin_value[post_max_size] = 16M\n',
      '/etc/php/8.2/fpm/php.ini': 'post_max_size = 64M\nupload_max_filesize = 32M\n',
      '/etc/php/8.2/fpm/conf.d/99-local.ini': 'upload_max_filesize = 48M\n',
    });
    const php = m.pools[0]!.php;
    expect([php.get('post_max_size').value, php.get('post_max_size').source]).toEqual(['16M', 'php_admin_value']);
    expect([php.get('upload_max_filesize').value, php.get('upload_max_filesize').file?.path]).toEqual(['48M', '/etc/php/8.2/fpm/conf.d/99-local.ini']);
    expect([php.get('max_execution_time').value, php.get('max_execution_time').source]).toEqual(['30', 'default']);
  });
});

describe('discovery', () => {
  const image = {
    '/img/etc/nginx/nginx.conf': http('include /etc/nginx/conf.d/*.conf;\ninclude /etc/nginx/sites-enabled/*;'),
    '/img/etc/nginx/conf.d/php.conf': 'upstream php_fpm { server unix:/run/php/php8.4-fpm.sock; }\n',
    '/img/etc/nginx/sites-available/wiki': 'server { location ~ \\.php$ { fastcgi_pass php_fpm; } }\n',
    '/img/etc/php/8.4/fpm/pool.d/www.conf': '[www]\nlisten = /run/php/php8.4-fpm.sock\n',
    '/img/etc/php/8.4/fpm/conf.d/99-local.ini': 'post_max_size = 64M\n',
    '/img/srv/unrelated.conf': 'server { listen 1; }\n',
  };

  it('--root reads the image: absolute includes inside it, sites-available standing in for missing sites-enabled', () => {
    const { result, stacks } = model(image, [], { root: '/img' });
    expect(result.notes).toEqual(['/etc/nginx/sites-enabled is missing under the root (symlinks not copied?): the sites in /etc/nginx/sites-available are read as enabled']);
    expect(stacks).toHaveLength(1);
    expect(result.files.map((f) => result.hostPath(f.path)).sort()).toEqual([
      '/img/etc/nginx/conf.d/php.conf',
      '/img/etc/nginx/nginx.conf',
      '/img/etc/nginx/sites-available/wiki',
      '/img/etc/php/8.4/fpm/conf.d/99-local.ini',
      '/img/etc/php/8.4/fpm/pool.d/www.conf',
    ]);
    expect(stacks[0]!.links.map((l) => l.reaches)).toEqual([['FPM pool [www] unix:/run/php/php8.4-fpm.sock at /etc/php/8.4/fpm/pool.d/www.conf:2:10']]);
  });

  it('explicit --nginx / --fpm / --php-ini files are read as that kind, without walking', () => {
    const { model: m, result } = model(
      { '/a/site': http('server { location / { fastcgi_pass unix:/s.sock; } }'), '/b/pool': '[x]\nlisten = /s.sock\n', '/c/limits': 'post_max_size = 2M\n', '/d/other.conf': 'server {}\n' },
      [],
      { typed: [{ path: '/a/site', kind: 'nginx' }, { path: '/b/pool', kind: 'fpm' }, { path: '/c/limits', kind: 'php-ini' }] },
    );
    expect(result.files.map((f) => f.path).sort()).toEqual(['/a/site', '/b/pool', '/c/limits']);
    expect(reachedApps(m.passes[0]!).map((a) => a.name)).toEqual(['x']);
    expect(m.pools[0]!.php.get('post_max_size').value).toBe('2M');
  });
});

describe('platform', () => {
  it('buffer defaults follow the page size given', () => {
    const files = { '/nginx.conf': http('server { location / { proxy_pass http://127.0.0.1:1; } }') };
    const at = (pageSize?: number) => {
      const { model: m } = model(files, ['/'], pageSize ? { pageSize } : {});
      return m.effective(m.passes[0]!.scope, 'proxy_buffers').args;
    };
    expect(at()).toEqual(['8', '4k']);
    expect(at(16384)).toEqual(['8', '16k']);
    expect(() => at(1000)).toThrow(/invalid page size 1000/);
  });
});
