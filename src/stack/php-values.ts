/**
 * The PHP settings a pool's workers run with: php-fpm's `php_admin_value` /
 * `php_value` (and flags) over the php.ini files PHP loaded (php.ini, then
 * the scan directory in name order, later files winning), over PHP's own
 * defaults for the FPM SAPI. Each value remembers where it was set.
 */
import * as path from 'node:path';
import type { SourceFile, Span } from '../syntax/source.js';
import type { IniFile } from '../syntax/ini/ast.js';
import { evaluateValue } from '../syntax/ini/evaluate.js';
import { fpmPhpValues, type FpmPool } from '../syntax/ini/fpm.js';

/** PHP's built-in defaults (main.c / the php.ini directives table) as php-fpm runs them; one place for them. */
export const PHP_DEFAULTS: Record<string, string> = {
  max_execution_time: '30',
  max_input_time: '-1',
  post_max_size: '8M',
  upload_max_filesize: '2M',
  memory_limit: '128M',
  'cgi.fix_pathinfo': '1',
  file_uploads: '1',
  default_socket_timeout: '60',
};

export interface PhpValue {
  name: string;
  /** the value PHP uses; null when it depends on the environment */
  value: string | null;
  /** written text (for messages), or the default */
  text: string;
  /** where it was set; null for PHP's default */
  file: SourceFile | null;
  span: Span | null;
  /** the value's own span (what a fix replaces); null for defaults */
  valueSpan: Span | null;
  source: 'php_admin_value' | 'php_value' | 'php.ini' | 'default';
  /** lower-precedence settings this one hides, nearest first */
  overrides: PhpValue[];
}

/** The ini files PHP loads, in load order: the main php.ini first, then the others by name (PHP's scan dir order). */
export function phpIniLoadOrder(files: IniFile[]): IniFile[] {
  const main = (f: IniFile) => (/^php\.ini$/i.test(path.basename(f.source.path)) ? 0 : 1);
  return [...files].sort((a, b) => main(a) - main(b) || (path.basename(a.source.path) < path.basename(b.source.path) ? -1 : 1));
}

/** Every value set by one ini file, last definition of each key winning (sections do not scope php.ini directives). */
function iniValues(file: IniFile): Map<string, PhpValue> {
  const out = new Map<string, PhpValue>();
  for (const node of file.nodes) {
    if (node.kind !== 'entry' || node.offset || !node.value) continue;
    const ev = evaluateValue(node.value);
    out.set(node.key, {
      name: node.key,
      value: ev.dynamic ? null : ev.value,
      text: file.source.text.slice(node.value.span.start, node.value.span.end),
      file: file.source,
      span: node.span,
      valueSpan: node.value.span,
      source: 'php.ini',
      overrides: [],
    });
  }
  return out;
}

/** A pool's effective PHP ini values: lookups go pool → ini files (last first) → default. */
export class PhpSettings {
  private readonly layers: Map<string, PhpValue>[];

  constructor(
    readonly iniFiles: IniFile[],
    readonly pool: FpmPool | null,
  ) {
    const layers: Map<string, PhpValue>[] = [];
    if (pool) {
      const pv = new Map<string, PhpValue>();
      for (const [key, { setting, admin }] of fpmPhpValues(pool)) {
        const v = setting.entry.value;
        pv.set(key, {
          name: key,
          value: typeof setting.value === 'string' ? setting.value : null,
          text: v ? setting.file.source.text.slice(v.span.start, v.span.end) : '',
          file: setting.file.source,
          span: setting.entry.span,
          valueSpan: v ? v.span : null,
          source: admin ? 'php_admin_value' : 'php_value',
          overrides: [],
        });
      }
      layers.push(pv);
    }
    for (const f of [...phpIniLoadOrder(iniFiles)].reverse()) layers.push(iniValues(f));
    this.layers = layers;
  }

  get(name: string): PhpValue {
    const found: PhpValue[] = [];
    for (const layer of this.layers) {
      const v = layer.get(name);
      if (v) found.push(v);
    }
    const def: PhpValue = { name, value: PHP_DEFAULTS[name] ?? null, text: PHP_DEFAULTS[name] ?? '', file: null, span: null, valueSpan: null, source: 'default', overrides: [] };
    const [first, ...rest] = found;
    if (!first) return def;
    return { ...first, overrides: [...rest, def] };
  }
}
