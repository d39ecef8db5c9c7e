/** nginxUser (config `stack.nginxUser` / --nginx-user): the worker user when nginx.conf has no `user` directive. */
import { describe, expect, it } from 'vitest';
import { toReported } from '../../src/diagnostic.js';
import { memoryFileSystem } from '../../src/fs.js';
import { lint, type LintOptions } from '../../src/engine/lint.js';
import { fpmSocketPermissions } from '../../rules/fpm-socket-permissions.js';
import { gunicornSocketPermissions } from '../../rules/gunicorn-socket-permissions.js';

const nginx = (user: string, pass = 'fastcgi_pass unix:/run/php/php8.2-fpm.sock') => `${user}events {}\nhttp {\n    server {\n        location / {\n            ${pass};\n        }\n    }\n}\n`;
const POOL = '[www]\nuser = app\ngroup = app\nlisten = /run/php/php8.2-fpm.sock\nlisten.owner = app\nlisten.group = app\npm = static\npm.max_children = 2\n';
const PASSWD = 'www-data:x:33:33::/var/www:/usr/sbin/nologin\napp:x:1000:1000::/srv:/bin/sh\nnginx:x:101:101::/:/bin/false\n';
const GROUP = 'www-data:x:33:\napp:x:1000:nginx\nnginx:x:101:\n';
const stack = (user: string) => ({ '/etc/nginx/nginx.conf': nginx(user), '/etc/php/8.2/fpm/pool.d/www.conf': POOL, '/etc/passwd': PASSWD, '/etc/group': GROUP });
const run = (files: Record<string, string>, o: LintOptions = {}) =>
  lint(['/'], { fs: memoryFileSystem(files), rules: [fpmSocketPermissions, gunicornSocketPermissions], ...o })
    .diagnostics.map(toReported)
    .map((d) => `${d.rule} ${d.severity}: ${d.message} [${d.related.map((r) => `${r.file}:${r.line}`).join(', ')}]`);

describe('nginxUser', () => {
  it('without it, a tree with no `user` directive is not checked (the build default is not guessed)', () => {
    expect(run(stack(''))).toEqual([]);
  });

  it('stands in for the missing `user` directive, and says where it came from', () => {
    expect(run(stack(''), { nginxUser: { user: 'www-data', source: 'nginxUser in .nginx-lint.json' } })).toEqual([
      "fpm-socket-permissions error: nginx's user www-data (nginxUser in .nginx-lint.json) cannot connect to unix:/run/php/php8.2-fpm.sock of FPM pool [www]: the socket is app:app mode 0660 (/etc/php/8.2/fpm/pool.d/www.conf:6); nginx answers 502 (connect() failed (13: Permission denied)) []",
    ]);
    // "user group", as the directive: nginx in group app can connect
    expect(run(stack(''), { nginxUser: 'nginx' })).toEqual([]);
    expect(run(stack(''), { nginxUser: 'www-data app' })).toEqual([]);
  });

  it('a `user` directive in nginx.conf wins over it', () => {
    expect(run(stack('user nginx;\n'), { nginxUser: 'www-data' })).toEqual([]);
    expect(run(stack('user www-data;\n'), { nginxUser: 'nginx' })).toHaveLength(1);
    expect(run(stack('user www-data;\n'), { nginxUser: 'nginx' })[0]).toContain("nginx's user www-data (/etc/nginx/nginx.conf:1)");
  });

  it('applies to a fragment linted alone (its main file is not in the run)', () => {
    const files = { '/etc/nginx/conf.d/site.conf': 'server {\n    location / {\n        fastcgi_pass unix:/run/php/php8.2-fpm.sock;\n    }\n}\n', '/etc/php/8.2/fpm/pool.d/www.conf': POOL, '/etc/passwd': PASSWD, '/etc/group': GROUP };
    expect(run(files)).toEqual([]);
    expect(run(files, { nginxUser: 'www-data' })).toHaveLength(1);
  });

  it('rejects more than "user group"', () => {
    expect(() => run(stack(''), { nginxUser: 'a b c' })).toThrow('invalid nginx user "a b c" (expected "user" or "user group", as nginx\'s user directive takes them)');
  });
});
