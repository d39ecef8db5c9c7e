/**
 * The benchmark's tree generator (scripts/bench/generate.mjs): the same seed
 * gives the same bytes, the tree has the shape the benchmark claims, Debian's
 * `nginx -t` accepts it, and nginx-lint reads it without syntax findings and
 * links its passes to the FPM pool and the gunicorn app, so every cross-file
 * rule has work. No timings here: `npm run bench` measures.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lint } from '../../src/engine/lint.js';
import { describeWithBinaries } from '../support/binaries.js';

const root = path.resolve(import.meta.dirname, '../..');
const generator = path.join(root, 'scripts/bench/generate.mjs');
const work = fs.mkdtempSync(path.join(tmpdir(), 'nl-bench-gen-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

function generate(name: string, servers: number, seed = 1): string {
  const out = path.join(work, name);
  execFileSync(process.execPath, [generator, '--servers', String(servers), '--out', out, '--seed', String(seed)]);
  return out;
}

/** every file of a tree, relative path → content */
function contents(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.set(path.relative(dir, p), fs.readFileSync(p, 'utf8'));
    }
  };
  walk(dir);
  return out;
}

const N = 23;
const tree = generate('a', N);

describe('scripts/bench/generate.mjs', () => {
  it('writes the same bytes for the same seed, and other bytes for another', () => {
    const again = contents(generate('b', N));
    const first = contents(tree);
    expect([...again.keys()].sort()).toEqual([...first.keys()].sort());
    for (const [p, text] of first) expect(again.get(p), p).toBe(text);
    const other = contents(generate('c', N, 2));
    expect(other.get('etc/nginx/sites-enabled/site-00001.conf')).not.toBe(first.get('etc/nginx/sites-enabled/site-00001.conf'));
  });

  it('has N server blocks in files of five, every one including the shared snippet', () => {
    const files = contents(tree);
    const sites = [...files.keys()].filter((p) => p.startsWith('etc/nginx/sites-enabled/')).sort();
    expect(sites).toHaveLength(Math.ceil(N / 5));
    const text = sites.map((p) => files.get(p)!).join('\n');
    expect(text.match(/^server \{$/gm)).toHaveLength(N);
    expect(text.match(/^ {4}include snippets\/security-headers\.conf;$/gm)).toHaveLength(N);
    expect(text.match(/^map \$request_uri \$redirect_\d+ \{$/gm)).toHaveLength(N);
    expect(text).toMatch(/^ {4}keepalive \d+;$/m);
    expect(text).toMatch(/fastcgi_pass (php_fpm|unix:\/run\/php\/php8\.2-fpm\.sock);/);
    for (const p of ['etc/nginx/nginx.conf', 'etc/php/8.2/fpm/pool.d/www.conf', 'etc/php/8.2/fpm/php.ini', 'srv/app/gunicorn.conf.py', 'etc/systemd/system/app.service']) expect(files.has(p), p).toBe(true);
  });

  it('is read by nginx-lint (--root) without syntax or directive findings, its passes linked to the pool and the app', () => {
    const r = lint([], { root: tree });
    expect(r.diagnostics.filter((d) => d.rule.startsWith('nginx-')).map((d) => `${d.rule}: ${d.message}`)).toEqual([]);
    const fastcgi = r.model.passes.filter((p) => p.module === 'fastcgi');
    expect(fastcgi.length).toBeGreaterThan(0);
    for (const p of fastcgi) expect(p.backends.flatMap((b) => b.apps.map((a) => a.app.kind))).toEqual(['fpm-pool']);
    const toApp = r.model.passes.filter((p) => p.backends.some((b) => b.apps.some((a) => a.app.kind === 'gunicorn-app')));
    expect(toApp.length).toBeGreaterThan(0);
    // the included snippets are parsed once, whatever the number of includes
    expect([...r.nginx[0]!.config.files.keys()].filter((p) => p.endsWith('security-headers.conf'))).toHaveLength(1);
  });
});

describeWithBinaries(['nginx'], 'the generated tree under nginx -t', (bins) => {
  it('passes nginx -t (Debian nginx 1.22), run with a prefix of its own', () => {
    const prefix = path.join(work, 'prefix');
    for (const d of ['logs', 'tmp']) fs.mkdirSync(path.join(prefix, d), { recursive: true });
    const r = spawnSync(bins.nginx, ['-t', '-q', '-p', `${prefix}/`, '-c', path.join(tree, 'etc/nginx/nginx.conf'), '-e', path.join(prefix, 'logs/error.log')], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});
