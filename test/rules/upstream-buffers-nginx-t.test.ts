/**
 * upstream-buffers against the real `nginx -t`: for each generated
 * configuration the rule reports an error exactly when nginx refuses it, with
 * nginx's own message first and the line nginx blames (the end of the http
 * block) named; and every configuration the rule's fixes produce passes
 * `nginx -t`.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { upstreamBuffers } from '../../rules/upstream-buffers.js';
import { fixUntilStable } from '../../src/engine/fix.js';
import { lint } from '../../src/engine/lint.js';
import { nodeFileSystem } from '../../src/fs.js';
import { describeWithBinaries } from '../support/binaries.js';

interface Case {
  name: string;
  http?: string[];
  server?: string[];
  location?: string[];
  /** extra text inside the location block (nested blocks) */
  inner?: string;
}

const conf = (c: Case) =>
  [
    'events {}',
    'http {',
    ...(c.http ?? []).map((l) => `    ${l}`),
    '    server {',
    '        listen 127.0.0.1:18080;',
    ...(c.server ?? []).map((l) => `        ${l}`),
    '        location / {',
    ...(c.location ?? []).map((l) => `            ${l}`),
    ...(c.inner ? [c.inner] : []),
    '            return 204;',
    '        }',
    '    }',
    '}',
    '',
  ].join('\n');

const CASES: Case[] = [
  { name: 'proxy: all defaults', location: ['proxy_buffering on;'] },
  { name: 'proxy: buffer_size 16k alone', location: ['proxy_buffer_size 16k;'] },
  { name: 'proxy: buffer_size 16k with 8 16k buffers', location: ['proxy_buffer_size 16k;', 'proxy_buffers 8 16k;'] },
  { name: 'proxy: one buffer', location: ['proxy_buffers 1 4k;'] },
  { name: 'proxy: two buffers, busy unset', location: ['proxy_buffers 2 4k;'] },
  { name: 'proxy: busy equal to all buffers less one', location: ['proxy_busy_buffers_size 28k;'] },
  { name: 'proxy: busy over all buffers less one', location: ['proxy_busy_buffers_size 32k;'] },
  { name: 'proxy: busy below one buffer', location: ['proxy_busy_buffers_size 2k;'] },
  { name: 'proxy: temp_file_write_size below one buffer', location: ['proxy_temp_file_write_size 2k;'] },
  { name: 'proxy: max_temp_file_size 0', location: ['proxy_max_temp_file_size 0;'] },
  { name: 'proxy: max_temp_file_size below one buffer', location: ['proxy_max_temp_file_size 2k;'] },
  { name: 'proxy: big buffer_size and busy', location: ['proxy_buffer_size 64k;', 'proxy_busy_buffers_size 64k;'] },
  { name: 'proxy: big buffers, small buffer_size', location: ['proxy_buffers 4 32k;', 'proxy_buffer_size 8k;'] },
  { name: 'proxy: http buffers, location buffer_size', http: ['proxy_buffers 8 16k;'], location: ['proxy_buffer_size 32k;'] },
  { name: 'proxy: http buffer_size, location two buffers', http: ['proxy_buffer_size 8k;'], location: ['proxy_buffers 2 4k;'] },
  { name: 'proxy: everything low at once', location: ['proxy_buffer_size 16k;', 'proxy_temp_file_write_size 8k;', 'proxy_max_temp_file_size 8k;'] },
  { name: 'proxy: inherited into limit_except', location: ['proxy_buffer_size 16k;'], inner: '            limit_except GET { deny all; }' },
  { name: 'proxy: nested location overrides', server: ['proxy_buffer_size 16k;', 'proxy_buffers 8 16k;'], inner: '            location /a { proxy_buffers 4 4k; }' },
  { name: 'fastcgi: server buffer_size 32k', server: ['fastcgi_buffer_size 32k;'] },
  { name: 'fastcgi: 32k with 16 16k buffers', server: ['fastcgi_buffer_size 32k;', 'fastcgi_buffers 16 16k;'] },
  { name: 'fastcgi: two 64k buffers, busy 64k', location: ['fastcgi_buffers 2 64k;', 'fastcgi_busy_buffers_size 64k;'] },
  { name: 'fastcgi: max_temp_file_size too small', location: ['fastcgi_max_temp_file_size 2k;'] },
  { name: 'uwsgi: http buffer_size 16k, no override', http: ['uwsgi_buffer_size 16k;'] },
  { name: 'uwsgi: http buffer_size 16k, server raises buffers', http: ['uwsgi_buffer_size 16k;'], server: ['uwsgi_buffers 4 16k;'] },
  { name: 'scgi: busy over 4 16k buffers', location: ['scgi_buffers 4 16k;', 'scgi_busy_buffers_size 64k;'] },
  { name: 'scgi: busy below buffer_size', location: ['scgi_buffer_size 8k;', 'scgi_busy_buffers_size 4k;'] },
  { name: 'grpc: large buffer_size is fine', location: ['grpc_buffer_size 1m;'] },
];

describeWithBinaries(['nginx'], 'upstream-buffers agrees with nginx -t', (bins) => {
  let tmp = '';
  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'nginx-lint-buffers-'));
  });
  afterAll(() => {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  const nginxT = (file: string) => {
    const run = spawnSync(bins.nginx, ['-t', '-q', '-p', `${tmp}/`, '-c', file, '-g', `pid ${tmp}/nginx.pid; error_log ${tmp}/error.log;`], { encoding: 'utf8' });
    const m = /\[emerg\] \d+#\d+: (.*) in (\S+):(\d+)$/m.exec(run.stderr);
    return { ok: run.status === 0, stderr: run.stderr, message: m?.[1], where: m ? `${m[2]}:${m[3]}` : undefined };
  };

  it('covers at least 15 configurations, valid and invalid', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(15);
  });

  it.each(CASES.map((c, i) => [c.name, i] as const))('%s', (_name, i) => {
    const c = CASES[i]!;
    const dir = path.join(tmp, `case${i}`);
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, 'nginx.conf');
    fs.writeFileSync(file, conf(c));
    const theirs = nginxT(file);
    const run = (fsys = nodeFileSystem) => lint([file], { fs: fsys, rules: [upstreamBuffers], nginxVersion: '1.22.1' });
    const result = run();
    const errors = result.diagnostics.filter((d) => d.severity === 'error');
    // nothing else about these configurations is wrong
    expect(errors.filter((d) => d.rule !== upstreamBuffers.meta.id).map((d) => d.message)).toEqual([]);
    const ours = errors.filter((d) => d.rule === upstreamBuffers.meta.id);
    expect(ours.length > 0, `nginx -t: ${theirs.stderr}\nnginx-lint: ${ours.map((d) => d.message).join('\n')}`).toBe(!theirs.ok);
    if (theirs.ok) return;
    // nginx's message, and the line it blames, are in one of ours
    expect(ours.some((d) => d.message.startsWith(`${theirs.message}:`) && d.message.includes(`(${theirs.where})`)), `${theirs.message} at ${theirs.where}\n${ours.map((d) => d.message).join('\n')}`).toBe(true);
    // the fixed configuration passes nginx -t
    expect(ours.every((d) => d.fix)).toBe(true);
    const outcome = fixUntilStable((ofs) => run(ofs), nodeFileSystem);
    const fixed = outcome.files.get(file) ?? [...outcome.files.values()].find((f) => f.original.path === file);
    expect(fixed).toBeDefined();
    const fixedFile = path.join(dir, 'fixed.conf');
    fs.writeFileSync(fixedFile, fixed!.text);
    const after = nginxT(fixedFile);
    expect(after.ok, `fixed:\n${fixed!.text}\nnginx -t: ${after.stderr}`).toBe(true);
  });
});
