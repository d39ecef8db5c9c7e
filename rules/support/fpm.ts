/**
 * What the rules ask of a PHP-FPM pool: which extensions it runs as PHP.
 */
import type { FpmPoolApp } from '../../src/stack/model.js';
import { fpmSetting, type FpmSetting } from '../../src/syntax/ini/fpm.js';

const PHP_EXTENSION = /^\.(php\d*|phtml|phar)$/i;

/** Extensions that are PHP by convention (php-fpm's default is `.php .phar`; `.php83` and the like name a PHP version). */
export function isPhpExtension(ext: string): boolean {
  return PHP_EXTENSION.test(ext);
}

export interface LimitExtensions {
  /** the extensions php-fpm runs; null: every extension (the setting is empty) */
  extensions: string[] | null;
  setting: FpmSetting | null;
  /** extensions that are not PHP's (every file when `extensions` is null) */
  foreign: string[] | null;
}

/** The effective security.limit_extensions of a pool; null when the value is dynamic. */
export function limitExtensions(pool: FpmPoolApp): LimitExtensions | null {
  const s = fpmSetting(pool.pool, 'security.limit_extensions') ?? null;
  if (s && typeof s.value !== 'string') return null;
  const text = s ? (s.value as string).trim() : '.php .phar';
  const extensions = text === '' ? null : text.split(/\s+/);
  return { extensions, setting: s, foreign: extensions ? extensions.filter((e) => !isPhpExtension(e)) : null };
}
