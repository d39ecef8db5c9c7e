import { fpmSocketPermissions } from '../../rules/fpm-socket-permissions.js';
import { testRule } from '../support/rule-tester.js';

const nginx = (user: string) => `${user}events {}\nhttp {\n    server {\n        location ~ \\.php$ {\n            fastcgi_pass unix:/run/php/php8.2-fpm.sock;\n        }\n    }\n}\n`;
const pool = (extra: string) => `[www]\nuser = app\ngroup = app\nlisten = /run/php/php8.2-fpm.sock\n${extra}pm = static\npm.max_children = 2\n`;
const PASSWD = 'root:x:0:0:root:/root:/bin/bash\nwww-data:x:33:33:www-data:/var/www:/usr/sbin/nologin\napp:x:1000:1000::/home/app:/bin/sh\n';
const GROUP = 'root:x:0:\nwww-data:x:33:\napp:x:1000:\nweb:x:1001:www-data,app\n';
const stack = (user: string, extra: string, accounts = false) => ({
  '/etc/nginx/nginx.conf': nginx(user),
  '/etc/php/8.2/fpm/pool.d/www.conf': pool(extra),
  ...(accounts ? { '/etc/passwd': PASSWD, '/etc/group': GROUP } : {}),
});
const U = 'user www-data;\n';
const POOL = '/etc/php/8.2/fpm/pool.d/www.conf';

testRule(fpmSocketPermissions, {
  valid: [
    { name: "Debian's pool: owner and group www-data", files: stack(U, 'listen.owner = www-data\nlisten.group = www-data\n') },
    { name: 'mode 0666', files: stack(U, 'listen.mode = 0666\n') },
    { name: "group is nginx's group", files: stack(U, 'listen.owner = app\nlisten.group = www-data\n') },
    { name: 'no user directive: the build default is not guessed', files: stack('', 'listen.owner = app\nlisten.group = app\n', true) },
    { name: 'nginx runs as root', files: stack('user root;\n', 'listen.owner = app\nlisten.group = app\n') },
    { name: 'nginx user listed in the group (/etc/group)', files: stack(U, 'listen.owner = app\nlisten.group = web\n', true) },
    { name: 'nginx user in listen.acl_users', files: stack(U, 'listen.acl_users = app,www-data\n') },
    { name: 'nginx group in listen.acl_groups', files: stack(U, 'listen.acl_groups = www-data\n') },
    { name: 'TCP pools are not checked', files: { '/etc/nginx/nginx.conf': nginx(U).replace('unix:/run/php/php8.2-fpm.sock', '127.0.0.1:9000'), [POOL]: pool('').replace('/run/php/php8.2-fpm.sock', '127.0.0.1:9000') } },
  ],
  invalid: [
    {
      name: 'socket group app, nginx www-data not in it: listen.group set to www-data',
      files: stack(U, 'listen.owner = app\nlisten.group = app\n', true),
      errors: [
        {
          message:
            "nginx's user www-data (/etc/nginx/nginx.conf:1) cannot connect to unix:/run/php/php8.2-fpm.sock of FPM pool [www]: the socket is app:app mode 0660 (/etc/php/8.2/fpm/pool.d/www.conf:6); nginx answers 502 (connect() failed (13: Permission denied))",
          file: POOL,
          line: 6,
          related: ['/etc/nginx/nginx.conf:1'],
        },
      ],
      output: { [POOL]: pool('listen.owner = app\nlisten.group = www-data\n') },
    },
    {
      name: "listen.owner only: the owner's primary group from /etc/passwd",
      files: stack(U, 'listen.owner = app\n', true),
      errors: [{ message: /cannot connect to unix:\/run\/php\/php8.2-fpm.sock of FPM pool \[www\]: the socket is app:app mode 0660 \(\/etc\/php\/8.2\/fpm\/pool.d\/www.conf:5\)/, file: POOL, line: 5 }],
      output: { [POOL]: pool('listen.owner = app\n') + 'listen.group = www-data\n' },
    },
    {
      name: 'group write missing: decided without /etc/group',
      files: stack(U, 'listen.owner = app\nlisten.group = www-data\nlisten.mode = 0600\n'),
      errors: [{ message: /the socket is app:www-data mode 0600 \(\/etc\/php\/8.2\/fpm\/pool.d\/www.conf:7\)/, file: POOL, line: 7 }],
      output: { [POOL]: pool('listen.owner = app\nlisten.group = www-data\nlisten.mode = 0660\n') },
    },
    {
      name: 'without /etc/group membership is not guessed: info',
      files: stack(U, 'listen.owner = app\nlisten.group = app\n'),
      errors: [
        {
          message: "cannot tell whether nginx's user www-data (/etc/nginx/nginx.conf:1) can connect to unix:/run/php/php8.2-fpm.sock of FPM pool [www]: cannot tell whether www-data is in group app; pass --root to read /etc/group",
          file: POOL,
          line: 6,
          severity: 'info',
        },
      ],
    },
    {
      name: 'a group missing from /etc/group: info',
      files: stack(U, 'listen.owner = app\nlisten.group = nosuch\n', true),
      errors: [{ message: /: group nosuch is not in \/etc\/group$/, file: POOL, line: 6, severity: 'info' }],
    },
    {
      name: 'no listen.owner / listen.group: the socket belongs to whoever starts php-fpm',
      files: stack(U, ''),
      errors: [{ message: /listen.owner and listen.group are not set, so the socket belongs to the user php-fpm is started as \(root under systemd\) with mode 0660/, file: POOL, line: 4, severity: 'info' }],
    },
    {
      name: 'ACL without nginx: listen.acl_users extended',
      files: stack(U, 'listen.acl_users = app\n', true),
      errors: [{ message: /is not in listen.acl_users \/ listen.acl_groups of FPM pool \[www\] \(\/etc\/php\/8.2\/fpm\/pool.d\/www.conf:5\) and the socket unix:\/run\/php\/php8.2-fpm.sock is mode 0660/, file: POOL, line: 5 }],
      output: { [POOL]: pool('listen.acl_users = app,www-data\n') },
    },
  ],
});
