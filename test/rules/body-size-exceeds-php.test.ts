import { bodySizeExceedsPhp } from '../../rules/body-size-exceeds-php.js';
import { testRule } from '../support/rule-tester.js';

const N = '/etc/nginx/nginx.conf';
const FPM = '/etc/php/8.2/fpm/php-fpm.conf';
const INI = '/etc/php/8.2/fpm/php.ini';
const SOCK = 'unix:/run/php/php8.2-fpm.sock';

/** nginx with `server` lines and one PHP location (plus `extra` locations) */
const nginx = (server: string[], location: string[] = [], extra = '') =>
  [
    'events {}',
    'http {',
    '    server {',
    '        listen 80;',
    ...server.map((l) => `        ${l}`),
    '        location ~ \\.php$ {',
    `            fastcgi_pass ${SOCK};`,
    ...location.map((l) => `            ${l}`),
    '        }',
    ...(extra ? [extra] : []),
    '    }',
    '}',
    '',
  ].join('\n');
const pool = (lines: string[] = []) => ['[global]', 'error_log = /tmp/fpm.log', '', '[www]', 'listen = /run/php/php8.2-fpm.sock', 'pm = static', 'pm.max_children = 2', ...lines, ''].join('\n');
const ini = (post: string, upload: string, more: string[] = []) => ['[PHP]', `post_max_size = ${post}`, `upload_max_filesize = ${upload}`, ...more, ''].join('\n');

const postDrop = (bytes: number) => `PHP discards larger bodies ("POST Content-Length of N bytes exceeds the limit of ${bytes} bytes") and the script sees empty $_POST and $_FILES`;

testRule(bodySizeExceedsPhp, {
  valid: [
    { name: 'nginx default 1m under PHP defaults', files: { [N]: nginx([]), [FPM]: pool() } },
    { name: 'equal limits', files: { [N]: nginx(['client_max_body_size 100M;']), [FPM]: pool(), [INI]: ini('100M', '100M') } },
    { name: 'PHP without limits', files: { [N]: nginx(['client_max_body_size 0;']), [FPM]: pool(), [INI]: ini('0', '0') } },
    { name: 'file uploads off: upload_max_filesize does not matter', files: { [N]: nginx(['client_max_body_size 100M;']), [FPM]: pool(), [INI]: ini('100M', '2M', ['file_uploads = Off']) } },
    { name: 'a value from the environment is not guessed', files: { [N]: nginx(['client_max_body_size 100M;']), [FPM]: pool(), [INI]: ini('${PHP_POST_MAX_SIZE}', '${PHP_UPLOAD_MAX}') } },
    { name: 'a pool value over php.ini', files: { [N]: nginx(['client_max_body_size 50m;']), [FPM]: pool(['php_admin_value[post_max_size] = 64M', 'php_value[upload_max_filesize] = 50M']), [INI]: ini('8M', '2M') } },
    { name: 'proxy_pass is not PHP', files: { [N]: nginx(['client_max_body_size 100M;']).replace(`fastcgi_pass ${SOCK}`, 'proxy_pass http://127.0.0.1:8000'), [FPM]: pool() } },
  ],
  invalid: [
    {
      name: 'php.ini limits under nginx: raised in php.ini',
      files: { [N]: nginx(['client_max_body_size 100M;']), [FPM]: pool(), [INI]: ini('64M', '50M') },
      errors: [
        {
          message: `client_max_body_size 100M accepts request bodies over FPM pool [www]'s post_max_size 64M (${INI}:2) and upload_max_filesize 50M (${INI}:3): ${postDrop(67108864)}; larger files fail with UPLOAD_ERR_INI_SIZE`,
          file: N,
          line: 5,
          column: 9,
          related: [`${INI}:2`, `${INI}:3`],
        },
      ],
      output: { [INI]: ini('100M', '100M') },
    },
    {
      name: 'pool value replaced, PHP default added as php_admin_value',
      files: { [N]: nginx(['client_max_body_size 20m;']), [FPM]: pool(['php_admin_value[post_max_size] = 8M']) },
      errors: [
        {
          message: `client_max_body_size 20m accepts request bodies over FPM pool [www]'s post_max_size 8M (php_admin_value ${FPM}:8) and upload_max_filesize 2M (PHP default): ${postDrop(8388608)}; larger files fail with UPLOAD_ERR_INI_SIZE`,
          file: N,
          line: 5,
          related: [`${FPM}:8`],
        },
      ],
      output: { [FPM]: pool(['php_admin_value[post_max_size] = 20M', 'php_admin_value[upload_max_filesize] = 20M']) },
    },
    {
      name: 'only upload_max_filesize exceeded',
      files: { [N]: nginx([], ['client_max_body_size 16m;']), [FPM]: pool(), [INI]: ini('32M', '8M') },
      errors: [{ message: `client_max_body_size 16m accepts request bodies over FPM pool [www]'s upload_max_filesize 8M (${INI}:3): larger files fail with UPLOAD_ERR_INI_SIZE`, file: N, line: 7, related: [`${INI}:3`] }],
      output: { [INI]: ini('32M', '16M') },
    },
    {
      name: 'no limit in nginx: reported, nothing to raise PHP to',
      files: { [N]: nginx(['client_max_body_size 0;']), [FPM]: pool() },
      errors: [{ message: `client_max_body_size 0 (no limit) accepts request bodies over FPM pool [www]'s post_max_size 8M (PHP default) and upload_max_filesize 2M (PHP default): ${postDrop(8388608)}; larger files fail with UPLOAD_ERR_INI_SIZE`, file: N, line: 5 }],
    },
    {
      name: 'nginx strategy: lowered where written when only PHP inherits it',
      files: { [N]: nginx(['client_max_body_size 100M;']), [FPM]: pool(), [INI]: ini('64M', '50M') },
      options: { fixStrategy: 'nginx' },
      errors: [{ message: /^client_max_body_size 100M accepts request bodies over FPM pool \[www\]'s post_max_size 64M/, file: N, line: 5 }],
      output: { [N]: nginx(['client_max_body_size 50m;']) },
    },
    {
      name: 'nginx strategy: set in the PHP location when a proxied location shares the value',
      files: { [N]: nginx(['client_max_body_size 100M;'], [], '        location /media/ {\n            proxy_pass http://127.0.0.1:8000;\n        }'), [FPM]: pool(), [INI]: ini('64M', '64M') },
      options: { fixStrategy: 'nginx' },
      errors: [{ message: /^client_max_body_size 100M accepts request bodies over FPM pool \[www\]'s post_max_size 64M \(.*\) and upload_max_filesize 64M/, file: N, line: 5 }],
      output: { [N]: nginx(['client_max_body_size 100M;'], ['client_max_body_size 64m;'], '        location /media/ {\n            proxy_pass http://127.0.0.1:8000;\n        }') },
    },
  ],
});
