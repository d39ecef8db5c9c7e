/**
 * Which INI dialect a file is: php.ini (or a conf.d/*.ini snippet) or a
 * PHP-FPM file (php-fpm.conf, a pool file). Decided by the content when it is
 * telling, else by the name.
 */
import { FPM_ARRAY_DIRECTIVES, FPM_GLOBAL_DIRECTIVES, FPM_POOL_DIRECTIVES } from './fpm-directives.js';

export type IniKind = 'php-ini' | 'fpm';

const FPM_KEYS = new Set([...FPM_POOL_DIRECTIVES, ...FPM_GLOBAL_DIRECTIVES].map((d) => d.name));
/** FPM keys that also make sense in php.ini: they say nothing */
const AMBIGUOUS = new Set(['error_log', 'user', 'group', 'prefix', 'include']);
/** keys only php.ini has (a sample of the most common) */
const PHP_INI_KEYS = new Set([
  'engine',
  'short_open_tag',
  'precision',
  'output_buffering',
  'memory_limit',
  'max_execution_time',
  'max_input_time',
  'max_input_vars',
  'error_reporting',
  'display_errors',
  'display_startup_errors',
  'log_errors',
  'post_max_size',
  'upload_max_filesize',
  'max_file_uploads',
  'allow_url_fopen',
  'allow_url_include',
  'default_socket_timeout',
  'expose_php',
  'extension',
  'zend_extension',
  'extension_dir',
  'include_path',
  'open_basedir',
  'disable_functions',
  'date.timezone',
  'session.save_handler',
  'session.save_path',
  'realpath_cache_size',
  'file_uploads',
  'variables_order',
  'default_charset',
  'serialize_precision',
  'zend.enable_gc',
]);
const PHP_INI_PREFIXES = ['opcache.', 'xdebug.', 'session.', 'mysqli.', 'pdo_mysql.', 'apc.', 'mbstring.', 'date.', 'zend.', 'pcre.', 'sendmail_', 'mail.'];

/**
 * `key = ...` or `key[index] = ...`: the key, and whether it has an index.
 * What /^([^=[\s]+)\s*(\[[^\]]*\])?\s*=/ matches, read left to right: that
 * regular expression backtracks through the whole line for each char of a
 * long line without `=` (quadratic: a 260 kB line took 5 s).
 */
export function settingKey(line: string): { key: string; indexed: boolean } | null {
  const key = /^[^=[\s]+/.exec(line)?.[0];
  if (key === undefined) return null;
  let at = key.length;
  const blanks = /\s*/y;
  blanks.lastIndex = at;
  at += blanks.exec(line)![0].length;
  let indexed = false;
  if (line[at] === '[') {
    const close = line.indexOf(']', at + 1);
    if (close < 0) return null;
    indexed = true;
    blanks.lastIndex = close + 1;
    at = close + 1 + blanks.exec(line)![0].length;
  }
  return line[at] === '=' ? { key, indexed } : null;
}

function scoreContent(text: string): { fpm: number; php: number } {
  let fpm = 0;
  let php = 0;
  for (const raw of text.split(/\r\n|\r|\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith(';') || line.startsWith('#')) continue;
    const sec = /^\[([^\]]*)\]/.exec(line);
    if (sec) {
      const name = sec[1]!.trim().toLowerCase();
      if (name === 'global' || name === 'www') fpm += 3;
      else if (name === 'php' || name.startsWith('path=') || name.startsWith('host=')) php += 3;
      continue;
    }
    const m = settingKey(line);
    if (!m) continue;
    const key = m.key.toLowerCase();
    if (m.indexed && (FPM_ARRAY_DIRECTIVES as readonly string[]).includes(key)) fpm += 2;
    else if (FPM_KEYS.has(key) && !AMBIGUOUS.has(key)) fpm += key.startsWith('pm') || key.startsWith('listen') ? 2 : 1;
    else if (PHP_INI_KEYS.has(key) || PHP_INI_PREFIXES.some((p) => key.startsWith(p))) php += 1;
  }
  return { fpm, php };
}

/**
 * 'php-ini', 'fpm', or null when neither the name nor the content says.
 * Content wins when it clearly leans one way (a pool file named *.ini, a
 * php.ini snippet named *.conf).
 */
export function detectIniKind(path: string, text: string): IniKind | null {
  const base = path.split(/[\\/]/).pop()!.toLowerCase();
  const dir = path.toLowerCase();
  const { fpm, php } = scoreContent(text);
  if (fpm >= 2 && fpm > php * 2) return 'fpm';
  if (php >= 2 && php > fpm * 2) return 'php-ini';
  if (/^php-fpm\.conf/.test(base) || /(^|[/\\])(php-fpm\.d|pool\.d)[/\\]/.test(dir)) return 'fpm';
  if (/^php\.ini/.test(base) || /\.ini$/.test(base) || /\.ini-/.test(base)) return 'php-ini';
  if (/fpm/.test(base) && /\.(conf|tpl)/.test(base)) return 'fpm';
  // a directory named after FPM (php-fpm/, fpm/, php-fpm.d/) holding a .conf or template
  if (/\.(conf|tpl)(\.|$)|\.conf-/.test(base) && dir.split(/[\\/]/).slice(0, -1).some((seg) => /fpm/.test(seg))) return 'fpm';
  if (fpm > php) return 'fpm';
  if (php > fpm) return 'php-ini';
  return null;
}
