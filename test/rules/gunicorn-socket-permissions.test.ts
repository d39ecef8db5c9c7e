import { gunicornSocketPermissions } from '../../rules/gunicorn-socket-permissions.js';
import { testRule } from '../support/rule-tester.js';

const nginx = `user www-data;\nevents {}\nhttp {\n    server {\n        location / {\n            proxy_pass http://unix:/run/app.sock;\n        }\n    }\n}\n`;
const service = (extra: string) => `[Service]\nUser=app\nGroup=app\n${extra}ExecStart=/usr/bin/gunicorn --bind unix:/run/app.sock app:app\n`;
const PASSWD = 'www-data:x:33:33::/var/www:/bin/false\napp:x:1000:1000::/home/app:/bin/sh\n';
const GROUP = 'www-data:x:33:\napp:x:1000:\n';
const UNIT = '/etc/systemd/system/app.service';
/** the same program under supervisord: user= switches to app and its primary group */
const PROGRAM = '/etc/supervisor/conf.d/app.conf';
const program = (flags: string) => `[program:app]\ncommand=/usr/bin/gunicorn ${flags}--bind unix:/run/app.sock app:app\nuser=app\n`;

testRule(gunicornSocketPermissions, {
  valid: [
    { name: 'default umask 0: world-writable', files: { '/etc/nginx/nginx.conf': nginx, [UNIT]: service('') } },
    { name: 'supervisor: default umask 0, world-writable', files: { '/etc/nginx/nginx.conf': nginx, [PROGRAM]: program(''), '/etc/passwd': PASSWD, '/etc/group': GROUP } },
    { name: 'umask 007 with group www-data', files: { '/etc/nginx/nginx.conf': nginx, [UNIT]: service('').replace('Group=app', 'Group=www-data').replace('--bind', '--umask 007 --bind') } },
    { name: 'umask 007 without /etc/group: not decidable, silent', files: { '/etc/nginx/nginx.conf': nginx, [UNIT]: service('').replace('--bind', '--umask 007 --bind') } },
    {
      name: 'socket unit, default mode 0666',
      files: { '/etc/nginx/nginx.conf': nginx, '/etc/systemd/system/app.socket': '[Socket]\nListenStream=/run/app.sock\n', [UNIT]: '[Service]\nExecStart=/usr/bin/gunicorn app:app\n' },
    },
  ],
  invalid: [
    {
      name: 'umask 007, group app without www-data',
      files: { '/etc/nginx/nginx.conf': nginx, [UNIT]: service('').replace('--bind', '--umask 007 --bind'), '/etc/passwd': PASSWD, '/etc/group': GROUP },
      errors: [
        {
          message:
            "nginx's user www-data (/etc/nginx/nginx.conf:1) cannot connect to unix:/run/app.sock of gunicorn app app:app: the socket is app:app mode 0770 (bound by gunicorn with umask 0007); nginx answers 502 (connect() failed (13: Permission denied))",
          file: UNIT,
          line: 4,
          related: ['/etc/nginx/nginx.conf:1'],
        },
      ],
    },
    {
      name: 'supervisor: umask 007 and user=app (group app) without www-data',
      files: { '/etc/nginx/nginx.conf': nginx, [PROGRAM]: program('--umask 007 '), '/etc/passwd': PASSWD, '/etc/group': GROUP },
      errors: [{ message: /cannot connect to unix:\/run\/app\.sock of gunicorn app app:app: the socket is app:app mode 0770 \(bound by gunicorn with umask 0007\)/, file: PROGRAM, line: 2 }],
    },
    {
      name: 'socket unit with SocketMode=0600 owned by root',
      files: { '/etc/nginx/nginx.conf': nginx, '/etc/systemd/system/app.socket': '[Socket]\nListenStream=/run/app.sock\nSocketMode=0600\n', [UNIT]: '[Service]\nExecStart=/usr/bin/gunicorn app:app\n' },
      errors: [{ message: /the socket is root:root mode 0600 \(created by \/etc\/systemd\/system\/app.socket\)/, file: '/etc/systemd/system/app.socket', line: 3 }],
    },
  ],
});
