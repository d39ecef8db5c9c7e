import { gunicornTimeoutOrder } from '../../rules/gunicorn-timeout-order.js';
import { testRule } from '../support/rule-tester.js';

const nginx = (server: string, location: string) =>
  `events {}\nhttp {\n    server {\n        listen 80;\n${server}        location / {\n            proxy_pass http://127.0.0.1:8000;\n${location}        }\n    }\n}\n`;
const conf = (body: string) => `bind = "127.0.0.1:8000"\n${body}`;

testRule(gunicornTimeoutOrder, {
  valid: [
    { name: 'nginx gives up first', files: { '/etc/nginx/nginx.conf': nginx('', '            proxy_read_timeout 20s;\n            proxy_send_timeout 20s;\n'), '/srv/gunicorn.conf.py': conf('') } },
    { name: 'gunicorn timeout above nginx defaults', files: { '/etc/nginx/nginx.conf': nginx('', ''), '/srv/gunicorn.conf.py': conf('timeout = 61\n') } },
    { name: 'timeout 0 disables the kill', files: { '/etc/nginx/nginx.conf': nginx('', ''), '/srv/gunicorn.conf.py': conf('timeout = 0\n') } },
    { name: 'gthread: timeout is a heartbeat', files: { '/etc/nginx/nginx.conf': nginx('', '            proxy_read_timeout 300s;\n'), '/srv/gunicorn.conf.py': conf("worker_class = 'gthread'\n") } },
    { name: 'sync with threads > 1 runs gthread', files: { '/etc/nginx/nginx.conf': nginx('', ''), '/srv/gunicorn.conf.py': conf('threads = 4\n') } },
    { name: 'uvicorn worker', files: { '/etc/nginx/nginx.conf': nginx('', ''), '/srv/gunicorn.conf.py': conf("worker_class = 'uvicorn.workers.UvicornWorker'\n") } },
    { name: 'dynamic timeout: silent', files: { '/etc/nginx/nginx.conf': nginx('', ''), '/srv/gunicorn.conf.py': conf("import os\ntimeout = int(os.environ['T'])\n") } },
    { name: 'nginx value with a variable: silent', files: { '/etc/nginx/nginx.conf': nginx('', '            proxy_read_timeout $t;\n            proxy_send_timeout 1s;\n'), '/srv/gunicorn.conf.py': conf('') } },
  ],
  invalid: [
    {
      name: 'server-level proxy_read_timeout 120s vs timeout 30: raise gunicorn to 121',
      files: { '/etc/nginx/nginx.conf': nginx('        proxy_read_timeout 120s;\n        proxy_send_timeout 10s;\n', ''), '/srv/gunicorn.conf.py': conf('timeout = 30\n') },
      errors: [
        {
          message:
            'proxy_read_timeout 120s at /etc/nginx/nginx.conf:5 outlasts gunicorn timeout 30s at /srv/gunicorn.conf.py:2 (gunicorn app gunicorn.conf.py, sync worker): gunicorn kills the worker after 30s and nginx answers 502 (upstream prematurely closed connection) instead of its own 504',
          file: '/srv/gunicorn.conf.py',
          line: 2,
          column: 11,
          related: ['/etc/nginx/nginx.conf:5'],
        },
      ],
      output: { '/srv/gunicorn.conf.py': conf('timeout = 121\n') },
    },
    {
      name: 'strategy nginx: lowered where it is set',
      options: { fixStrategy: 'nginx' },
      files: { '/etc/nginx/nginx.conf': nginx('        proxy_read_timeout 120s;\n        proxy_send_timeout 10s;\n', ''), '/srv/gunicorn.conf.py': conf('timeout = 30\n') },
      errors: [{ message: /^proxy_read_timeout 120s at \/etc\/nginx\/nginx.conf:5 outlasts/, file: '/etc/nginx/nginx.conf', line: 5, related: ['/srv/gunicorn.conf.py:2'] }],
      output: { '/etc/nginx/nginx.conf': nginx('        proxy_read_timeout 29s;\n        proxy_send_timeout 10s;\n', '') },
    },
    {
      name: 'defaults on both sides: 60s vs 30s, the setting is added to the config file',
      files: { '/etc/nginx/nginx.conf': nginx('', ''), '/srv/gunicorn.conf.py': conf('') },
      errors: [
        {
          message:
            'proxy_read_timeout 60s (nginx default, for proxy_pass at /etc/nginx/nginx.conf:6) and proxy_send_timeout 60s (nginx default, for proxy_pass at /etc/nginx/nginx.conf:6) outlast gunicorn timeout 30s (default; gunicorn app gunicorn.conf.py, sync worker): gunicorn kills the worker after 30s and nginx answers 502 (upstream prematurely closed connection) instead of its own 504',
          file: '/etc/nginx/nginx.conf',
          line: 6,
        },
      ],
      output: { '/srv/gunicorn.conf.py': conf('timeout = 61\n') },
    },
    {
      name: 'defaults, strategy nginx: both inserted after the pass',
      options: { fixStrategy: 'nginx' },
      files: { '/etc/nginx/nginx.conf': nginx('', ''), '/srv/gunicorn.conf.py': conf('') },
      errors: [{ message: /outlast gunicorn timeout 30s \(default;/, file: '/etc/nginx/nginx.conf', line: 6 }],
      output: { '/etc/nginx/nginx.conf': nginx('', '            proxy_read_timeout 29s;\n            proxy_send_timeout 29s;\n') },
    },
    {
      name: 'command line --timeout is raised in place',
      files: {
        '/etc/nginx/nginx.conf': nginx('', '            proxy_read_timeout 90;\n            proxy_send_timeout 5s;\n'),
        '/etc/systemd/system/app.service': '[Service]\nExecStart=/usr/bin/gunicorn -b 127.0.0.1:8000 --timeout 60 app:app\n',
      },
      errors: [{ message: /^proxy_read_timeout 90 at \/etc\/nginx\/nginx.conf:7 outlasts gunicorn timeout 60s at \/etc\/systemd\/system\/app.service:2 \(gunicorn app app:app, sync worker\)/, file: '/etc/systemd/system/app.service', line: 2 }],
      output: { '/etc/systemd/system/app.service': '[Service]\nExecStart=/usr/bin/gunicorn -b 127.0.0.1:8000 --timeout 91 app:app\n' },
    },
  ],
});
