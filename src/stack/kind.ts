/**
 * What kind of configuration a file holds, from its name first and its
 * content second. One place for these guesses; `--kind` overrides them.
 */
import * as path from 'node:path';
import { detectIniKind } from '../syntax/ini/detect.js';
import { SUPERVISOR_SECTION } from '../syntax/gunicorn/command-line.js';

export const FILE_KINDS = ['nginx', 'php-ini', 'fpm', 'gunicorn', 'systemd', 'procfile', 'supervisor'] as const;
export type FileKind = (typeof FILE_KINDS)[number];

const NGINX_NAMES = new Set(['nginx.conf', 'mime.types', 'fastcgi_params', 'fastcgi.conf', 'proxy_params', 'uwsgi_params', 'scgi_params', 'koi-utf', 'koi-win', 'win-utf']);

/** Never configuration, whatever folder they sit in. */
const NOT_CONFIG = /\.(m?[jt]sx?|json|ya?ml|toml|md|rst|txt|sh|bash|rb|php|go|rs|c|h|java|html?|css|xml|lock|log|png|jpe?g|gif|svg|ico|gz|zip|tar|pem|crt|key)$/;
const NOT_CONFIG_NAMES = /^(readme|license|licence|changelog|copying|authors|notice|makefile|dockerfile)(\..*)?$/;

export function detectKind(filePath: string, text: string): FileKind | null {
  const base = path.basename(filePath);
  const lower = base.toLowerCase();
  if (NOT_CONFIG_NAMES.test(lower) || NOT_CONFIG.test(lower)) return null;
  const dir = filePath.split(/[\\/]/);
  if (lower === 'procfile' || lower.startsWith('procfile.')) return 'procfile';
  if (/\.(service|socket)$/.test(lower)) return 'systemd';
  if (/^php(-cli|-fpm|-cgi)?\.ini(-.+)?$/.test(lower) || /^php\.ini/.test(lower)) return 'php-ini';
  if (lower.endsWith('.py')) {
    if (/gunicorn|\.conf\.py$/.test(lower) || /^\s*(bind|workers|worker_class|timeout)\s*=/m.test(text)) return 'gunicorn';
    return null;
  }
  if (NGINX_NAMES.has(lower)) return 'nginx';
  // supervisord.conf or a program file in its conf.d: INI-shaped, and no php.ini or FPM file has these sections
  if (lower === 'supervisord.conf' || ((/\.(conf|ini)$/.test(lower) || !lower.includes('.')) && SUPERVISOR_SECTION.test(text))) return 'supervisor';
  const ini = looksLikeIni(text) ? detectIniKind(filePath, text) : null;
  if (ini) return ini;
  if (dir.some((d) => /^(sites-(available|enabled)|nginx|conf\.d|snippets)$/.test(d))) return 'nginx';
  if (/\.(conf|nginx|vhost)$/.test(lower) || /^\s*(server|http|location|upstream|events)\s*[{]/m.test(text)) return 'nginx';
  return null;
}

/** INI files have `key = value` lines and no `;`-terminated directives with braces. */
function looksLikeIni(text: string): boolean {
  const sample = text.slice(0, 8192);
  // most files have no `key =` line at all (every nginx file of a big tree): no need to count
  if (!/^\s*[\w.[\]$-]+\s*=/m.test(sample)) return false;
  const iniLines = (sample.match(/^\s*[\w.[\]$-]+\s*=/gm) ?? []).length;
  const nginxLines = (sample.match(/^\s*[a-z_]+\s+[^=\n]*;\s*(#.*)?$|[{}]\s*$/gm) ?? []).length;
  return iniLines > 0 && iniLines >= nginxLines;
}
