import { fastcgiKeepConnMissing } from '../../rules/fastcgi-keep-conn-missing.js';
import { testRule } from '../support/rule-tester.js';

const nginx = (upstream: string, location: string) =>
  `events {}\nhttp {\n    upstream php {\n        server unix:/run/php-fpm.sock;\n${upstream}    }\n    server {\n        listen 80;\n        location ~ \\.php$ {\n            fastcgi_pass php;\n${location}        }\n    }\n}\n`;
const N = '/etc/nginx/nginx.conf';
const KA = '        keepalive 8;\n';

testRule(fastcgiKeepConnMissing, {
  valid: [
    { name: 'fastcgi_keep_conn on', files: { [N]: nginx(KA, '            fastcgi_keep_conn on;\n') } },
    { name: 'no keepalive written (the implicit one of 1.29.7 is not checked)', files: { [N]: nginx('', '') } },
  ],
  invalid: [
    {
      name: 'keep_conn missing: inserted after fastcgi_pass',
      files: { [N]: nginx(KA, '            include fastcgi_params;\n') },
      errors: [
        {
          message:
            'fastcgi_pass at /etc/nginx/nginx.conf:10 reaches upstream php with keepalive at /etc/nginx/nginx.conf:5, but fastcgi_keep_conn off (nginx default) makes the FastCGI server close the connection after each request: nothing is reused',
          file: N,
          line: 10,
          related: ['/etc/nginx/nginx.conf:5'],
        },
      ],
      output: { [N]: nginx(KA, '            fastcgi_keep_conn on;\n            include fastcgi_params;\n') },
    },
    {
      name: 'fastcgi_keep_conn off written at the location is switched on',
      files: { [N]: nginx(KA, '            fastcgi_keep_conn off;\n') },
      errors: [{ message: /but fastcgi_keep_conn off at \/etc\/nginx\/nginx.conf:11 makes/, file: N, line: 11 }],
      output: { [N]: nginx(KA, '            fastcgi_keep_conn on;\n') },
    },
  ],
});
