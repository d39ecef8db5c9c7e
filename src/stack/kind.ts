/**
 * What kind of configuration a file holds, from its name first and its
 * content second. One place for these guesses; `--kind` overrides them.
 */
import * as path from 'node:path';

export const FILE_KINDS = ['nginx', 'php-ini', 'fpm', 'gunicorn', 'systemd', 'procfile'] as const;
export type FileKind = (typeof FILE_KINDS)[number];

const NGINX_NAMES = new Set(['nginx.conf', 'mime.types', 'fastcgi_params', 'fastcgi.conf', 'proxy_params', 'uwsgi_params', 'scgi_params', 'koi-utf', 'koi-win', 'win-utf']);

export function detectKind(filePath: string, text: string): FileKind | null {
  const base = path.basename(filePath);
  const lower = base.toLowerCase();
  const dir = filePath.split(/[\\/]/);
  if (lower === 'procfile' || lower.startsWith('procfile.')) return 'procfile';
  if (/\.(service|socket)$/.test(lower)) return 'systemd';
  if (/^php(-cli|-fpm|-cgi)?\.ini(-.+)?$/.test(lower) || /^php\.ini/.test(lower)) return 'php-ini';
  if (lower.endsWith('.py')) {
    if (/gunicorn|\.conf\.py$/.test(lower) || /^\s*(bind|workers|worker_class|timeout)\s*=/m.test(text)) return 'gunicorn';
    return null;
  }
  if (NGINX_NAMES.has(lower) || dir.some((d) => /^(sites-(available|enabled)|nginx|conf\.d|snippets)$/.test(d)) && !looksLikeIni(text)) return 'nginx';
  if (looksLikeIni(text)) {
    if (/^\s*\[global\]/m.test(text) || /^\s*(pm|listen|pm\.max_children|request_terminate_timeout)\s*=/m.test(text) || /php-fpm|fpm/.test(lower)) return 'fpm';
    if (/^\s*\[php\]/im.test(text) || /^\s*(memory_limit|max_execution_time|post_max_size|upload_max_filesize|extension)\s*=/m.test(text)) return 'php-ini';
  }
  if (/\.(conf|nginx|vhost)$/.test(lower) || /^\s*(server|http|location|upstream|events)\s*[{]/m.test(text)) return 'nginx';
  return null;
}

/** INI files have `key = value` lines and no `;`-terminated directives with braces. */
function looksLikeIni(text: string): boolean {
  const sample = text.slice(0, 8192);
  const iniLines = (sample.match(/^\s*[\w.[\]$-]+\s*=/gm) ?? []).length;
  const nginxLines = (sample.match(/^\s*[a-z_]+\s+[^=\n]*;\s*(#.*)?$|[{}]\s*$/gm) ?? []).length;
  return iniLines > 0 && iniLines >= nginxLines;
}
