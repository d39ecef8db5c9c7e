/**
 * Conformance of the INI parser on a corpus (`phpini` and `fpm` files of
 * <corpus>/FILES.tsv):
 *   - every file prints back byte-identical and never crashes the parser;
 *   - php.ini: phpIniValues equals `parse_ini_file(FILE, true,
 *     INI_SCANNER_NORMAL)` as recorded in <corpus>/../golden/php/<path>.json
 *     (`sections`). A value we mark dynamic (it reads the environment) is
 *     compared by evaluating it in an empty environment, which is how the
 *     golden files were recorded;
 *   - detectIniKind agrees with the corpus' type column.
 *
 *   npx tsx scripts/conformance/php.ts ../shared/corpus
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { decodeSource, encodeSource } from '../../src/syntax/source.js';
import { detectIniKind, isDynamic, loadFpmConfig, parseIni, phpIniValues, printIni, type PhpIniObject, type PhpIniValue } from '../../src/syntax/ini/index.js';
import { runFpmTest } from '../../test/ini/support/fpm-binary.js';

const PHP_FPM = '/usr/sbin/php-fpm8.2';

export interface PhpConformanceResult {
  phpini: { files: number; roundTripFailures: string[]; crashes: string[]; agree: number; disagree: number; missingGolden: string[]; dynamicValues: number };
  fpm: {
    files: number;
    roundTripFailures: string[];
    crashes: string[];
    withErrors: { file: string; first: string }[];
    /** when php-fpm is installed: each file alone through `php-fpm -n -t` vs loadFpmConfig (verdict and first error) */
    live: { compared: number; agree: number; differences: string[] } | null;
  };
  detection: { files: number; wrong: { file: string; expected: string; got: string | null }[] };
  mismatches: string[];
}

function readTsv(corpusDir: string): { file: string; type: string }[] {
  const text = readFileSync(path.join(corpusDir, 'FILES.tsv'), 'utf8');
  return text
    .split('\n')
    .slice(1)
    .filter(Boolean)
    .map((l) => {
      const [file, type] = l.split('\t');
      return { file: file!, type: type! };
    });
}

function compareValues(ours: PhpIniValue | undefined, env: PhpIniValue | undefined, golden: unknown, where: string, out: string[], stats: { dynamic: number }): void {
  if (ours === undefined) {
    out.push(`${where}: missing in ours (golden ${JSON.stringify(golden)})`);
    return;
  }
  if (typeof golden === 'string') {
    if (isDynamic(ours)) {
      stats.dynamic++;
      if (env !== golden) out.push(`${where}: dynamic ${JSON.stringify(ours.dynamic)} reads ${JSON.stringify(env)} in an empty environment, golden ${JSON.stringify(golden)}`);
      return;
    }
    if (ours !== golden) out.push(`${where}: ours ${JSON.stringify(ours)}, golden ${JSON.stringify(golden)}`);
    return;
  }
  if (golden && typeof golden === 'object') {
    const g = Array.isArray(golden) ? Object.fromEntries(golden.map((v, i) => [String(i), v])) : (golden as Record<string, unknown>);
    if (typeof ours !== 'object' || isDynamic(ours)) {
      out.push(`${where}: ours ${JSON.stringify(ours)}, golden an array`);
      return;
    }
    const e = env && typeof env === 'object' && !isDynamic(env) ? (env as PhpIniObject) : {};
    const keys = new Set([...Object.keys(g), ...Object.keys(ours)]);
    for (const k of keys) {
      if (!(k in g)) {
        out.push(`${where}/${k}: extra in ours ${JSON.stringify(ours[k])}`);
        continue;
      }
      compareValues(ours[k], e[k], g[k], `${where}/${k}`, out, stats);
    }
    return;
  }
  out.push(`${where}: golden ${JSON.stringify(golden)} not comparable`);
}

export function phpConformance(corpusDir: string): PhpConformanceResult {
  const goldenDir = path.join(corpusDir, '..', 'golden', 'php');
  const res: PhpConformanceResult = {
    phpini: { files: 0, roundTripFailures: [], crashes: [], agree: 0, disagree: 0, missingGolden: [], dynamicValues: 0 },
    fpm: { files: 0, roundTripFailures: [], crashes: [], withErrors: [], live: existsSync(PHP_FPM) ? { compared: 0, agree: 0, differences: [] } : null },
    detection: { files: 0, wrong: [] },
    mismatches: [],
  };
  for (const { file, type } of readTsv(corpusDir)) {
    if (type !== 'phpini' && type !== 'fpm') continue;
    const full = path.join(corpusDir, file);
    const bytes = readFileSync(full);
    const source = decodeSource(file, bytes);
    const bucket = type === 'phpini' ? res.phpini : res.fpm;
    bucket.files++;
    res.detection.files++;
    const kind = detectIniKind(file, source.text);
    const expected = type === 'phpini' ? 'php-ini' : 'fpm';
    if (kind !== expected) res.detection.wrong.push({ file, expected, got: kind });
    let tree;
    try {
      tree = parseIni(source, { dialect: type === 'phpini' ? 'php-ini' : 'fpm' });
      const printed = printIni(tree);
      if (printed !== source.text || !encodeSource(source, printed).equals(bytes)) bucket.roundTripFailures.push(file);
    } catch (e) {
      bucket.crashes.push(`${file}: ${e instanceof Error ? e.stack : String(e)}`);
      continue;
    }
    if (type === 'fpm') {
      try {
        const cfg = loadFpmConfig(full, { prefix: path.dirname(full) });
        // include targets are absolute paths of the machine the files were written for: not checked here
        const first = cfg.diagnostics.find((d) => d.severity === 'error' && d.rule !== 'fpm-config' && d.rule !== 'fpm-include');
        if (first) res.fpm.withErrors.push({ file, first: `${first.rule}: ${first.message}` });
        if (res.fpm.live) liveFpm(full, file, res.fpm.live);
      } catch (e) {
        res.fpm.crashes.push(`${file}: ${e instanceof Error ? e.stack : String(e)}`);
      }
      continue;
    }
    const goldenPath = path.join(goldenDir, file + '.json');
    if (!existsSync(goldenPath)) {
      res.phpini.missingGolden.push(file);
      continue;
    }
    const golden = JSON.parse(readFileSync(goldenPath, 'utf8')) as { valid: boolean; sections: unknown };
    let ours: PhpIniObject | false;
    let inEmptyEnv: PhpIniObject | false;
    try {
      ours = phpIniValues(tree);
      inEmptyEnv = phpIniValues(tree, { env: {} });
    } catch (e) {
      res.phpini.crashes.push(`${file}: ${e instanceof Error ? e.stack : String(e)}`);
      continue;
    }
    const diffs: string[] = [];
    const stats = { dynamic: 0 };
    if (golden.sections === false || !golden.valid) {
      if (ours !== false) diffs.push(`${file}: PHP rejects the file, we accept it`);
    } else if (ours === false) {
      diffs.push(`${file}: we report ${tree.diagnostics.map((d) => d.message).join('; ')}, PHP accepts the file`);
    } else {
      compareValues(ours, inEmptyEnv || undefined, golden.sections, file, diffs, stats);
    }
    res.phpini.dynamicValues += stats.dynamic;
    if (diffs.length) {
      res.phpini.disagree++;
      res.mismatches.push(...diffs);
    } else res.phpini.agree++;
  }
  return res;
}

/**
 * The file alone in a scratch prefix (with log/ and run/), through php-fpm
 * -t (-R: the same verdict for root and other users) and through
 * loadFpmConfig with the same prefix and system checks.
 */
function liveFpm(full: string, file: string, live: NonNullable<PhpConformanceResult['fpm']['live']>): void {
  const prefix = mkdtempSync(path.join(tmpdir(), 'nginx-lint-conformance-fpm-'));
  try {
    mkdirSync(path.join(prefix, 'log'));
    mkdirSync(path.join(prefix, 'run'));
    const main = path.join(prefix, 'main.conf');
    cpSync(full, main);
    const fpm = runFpmTest(PHP_FPM, prefix, main, {});
    const cfg = loadFpmConfig(main, { prefix, checkSystem: true, env: {} });
    const err = cfg.diagnostics.find((d) => d.severity === 'error');
    live.compared++;
    if ((err === undefined) === fpm.ok && (fpm.ok || err!.message === fpm.firstError)) live.agree++;
    else live.differences.push(`${file}: php-fpm ${fpm.ok ? 'accepts' : JSON.stringify(fpm.firstError)}, we ${err ? JSON.stringify(err.message) : 'accept'}`);
  } finally {
    rmSync(prefix, { recursive: true, force: true });
  }
}

/** Print the report; true when there was no crash and no round-trip failure. */
export async function main(corpusDir: string): Promise<boolean> {
  const r = phpConformance(corpusDir);
  const p = r.phpini;
  const f = r.fpm;
  console.log(`php.ini: ${p.files} files, ${p.roundTripFailures.length} round-trip failures, ${p.crashes.length} crashes`);
  console.log(`  parse_ini_file agreement: ${p.agree}/${p.files - p.missingGolden.length} files (${p.dynamicValues} dynamic values compared in an empty environment)`);
  if (p.missingGolden.length) console.log(`  no golden file: ${p.missingGolden.join(', ')}`);
  console.log(`fpm: ${f.files} files, ${f.roundTripFailures.length} round-trip failures, ${f.crashes.length} crashes`);
  console.log(`  files php-fpm would reject while reading them (syntax, unknown entry, bad value), first problem each: ${f.withErrors.length}`);
  for (const e of f.withErrors) console.log(`    ${e.file}: ${e.first}`);
  if (f.live) {
    console.log(`  live php-fpm -t agreement (each file alone, same verdict and first error): ${f.live.agree}/${f.live.compared}`);
    for (const d of f.live.differences) console.log(`    DIFFERENCE ${d}`);
  } else console.log(`  live php-fpm -t agreement: skipped (${PHP_FPM} not installed)`);
  console.log(`kind detection: ${r.detection.files - r.detection.wrong.length}/${r.detection.files} right`);
  for (const w of r.detection.wrong) console.log(`    ${w.file}: expected ${w.expected}, got ${w.got}`);
  for (const x of [...p.roundTripFailures, ...f.roundTripFailures]) console.log(`ROUND-TRIP FAILURE ${x}`);
  for (const x of [...p.crashes, ...f.crashes]) console.log(`CRASH ${x}`);
  for (const m of r.mismatches) console.log(`MISMATCH ${m}`);
  return p.crashes.length + f.crashes.length + p.roundTripFailures.length + f.roundTripFailures.length === 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const dir = process.argv[2];
  if (!dir) {
    console.error('usage: npx tsx scripts/conformance/php.ts CORPUS_DIR');
    process.exit(2);
  }
  const ok = await main(path.resolve(dir));
  process.exit(ok ? 0 : 1);
}
