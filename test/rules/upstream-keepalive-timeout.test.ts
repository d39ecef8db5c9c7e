import { upstreamKeepaliveTimeout } from '../../rules/upstream-keepalive-timeout.js';
import { testRule } from '../support/rule-tester.js';

const nginx = (upstream: string) =>
  `events {}\nhttp {\n    upstream app {\n        server 127.0.0.1:8000;\n${upstream}    }\n    server {\n        listen 80;\n        location / {\n            proxy_pass http://app;\n            proxy_http_version 1.1;\n            proxy_set_header Connection "";\n        }\n    }\n}\n`;
const conf = (body: string) => `bind = "127.0.0.1:8000"\nworker_class = "gthread"\n${body}`;
const G = '/srv/gunicorn.conf.py';
const N = '/etc/nginx/nginx.conf';

testRule(upstreamKeepaliveTimeout, {
  valid: [
    { name: 'nginx closes first', files: { [N]: nginx('        keepalive 8;\n        keepalive_timeout 50s;\n'), [G]: conf('keepalive = 75\n') } },
    { name: 'sync workers keep no connections', files: { [N]: nginx('        keepalive 8;\n'), [G]: 'bind = "127.0.0.1:8000"\n' } },
    { name: 'gunicorn keepalive 0: closes after each response', files: { [N]: nginx('        keepalive 8;\n'), [G]: conf('keepalive = 0\n') } },
    { name: 'no keepalive before nginx 1.29.7', options: { nginxVersion: '1.26.0' }, files: { [N]: nginx(''), [G]: conf('') } },
  ],
  invalid: [
    {
      name: 'defaults: nginx 60s vs gunicorn 2s; keepalive added to the config file',
      files: { [N]: nginx('        keepalive 8;\n'), [G]: conf('') },
      errors: [
        {
          message:
            'keepalive_timeout 60s (nginx default) of upstream app at /etc/nginx/nginx.conf:3 outlasts gunicorn keepalive 2s (default; gunicorn app gunicorn.conf.py, gthread worker): gunicorn closes idle connections after 2s and nginx may send a request on one it just closed, a sporadic 502 (upstream prematurely closed connection, or recv() failed (104: Connection reset by peer))',
          file: N,
          line: 5,
        },
      ],
      output: { [G]: conf('keepalive = 61\n') },
    },
    {
      name: 'implicit keepalive of nginx 1.29.7+, gunicorn keepalive written',
      files: { [N]: nginx('        keepalive_timeout 30s;\n'), [G]: conf('keepalive = 5\n') },
      errors: [{ message: /^keepalive_timeout 30s of upstream app at \/etc\/nginx\/nginx.conf:5 outlasts gunicorn keepalive 5s at \/srv\/gunicorn.conf.py:3/, file: G, line: 3, related: ['/etc/nginx/nginx.conf:5'] }],
      output: { [G]: conf('keepalive = 31\n') },
    },
    {
      name: 'strategy nginx: keepalive_timeout added after keepalive',
      options: { fixStrategy: 'nginx' },
      files: { [N]: nginx('        keepalive 8;\n'), [G]: conf('keepalive = 5\n') },
      errors: [{ message: /outlasts gunicorn keepalive 5s/, file: N, line: 5, related: ['/srv/gunicorn.conf.py:3'] }],
      output: { [N]: nginx('        keepalive 8;\n        keepalive_timeout 4s;\n') },
    },
    {
      name: 'uvicorn worker with --keep-alive on the command line',
      files: {
        [N]: nginx('        keepalive 8;\n        keepalive_timeout 10s;\n'),
        '/etc/systemd/system/app.service': '[Service]\nExecStart=/usr/bin/gunicorn -k uvicorn.workers.UvicornWorker -b 127.0.0.1:8000 --keep-alive 5 app:app\n',
      },
      errors: [{ message: /gunicorn keepalive 5s at \/etc\/systemd\/system\/app.service:2 \(gunicorn app app:app, uvicorn.workers.UvicornWorker worker\)/, file: '/etc/systemd/system/app.service', line: 2 }],
      output: { '/etc/systemd/system/app.service': '[Service]\nExecStart=/usr/bin/gunicorn -k uvicorn.workers.UvicornWorker -b 127.0.0.1:8000 --keep-alive 11 app:app\n' },
    },
  ],
});
