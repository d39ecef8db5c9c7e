import { fpmPoolCollision } from '../../rules/fpm-pool-collision.js';
import { testRule } from '../support/rule-tester.js';

testRule(fpmPoolCollision, {
  valid: [
    { name: 'two pools, two names', files: { '/fpm/php-fpm.conf': '[global]\ninclude = /fpm/pool.d/*.conf\n', '/fpm/pool.d/a.conf': '[a]\nlisten = /run/a.sock\n', '/fpm/pool.d/b.conf': '[b]\nlisten = /run/b.sock\n' } },
    {
      name: 'deploy-time templates are alternatives, not pools loaded together',
      files: { '/tpl/default.tpl': '[%backend%]\nlisten = /run/php/%backend%.sock\n', '/tpl/socket.tpl': '[%backend%]\nlisten = /run/php/%backend%-2.sock\n', '/tpl/www.conf': '[www]\nlisten = /run/php/www.sock\n', '/tpl/dummy.conf': '[www]\nlisten = /run/php/php%backend_version%-fpm.sock\n' },
    },
    { name: 'same pool name in two PHP versions', files: { '/etc/php/8.2/fpm/pool.d/www.conf': '[www]\nlisten = /run/php/php8.2-fpm.sock\n', '/etc/php/8.3/fpm/pool.d/www.conf': '[www]\nlisten = /run/php/php8.3-fpm.sock\n' } },
  ],
  invalid: [
    {
      name: 'magento: [www] in php-fpm.conf and in www.conf beside it',
      files: { '/conf/php-fpm.conf': '[global]\nerror_log = /dev/stderr\n\n[www]\nlisten = /sock/docker.sock\n', '/conf/www.conf': '[www]\nlisten = 127.0.0.1:9000\n' },
      errors: [
        {
          message: "pool [www] is also defined in /conf/php-fpm.conf:4 (listen 127.0.0.1:9000 here, unix:/sock/docker.sock there); if one php-fpm loads both, the later file's settings win and one of these listen addresses is never opened",
          file: '/conf/www.conf',
          line: 1,
          related: ['/conf/php-fpm.conf:4'],
        },
      ],
    },
    {
      // php-fpm reads an include where it stands, so the main file's [www] comes last and wins
      name: 'a pool reopened after an include replaces the included listen',
      files: { '/fpm/php-fpm.conf': '[global]\ninclude = /fpm/pool.d/*.conf\n\n[www]\nlisten = /run/a.sock\n', '/fpm/pool.d/zz.conf': '[www]\nlisten = /run/b.sock\n' },
      paths: ['/fpm/php-fpm.conf'],
      errors: [{ message: 'pool [www] is reopened here and its listen = /run/a.sock replaces listen = /run/b.sock from /fpm/pool.d/zz.conf:2', file: '/fpm/php-fpm.conf', line: 5, related: ['/fpm/pool.d/zz.conf:2'] }],
    },
  ],
});
