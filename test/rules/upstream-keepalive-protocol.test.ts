import { upstreamKeepaliveProtocol } from '../../rules/upstream-keepalive-protocol.js';
import { testRule } from '../support/rule-tester.js';

const OLD = { nginxVersion: '1.24.0' } as const;
const nginx = (upstream: string, server: string, location: string) =>
  `events {}\nhttp {\n    upstream app {\n        server 127.0.0.1:8000;\n${upstream}    }\n    server {\n        listen 80;\n${server}        location / {\n            proxy_pass http://app;\n${location}        }\n    }\n}\n`;
const KA = '        keepalive 16;\n';
const GOOD = '            proxy_http_version 1.1;\n            proxy_set_header Connection "";\n';

testRule(upstreamKeepaliveProtocol, {
  valid: [
    { name: 'both set at the location', options: OLD, files: { '/etc/nginx/nginx.conf': nginx(KA, '', GOOD) } },
    { name: 'both set at the server', options: OLD, files: { '/etc/nginx/nginx.conf': nginx(KA, '        proxy_http_version 1.1;\n        proxy_set_header Connection "";\n', '') } },
    { name: 'no keepalive in the upstream', options: OLD, files: { '/etc/nginx/nginx.conf': nginx('', '', '') } },
    { name: 'nginx 1.29.7+: HTTP/1.1 and no Connection header by default', options: { nginxVersion: '1.29.7' }, files: { '/etc/nginx/nginx.conf': nginx(KA, '', '') } },
    { name: 'Connection from a map: not guessed', options: OLD, files: { '/etc/nginx/nginx.conf': nginx(KA, '', '            proxy_http_version 1.1;\n            proxy_set_header Connection $connection_upgrade;\n') } },
  ],
  invalid: [
    {
      name: 'nothing set: both inserted after proxy_pass',
      options: OLD,
      files: { '/etc/nginx/nginx.conf': nginx(KA, '', '') },
      errors: [
        {
          message:
            "proxy_pass at /etc/nginx/nginx.conf:10 sends proxy_http_version 1.0 (default of nginx 1.24.0) and Connection: close (nginx's default header) to upstream app, which has keepalive at /etc/nginx/nginx.conf:5: the upstream closes every connection and nginx opens a new one per request",
          file: '/etc/nginx/nginx.conf',
          line: 10,
          related: ['/etc/nginx/nginx.conf:5'],
        },
      ],
      output: { '/etc/nginx/nginx.conf': nginx(KA, '', GOOD) },
    },
    {
      name: "the array trap: the location's proxy_set_header drops the server's Connection \"\"",
      options: OLD,
      files: { '/etc/nginx/nginx.conf': nginx(KA, '        proxy_http_version 1.1;\n        proxy_set_header Connection "";\n', '            proxy_set_header Host $host;\n') },
      errors: [
        {
          message:
            'proxy_pass at /etc/nginx/nginx.conf:12 sends Connection: close (the proxy_set_header list at /etc/nginx/nginx.conf:11 replaces the inherited one, dropping proxy_set_header Connection "" at /etc/nginx/nginx.conf:10) to upstream app, which has keepalive at /etc/nginx/nginx.conf:5: the upstream closes every connection and nginx opens a new one per request',
          file: '/etc/nginx/nginx.conf',
          line: 12,
        },
      ],
      output: { '/etc/nginx/nginx.conf': nginx(KA, '        proxy_http_version 1.1;\n        proxy_set_header Connection "";\n', '            proxy_set_header Host $host;\n            proxy_set_header Connection "";\n') },
    },
    {
      name: 'proxy_http_version 1.0 written at the location is replaced',
      options: OLD,
      files: { '/etc/nginx/nginx.conf': nginx(KA, '', '            proxy_http_version 1.0;\n            proxy_set_header Connection "";\n') },
      errors: [{ message: /^proxy_pass at \/etc\/nginx\/nginx.conf:10 sends proxy_http_version 1.0 at \/etc\/nginx\/nginx.conf:11 to upstream app/, file: '/etc/nginx/nginx.conf', line: 11 }],
      output: { '/etc/nginx/nginx.conf': nginx(KA, '', GOOD) },
    },
    {
      name: 'Connection "close" written by hand: reported, not changed',
      options: OLD,
      files: { '/etc/nginx/nginx.conf': nginx(KA, '', '            proxy_http_version 1.1;\n            proxy_set_header Connection close;\n') },
      errors: [{ message: /sends proxy_set_header Connection "close" at \/etc\/nginx\/nginx.conf:12 to upstream app/, file: '/etc/nginx/nginx.conf', line: 10 }],
    },
  ],
});
