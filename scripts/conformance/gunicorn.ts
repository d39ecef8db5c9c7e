/**
 * gunicorn conformance: for every corpus file of type `gunicorn-py`, compare
 * the settings we know statically with gunicorn's own Config as recorded in
 * <corpus>/../golden/gunicorn/<corpus path>.json (gunicorn 20.1.0, the file
 * executed by Python). Settings we report as dynamic are listed with why, and
 * their "default" (the value with the environment variables they read unset)
 * is checked against the recorded value, which was taken with those unset.
 *
 *   npx tsx scripts/conformance/gunicorn.ts ../shared/corpus
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { decodeSource } from '../../src/syntax/source.js';
import { readGunicornConfig, resolveGunicorn } from '../../src/syntax/gunicorn/index.js';

interface Golden {
  valid: boolean;
  error: { kind: string; exception: string; message: string; line: number } | null;
  settings: Record<string, unknown>;
  env?: Record<string, string | null>;
}

export interface GunicornConformanceResult {
  files: number;
  compared: number;
  skipped: { file: string; why: string }[];
  knownEqual: number;
  knownMismatch: { file: string; setting: string; ours: unknown; gunicorn: unknown; source: string }[];
  dynamic: { file: string; setting: string; expression: string; why: string[]; default?: unknown; defaultAgrees?: boolean; gunicorn: unknown }[];
  loadAgreement: { file: string; ours: boolean; gunicorn: boolean }[];
  crashes: { file: string; error: string }[];
}

function equal(a: unknown, b: unknown): boolean {
  return JSON.stringify(canon(a)) === JSON.stringify(canon(b));
}

function canon(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canon);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, x]) => [k, canon(x)]));
  return v;
}

export function gunicornConformance(corpusDir: string): GunicornConformanceResult {
  const tsv = fs.readFileSync(path.join(corpusDir, 'FILES.tsv'), 'utf8').split('\n').slice(1);
  const goldenDir = path.join(corpusDir, '..', 'golden', 'gunicorn');
  const res: GunicornConformanceResult = { files: 0, compared: 0, skipped: [], knownEqual: 0, knownMismatch: [], dynamic: [], loadAgreement: [], crashes: [] };
  for (const line of tsv) {
    const [corpusPath, type] = line.split('\t');
    if (type !== 'gunicorn-py' || !corpusPath) continue;
    res.files++;
    const goldenPath = path.join(goldenDir, corpusPath + '.json');
    if (!fs.existsSync(goldenPath)) {
      res.skipped.push({ file: corpusPath, why: 'no golden file' });
      continue;
    }
    const golden = JSON.parse(fs.readFileSync(goldenPath, 'utf8')) as Golden;
    try {
      const file = decodeSource(corpusPath, fs.readFileSync(path.join(corpusDir, corpusPath)));
      const config = readGunicornConfig(file, { version: '20.1' });
      const eff = resolveGunicorn({ version: '20.1', config });
      res.loadAgreement.push({ file: corpusPath, ours: config.loadable, gunicorn: golden.valid });
      if (!golden.valid) {
        res.skipped.push({ file: corpusPath, why: `gunicorn could not load it (${golden.error?.exception}: ${golden.error?.message}); we say: ${config.loadable ? 'loadable' : config.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message).join('; ')}` });
        continue;
      }
      res.compared++;
      for (const [name, s] of eff.settings) {
        if (!(name in golden.settings)) continue;
        const g = golden.settings[name];
        if (s.value.kind === 'known') {
          if (equal(s.value.value, g)) res.knownEqual++;
          else res.knownMismatch.push({ file: corpusPath, setting: name, ours: s.value.value, gunicorn: g, source: s.source.kind });
        } else if (s.value.kind === 'dynamic') {
          // gunicorn's defaults for user/group/chdir are the machine's: we never claim them
          const entry: GunicornConformanceResult['dynamic'][number] = { file: corpusPath, setting: name, expression: s.value.expression, why: s.value.why, gunicorn: g };
          if (s.value.hasDefault) {
            entry.default = s.value.default;
            entry.defaultAgrees = equal(s.value.default, g);
          }
          res.dynamic.push(entry);
        } else {
          res.knownMismatch.push({ file: corpusPath, setting: name, ours: s.value, gunicorn: g, source: s.source.kind });
        }
      }
    } catch (e) {
      res.crashes.push({ file: corpusPath, error: (e as Error).stack ?? String(e) });
    }
  }
  return res;
}

export function printGunicornConformance(r: GunicornConformanceResult): void {
  console.log(`gunicorn-py files: ${r.files}, compared with gunicorn 20.1.0: ${r.compared}, skipped: ${r.skipped.length}, crashes: ${r.crashes.length}`);
  for (const s of r.skipped) console.log(`  skipped ${s.file}: ${s.why}`);
  const loadDisagree = r.loadAgreement.filter((x) => x.ours !== x.gunicorn);
  console.log(`loadable agreement: ${r.loadAgreement.length - loadDisagree.length}/${r.loadAgreement.length}`);
  for (const x of loadDisagree) console.log(`  DISAGREE ${x.file}: ours ${x.ours}, gunicorn ${x.gunicorn}`);
  console.log(`known settings equal to gunicorn's: ${r.knownEqual}, mismatches: ${r.knownMismatch.length}`);
  for (const m of r.knownMismatch) console.log(`  MISMATCH ${m.file} ${m.setting} (${m.source}): ours ${JSON.stringify(m.ours)} gunicorn ${JSON.stringify(m.gunicorn)}`);
  const machine = r.dynamic.filter((d) => ['user', 'group', 'chdir'].includes(d.setting) && d.expression.startsWith('os.'));
  const rest = r.dynamic.filter((d) => !machine.includes(d));
  const withDefault = rest.filter((d) => d.default !== undefined || d.defaultAgrees !== undefined);
  console.log(`dynamic settings: ${r.dynamic.length} (${machine.length} are gunicorn's machine defaults: user=os.geteuid(), group=os.getegid(), chdir=os.getcwd())`);
  console.log(`  with a default: ${withDefault.length}, default equal to gunicorn's recorded value: ${withDefault.filter((d) => d.defaultAgrees).length}`);
  for (const d of rest) {
    const dflt = d.defaultAgrees === undefined ? 'no default' : `default ${JSON.stringify(d.default)} ${d.defaultAgrees ? '==' : '!='} gunicorn ${JSON.stringify(d.gunicorn)}`;
    console.log(`  ${d.file} ${d.setting} = ${JSON.stringify(d.expression.length > 90 ? d.expression.slice(0, 87) + '...' : d.expression)}: ${d.why.join('; ')} (${dflt})`);
  }
  for (const c of r.crashes) console.log(`  CRASH ${c.file}: ${c.error}`);
}

/** For scripts/conformance.ts: true when nothing crashed and every known value agreed. */
export function main(corpusDir: string): boolean {
  const r = gunicornConformance(corpusDir);
  printGunicornConformance(r);
  return r.crashes.length === 0 && r.knownMismatch.length === 0;
}

const invokedDirectly = process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname);
if (invokedDirectly) {
  const dir = process.argv[2];
  if (!dir) {
    console.error('usage: npx tsx scripts/conformance/gunicorn.ts CORPUS_DIR');
    process.exit(2);
  }
  process.exit(main(path.resolve(dir)) ? 0 : 1);
}
