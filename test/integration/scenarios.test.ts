/**
 * Issue 8: broken stacks in fixtures/stacks/<name>/, each booted for real.
 * For every scenario:
 *  (a) the broken stack is booted (nginx, php-fpm8.2, gunicorn or an
 *      in-process counting server on 127.0.0.1 ports chosen at run time and
 *      unix sockets in a temporary directory) and the failure is observed;
 *  (b) the linter (bundled privately) reports the expected rule at the
 *      expected file:line of the same copy;
 *  (c) `--fix` on a fresh copy; `nginx -t` and `php-fpm -t` pass on the fixed
 *      files; the fixed stack is booted and works;
 *  (d) the fixed copy linted again has no finding of that rule;
 *  (e) one evidence line per scenario on stdout:
 *      STACK <name>: broken=<observed> finding=<rule>@<file>:<line> fixed=<observed>
 */
import { mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, it, type ExpectStatic } from 'vitest';
import { describeWithBinaries } from '../support/binaries.js';
import { request, Stack } from './harness.js';
import { PrivateCli, type Finding } from './lint-cli.js';

const fixtures = path.resolve(import.meta.dirname, '../../fixtures/stacks');

interface Boot {
  /** php-fpm.conf's socket (relative to the stack) to wait for */
  fpm?: string;
  /** gunicorn with the stack's gunicorn.conf.py, app/wsgi.py */
  gunicorn?: boolean;
}

interface Scenario {
  name: string;
  ports: string[];
  rule: string;
  /** where the finding is expected, relative to the stack: file:line */
  at: string;
  boot: Boot;
  /** observe the broken stack (booted unless `bootBroken` is false); returns the evidence word */
  broken: (s: Stack, expect: ExpectStatic) => Promise<string>;
  /** observe the fixed, booted stack; returns the evidence word */
  fixed: (s: Stack, expect: ExpectStatic) => Promise<string>;
  bootBroken?: boolean;
}

async function boot(s: Stack, b: Boot): Promise<void> {
  mkdirSync(s.path('tmp'), { recursive: true });
  if (b.fpm) await s.startFpm('php-fpm.conf', b.fpm);
  if (b.gunicorn) await s.startGunicorn(['-c', s.path('gunicorn.conf.py'), '--chdir', s.path('app'), 'wsgi:application'], { port: 'APP_PORT' });
  await s.startNginx('nginx.conf', 'NGINX_PORT');
}

const port = (s: Stack) => Number(s.vars.NGINX_PORT);
const errorLog = (s: Stack) => s.read('nginx-error.log');

/** 200 with the PHP script's own answer: the smoke stacks' index.php */
async function phpIndexOk(s: Stack, expect: ExpectStatic): Promise<string> {
  const r = await request(port(s), { path: '/index.php', timeoutMs: 5000 });
  expect(r.status, s.logs()).toBe(200);
  expect(r.body).toBe(`php ok ${s.path('www/index.php')}\n`);
  return String(r.status);
}

/** ten sequential requests through nginx; how many TCP connections the upstream accepted */
async function countConnections(s: Stack, expect: ExpectStatic, counter: { connections: () => number; requests: () => number }): Promise<{ requests: number; connections: number }> {
  for (let i = 0; i < 10; i++) {
    const r = await request(port(s), { path: `/r${i}`, timeoutMs: 3000 });
    expect(r.status, s.logs()).toBe(200);
    expect(r.body).toBe('upstream ok\n');
  }
  expect(counter.requests()).toBe(10);
  return { requests: counter.requests(), connections: counter.connections() };
}

const FORM_FIELD = 2_000_000;
async function postForm(s: Stack): Promise<{ status: number; body: string }> {
  return request(port(s), {
    path: '/form.php',
    method: 'POST',
    body: `f=${'a'.repeat(FORM_FIELD)}`,
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    timeoutMs: 5000,
  });
}

const counters = new WeakMap<Stack, { connections: () => number; requests: () => number }>();

const SCENARIOS: Scenario[] = [
  {
    name: 'socket-path-typo',
    ports: ['NGINX_PORT'],
    rule: 'backend-not-found',
    at: 'nginx.conf:25',
    boot: { fpm: 'php8.2-fpm.sock' },
    async broken(s, expect) {
      const r = await request(port(s), { path: '/index.php', timeoutMs: 5000 });
      expect(r.status, s.logs()).toBe(502);
      expect(errorLog(s)).toContain(`connect() to unix:${s.path('php-fpm.sock')} failed (2: No such file or directory)`);
      return String(r.status);
    },
    fixed: phpIndexOk,
  },
  {
    name: 'gunicorn-timeout',
    ports: ['NGINX_PORT', 'APP_PORT'],
    rule: 'gunicorn-timeout-order',
    at: 'gunicorn.conf.py:5',
    boot: { gunicorn: true },
    async broken(s, expect) {
      const r = await request(port(s), { path: '/app/slow?s=4', timeoutMs: 12_000 });
      expect(r.status, s.logs()).toBe(502);
      expect(errorLog(s)).toContain('upstream prematurely closed connection while reading response header from upstream');
      expect(s.logs()).toContain('WORKER TIMEOUT');
      return String(r.status);
    },
    async fixed(s, expect) {
      const r = await request(port(s), { path: '/app/slow?s=4', timeoutMs: 12_000 });
      expect(r.status, s.logs()).toBe(200);
      expect(r.body).toBe('app ok /app/slow\n');
      return String(r.status);
    },
  },
  {
    name: 'fpm-request-terminate',
    ports: ['NGINX_PORT'],
    rule: 'fpm-timeout-order',
    at: 'php-fpm.conf:12',
    boot: { fpm: 'php-fpm.sock' },
    async broken(s, expect) {
      const r = await request(port(s), { path: '/slow.php?s=4', timeoutMs: 12_000 });
      expect(r.status, s.logs()).toBe(502);
      expect(errorLog(s)).toMatch(/upstream prematurely closed FastCGI stdout|recv\(\) failed \(104: Connection reset by peer\)/);
      expect(s.logs()).toMatch(/execution timed out \([\d.]+ sec\), terminating/);
      return String(r.status);
    },
    async fixed(s, expect) {
      const r = await request(port(s), { path: '/slow.php?s=4', timeoutMs: 12_000 });
      expect(r.status, s.logs()).toBe(200);
      expect(r.body).toBe('slept\n');
      return String(r.status);
    },
  },
  {
    name: 'busy-buffers',
    ports: ['NGINX_PORT', 'APP_PORT'],
    rule: 'upstream-buffers',
    at: 'nginx.conf:24',
    boot: { gunicorn: true },
    bootBroken: false,
    async broken(s, expect) {
      mkdirSync(s.path('tmp'), { recursive: true });
      const t = await s.nginxTest('nginx.conf');
      expect(t.ok, t.output).toBe(false);
      expect(t.output).toContain('"proxy_busy_buffers_size" must be less than the size of all "proxy_buffers" minus one buffer');
      return 'nginx-t-failed';
    },
    async fixed(s, expect) {
      const r = await request(port(s), { path: '/app/hello', timeoutMs: 5000 });
      expect(r.status, s.logs()).toBe(200);
      expect(r.body).toBe('app ok /app/hello\n');
      return String(r.status);
    },
  },
  {
    name: 'missing-script-filename',
    ports: ['NGINX_PORT'],
    rule: 'fastcgi-script-filename',
    at: 'nginx.conf:24',
    boot: { fpm: 'php-fpm.sock' },
    async broken(s, expect) {
      const r = await request(port(s), { path: '/index.php', timeoutMs: 5000 });
      expect(r.status, s.logs()).toBe(404);
      expect(r.body).toBe('File not found.\n');
      expect(errorLog(s)).toContain('FastCGI sent in stderr: "Primary script unknown"');
      return String(r.status);
    },
    fixed: phpIndexOk,
  },
  {
    name: 'fpm-socket-permissions',
    ports: ['NGINX_PORT'],
    rule: 'fpm-socket-permissions',
    at: 'php-fpm.conf:10',
    boot: { fpm: 'php-fpm.sock' },
    async broken(s, expect) {
      const r = await request(port(s), { path: '/index.php', timeoutMs: 5000 });
      expect(r.status, s.logs()).toBe(502);
      expect(errorLog(s)).toContain(`connect() to unix:${s.path('php-fpm.sock')} failed (13: Permission denied)`);
      return String(r.status);
    },
    fixed: phpIndexOk,
  },
  {
    name: 'keepalive-no-http11',
    ports: ['NGINX_PORT', 'APP_PORT'],
    rule: 'upstream-keepalive-protocol',
    at: 'nginx.conf:28',
    boot: {},
    async broken(s, expect) {
      const { requests, connections } = await countConnections(s, expect, counters.get(s)!);
      expect(connections, 'one new upstream connection per request').toBe(requests);
      return `${connections}conn/${requests}req`;
    },
    async fixed(s, expect) {
      const { requests, connections } = await countConnections(s, expect, counters.get(s)!);
      expect(connections, 'upstream connections are reused').toBeLessThan(requests);
      return `${connections}conn/${requests}req`;
    },
  },
  {
    name: 'body-too-large',
    ports: ['NGINX_PORT'],
    rule: 'body-size-exceeds-php',
    at: 'nginx.conf:22',
    boot: { fpm: 'php-fpm.sock' },
    async broken(s, expect) {
      const r = await postForm(s);
      expect(r.status, s.logs()).toBe(200);
      // the body reached PHP (its Content-Length is there) and PHP dropped it: over post_max_size
      expect(r.body).toBe(`length=${FORM_FIELD + 2} fields=0 f=0\n`);
      return 'post-empty(fields=0)';
    },
    async fixed(s, expect) {
      const r = await postForm(s);
      expect(r.status, s.logs()).toBe(200);
      expect(r.body).toBe(`length=${FORM_FIELD + 2} fields=1 f=${FORM_FIELD}\n`);
      return `post-ok(f=${FORM_FIELD})`;
    },
  },
];

/** boot a stack for a scenario (the keepalive scenario's upstream is a counting server in this process) */
async function bootScenario(sc: Scenario, s: Stack): Promise<void> {
  if (sc.name === 'keepalive-no-http11') counters.set(s, await s.startCountingServer('APP_PORT'));
  await boot(s, sc.boot);
}

const evidence = new Map<string, string>();
let cli: PrivateCli;

const where = (f: Finding) => `${f.rule}@${f.file}:${f.line}`;

describeWithBinaries(['nginx', 'php-fpm', 'python3', 'gunicorn'], 'integration scenarios: broken stacks, observed, linted, fixed', () => {
  beforeAll(() => {
    cli = PrivateCli.build();
  });
  afterAll(() => {
    cli?.dispose();
    const lines = SCENARIOS.map((sc) => evidence.get(sc.name) ?? `STACK ${sc.name}: (did not finish)`);
    process.stdout.write(`\n${lines.join('\n')}\n`);
  });

  describe.concurrent('scenarios', () => {
    for (const sc of SCENARIOS) {
      it(sc.name, { timeout: 90_000 }, async ({ expect }) => {
        const fixture = path.join(fixtures, sc.name);
        let brokenWord = '?';
        let fixedWord = '?';
        let finding = 'none';
        const broken = await Stack.create(fixture, sc.ports);
        const fixed = await Stack.create(fixture, sc.ports);
        try {
          // (b) lint the substituted copy, before anything writes logs into it
          const before = await cli.lint(broken.dir);
          expect.soft(before.code, before.stderr).not.toBe(2);
          const hits = before.findings.filter((f) => f.rule === sc.rule);
          if (hits.length > 0) finding = hits.map(where).join(',');
          expect.soft(hits.map((f) => `${f.file}:${f.line}`), `${sc.rule} findings; all findings:\n${JSON.stringify(before.findings, null, 1)}`).toContain(sc.at);

          // (a) boot the broken stack and observe the failure
          if (sc.bootBroken !== false) await bootScenario(sc, broken);
          brokenWord = await sc.broken(broken, expect);
          await broken.stopProcesses();

          // (c) --fix on a fresh copy; the real programs accept the fixed files
          const fix = await cli.fix(fixed.dir);
          expect.soft(fix.code, fix.stderr + fix.stdout).not.toBe(2);
          // (d) lint the fixed copy: none of the rule's findings remain
          const after = await cli.lint(fixed.dir);
          expect.soft(after.code, after.stderr).not.toBe(2);
          expect.soft(after.findings.filter((f) => f.rule === sc.rule), `after --fix (stderr: ${fix.stderr.trim()})`).toEqual([]);

          mkdirSync(fixed.path('tmp'), { recursive: true });
          const nt = await fixed.nginxTest('nginx.conf');
          expect(nt.ok, `nginx -t on the fixed files:\n${nt.output}`).toBe(true);
          if (sc.boot.fpm) {
            const ft = await fixed.fpmTest('php-fpm.conf');
            expect(ft.ok, `php-fpm -t on the fixed files:\n${ft.output}`).toBe(true);
          }
          await bootScenario(sc, fixed);
          fixedWord = await sc.fixed(fixed, expect);
        } finally {
          evidence.set(sc.name, `STACK ${sc.name}: broken=${brokenWord} finding=${finding} fixed=${fixedWord}`);
          await broken.dispose();
          await fixed.dispose();
        }
      });
    }
  });
});
