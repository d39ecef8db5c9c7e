#!/usr/bin/env node
/**
 * `npm run bench`: nginx-lint against `nginx -t` on generated trees of N
 * server blocks, and nginx-lint's start-up against a bare `node -e 0`.
 *
 *   npm run bench                          # N = 100, 1000, 10000
 *   npm run bench -- --sizes 100,1000 --runs 7 --big-runs 3 --startup-runs 40
 *   npm run bench -- --no-nginx --json .bench/result.json
 *
 * It measures the bundled CLI (dist/cli.js; built first when missing), the
 * way a user runs it: `node dist/cli.js TREE`. The two tools run alternately,
 * several times each, so a slow moment of the machine hits both; the table
 * gives median / min / max wall time, peak RSS (GNU time's "Maximum resident
 * set size"), throughput and the ratios to `nginx -t`. Trees are generated
 * once into .bench/ (git-ignored) by scripts/bench/generate.mjs.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { GENERATOR_VERSION, generateTree } from './generate.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const cli = path.join(root, 'dist/cli.js');
const GNU_TIME = '/usr/bin/time';

const USAGE = `usage: npm run bench -- [options]

  --sizes N,N,...     tree sizes in server blocks (default 100,1000,10000)
  --runs K            runs of each tool per size below 10,000 (default 5)
  --big-runs K        runs of each tool at 10,000 and more (default 3)
  --startup-runs K    runs of the start-up comparison (default 30)
  --seed S            the generator's seed (default 1)
  --cache DIR         where generated trees are kept (default .bench/)
  --no-nginx          skip nginx -t (its columns stay empty)
  --json FILE         also write the results as JSON
  --help              this text
`;

let opt;
try {
  ({ values: opt } = parseArgs({
    options: {
      sizes: { type: 'string', default: '100,1000,10000' },
      runs: { type: 'string', default: '5' },
      'big-runs': { type: 'string', default: '3' },
      'startup-runs': { type: 'string', default: '30' },
      seed: { type: 'string', default: '1' },
      cache: { type: 'string', default: path.join(root, '.bench') },
      'no-nginx': { type: 'boolean', default: false },
      json: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  }));
} catch (err) {
  process.stderr.write(`bench: ${err.message}\n${USAGE}`);
  process.exit(2);
}
if (opt.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}
const sizes = opt.sizes.split(',').map(Number);
if (sizes.some((n) => !Number.isInteger(n) || n < 1)) fail(`--sizes takes positive integers, not "${opt.sizes}"`);
for (const k of ['runs', 'big-runs', 'startup-runs']) {
  if (!/^[1-9]\d*$/.test(opt[k])) fail(`--${k} takes a positive integer, not "${opt[k]}"`);
}
if (!/^-?\d+$/.test(opt.seed)) fail(`--seed takes an integer, not "${opt.seed}"`);
const seed = Number(opt.seed);

function fail(message) {
  process.stderr.write(`bench: ${message}\n`);
  process.exit(2);
}

function which(name, fallbacks = []) {
  for (const dir of [...(process.env.PATH ?? '').split(path.delimiter), ...fallbacks]) {
    const p = path.join(dir, name);
    try {
      fs.accessSync(p, fs.constants.X_OK);
      return p;
    } catch {
      // not here
    }
  }
  return null;
}

// ---- what runs ---------------------------------------------------------------

if (!fs.existsSync(cli)) {
  process.stderr.write('bench: dist/cli.js is missing; running npm run build\n');
  const b = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
  if (b.status !== 0) fail('npm run build failed');
}
const nginx = opt['no-nginx'] ? null : which('nginx', ['/usr/sbin', '/usr/local/sbin', '/usr/local/nginx/sbin']);
const nginxVersion = nginx ? (spawnSync(nginx, ['-v'], { encoding: 'utf8' }).stderr.trim().replace(/^nginx version: /, '') || 'unknown') : null;
const gnuTime = fs.existsSync(GNU_TIME) && spawnSync(GNU_TIME, ['-f', '%M', 'true'], { encoding: 'utf8' }).status === 0;

/** One run: wall time (ms, from this process) and peak RSS (KiB, from GNU time; null without it). */
function measure(argv, { okStatus = [0] } = {}) {
  const command = gnuTime ? [GNU_TIME, '-f', '%M', ...argv] : argv;
  const t0 = process.hrtime.bigint();
  const r = spawnSync(command[0], command.slice(1), { cwd: root, stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 64 << 20, encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.error) fail(`${argv[0]}: ${r.error.message}`);
  const lines = (r.stderr ?? '').trimEnd().split('\n');
  const rss = gnuTime ? Number(lines.pop()) : null;
  if (!okStatus.includes(r.status ?? -1)) fail(`${argv.join(' ')} exited with ${r.status}:\n${lines.join('\n')}`);
  return { ms, rssKiB: Number.isFinite(rss) ? rss : null };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const stats = (runs) => {
  const ms = runs.map((r) => r.ms);
  const rss = runs.map((r) => r.rssKiB).filter((x) => x !== null);
  return { median: median(ms), min: Math.min(...ms), max: Math.max(...ms), rssKiB: rss.length ? median(rss) : null, runs: ms };
};

// ---- the trees -----------------------------------------------------------------

function tree(n) {
  const dir = path.join(opt.cache, 'trees', `n${n}-seed${seed}-v${GENERATOR_VERSION}`);
  const done = path.join(dir, '.complete');
  if (!fs.existsSync(done)) {
    process.stderr.write(`bench: generating ${n} servers into ${path.relative(root, dir)}\n`);
    const size = generateTree(dir, { servers: n, seed });
    fs.writeFileSync(done, JSON.stringify(size));
  }
  const size = JSON.parse(fs.readFileSync(done, 'utf8'));
  // nginx -t writes its logs, pid and temp dirs under a prefix of its own
  const prefix = path.join(opt.cache, 'prefix', `n${n}`);
  for (const sub of ['logs', 'tmp']) fs.mkdirSync(path.join(prefix, sub), { recursive: true });
  return { dir, prefix, ...size };
}

/**
 * The tree is laid out as a host's root file system: --root makes its absolute
 * paths (php-fpm.conf's include=/etc/php/..., the unit's -c /srv/app/...)
 * resolve inside it, never on this machine.
 */
const lintArgv = (t) => [process.execPath, cli, '--root', t.dir];

// ---- run -----------------------------------------------------------------------

const machine = {
  cpus: os.cpus().length,
  cpu: os.cpus()[0]?.model ?? 'unknown',
  node: process.version,
  nginx: nginxVersion,
  loadBefore: os.loadavg().map((x) => x.toFixed(2)).join(' '),
};
process.stderr.write(`bench: ${machine.cpus} CPUs (${machine.cpu}), node ${machine.node}, ${nginx ? `nginx ${nginxVersion}` : 'no nginx'}, load ${machine.loadBefore}\n`);
if (!nginx) process.stderr.write(opt['no-nginx'] ? 'bench: --no-nginx: nginx -t columns skipped\n' : 'bench: nginx not found on PATH (or /usr/sbin): nginx -t columns skipped\n');
if (!gnuTime) process.stderr.write(`bench: ${GNU_TIME} (Debian package "time") not found: peak memory not measured\n`);

const results = [];
for (const n of sizes) {
  const t = tree(n);
  const runs = n >= 10000 ? Number(opt['big-runs']) : Number(opt.runs);
  const lint = [];
  const ngx = [];
  process.stderr.write(`bench: N=${n}: ${runs} runs each`);
  // one untimed run of each, so both start from a warm page cache
  measure(lintArgv(t), { okStatus: [0, 1] });
  if (nginx) measure([nginx, '-t', '-q', '-p', t.prefix + '/', '-c', path.join(t.dir, 'etc/nginx/nginx.conf'), '-e', path.join(t.prefix, 'logs/error.log')]);
  for (let i = 0; i < runs; i++) {
    lint.push(measure(lintArgv(t), { okStatus: [0, 1] }));
    if (nginx) ngx.push(measure([nginx, '-t', '-q', '-p', t.prefix + '/', '-c', path.join(t.dir, 'etc/nginx/nginx.conf'), '-e', path.join(t.prefix, 'logs/error.log')]));
    process.stderr.write('.');
  }
  process.stderr.write('\n');
  results.push({ n, files: t.files, bytes: t.bytes, lint: stats(lint), nginx: nginx ? stats(ngx) : null });
}

// start-up: the pre-commit case, against node doing nothing, measured the same way
const startupRuns = Number(opt['startup-runs']);
const bare = [];
const example = [];
process.stderr.write(`bench: start-up: ${startupRuns} runs each`);
for (let i = 0; i < startupRuns; i++) {
  bare.push(measure([process.execPath, '-e', '0']));
  example.push(measure([process.execPath, cli, '--root', 'examples/stack'], { okStatus: [0, 1] }));
  if (i % 10 === 9) process.stderr.write('.');
}
process.stderr.write('\n');
const startup = { node: stats(bare), lint: stats(example) };
machine.loadAfter = os.loadavg().map((x) => x.toFixed(2)).join(' ');

// ---- report --------------------------------------------------------------------

const f1 = (x) => x.toFixed(1);
const secs = (ms) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`);
const mib = (kib) => (kib === null ? '-' : `${Math.round(kib / 1024)} MiB`);
const ratio = (a, b) => (a === null || b === null || !b ? '-' : a / b < 0.1 ? (a / b).toFixed(3) : (a / b).toFixed(2));
const rows = [['N', 'files', 'MB', 'tool', 'median', 'min', 'max', 'peak RSS', 'MB/s', 'time / nginx -t', 'memory / nginx -t']];
for (const r of results) {
  const mb = r.bytes / 1e6;
  const row = (tool, s, vs) => [String(r.n), String(r.files), f1(mb), tool, secs(s.median), secs(s.min), secs(s.max), mib(s.rssKiB), f1(mb / (s.median / 1000)), vs ? ratio(s.median, vs.median) : '', vs ? ratio(s.rssKiB, vs.rssKiB) : ''];
  rows.push(row('nginx-lint', r.lint, r.nginx));
  if (r.nginx) rows.push(row('nginx -t', r.nginx, null));
}
const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
const line = (row) => `| ${row.map((c, i) => (i < 3 || i >= 4 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join(' | ')} |`;
const out = [];
out.push(`machine: ${machine.cpus} CPUs, ${machine.cpu}; node ${machine.node}; ${nginx ? `nginx ${nginxVersion}` : 'nginx: not measured'}; load average ${machine.loadBefore} before, ${machine.loadAfter} after`);
out.push('');
out.push(line(rows[0]));
out.push(`|${widths.map((w, i) => (i < 3 || i >= 4 ? `${'-'.repeat(w + 1)}:` : `${'-'.repeat(w + 2)}`)).join('|')}|`);
for (const row of rows.slice(1)) out.push(line(row));
out.push('');

const byN = new Map(results.map((r) => [r.n, r]));
const verdict = (ok) => (ok ? 'met' : 'NOT met');
const checks = [];
const big = byN.get(10000);
const mid = byN.get(1000);
if (big?.nginx) {
  const tr = big.lint.median / big.nginx.median;
  checks.push(`N=10000 time: ${ratio(big.lint.median, big.nginx.median)} of nginx -t (target at most 0.1): ${verdict(tr <= 0.1)}`);
  if (big.lint.rssKiB !== null && big.nginx.rssKiB !== null) {
    const mr = big.lint.rssKiB / big.nginx.rssKiB;
    checks.push(`N=10000 peak memory: ${ratio(big.lint.rssKiB, big.nginx.rssKiB)} of nginx -t (target at most 0.5): ${verdict(mr <= 0.5)}`);
  }
}
if (big && mid) {
  const lr = big.lint.median / mid.lint.median;
  checks.push(`linear cost: time(N=10000) / time(N=1000) = ${lr.toFixed(1)} for nginx-lint${big.nginx && mid.nginx ? ` (${(big.nginx.median / mid.nginx.median).toFixed(1)} for nginx -t)` : ''} (target at most 12): ${verdict(lr <= 12)}`);
}
const sr = startup.lint.median / startup.node.median;
checks.push(`start-up: nginx-lint --root examples/stack ${secs(startup.lint.median)} (min ${secs(startup.lint.min)}), node -e 0 ${secs(startup.node.median)} (min ${secs(startup.node.min)}): ${sr.toFixed(2)} x (target at most 1.6): ${verdict(sr <= 1.6)}`);
if (startup.lint.rssKiB !== null) checks.push(`start-up peak memory: nginx-lint ${mib(startup.lint.rssKiB)}, node -e 0 ${mib(startup.node.rssKiB)}`);
for (const c of checks) out.push(`- ${c}`);
process.stdout.write(out.join('\n') + '\n');

if (opt.json) {
  fs.mkdirSync(path.dirname(path.resolve(opt.json)), { recursive: true });
  fs.writeFileSync(opt.json, JSON.stringify({ machine, results, startup }, null, 2) + '\n');
}
