import { fpmListenCollision } from '../../rules/fpm-listen-collision.js';
import { testRule } from '../support/rule-tester.js';

const main = '[global]\ninclude = /fpm/pool.d/*.conf\n';
const pool = (name: string, listen: string) => `[${name}]\nlisten = ${listen}\npm = static\npm.max_children = 2\n`;

testRule(fpmListenCollision, {
  valid: [
    { name: 'two pools, two sockets', files: { '/fpm/php-fpm.conf': main, '/fpm/pool.d/a.conf': pool('a', '/run/a.sock'), '/fpm/pool.d/b.conf': pool('b', '/run/b.sock') } },
    { name: 'two pools, two ports', files: { '/fpm/php-fpm.conf': main, '/fpm/pool.d/a.conf': pool('a', '127.0.0.1:9000'), '/fpm/pool.d/b.conf': pool('b', '127.0.0.1:9001') } },
    { name: 'two loopback addresses, one port', files: { '/fpm/php-fpm.conf': main, '/fpm/pool.d/a.conf': pool('a', '127.0.0.1:9000'), '/fpm/pool.d/b.conf': pool('b', '127.0.0.2:9000') } },
    { name: 'two PHP versions, each its own socket', files: { '/etc/php/8.2/fpm/pool.d/www.conf': pool('www', '/run/php/php8.2-fpm.sock'), '/etc/php/8.3/fpm/pool.d/app.conf': pool('app', '/run/php/php8.3-fpm.sock') } },
    { name: 'the same pool name is fpm-pool-collision', files: { '/conf/php-fpm.conf': '[global]\n\n' + pool('www', '127.0.0.1:9000'), '/conf/www.conf': pool('www', '127.0.0.1:9000') } },
  ],
  invalid: [
    {
      name: 'one master, same socket path: the pools share it',
      files: { '/fpm/php-fpm.conf': main, '/fpm/pool.d/a.conf': pool('a', '/run/php.sock'), '/fpm/pool.d/b.conf': pool('b', '/run/php.sock') },
      paths: ['/fpm/php-fpm.conf'],
      errors: [
        {
          message:
            "pool [b] listens on unix:/run/php.sock, which pool [a] already listens on (unix:/run/php.sock at /fpm/pool.d/a.conf:2); php-fpm opens it once for both, so either pool's workers take each request (its user, limits and php_admin_values apply at random)",
          file: '/fpm/pool.d/b.conf',
          line: 2,
          related: ['/fpm/pool.d/a.conf:2'],
        },
      ],
    },
    {
      name: 'one master, a bare port and 127.0.0.1 on it: php-fpm does not start',
      files: { '/fpm/php-fpm.conf': main, '/fpm/pool.d/a.conf': pool('a', '9000'), '/fpm/pool.d/b.conf': pool('b', '127.0.0.1:9000') },
      paths: ['/fpm/php-fpm.conf'],
      errors: [
        {
          message: "pool [b] listens on 127.0.0.1:9000, which pool [a] already listens on (*:9000 at /fpm/pool.d/a.conf:2); php-fpm fails to start: \"unable to bind listening socket for address '127.0.0.1:9000': Address already in use (98)\"",
          file: '/fpm/pool.d/b.conf',
          line: 2,
        },
      ],
    },
    {
      name: 'one master, /var/run and /run: php-fpm does not start',
      files: { '/fpm/php-fpm.conf': main, '/fpm/pool.d/a.conf': pool('a', '/var/run/php.sock'), '/fpm/pool.d/b.conf': pool('b', '/run/php.sock') },
      paths: ['/fpm/php-fpm.conf'],
      errors: [{ message: /php-fpm fails to start: "Another FPM instance seems to already listen on \/run\/php.sock"$/, file: '/fpm/pool.d/b.conf', line: 2 }],
    },
  ],
});
