/**
 * Differential fuzzing against the real programs, with fixed seeds so a
 * failure reproduces: random INI text through parse_ini_file (values and
 * syntax-error messages) and random lines in a pool through php-fpm -t
 * (verdict and first error).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { loadFpmConfig, parseIni, phpIniValues } from '../../src/syntax/ini/index.js';
import { sourceFromString } from '../../src/syntax/source.js';
import { describeWithBinaries } from '../support/binaries.js';
import { runFpmTest, stageFixture } from './support/fpm-binary.js';

const PIECES = [
  ...'ab= \t\n\r;[]"\'${}()|&^~!:,.-_019E\\#\0é'.split(''),
  'on',
  'off ',
  'E_ALL',
  'null',
  'yes\t',
  '${A}',
  '${B}',
  'x[]',
  'x[k]',
  '[s]\n',
  ' = ',
  '"q"',
  "'r'",
  '\r\n',
  '${A:-d}',
  '"\\"',
  '$\\x',
  '1.5',
  '-3',
  '0x1',
];

function sortDeep(v: unknown): unknown {
  if (v && typeof v === 'object') {
    const o: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) o[k] = sortDeep((v as Record<string, unknown>)[k]);
    return o;
  }
  return v;
}

describeWithBinaries(['php'], 'random INI text: phpIniValues = parse_ini_file', (bins) => {
  it('agrees on 1500 random inputs (seed 20240601)', () => {
    const samples = fc.sample(
      fc.array(fc.constantFrom(...PIECES), { maxLength: 30 }).map((a) => a.join('')),
      { numRuns: 1500, seed: 20240601 },
    );
    const dir = mkdtempSync(path.join(tmpdir(), 'nginx-lint-ini-fuzz-'));
    try {
      samples.forEach((s, i) => writeFileSync(path.join(dir, `${i}.ini`), s));
      const out = execFileSync(
        bins.php,
        [
          '-n',
          '-r',
          `for ($i = 0; $i < ${samples.length}; $i++) { $r = @parse_ini_file("${dir}/$i.ini", true, INI_SCANNER_NORMAL); $e = error_get_last(); error_clear_last();
           echo json_encode(['v' => $r, 'e' => $r === false && $e ? preg_replace('/ in \\S+ on line \\d+\\s*$/', '', $e['message']) : null], JSON_FORCE_OBJECT|JSON_INVALID_UTF8_SUBSTITUTE), "\\n"; }`,
        ],
        { env: { A: 'aval', PATH: '/usr/bin:/bin' }, encoding: 'utf8', maxBuffer: 1 << 26 },
      );
      const lines = out.trim().split('\n');
      const diffs: string[] = [];
      samples.forEach((s, i) => {
        const php = JSON.parse(lines[i]!) as { v: unknown; e: string | null };
        const tree = parseIni(sourceFromString('fuzz.ini', s));
        const ours = phpIniValues(tree, { env: { A: 'aval' } });
        const ourError = tree.diagnostics.find((d) => d.severity === 'error')?.message ?? null;
        const sameValues = JSON.stringify(sortDeep(php.v)) === JSON.stringify(sortDeep(ours));
        const sameError = php.v !== false || php.e === ourError;
        if (!sameValues || !sameError) diffs.push(`${JSON.stringify(s)}: php ${JSON.stringify(php)} ours ${JSON.stringify(ours)} ${ourError}`);
      });
      expect(diffs).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describeWithBinaries(['php-fpm'], 'random pool lines: loadFpmConfig = php-fpm -t', (bins) => {
  it('agrees on 150 random lines (seed 7)', () => {
    const tok = fc.constantFrom(
      'pm',
      'pm.max_children',
      'listen',
      'user',
      'catch_workers_output',
      'php_value[x]',
      'php_flag[y]',
      'env[E]',
      'include',
      'request_terminate_timeout',
      'slowlog',
      ' = ',
      '=',
      ' ',
      '"',
      "'",
      '5',
      '0',
      '-1',
      '10s',
      '3m',
      'on',
      'off',
      'static',
      'dynamic',
      'ondemand',
      '$pool',
      '${A}',
      ';c',
      '[',
      ']',
      'www',
      'global',
      'x',
      '\t',
      '|',
      '&',
      '~',
      '(',
      ')',
      'E_ALL',
      'yes',
      'null',
      '1.5',
      'log/s.log',
      '\r',
    );
    const lines = fc.sample(
      fc.array(tok, { minLength: 1, maxLength: 6 }).map((a) => a.join('')),
      { numRuns: 150, seed: 7 },
    );
    const dir = mkdtempSync(path.join(tmpdir(), 'nginx-lint-fpm-fuzz-'));
    const diffs: string[] = [];
    try {
      for (const line of lines) {
        const file = path.join(dir, 'f.conf');
        writeFileSync(file, `[global]\nerror_log = log/e.log\n[www]\nlisten = 127.0.0.1:9000\npm = static\npm.max_children = 2\n${line}\n`);
        const st = stageFixture(file);
        try {
          const env = { A: '7' };
          const fpm = runFpmTest(bins['php-fpm'], st.prefix, st.main, env);
          const cfg = loadFpmConfig(st.main, { prefix: st.prefix, checkSystem: true, env });
          const err = cfg.diagnostics.find((d) => d.severity === 'error');
          if ((err === undefined) !== fpm.ok || (!fpm.ok && err!.message !== fpm.firstError)) {
            diffs.push(`${JSON.stringify(line)}: php-fpm ${fpm.ok ? 'OK' : fpm.firstError}, ours ${err ? err.message : 'OK'}`);
          }
        } finally {
          st.cleanup();
        }
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(diffs).toEqual([]);
  });
});
