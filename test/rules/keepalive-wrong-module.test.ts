import { keepaliveWrongModule } from '../../rules/keepalive-wrong-module.js';
import { testRule } from '../support/rule-tester.js';

const nginx = (server: string, location: string) =>
  `events {}\nhttp {\n    server {\n        listen 80;\n${server}        location ~ \\.php$ {\n${location}        }\n    }\n}\n`;
const N = '/etc/nginx/nginx.conf';

testRule(keepaliveWrongModule, {
  valid: [
    { name: 'proxy settings with proxy_pass', files: { [N]: nginx('', '            proxy_pass http://127.0.0.1:8000;\n            proxy_http_version 1.1;\n            proxy_set_header Connection "";\n') } },
    { name: 'server-level proxy settings are not judged by one fastcgi location', files: { [N]: nginx('        proxy_http_version 1.1;\n', '            fastcgi_pass unix:/run/php.sock;\n') } },
    { name: 'other proxy headers at a fastcgi location are not this rule', files: { [N]: nginx('', '            fastcgi_pass unix:/run/php.sock;\n            proxy_set_header Host $host;\n') } },
    {
      name: 'a nested location proxies',
      files: { [N]: nginx('', '            fastcgi_pass unix:/run/php.sock;\n            proxy_http_version 1.1;\n            location /api { proxy_pass http://127.0.0.1:8000; }\n') },
    },
  ],
  invalid: [
    {
      name: 'proxy_http_version and Connection at a fastcgi_pass',
      files: { [N]: nginx('', '            fastcgi_pass unix:/run/php.sock;\n            proxy_http_version 1.1;\n            proxy_set_header Connection "";\n') },
      errors: [
        {
          message:
            'proxy_http_version 1.1 does nothing here: the location passes requests with fastcgi_pass at /etc/nginx/nginx.conf:6, which ignores proxy_* settings; FastCGI connections are kept with fastcgi_keep_conn on',
          file: N,
          line: 7,
          related: ['/etc/nginx/nginx.conf:6'],
        },
        { message: /^proxy_set_header Connection "" does nothing here/, file: N, line: 8 },
      ],
    },
    {
      name: 'fastcgi_keep_conn at a proxy_pass',
      files: { [N]: nginx('', '            proxy_pass http://127.0.0.1:8000;\n            fastcgi_keep_conn on;\n') },
      errors: [
        {
          message:
            'fastcgi_keep_conn on does nothing here: the location passes requests with proxy_pass at /etc/nginx/nginx.conf:6, which ignores fastcgi_* settings; HTTP connections are kept with proxy_http_version 1.1 and proxy_set_header Connection ""',
          file: N,
          line: 7,
        },
      ],
    },
  ],
});
