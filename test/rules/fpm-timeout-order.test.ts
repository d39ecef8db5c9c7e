import { fpmTimeoutOrder } from '../../rules/fpm-timeout-order.js';
import { testRule } from '../support/rule-tester.js';

const nginx = (server: string, location: string) =>
  `events {}\nhttp {\n    server {\n        listen 80;\n${server}        location ~ \\.php$ {\n            fastcgi_pass unix:/run/php-fpm.sock;\n${location}        }\n    }\n}\n`;
const pool = (extra: string) => `[www]\nlisten = /run/php-fpm.sock\npm = static\npm.max_children = 2\n${extra}`;

testRule(fpmTimeoutOrder, {
  valid: [
    { name: 'request_terminate_timeout unset: never killed', files: { '/etc/nginx/nginx.conf': nginx('        fastcgi_read_timeout 600;\n', ''), '/etc/php-fpm.d/www.conf': pool('') } },
    { name: 'request_terminate_timeout 0: off', files: { '/etc/nginx/nginx.conf': nginx('', ''), '/etc/php-fpm.d/www.conf': pool('request_terminate_timeout = 0\n') } },
    { name: 'nginx gives up first', files: { '/etc/nginx/nginx.conf': nginx('', '            fastcgi_read_timeout 89s;\n'), '/etc/php-fpm.d/www.conf': pool('request_terminate_timeout = 90s\n') } },
    { name: 'pool value from the environment: silent', files: { '/etc/nginx/nginx.conf': nginx('', ''), '/etc/php-fpm.d/www.conf': pool('request_terminate_timeout = ${T}\n') } },
  ],
  invalid: [
    {
      name: 'amimoto: fastcgi_read_timeout 180 vs request_terminate_timeout 90 — raised to 181',
      files: { '/etc/nginx/nginx.conf': nginx('        fastcgi_read_timeout 180;\n', ''), '/etc/php-fpm.d/www.conf': pool('request_terminate_timeout = 90\n') },
      errors: [
        {
          message:
            'fastcgi_read_timeout 180 at /etc/nginx/nginx.conf:5 outlasts request_terminate_timeout 90 at /etc/php-fpm.d/www.conf:5 (FPM pool [www]): php-fpm kills the worker after 90s and nginx answers 502 (upstream prematurely closed FastCGI stdout) instead of its own 504',
          file: '/etc/php-fpm.d/www.conf',
          line: 5,
          related: ['/etc/nginx/nginx.conf:5'],
        },
      ],
      output: { '/etc/php-fpm.d/www.conf': pool('request_terminate_timeout = 181\n') },
    },
    {
      name: 'equal is not shorter; a suffixed value keeps its suffix',
      files: { '/etc/nginx/nginx.conf': nginx('', '            fastcgi_read_timeout 2m;\n'), '/etc/php-fpm.d/www.conf': pool('request_terminate_timeout = 2m\n') },
      errors: [{ message: /^fastcgi_read_timeout 2m at \/etc\/nginx\/nginx.conf:7 outlasts request_terminate_timeout 2m at/, file: '/etc/php-fpm.d/www.conf', line: 5 }],
      output: { '/etc/php-fpm.d/www.conf': pool('request_terminate_timeout = 121s\n') },
    },
    {
      name: "nginx's default 60s vs 30s; strategy nginx inserts 29s after the pass",
      options: { fixStrategy: 'nginx' },
      files: { '/etc/nginx/nginx.conf': nginx('', ''), '/etc/php-fpm.d/www.conf': pool('request_terminate_timeout = 30s\n') },
      errors: [
        {
          message: /^fastcgi_read_timeout 60s \(nginx default, for fastcgi_pass at \/etc\/nginx\/nginx.conf:6\) outlasts request_terminate_timeout 30s at \/etc\/php-fpm.d\/www.conf:5/,
          file: '/etc/nginx/nginx.conf',
          line: 6,
          related: ['/etc/php-fpm.d/www.conf:5'],
        },
      ],
      output: { '/etc/nginx/nginx.conf': nginx('', '            fastcgi_read_timeout 29s;\n') },
    },
    {
      name: 'strategy nginx lowers the server-level value in place',
      options: { fixStrategy: 'nginx' },
      files: { '/etc/nginx/nginx.conf': nginx('        fastcgi_read_timeout 300;\n', ''), '/etc/php-fpm.d/www.conf': pool('request_terminate_timeout = 120\n') },
      errors: [{ message: /^fastcgi_read_timeout 300 at/, file: '/etc/nginx/nginx.conf', line: 5 }],
      output: { '/etc/nginx/nginx.conf': nginx('        fastcgi_read_timeout 119s;\n', '') },
    },
  ],
});
