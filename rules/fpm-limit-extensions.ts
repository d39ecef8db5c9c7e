/**
 * security.limit_extensions emptied, or listing extensions that are not
 * PHP's: php-fpm then runs any such file nginx names as PHP — an uploaded
 * image or text file with PHP code inside becomes code.
 */
import type { Rule } from '../src/engine/rule.js';
import { appLabel } from '../src/stack/describe.js';
import { lineRef } from '../src/syntax/source.js';
import { limitExtensions } from './support/fpm.js';

export const fpmLimitExtensions: Rule = {
  meta: { id: 'fpm-limit-extensions', family: 'php', description: 'security.limit_extensions lets PHP-FPM run files that are not PHP scripts', severity: 'warning', fixable: false },
  check({ model, report }) {
    for (const pool of model.pools) {
      const le = limitExtensions(pool);
      if (!le?.setting || (le.foreign && le.foreign.length === 0)) continue;
      const at = le.setting;
      const what = le.foreign === null ? 'is empty: php-fpm runs any file nginx names as PHP' : `lets php-fpm run ${le.foreign.join(' ')} files as PHP`;
      report({
        file: at.file.source,
        span: at.entry.span,
        message: `security.limit_extensions of ${appLabel(pool)} at ${lineRef(at.file.source, at.entry.span.start)} ${what}; an uploaded file with PHP code inside runs as code (the default .php .phar refuses with "Access to the script ... has been denied (see security.limit_extensions)")`,
      });
    }
  },
};
