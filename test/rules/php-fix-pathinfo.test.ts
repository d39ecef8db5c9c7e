import { describe, expect, it } from 'vitest';
import { phpFixPathinfo } from '../../rules/php-fix-pathinfo.js';
import { lintCountingLookups, testRule } from '../support/rule-tester.js';

const nginx = (loc: string, body = '') =>
  `events {}\nhttp {\n    server {\n        root /var/www;\n        location ${loc} {\n${body}            fastcgi_param SCRIPT_FILENAME $document_root$fastcgi_script_name;\n            fastcgi_pass unix:/run/php/php8.2-fpm.sock;\n        }\n    }\n}\n`;
const pool = (extra: string) => `[www]\nlisten = /run/php/php8.2-fpm.sock\n${extra}pm = static\npm.max_children = 2\n`;
const POOL = '/etc/php/8.2/fpm/pool.d/www.conf';
const INI = '/etc/php/8.2/fpm/php.ini';
const open = 'security.limit_extensions = .php .jpg\n';
const stack = (n: string, p: string, ini = '[PHP]\nmemory_limit = 128M\n') => ({ '/etc/nginx/nginx.conf': n, [POOL]: p, [INI]: ini });

testRule(phpFixPathinfo, {
  valid: [
    { name: "php-fpm's default limit_extensions refuses the .jpg", files: stack(nginx('~ \\.php$'), pool('')) },
    { name: 'try_files $uri =404', files: stack(nginx('~ \\.php$', '            try_files $uri =404;\n'), pool(open)) },
    { name: 'if (!-f $request_filename) { return 404; }', files: stack(nginx('~ \\.php$', '            if (!-f $request_filename) { return 404; }\n'), pool(open)) },
    { name: 'cgi.fix_pathinfo = 0', files: stack(nginx('~ \\.php$'), pool(open), '[PHP]\ncgi.fix_pathinfo = 0\n') },
    { name: 'php_admin_value fix_pathinfo 0', files: stack(nginx('~ \\.php$'), pool(open + 'php_admin_value[cgi.fix_pathinfo] = 0\n')) },
    { name: 'one anchored script', files: stack(nginx('~ ^/index\\.php(/|$)'), pool(open)) },
    { name: 'exact location', files: stack(nginx('= /index.php'), pool(open)) },
    { name: 'php.ini not read: default not guessed', files: { '/etc/nginx/nginx.conf': nginx('~ \\.php$'), [POOL]: pool(open) } },
  ],
  invalid: [
    {
      name: 'location ~ \\.php$, fix_pathinfo default, .jpg allowed',
      files: stack(nginx('~ \\.php$'), pool(open)),
      errors: [
        {
          message:
            "location ~ \\.php$ passes URIs to FPM pool [www] without checking the script exists (no try_files $uri =404), cgi.fix_pathinfo is 1 (PHP's default) and security.limit_extensions is .php .jpg: a request for /uploads/evil.jpg/x.php runs /uploads/evil.jpg as PHP",
          file: '/etc/nginx/nginx.conf',
          line: 5,
          related: [`${POOL}:3`],
        },
      ],
    },
  ],
});

describe('php-fix-pathinfo on a location with thousands of passes', () => {
  it('decides each scope once, not once per pass (the fuzz suite found 50,000 duplicate fastcgi_pass lines taking 6 s)', () => {
    const many = '            fastcgi_pass unix:/run/php/php8.2-fpm.sock;\n'.repeat(2000);
    const { diagnostics, lookups } = lintCountingLookups(phpFixPathinfo, stack(nginx('~ \\.php$', many), pool(open)));
    expect(diagnostics.map((d) => d.message.slice(0, 60))).toEqual(['location ~ \\.php$ passes URIs to FPM pool [www] without chec']);
    expect(lookups).toBe(1);
  });
});
