/**
 * php.ini and PHP-FPM readers on broken input: parseIni in both dialects
 * (lossless print, parse_ini_file values) and loadFpmConfig over trees of
 * pool files with include= globs, cycles and missing files. The agreement of
 * the same readers with PHP itself on random input is test/ini/fuzz-live.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { memoryFileSystem } from '../../src/fs.js';
import { loadFpmConfig, parseIni, phpIniValues, printIni } from '../../src/syntax/ini/index.js';
import { sourceFromString } from '../../src/syntax/source.js';
import { assertDiagnostics } from './support/invariants.js';
import { fuzz } from './support/run.js';
import { fpmTarget, phpIniTarget } from './targets.js';

describe('php.ini / FPM: never throws, spans inside the file, text back', () => {
  it('random and mutated php.ini', () => {
    expect(fuzz(phpIniTarget, 300)).toBeGreaterThanOrEqual(300);
    expect(fuzz(phpIniTarget, 20, true)).toBeGreaterThanOrEqual(20);
  });
  it('FPM trees with includes', () => {
    expect(fuzz(fpmTarget, 150)).toBeGreaterThanOrEqual(150);
    expect(fuzz(fpmTarget, 8, true)).toBeGreaterThanOrEqual(8);
  });
});

describe('php.ini / FPM: pathological shapes, each once', () => {
  it('10,000 nested parentheses or ~ stop at a syntax error on their line; 10,000 | terms evaluate', () => {
    for (const dialect of ['php-ini', 'fpm'] as const) {
      for (const value of ['('.repeat(10_000) + '1' + ')'.repeat(10_000), '~'.repeat(10_000) + '1', '!'.repeat(10_000) + '1']) {
        const text = `a = ${value}\nb = 2\n`;
        const tree = parseIni(sourceFromString('x.ini', text), { dialect });
        expect(printIni(tree)).toBe(text);
        expect(tree.diagnostics.map((d) => d.message)).toEqual(['expression nested deeper than 1000 levels (nginx-lint reads no deeper; PHP stops at about 10000 with "memory exhausted")']);
        assertDiagnostics(tree.diagnostics, [text]);
      }
      const chain = parseIni(sourceFromString('x.ini', `a = 1${' | 2'.repeat(10_000)}\n`), { dialect });
      expect(chain.diagnostics).toEqual([]);
      if (dialect === 'php-ini') expect(phpIniValues(chain)).toEqual({ a: '3' });
    }
  });

  it('30 pool files that each include the whole pool directory stop at the recursion limit, as php-fpm does (not 30^5 reads)', () => {
    const files: Record<string, string> = { '/etc/php/fpm/php-fpm.conf': '[global]\ninclude=/etc/php/fpm/pool.d/*.conf\n' };
    for (let i = 0; i < 30; i++) files[`/etc/php/fpm/pool.d/p${i}.conf`] = `[p${i}]\nlisten = /run/p${i}.sock\npm = static\npm.max_children = 1\ninclude=/etc/php/fpm/pool.d/*.conf\n`;
    const config = loadFpmConfig('/etc/php/fpm/php-fpm.conf', { fs: memoryFileSystem(files) });
    expect(config.diagnostics.map((d) => `${d.file.path}: ${d.message}`)).toEqual([
      '/etc/php/fpm/pool.d/p0.conf: failed to include more than 5 files recursively',
      '/etc/php/fpm/pool.d/p0.conf: Unable to include /etc/php/fpm/pool.d/p0.conf from /etc/php/fpm/pool.d/p0.conf at line 5',
    ]);
  });

  it('10,000 pools with one listen address: the duplicate is found without comparing every pair', () => {
    const pools = Array.from({ length: 10_000 }, (_, i) => `[p${i}]\nlisten = /run/p${i === 9_999 ? 17 : i}.sock\npm = static\npm.max_children = 1\n`).join('');
    const config = loadFpmConfig('/f.conf', { fs: memoryFileSystem({ '/f.conf': `[global]\n${pools}` }) });
    expect(config.pools).toHaveLength(10_000);
    expect(config.diagnostics.map((d) => d.message)).toEqual(["[pool p9999] unable to set listen address as it's already used in another pool 'p17'"]);
  });
});
