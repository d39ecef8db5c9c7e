import { phpMaxExecutionTimeOrder } from '../../rules/php-max-execution-time-order.js';
import { testRule } from '../support/rule-tester.js';

const nginx = (location: string) =>
  `events {}\nhttp {\n    server {\n        listen 80;\n        location ~ \\.php$ {\n            fastcgi_pass unix:/run/php/php8.2-fpm.sock;\n${location}        }\n    }\n}\n`;
const pool = (extra: string) => `[www]\nlisten = /run/php/php8.2-fpm.sock\npm = static\npm.max_children = 2\n${extra}`;
const ini = (v: string) => `[PHP]\nmemory_limit = 128M\nmax_execution_time = ${v}\n`;
const POOL = '/etc/php/8.2/fpm/pool.d/www.conf';
const INI = '/etc/php/8.2/fpm/php.ini';

testRule(phpMaxExecutionTimeOrder, {
  valid: [
    { name: "nginx's default is not compared", files: { '/etc/nginx/nginx.conf': nginx(''), [POOL]: pool(''), [INI]: ini('30') } },
    { name: 'max_execution_time 0: unlimited', files: { '/etc/nginx/nginx.conf': nginx('            fastcgi_read_timeout 300;\n'), [POOL]: pool(''), [INI]: ini('0') } },
    { name: 'PHP outlasts nginx', files: { '/etc/nginx/nginx.conf': nginx('            fastcgi_read_timeout 300;\n'), [POOL]: pool('php_admin_value[max_execution_time] = 301\n'), [INI]: ini('30') } },
  ],
  invalid: [
    {
      name: 'php.ini 30 vs fastcgi_read_timeout 300: php.ini raised',
      files: { '/etc/nginx/nginx.conf': nginx('            fastcgi_read_timeout 300;\n'), [POOL]: pool(''), [INI]: ini('30') },
      errors: [
        {
          message:
            'fastcgi_read_timeout 300 at /etc/nginx/nginx.conf:7 outlasts max_execution_time 30 at /etc/php/8.2/fpm/php.ini:3 (FPM pool [www]): a script that uses 30s of CPU time stops with "Maximum execution time of 30 seconds exceeded" before nginx stops waiting',
          file: INI,
          line: 3,
          related: ['/etc/nginx/nginx.conf:7'],
        },
      ],
      output: { [INI]: ini('301') },
    },
    {
      name: 'the pool value wins and is the one raised',
      files: { '/etc/nginx/nginx.conf': nginx('            fastcgi_read_timeout 5m;\n'), [POOL]: pool('php_value[max_execution_time] = 120\n'), [INI]: ini('30') },
      errors: [{ message: /outlasts max_execution_time 120 \(php_value\) at \/etc\/php\/8.2\/fpm\/pool.d\/www.conf:5/, file: POOL, line: 5 }],
      output: { [POOL]: pool('php_value[max_execution_time] = 301\n') },
    },
    {
      name: "PHP's default: php_admin_value added to the pool",
      files: { '/etc/nginx/nginx.conf': nginx('            fastcgi_read_timeout 90;\n'), [POOL]: pool('') },
      errors: [{ message: /^fastcgi_read_timeout 90 at \/etc\/nginx\/nginx.conf:7 outlasts max_execution_time 30 \(PHP default\)/, file: '/etc/nginx/nginx.conf', line: 7 }],
      output: { [POOL]: pool('php_admin_value[max_execution_time] = 91\n') },
    },
    {
      name: 'strategy nginx lowers nginx',
      options: { fixStrategy: 'nginx' },
      files: { '/etc/nginx/nginx.conf': nginx('            fastcgi_read_timeout 90;\n'), [POOL]: pool(''), [INI]: ini('30') },
      errors: [{ message: /^fastcgi_read_timeout 90/, file: '/etc/nginx/nginx.conf', line: 7, related: [`${INI}:3`] }],
      output: { '/etc/nginx/nginx.conf': nginx('            fastcgi_read_timeout 29s;\n') },
    },
  ],
});
