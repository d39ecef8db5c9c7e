import { describe, expect, it } from 'vitest';
import { detectKind } from '../../src/stack/kind.js';

describe('file kind detection', () => {
  it.each([
    ['etc/nginx/nginx.conf', 'events {}\n', 'nginx'],
    ['etc/nginx/sites-available/default', 'server {\n listen 80;\n}\n', 'nginx'],
    ['conf/site.conf', 'location / { return 200; }\n', 'nginx'],
    ['etc/nginx/fastcgi_params', 'fastcgi_param QUERY_STRING $query_string;\n', 'nginx'],
    ['etc/php/8.2/fpm/php.ini', '[PHP]\nengine = On\n', 'php-ini'],
    ['php.ini-production', '[PHP]\n', 'php-ini'],
    ['etc/php/8.2/fpm/pool.d/www.conf', '[www]\nuser = www-data\nlisten = /run/php/php8.2-fpm.sock\npm = dynamic\n', 'fpm'],
    ['etc/php/8.2/fpm/php-fpm.conf', '[global]\npid = /run/php/php8.2-fpm.pid\n', 'fpm'],
    ['gunicorn.conf.py', 'bind = "127.0.0.1:8000"\n', 'gunicorn'],
    ['deploy/gunicorn_config.py', 'workers = 3\n', 'gunicorn'],
    ['etc/systemd/system/app.service', '[Service]\nExecStart=/usr/bin/gunicorn app:app\n', 'systemd'],
    ['Procfile', 'web: gunicorn app:app\n', 'procfile'],
    ['etc/supervisor/supervisord.conf', '[unix_http_server]\nfile=/var/run/supervisor.sock\n', 'supervisor'],
    ['etc/supervisor/conf.d/app.conf', '[program:app]\ncommand=gunicorn -b localhost:8000 app:app\n', 'supervisor'],
    ['deployment/supervisor/microblog.conf', '; managed by ansible\n[program:microblog]\ncommand=/venv/bin/gunicorn -w 4 microblog:app\ndirectory=/srv\n', 'supervisor'],
  ])('%s is %s', (p, text, kind) => expect(detectKind(p, text)).toBe(kind));

  it('an FPM pool or an nginx file is not a supervisor file, whatever its folder', () => {
    expect(detectKind('etc/supervisor/conf.d/www.conf', '[www]\nlisten = 9000\npm = static\n')).toBe('fpm');
    expect(detectKind('etc/supervisor/conf.d/site.conf', 'server { listen 80; }\n')).toBe('nginx');
  });

  it('leaves unrelated files alone', () => {
    expect(detectKind('src/app.py', 'print("hi")\n')).toBeNull();
    expect(detectKind('README.md', '# hello\n')).toBeNull();
  });
});

describe('files that are never configuration', () => {
  it.each([
    ['test/nginx/print.test.ts', 'server { }'],
    ['conf.d/README', 'listen = 1'],
    ['deploy/nginx/start.sh', 'exec gunicorn app:app\nWORKERS=4\n'],
    ['etc/nginx/notes.md', '# nginx'],
  ])('%s is skipped', (p, text) => expect(detectKind(p, text)).toBeNull());
});
