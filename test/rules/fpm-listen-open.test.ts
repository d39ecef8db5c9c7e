import { fpmListenOpen } from '../../rules/fpm-listen-open.js';
import { testRule } from '../support/rule-tester.js';

const nginx = (pass: string) => `events {}\nhttp {\n    server {\n        location ~ \\.php$ {\n            fastcgi_pass ${pass};\n        }\n    }\n}\n`;
const pool = (listen: string, extra = '') => `[www]\nlisten = ${listen}\n${extra}pm = static\npm.max_children = 2\n`;
const POOL = '/etc/php-fpm.d/www.conf';

testRule(fpmListenOpen, {
  valid: [
    { name: 'loopback only', files: { '/etc/nginx/nginx.conf': nginx('127.0.0.1:9000'), [POOL]: pool('127.0.0.1:9000') } },
    { name: 'allowed_clients set', files: { '/etc/nginx/nginx.conf': nginx('127.0.0.1:9000'), [POOL]: pool('9000', 'listen.allowed_clients = 127.0.0.1\n') } },
    { name: 'unix socket', files: { [POOL]: pool('/run/php-fpm.sock') } },
  ],
  invalid: [
    {
      name: 'bare port reached over loopback: allowed_clients added',
      files: { '/etc/nginx/nginx.conf': nginx('127.0.0.1:9000'), [POOL]: pool('9000') },
      errors: [
        {
          message:
            "FPM pool [www] listens on *:9000 (every address) without listen.allowed_clients: FastCGI has no authentication, so anyone who can reach port 9000 can run PHP as the pool's user; nginx reaches it only over loopback (127.0.0.1:9000)",
          file: POOL,
          line: 2,
          related: ['/etc/nginx/nginx.conf:5'],
        },
      ],
      output: { [POOL]: pool('9000') + 'listen.allowed_clients = 127.0.0.1\n' },
    },
    {
      name: 'localhost may connect from ::1 too',
      files: { '/etc/nginx/nginx.conf': nginx('localhost:9000'), [POOL]: pool('0.0.0.0:9000') },
      errors: [{ message: /nginx reaches it only over loopback \(localhost:9000\)$/, file: POOL, line: 2 }],
      output: { [POOL]: pool('0.0.0.0:9000') + 'listen.allowed_clients = 127.0.0.1,::1\n' },
    },
    {
      name: 'reached from another container: info, no fix',
      files: { '/etc/nginx/nginx.conf': nginx('php-fpm:9000'), [POOL]: pool('0.0.0.0:9000') },
      errors: [{ message: /; nginx reaches it as php-fpm:9000 \(another host or container\)/, file: POOL, line: 2, severity: 'info' }],
    },
    {
      name: 'no nginx in the files: warning, no fix',
      files: { [POOL]: pool('[::]:9000') },
      errors: [{ message: /; set listen.allowed_clients to the addresses nginx connects from$/, file: POOL, line: 2 }],
    },
  ],
});
