/**
 * Live comparison with Debian's gunicorn (20.1.0): for every case of
 * fixtures/gunicorn/manifest.json, gunicorn builds its Config (via
 * test/gunicorn/print_config.py, run with /usr/bin/python3 and an explicit
 * environment) and every setting we report as known must equal gunicorn's.
 *
 * Each case is checked twice: with the environment unknown (what the linter
 * sees: env lookups are dynamic) and with the environment known and complete
 * (then almost everything is known, which exercises the evaluator's paths).
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { nodeFileSystem } from '../../src/fs.js';
import { loadGunicorn, type EffectiveGunicorn } from '../../src/syntax/gunicorn/index.js';
import { describeWithBinaries } from '../support/binaries.js';

interface Case {
  name: string;
  entry: string;
  files?: string[];
  argv: string[] | null;
  env?: Record<string, string>;
  outerEnv: Record<string, string>;
  valid: boolean;
  live?: boolean;
}

interface GunicornOutput {
  valid: boolean;
  error: string | null;
  cwd: string;
  settings: Record<string, unknown>;
}

const FIXTURES = path.resolve(__dirname, '../../fixtures/gunicorn');
const HELPER = path.resolve(__dirname, 'print_config.py');
const manifest = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'manifest.json'), 'utf8')) as { cases: Case[] };
const liveCases = manifest.cases.filter((c) => c.live !== false);

const totals = { cases: 0, compared: 0, agreed: 0, dynamic: 0, validityAgreed: 0 };

function materialize(c: Case): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nginx-lint-gunicorn-'));
  for (const rel of [c.entry, ...(c.files ?? [])]) {
    const text = fs.readFileSync(path.join(FIXTURES, rel), 'utf8').replaceAll('@CASEDIR@', dir);
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

function runGunicorn(python: string, c: Case, dir: string): GunicornOutput {
  const env = { ...c.outerEnv, ...(c.env ?? {}), PYTHONDONTWRITEBYTECODE: '1', LANG: 'C.UTF-8' };
  const args = c.argv === null ? [HELPER, '--config-only', path.join(dir, c.entry)] : [HELPER, '--', ...c.argv.map((a) => a.replaceAll('@CASEDIR@', dir))];
  const out = execFileSync(python, args, { cwd: dir, env, encoding: 'utf8', timeout: 20_000 });
  return JSON.parse(out) as GunicornOutput;
}

const canon = (v: unknown): string =>
  JSON.stringify(v, (_k, x: unknown) => (x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1))) : x));

function oursValid(eff: EffectiveGunicorn): boolean {
  return !eff.diagnostics.some((d) => d.severity === 'error') && (eff.config?.loadable ?? true);
}

describeWithBinaries(['gunicorn', 'python3'], 'gunicorn: our static reading agrees with Debian gunicorn 20.1.0', (bins) => {
  afterAll(() => {
    console.log(
      `gunicorn live: ${totals.cases} cases, ${totals.validityAgreed} valid/invalid agreements, ${totals.compared} known settings compared, ${totals.agreed} equal, ${totals.dynamic} dynamic (not compared)`,
    );
  });

  for (const c of liveCases) {
    it(c.name, () => {
      const dir = materialize(c);
      try {
        const g = runGunicorn(bins.python3, c, dir);
        expect(g.valid, `gunicorn ${g.valid ? 'accepted' : 'rejected'} ${c.name}: ${g.error ?? ''}`).toBe(c.valid);
        totals.cases++;
        const mismatches: string[] = [];
        for (const complete of [false, true]) {
          const loaded = loadGunicorn(path.join(dir, c.entry), { fs: nodeFileSystem, version: '20.1', env: c.outerEnv, envComplete: complete, cwd: dir });
          expect(loaded.configs.length, `one gunicorn configuration in ${c.entry}`).toBe(1);
          const eff = loaded.configs[0]!;
          if (c.argv !== null) {
            expect(eff.invocation?.args.map((w) => w.value)).toEqual(c.argv.map((a) => a.replaceAll('@CASEDIR@', dir)));
            for (const [k, v] of Object.entries(c.env ?? {})) expect(eff.invocation?.env.get(k)?.value, `environment ${k}`).toBe(v);
          }
          const valid = oursValid(eff);
          if (valid !== g.valid) mismatches.push(`[env ${complete ? 'complete' : 'unknown'}] we say ${valid ? 'valid' : 'invalid'} (${eff.diagnostics.map((d) => d.message).join('; ')}), gunicorn says ${g.valid ? 'valid' : g.error}`);
          else if (complete) totals.validityAgreed++;
          if (!g.valid) continue;
          for (const [name, s] of eff.settings) {
            if (!(name in g.settings)) continue;
            if (s.value.kind !== 'known') {
              totals.dynamic++;
              continue;
            }
            totals.compared++;
            if (canon(s.value.value) === canon(g.settings[name])) totals.agreed++;
            else mismatches.push(`[env ${complete ? 'complete' : 'unknown'}] ${name}: ours ${canon(s.value.value)} (${s.source.kind}), gunicorn ${canon(g.settings[name])}`);
          }
        }
        expect(mismatches, mismatches.join('\n')).toEqual([]);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});
