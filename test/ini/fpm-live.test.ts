/**
 * The FPM model against the live php-fpm (Debian php8.2-fpm):
 *
 * 1. every fixture in fixtures/fpm: `php-fpm -n -t` and loadFpmConfig give
 *    the same verdict, and for a rejected file the same first error (so the
 *    same offending key) — php-fpm decides what is expected, nothing is
 *    hard-coded here;
 * 2. for the fixtures php-fpm accepts, the settings it prints with -tt equal
 *    ours (includes, pools merged across files, last value wins);
 * 3. a real pool answers a FastCGI request with the php_value/env values our
 *    model says take effect (the first of duplicates, admin over user).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { fpmArrays, fpmPhpValues, loadFpmConfig, type FpmConfig } from '../../src/syntax/ini/index.js';
import { positionAt } from '../../src/syntax/source.js';
import { fastcgiRequest } from './support/fastcgi.js';
import { offendingKey, runFpmTest, stageFixture, type FpmVerdict } from './support/fpm-binary.js';
import { describeWithBinaries } from '../support/binaries.js';

const FIXTURES = path.resolve(__dirname, '../../fixtures/fpm');
/** the environment both php-fpm and our loader see (fixtures read ${FPM_TEST_*}) */
const ENV = { FPM_TEST_PORT: '9123', FPM_TEST_CHILDREN: '4', FPM_TEST_HOME: '/tmp' };

function firstError(cfg: FpmConfig) {
  return cfg.diagnostics.find((d) => d.severity === 'error') ?? null;
}

describeWithBinaries(['php-fpm'], 'FPM fixtures agree with php-fpm -t', (bins) => {
  const fixtures = readdirSync(FIXTURES).sort();
  const verdicts = new Map<string, FpmVerdict>();

  it('has at least 40 fixtures, both accepted and rejected ones', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(40);
    let ok = 0;
    for (const name of fixtures) {
      const st = stageFixture(path.join(FIXTURES, name));
      try {
        if (runFpmTest(bins['php-fpm'], st.prefix, st.main, ENV).ok) ok++;
      } finally {
        st.cleanup();
      }
    }
    expect(ok).toBeGreaterThanOrEqual(10);
    expect(fixtures.length - ok).toBeGreaterThanOrEqual(10);
  });

  for (const name of fixtures) {
    it(name, () => {
      const st = stageFixture(path.join(FIXTURES, name));
      try {
        const fpm = runFpmTest(bins['php-fpm'], st.prefix, st.main, ENV);
        verdicts.set(name, fpm);
        const cfg = loadFpmConfig(st.main, { prefix: st.prefix, checkSystem: true, env: ENV });
        const ours = firstError(cfg);
        expect({ ok: ours === null }, `php-fpm said:\n${fpm.output}`).toEqual({ ok: fpm.ok });
        if (!fpm.ok) {
          expect(ours!.message).toBe(fpm.firstError);
          expect(offendingKey(ours!.message)).toBe(offendingKey(fpm.firstError ?? ''));
          // php-fpm's line numbers are right in the main file up to its first include
          if (fpm.where && fpm.where.file === st.main && !existsSync(path.join(FIXTURES, name, 'php-fpm.conf'))) {
            expect(positionAt(ours!.file, ours!.span.start).line).toBe(fpm.where.line);
          }
        }
      } finally {
        st.cleanup();
      }
    });
  }

  dumpTests(bins['php-fpm'], fixtures);
});

/** `php-fpm -tt` dumps every setting; compare the ones the fixture sets. */
function dumpTests(bin: string, fixtures: string[]) {
  for (const name of fixtures) {
    it(`-tt dump of ${name} matches our settings`, () => {
      const st = stageFixture(path.join(FIXTURES, name));
      try {
        const r = spawnSync(bin, ['-n', '-tt', '-R', '-p', st.prefix, '-g', path.join(st.prefix, 'run', 'p.pid'), '-y', st.main], {
          encoding: 'utf8',
          env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...ENV },
        });
        if (r.status !== 0) return; // rejected files have no dump
        const dumpText = `${r.stdout}${r.stderr}${readLogs(st.prefix)}`;
        const dump = parseDump(dumpText);
        if (!dump.size) return; // daemonize = no: dumped into a log we could not find
        const cfg = loadFpmConfig(st.main, { prefix: st.prefix, checkSystem: true, env: ENV });
        const scopes: [string, FpmConfig['global']['settings']][] = [['global', cfg.global.settings], ...cfg.pools.map((p) => [p.name, p.settings] as [string, typeof p.settings])];
        let compared = 0;
        for (const [scope, settings] of scopes) {
          const fromDump = dump.get(scope);
          expect(fromDump, `section [${scope}] in the dump`).toBeDefined();
          for (const s of settings) {
            if (s.key !== null || !s.directive) continue;
            const last = [...settings].reverse().find((x) => x.key === null && x.name === s.name);
            if (last !== s) continue;
            const expected = dumpValue(s.directive.type, s.directive.meaning, s.typed);
            if (expected === null || !fromDump!.has(s.name)) continue; // apparmor_hat is not dumped
            expect(`${scope}.${s.name} = ${fromDump!.get(s.name)}`).toBe(`${scope}.${s.name} = ${expected}`);
            compared++;
          }
        }
        expect(compared, 'settings compared with the dump').toBeGreaterThan(0);
      } finally {
        st.cleanup();
      }
    });
  }
}

function readLogs(prefix: string): string {
  let out = '';
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.log')) out += readFileSync(p, 'utf8');
    }
  };
  walk(prefix);
  return out;
}

function parseDump(text: string): Map<string, Map<string, string>> {
  const out = new Map<string, Map<string, string>>();
  let cur: Map<string, string> | null = null;
  for (const line of text.split('\n')) {
    const m = /NOTICE: (.*)$/.exec(line);
    if (!m) continue;
    const body = m[1]!;
    const sec = /^\[(.*)\]$/.exec(body);
    if (sec) {
      cur = new Map();
      out.set(sec[1]!, cur);
      continue;
    }
    const kv = /^\t([^ ]+) = (.*)$/.exec(body);
    if (kv && cur && !cur.has(kv[1]!)) cur.set(kv[1]!, kv[2]!);
  }
  return out;
}

/** How php-fpm -tt prints a value we read (null: not compared, e.g. paths it rewrites or enums it prints as numbers) */
function dumpValue(type: string, meaning: string | undefined, typed: unknown): string | null {
  if (typed === null || typed === undefined) return null;
  switch (type) {
    case 'integer':
      return String(typed);
    case 'boolean':
      return typed ? 'yes' : 'no';
    case 'pm':
      return String(typed);
    case 'time':
      return null; // printed with or without "s" depending on the directive
    case 'string':
      if (meaning === 'path' || meaning === 'address' || typed === '') return null;
      return String(typed);
    default:
      return null;
  }
}

describeWithBinaries(['php-fpm'], 'a running php-fpm pool uses the values our model says take effect', (bins) => {
  let dir = '';
  let proc: ReturnType<typeof spawn> | null = null;
  const sock = () => path.join(dir, 'www.sock');

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'nginx-lint-fpm-live-'));
    writeFileSync(
      path.join(dir, 'probe.php'),
      '<?php echo json_encode(["dst" => ini_get("default_socket_timeout"), "precision" => ini_get("precision"), "met" => ini_get("max_execution_time"), "html" => ini_get("html_errors"), "display" => ini_get("display_errors"), "A" => getenv("A"), "B" => getenv("B")]);',
    );
    writeFileSync(
      path.join(dir, 'php-fpm.conf'),
      [
        '[global]',
        `error_log = ${dir}/error.log`,
        'daemonize = no',
        'include = pool.d/*.conf',
        '[www]',
        `listen = ${dir}/www.sock`,
        'pm = static',
        'pm.max_children = 1',
        'php_value[default_socket_timeout] = 21',
        'php_value[default_socket_timeout] = 22',
        'php_value[precision] = 7',
        'php_admin_value[precision] = 6',
        'php_admin_value[max_execution_time] = 11',
        'php_value[max_execution_time] = 12',
        'php_admin_flag[html_errors] = off',
        'php_admin_flag[html_errors] = on',
        'env[A] = first',
        'env[A] = second',
        '',
      ].join('\n'),
    );
    mkdirSync(path.join(dir, 'pool.d'));
    // the same pool again, in another file: it continues the pool above
    writeFileSync(path.join(dir, 'pool.d', 'more.conf'), '[WWW]\nphp_flag[display_errors] = on\nphp_value[default_socket_timeout] = 23\nenv[B] = from-include\n');
    proc = spawn(bins['php-fpm'], ['-n', '-F', '-R', '-p', dir, '-g', path.join(dir, 'fpm.pid'), '-y', path.join(dir, 'php-fpm.conf')], { stdio: 'ignore' });
    for (let i = 0; i < 100 && !existsSync(sock()); i++) await new Promise((r) => setTimeout(r, 50));
  });

  afterAll(() => {
    proc?.kill('SIGTERM');
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('answers with the first definition of a duplicated key, admin values over php_value', async () => {
    expect(existsSync(sock())).toBe(true);
    const res = await fastcgiRequest(sock(), { SCRIPT_FILENAME: path.join(dir, 'probe.php'), SCRIPT_NAME: '/probe.php', REQUEST_METHOD: 'GET' });
    const body = JSON.parse(res.stdout.slice(res.stdout.indexOf('\r\n\r\n') + 4)) as Record<string, string | false>;

    const cfg = loadFpmConfig(path.join(dir, 'php-fpm.conf'), { prefix: dir });
    // the included file opened the pool first, so php-fpm names it as that file spells it
    expect(cfg.pools.map((p) => p.name)).toEqual(['WWW']);
    const pool = cfg.pools[0]!;
    const values = fpmPhpValues(pool);
    const env = fpmArrays(pool).env;
    const ours = {
      dst: values.get('default_socket_timeout')!.setting.value,
      precision: values.get('precision')!.setting.value,
      met: values.get('max_execution_time')!.setting.value,
      html: values.get('html_errors')!.setting.value,
      display: values.get('display_errors')!.setting.value,
      A: env.get('A')!.value,
      B: env.get('B')!.value,
    };
    expect(ours).toEqual(body);
  });
});
