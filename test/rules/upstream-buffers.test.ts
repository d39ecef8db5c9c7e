import { upstreamBuffers } from '../../rules/upstream-buffers.js';
import { testRule } from '../support/rule-tester.js';

const F = '/etc/nginx/nginx.conf';
/** http lines, server lines, location lines */
const nginx = (http: string[], server: string[], location: string[]) =>
  [
    'events {}',
    'http {',
    ...http.map((l) => `    ${l}`),
    '    server {',
    '        listen 80;',
    ...server.map((l) => `        ${l}`),
    '        location / {',
    ...location.map((l) => `            ${l}`),
    '        }',
    '    }',
    '}',
    '',
  ].join('\n');

const busyHigh = (f: string) => `"${f}_busy_buffers_size" must be less than the size of all "${f}_buffers" minus one buffer`;

testRule(upstreamBuffers, {
  valid: [
    { name: 'defaults', files: { [F]: nginx([], [], ['proxy_pass http://127.0.0.1:8000;']) } },
    { name: 'buffer_size raised with the buffers', files: { [F]: nginx([], [], ['proxy_buffer_size 16k;', 'proxy_buffers 8 16k;']) } },
    { name: 'busy equal to all buffers less one', files: { [F]: nginx([], [], ['proxy_busy_buffers_size 28k;']) } },
    { name: 'max_temp_file_size 0 disables temp files', files: { [F]: nginx([], [], ['fastcgi_max_temp_file_size 0;']) } },
    { name: 'http level never merged without a server', files: { [F]: 'events {}\nhttp {\n    proxy_buffer_size 16k;\n}\n' } },
    { name: 'the server overrides what the http level breaks', files: { [F]: nginx(['uwsgi_buffer_size 16k;'], ['uwsgi_buffers 4 16k;'], []) } },
    { name: 'grpc has no buffers to check', files: { [F]: nginx([], [], ['grpc_buffer_size 1m;']) } },
    { name: 'a size nginx rejects is left to the parser', files: { [F]: nginx([], [], ['proxy_buffer_size 16q;']) } },
  ],
  invalid: [
    {
      name: 'proxy_buffer_size 16k alone: buffers raised to match',
      files: { [F]: nginx([], [], ['proxy_buffer_size 16k;']) },
      errors: [
        {
          message: `${busyHigh('proxy')}: proxy_busy_buffers_size is 32k (unset: twice proxy_buffer_size 16k), more than 28k, all of proxy_buffers 8 4k (default) less one; nginx -t fails at the end of the http block (${F}:9)`,
          file: F,
          line: 6,
          column: 13,
        },
      ],
      output: { [F]: nginx([], [], ['proxy_buffer_size 16k;', 'proxy_buffers 8 16k;']) },
    },
    {
      name: 'locations written on one line: the fix stays inside each (it went on the next line, outside, and clashed)',
      files: { [F]: 'events {}\nhttp {\n    server {\n        location /a { proxy_pass http://127.0.0.1:8000; proxy_buffer_size 16k; }\n        location /b { proxy_pass http://127.0.0.1:8000; proxy_buffer_size 32k; }\n    }\n}\n' },
      errors: [
        { message: /^"proxy_busy_buffers_size" must be less than the size of all "proxy_buffers" minus one buffer: proxy_busy_buffers_size is 32k/, file: F, line: 4, column: 57 },
        { message: /^"proxy_busy_buffers_size" must be less than the size of all "proxy_buffers" minus one buffer: proxy_busy_buffers_size is 64k/, file: F, line: 5, column: 57 },
      ],
      output: {
        [F]: 'events {}\nhttp {\n    server {\n        location /a { proxy_pass http://127.0.0.1:8000; proxy_buffer_size 16k; proxy_buffers 8 16k; }\n        location /b { proxy_pass http://127.0.0.1:8000; proxy_buffer_size 32k; proxy_buffers 8 32k; }\n    }\n}\n',
      },
    },
    {
      name: 'two buffers with busy unset: a third buffer',
      files: { [F]: nginx([], [], ['proxy_buffers 2 4k;']) },
      errors: [{ message: `${busyHigh('proxy')}: proxy_busy_buffers_size is 8k (unset: twice one of proxy_buffers 2 4k), more than 4k, all of proxy_buffers 2 4k less one; nginx -t fails at the end of the http block (${F}:9)`, file: F, line: 6 }],
      output: { [F]: nginx([], [], ['proxy_buffers 3 4k;']) },
    },
    {
      name: 'one buffer',
      files: { [F]: nginx([], [], ['scgi_buffers 1 8k;']) },
      errors: [{ message: `there must be at least 2 "scgi_buffers": scgi_buffers 1 8k; nginx -t fails at the end of the http block (${F}:9)`, file: F, line: 6 }],
      output: { [F]: nginx([], [], ['scgi_buffers 3 8k;']) },
    },
    {
      name: 'explicit busy too large comes down',
      files: { [F]: nginx([], [], ['fastcgi_busy_buffers_size 64k;']) },
      errors: [{ message: `${busyHigh('fastcgi')}: fastcgi_busy_buffers_size 64k, more than 28k, all of fastcgi_buffers 8 4k (default) less one; nginx -t fails at the end of the http block (${F}:9)`, file: F, line: 6 }],
      output: { [F]: nginx([], [], ['fastcgi_busy_buffers_size 28k;']) },
    },
    {
      name: 'busy below the buffer size rises',
      files: { [F]: nginx([], [], ['scgi_buffer_size 8k;', 'scgi_busy_buffers_size 4k;']) },
      errors: [
        {
          message: `"scgi_busy_buffers_size" must be equal to or greater than the maximum of the value of "scgi_buffer_size" and one of the "scgi_buffers": scgi_busy_buffers_size 4k is less than scgi_buffer_size 8k; nginx -t fails at the end of the http block (${F}:10)`,
          file: F,
          line: 7,
          related: [`${F}:6`],
        },
      ],
      output: { [F]: nginx([], [], ['scgi_buffer_size 8k;', 'scgi_busy_buffers_size 8k;']) },
    },
    {
      name: 'temp-file sizes below the buffer size rise with it',
      files: { [F]: nginx([], [], ['proxy_buffer_size 16k;', 'proxy_temp_file_write_size 8k;', 'proxy_max_temp_file_size 8k;']) },
      errors: [{ message: new RegExp(`^${busyHigh('proxy')}: `), file: F, line: 6 }],
      output: { [F]: nginx([], [], ['proxy_buffer_size 16k;', 'proxy_buffers 8 16k;', 'proxy_temp_file_write_size 16k;', 'proxy_max_temp_file_size 16k;']) },
    },
    {
      name: 'http level value reported once, at the directive, with the server nginx merges it into',
      files: { [F]: nginx(['uwsgi_buffer_size 16k;'], [], []).replace('    server {', '    server {\n        listen 81;\n    }\n    server {') },
      errors: [
        {
          message: `${busyHigh('uwsgi')}: uwsgi_busy_buffers_size is 32k (unset: twice uwsgi_buffer_size 16k), more than 28k, all of uwsgi_buffers 8 4k (default) less one in server (${F}:4); nginx -t fails at the end of the http block (${F}:12)`,
          file: F,
          line: 3,
          column: 5,
        },
      ],
      output: { [F]: nginx(['uwsgi_buffer_size 16k;', 'uwsgi_buffers 8 16k;'], [], []).replace('    server {', '    server {\n        listen 81;\n    }\n    server {') },
    },
    {
      name: 'the deeper directive is blamed and fixed where it stands',
      files: { [F]: nginx(['proxy_buffer_size 8k;'], [], ['proxy_buffers 2 4k;']) },
      errors: [{ message: new RegExp(`^${busyHigh('proxy')}: proxy_busy_buffers_size is 16k \\(unset: twice proxy_buffer_size 8k\\), more than 4k`), file: F, line: 7, related: [`${F}:3`] }],
      output: { [F]: nginx(['proxy_buffer_size 8k;'], [], ['proxy_buffers 2 8k;']).replace('proxy_buffers 2 8k', 'proxy_buffers 3 8k') },
    },
    {
      name: 'a server fragment: info when the including level may set the rest',
      files: { '/etc/nginx/conf.d/app.conf': 'server {\n    listen 80;\n    proxy_buffer_size 16k;\n}\n' },
      errors: [{ message: /^"proxy_busy_buffers_size" must be less than .* \(if the including configuration sets none of these\)$/, file: '/etc/nginx/conf.d/app.conf', line: 3, severity: 'info' }],
    },
  ],
});
