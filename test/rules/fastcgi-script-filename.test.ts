import { describe, expect, it } from 'vitest';
import { fastcgiScriptFilename } from '../../rules/fastcgi-script-filename.js';
import { lintCountingLookups, testRule } from '../support/rule-tester.js';

const PARAMS = 'fastcgi_param QUERY_STRING $query_string;\nfastcgi_param REQUEST_METHOD $request_method;\n';
const CONF = `fastcgi_param SCRIPT_FILENAME $document_root$fastcgi_script_name;\n${PARAMS}`;
const POOL = '[www]\nlisten = /run/php/php8.2-fpm.sock\npm = static\npm.max_children = 2\n';
const site = (server: string, location: string) =>
  `events {}\nhttp {\n    server {\n        listen 80;\n        root /var/www/html;\n${server}        location ~ \\.php$ {\n${location}            fastcgi_pass unix:/run/php/php8.2-fpm.sock;\n        }\n    }\n}\n`;
const files = (nginx: string, extra: Record<string, string> = {}) => ({ '/etc/nginx/nginx.conf': nginx, '/etc/nginx/fastcgi_params': PARAMS, '/etc/nginx/fastcgi.conf': CONF, '/etc/php/8.2/fpm/pool.d/www.conf': POOL, ...extra });

testRule(fastcgiScriptFilename, {
  valid: [
    { name: 'include fastcgi.conf (it sets SCRIPT_FILENAME)', files: files(site('', '            include fastcgi.conf;\n')) },
    { name: 'fastcgi_params plus an explicit SCRIPT_FILENAME', files: files(site('', '            include fastcgi_params;\n            fastcgi_param SCRIPT_FILENAME $document_root$fastcgi_script_name;\n')) },
    { name: 'snippet that includes fastcgi.conf', files: files(site('', '            include snippets/fastcgi-php.conf;\n'), { '/etc/nginx/snippets/fastcgi-php.conf': 'fastcgi_split_path_info ^(.+\\.php)(/.+)$;\ninclude fastcgi.conf;\n' }) },
    { name: 'a file named fastcgi_params that does set it is judged by its content', files: files(site('', '            include fastcgi_params;\n'), { '/etc/nginx/fastcgi_params': CONF }) },
    { name: 'set at server level, inherited', files: files(site('        include fastcgi.conf;\n', '')) },
    { name: 'alias with $request_filename', files: files(site('', '            alias /srv/app/;\n            include fastcgi_params;\n            fastcgi_param SCRIPT_FILENAME $request_filename;\n')) },
    {
      name: 'a FastCGI app that is not PHP',
      files: { '/etc/nginx/nginx.conf': 'events {}\nhttp {\n    server {\n        location /cgi-bin/ {\n            fastcgi_pass unix:/run/fcgiwrap.socket;\n        }\n    }\n}\n' },
    },
  ],
  invalid: [
    {
      name: "Debian's fastcgi_params alone: SCRIPT_FILENAME added after the include",
      files: files(site('', '            include fastcgi_params;\n')),
      errors: [
        {
          message:
            'the fastcgi_param set in effect at fastcgi_pass /etc/nginx/nginx.conf:8 (2 params, from /etc/nginx/fastcgi_params:1) has no SCRIPT_FILENAME; php-fpm answers "Primary script unknown" and nginx returns 404 "File not found."',
          file: '/etc/nginx/nginx.conf',
          line: 7,
          column: 13,
          related: ['/etc/nginx/nginx.conf:8'],
        },
      ],
      output: { '/etc/nginx/nginx.conf': site('', '            include fastcgi_params;\n            fastcgi_param SCRIPT_FILENAME $document_root$fastcgi_script_name;\n') },
    },
    {
      name: "array trap: a location's own fastcgi_param replaces the server's set that had SCRIPT_FILENAME",
      files: files(site('        include fastcgi.conf;\n', '            fastcgi_param HTTPS on;\n')),
      errors: [{ message: /^the fastcgi_param set in effect at fastcgi_pass \/etc\/nginx\/nginx.conf:9 \(1 params, from \/etc\/nginx\/nginx.conf:8\) has no SCRIPT_FILENAME/, file: '/etc/nginx/nginx.conf', line: 8 }],
      output: { '/etc/nginx/nginx.conf': site('        include fastcgi.conf;\n', '            fastcgi_param HTTPS on;\n            fastcgi_param SCRIPT_FILENAME $document_root$fastcgi_script_name;\n') },
    },
    {
      name: 'server-level fastcgi_params: fixed at the server, once',
      files: files(site('        include fastcgi_params;\n', '')),
      errors: [{ message: /^the fastcgi_param set in effect at fastcgi_pass \/etc\/nginx\/nginx.conf:8 \(2 params, from \/etc\/nginx\/fastcgi_params:1\)/, file: '/etc/nginx/nginx.conf', line: 6 }],
      output: { '/etc/nginx/nginx.conf': site('        include fastcgi_params;\n        fastcgi_param SCRIPT_FILENAME $document_root$fastcgi_script_name;\n', '') },
    },
    {
      name: 'no fastcgi_param anywhere',
      files: files(site('', '')),
      errors: [
        {
          message:
            'fastcgi_pass /etc/nginx/nginx.conf:7 sends no fastcgi_param at all (no include of fastcgi.conf or fastcgi_params), so no SCRIPT_FILENAME; php-fpm answers "Primary script unknown" and nginx returns 404 "File not found."',
          file: '/etc/nginx/nginx.conf',
          line: 7,
        },
      ],
      output: { '/etc/nginx/nginx.conf': site('', '').replace('fpm.sock;\n', 'fpm.sock;\n            fastcgi_param SCRIPT_FILENAME $document_root$fastcgi_script_name;\n') },
    },
    {
      name: 'alias with $document_root$fastcgi_script_name',
      files: files(site('', '            alias /srv/app/;\n            include fastcgi_params;\n            fastcgi_param SCRIPT_FILENAME $document_root$fastcgi_script_name;\n')),
      errors: [
        {
          message: /^SCRIPT_FILENAME \$document_root\$fastcgi_script_name at \/etc\/nginx\/nginx.conf:9 is built from \$document_root, but the location uses alias at \/etc\/nginx\/nginx.conf:7/,
          file: '/etc/nginx/nginx.conf',
          line: 9,
          related: ['/etc/nginx/nginx.conf:7'],
        },
      ],
      output: { '/etc/nginx/nginx.conf': site('', '            alias /srv/app/;\n            include fastcgi_params;\n            fastcgi_param SCRIPT_FILENAME $request_filename;\n') },
    },
    {
      name: 'an include that could not be read: info',
      files: { '/etc/nginx/nginx.conf': site('', '            include snippets/missing.conf;\n'), '/etc/php/8.2/fpm/pool.d/www.conf': POOL },
      errors: [
        {
          message: 'include snippets/missing.conf could not be read, so whether fastcgi_pass at /etc/nginx/nginx.conf:8 sends SCRIPT_FILENAME is not checked',
          file: '/etc/nginx/nginx.conf',
          line: 7,
          severity: 'info',
        },
      ],
    },
  ],
});

testRule(fastcgiScriptFilename, {
  valid: [],
  invalid: [
    {
      name: 'a fragment nobody includes: the outer levels are unknown, so info without a fix',
      files: { '/conf.d/php.conf': 'location ~ \\.php$ {\n    fastcgi_pass unix:/run/php.sock;\n}\n' },
      errors: [
        {
          message: 'fastcgi_pass /conf.d/php.conf:2 gets no fastcgi_param in this file; whether the levels that include it pass SCRIPT_FILENAME is not checked (lint the nginx.conf that includes it)',
          file: '/conf.d/php.conf',
          line: 2,
          severity: 'info',
        },
      ],
    },
  ],
});

describe('fastcgi-script-filename on a location with thousands of passes', () => {
  it('reads each scope once, not once per pass, and still reports once', () => {
    const many = '            include fastcgi_params;\n' + '            fastcgi_pass unix:/run/php/php8.2-fpm.sock;\n'.repeat(2000);
    const { diagnostics, lookups } = lintCountingLookups(fastcgiScriptFilename, files(site('', many)));
    expect(diagnostics.map((d) => d.message.slice(0, 40))).toEqual(['the fastcgi_param set in effect at fastc']);
    expect(lookups).toBe(1);
  });
});
