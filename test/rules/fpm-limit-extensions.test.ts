import { fpmLimitExtensions } from '../../rules/fpm-limit-extensions.js';
import { testRule } from '../support/rule-tester.js';

const pool = (extra: string) => `[www]\nlisten = /run/php-fpm.sock\n${extra}pm = static\npm.max_children = 2\n`;
const F = '/etc/php-fpm.d/www.conf';

testRule(fpmLimitExtensions, {
  valid: [
    { name: 'default', files: { [F]: pool('') } },
    { name: 'only .php', files: { [F]: pool('security.limit_extensions = .php\n') } },
    { name: 'PHP extensions', files: { [F]: pool('security.limit_extensions = .php .php5 .phtml\n') } },
  ],
  invalid: [
    {
      name: 'empty: every extension',
      files: { [F]: pool('security.limit_extensions =\n') },
      errors: [{ message: /^security.limit_extensions of FPM pool \[www\] at \/etc\/php-fpm.d\/www.conf:3 is empty: php-fpm runs any file nginx names as PHP;/, file: F, line: 3 }],
    },
    {
      name: '.html added',
      files: { [F]: pool('security.limit_extensions = .php .html .htm\n') },
      errors: [{ message: /lets php-fpm run .html .htm files as PHP; an uploaded file with PHP code inside runs as code/, file: F, line: 3 }],
    },
  ],
});
