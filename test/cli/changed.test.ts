/**
 * --changed (what the pre-commit hooks pass): the paths are the staged files;
 * the configured stack is linted only when one of them belongs to it.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPrivateCli } from '../support/private-cli.js';

const built = buildPrivateCli();
afterAll(() => built.dispose());

describe('nginx-lint --changed', () => {
  let dir: string;
  const run = (...args: string[]) => spawnSync(process.execPath, [built.cli, ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(tmpdir(), 'nl-changed-'));
    const put = (rel: string, text: string) => {
      fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      fs.writeFileSync(path.join(dir, rel), text);
    };
    put('.nginx-lint.json', JSON.stringify({ stack: { nginx: ['deploy/nginx.conf'], gunicorn: ['deploy/gunicorn.conf.py'] } }));
    put('deploy/nginx.conf', 'events {}\nhttp { server { listen 80; location / { proxy_pass http://127.0.0.1:8000; proxy_read_timeout 120s; } } }\n');
    put('deploy/snippets/unused.conf', 'proxy_read_timeout 10s;\n');
    put('deploy/gunicorn.conf.py', 'bind = "127.0.0.1:8000"\ntimeout = 30\n');
    put('other/site.conf', 'server { listen 81; }\n');
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('lints the whole configured stack when a file it reads changed, whichever side it is', () => {
    for (const changed of ['deploy/nginx.conf', 'deploy/gunicorn.conf.py', './deploy/../deploy/gunicorn.conf.py', path.join(dir, 'deploy/nginx.conf')]) {
      const r = run('--changed', changed, '--format', 'json');
      expect(r.status, changed).toBe(1);
      expect(JSON.parse(r.stdout).diagnostics.map((d: { rule: string; file: string }) => `${d.rule}@${d.file}`)).toEqual(['gunicorn-timeout-order@deploy/gunicorn.conf.py']);
    }
  });

  it('the config file itself counts as part of the stack', () => {
    const r = run('--changed', '.nginx-lint.json');
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('gunicorn-timeout-order');
  });

  it('files the stack does not read (another site, a snippet nothing includes) are a silent success', () => {
    const r = run('--changed', 'other/site.conf', 'deploy/snippets/unused.conf');
    expect({ status: r.status, stdout: r.stdout, stderr: r.stderr }).toEqual({ status: 0, stdout: '', stderr: '' });
  });

  it('--changed --fix fixes the stack', () => {
    const copy = fs.mkdtempSync(path.join(tmpdir(), 'nl-changed-fix-'));
    fs.cpSync(dir, copy, { recursive: true });
    const r = spawnSync(process.execPath, [built.cli, '--changed', '--fix', 'deploy/nginx.conf'], { cwd: copy, encoding: 'utf8' });
    expect(r.stderr).toContain('fixed 1 problem in 1 file');
    expect(r.status).toBe(0);
    expect(fs.readFileSync(path.join(copy, 'deploy/gunicorn.conf.py'), 'utf8')).toBe('bind = "127.0.0.1:8000"\ntimeout = 121\n');
    fs.rmSync(copy, { recursive: true, force: true });
  });
});
