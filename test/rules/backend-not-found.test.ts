import { backendNotFound } from '../../rules/backend-not-found.js';
import { testRule } from '../support/rule-tester.js';

const nginx = (pass: string) => `events {}\nhttp {\n    server {\n        listen 80;\n        location ~ \\.php$ {\n            ${pass}\n        }\n    }\n}\n`;
const pool = (listen: string) => `[global]\nerror_log = /tmp/fpm.log\n\n[www]\nuser = www-data\nlisten = ${listen}\npm = static\npm.max_children = 2\n`;

testRule(backendNotFound, {
  valid: [
    { name: 'socket path matches the pool', files: { '/etc/nginx/nginx.conf': nginx('fastcgi_pass unix:/run/php/php8.2-fpm.sock;'), '/etc/php/8.2/fpm/php-fpm.conf': pool('/run/php/php8.2-fpm.sock') } },
    { name: '/var/run is /run', files: { '/etc/nginx/nginx.conf': nginx('fastcgi_pass unix:/var/run/php-fpm.sock;'), '/etc/php-fpm.conf': pool('/run/php-fpm.sock') } },
    { name: 'localhost reaches a pool on 127.0.0.1', files: { '/etc/nginx/nginx.conf': nginx('fastcgi_pass localhost:9000;'), '/etc/php-fpm.conf': pool('127.0.0.1:9000') } },
    { name: 'a bare port listens on every address', files: { '/etc/nginx/nginx.conf': nginx('fastcgi_pass 127.0.0.1:9000;'), '/etc/php-fpm.conf': pool('9000') } },
    { name: 'only nginx given: nothing to say', files: { '/etc/nginx/nginx.conf': nginx('fastcgi_pass unix:/run/php/php8.2-fpm.sock;') } },
    { name: 'variables are not guessed', files: { '/etc/nginx/nginx.conf': nginx('fastcgi_pass unix:/run/php/php$v-fpm.sock;'), '/etc/php-fpm.conf': pool('/run/php/php8.2-fpm.sock') } },
    {
      name: 'gunicorn via a systemd socket unit',
      files: {
        '/etc/nginx/nginx.conf': nginx('proxy_pass http://unix:/run/gunicorn.sock;'),
        '/etc/systemd/system/gunicorn.socket': '[Socket]\nListenStream=/run/gunicorn.sock\n',
        '/etc/systemd/system/gunicorn.service': '[Service]\nExecStart=/usr/bin/gunicorn app:app\n',
      },
    },
  ],
  invalid: [
    {
      name: 'socket path typo: error with the near match, fixed',
      files: { '/etc/nginx/nginx.conf': nginx('fastcgi_pass unix:/run/php/php-fpm.sock;'), '/etc/php/8.2/fpm/php-fpm.conf': pool('/run/php/php8.2-fpm.sock') },
      errors: [
        {
          message: 'nothing listens on unix:/run/php/php-fpm.sock; did you mean unix:/run/php/php8.2-fpm.sock (FPM pool [www], /etc/php/8.2/fpm/php-fpm.conf:6)? nginx answers 502 (connect() failed: No such file or directory)',
          file: '/etc/nginx/nginx.conf',
          line: 6,
          column: 26,
          related: ['/etc/php/8.2/fpm/php-fpm.conf:6'],
        },
      ],
      output: { '/etc/nginx/nginx.conf': nginx('fastcgi_pass unix:/run/php/php8.2-fpm.sock;') },
    },
    {
      name: 'the near match has a blank in its path: reported, not written into nginx (it would be two words)',
      files: { '/etc/nginx/nginx.conf': nginx('fastcgi_pass unix:/run/php/php-fpm.sock;'), '/etc/php/8.2/fpm/php-fpm.conf': pool('/run/php/php fpm.sock') },
      errors: [
        {
          message: 'nothing listens on unix:/run/php/php-fpm.sock; did you mean unix:/run/php/php fpm.sock (FPM pool [www], /etc/php/8.2/fpm/php-fpm.conf:6)? nginx answers 502 (connect() failed: No such file or directory)',
          file: '/etc/nginx/nginx.conf',
          line: 6,
        },
      ],
    },
    {
      name: 'backend outside the files given: info, no fix',
      files: { '/etc/nginx/nginx.conf': nginx('fastcgi_pass 10.0.0.5:9000;'), '/etc/php-fpm.conf': pool('/run/php-fpm.sock') },
      errors: [{ message: 'no pool or app in the files given listens on 10.0.0.5:9000 (10.0.0.5:9000); its settings are not checked', file: '/etc/nginx/nginx.conf', line: 6, severity: 'info' }],
    },
    {
      name: 'an upstream name nobody defines: info',
      files: { '/etc/nginx/nginx.conf': nginx('fastcgi_pass php;'), '/etc/php-fpm.conf': pool('/run/php-fpm.sock') },
      errors: [{ message: 'fastcgi_pass names upstream "php", which is not defined in the files given (generated at deploy time?)', file: '/etc/nginx/nginx.conf', line: 6, severity: 'info' }],
    },
  ],
});
