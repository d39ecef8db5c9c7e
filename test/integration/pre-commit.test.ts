/**
 * The project's pre-commit hooks, run by the real `pre-commit` program the way
 * users install them: `pre-commit try-repo <this repository> HOOK` in a
 * temporary git repository holding a gunicorn + nginx stack that a
 * `.nginx-lint.json` declares. pre-commit builds the hook environment itself
 * (language: node: npm install, npm pack, npm install -g), so this also proves
 * the package installs from a git checkout.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithBinaries } from '../support/binaries.js';

const project = path.resolve(import.meta.dirname, '../..');

const NGINX = `events {}
http {
    server {
        listen 127.0.0.1:8080;
        location / {
            proxy_pass http://127.0.0.1:8000;
            proxy_read_timeout 120s;
        }
    }
}
`;
const GUNICORN = `bind = "127.0.0.1:8000"
workers = 2
timeout = 30
`;
const CONFIG = { stack: { nginx: ['deploy/nginx/nginx.conf'], gunicorn: ['deploy/gunicorn.conf.py'] } };

describeWithBinaries(['pre-commit', 'git'], 'pre-commit hooks (.pre-commit-hooks.yaml) under the real pre-commit', (bins) => {
  let dir: string;
  let repo: string;
  let home: string;

  const git = (...args: string[]) => execFileSync(bins.git, args, { cwd: repo, encoding: 'utf8' });
  const write = (rel: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(repo, rel)), { recursive: true });
    fs.writeFileSync(path.join(repo, rel), text);
  };
  const tryRepo = (hook: string, files: string[]) => {
    git('add', '-A');
    const r = spawnSync(bins['pre-commit'], ['try-repo', project, hook, '--verbose', '--files', ...files], {
      cwd: repo,
      encoding: 'utf8',
      env: { ...process.env, PRE_COMMIT_HOME: home, NO_COLOR: '1', PRE_COMMIT_COLOR: 'never' },
      timeout: 600_000,
    });
    return { status: r.status, out: `${r.stdout}${r.stderr}` };
  };

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(tmpdir(), 'nl-pre-commit-'));
    repo = path.join(dir, 'repo');
    home = path.join(dir, 'pre-commit-home');
    fs.mkdirSync(repo);
    git('init', '-q');
    git('config', 'user.email', 'ci@example.invalid');
    git('config', 'user.name', 'CI');
    write('.nginx-lint.json', JSON.stringify(CONFIG, null, 2) + '\n');
    write('deploy/nginx/nginx.conf', NGINX);
    write('deploy/gunicorn.conf.py', GUNICORN);
    write('other/unrelated.conf', 'events {}\nhttp { server { listen 8081; } }\n');
    write('README.md', '# app\n');
    git('add', '-A');
    git('commit', '-qm', 'stack');
  });
  afterAll(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a staged stack file of a broken stack fails the nginx-lint hook with the cross-file finding', () => {
    const r = tryRepo('nginx-lint', ['deploy/gunicorn.conf.py']);
    expect(r.out).toMatch(/nginx-lint\.+Failed/);
    expect(r.out).toContain('gunicorn-timeout-order');
    expect(r.out).toMatch(/deploy\/nginx\/nginx\.conf|deploy\/gunicorn\.conf\.py/);
    expect(r.status).toBe(1);
  }, 600_000);

  it('a change outside the declared stack does not run the stack lint; a non-config file skips the hook', () => {
    const unrelated = tryRepo('nginx-lint', ['other/unrelated.conf']);
    expect(unrelated.out).toMatch(/nginx-lint\.+Passed/);
    expect(unrelated.out).not.toContain('gunicorn-timeout-order');
    expect(unrelated.status).toBe(0);
    const readme = tryRepo('nginx-lint', ['README.md']);
    expect(readme.out).toMatch(/nginx-lint\.+\(no files to check\)Skipped/);
    expect(readme.status).toBe(0);
  }, 600_000);

  it('nginx-lint-fix fixes the stack (pre-commit reports the modified file); the lint hook then passes', () => {
    const fixRun = tryRepo('nginx-lint-fix', ['deploy/nginx/nginx.conf']);
    expect(fixRun.out).toMatch(/files were modified by this hook/);
    expect(fixRun.status).toBe(1);
    const fixed = fs.readFileSync(path.join(repo, 'deploy/gunicorn.conf.py'), 'utf8');
    expect(fixed).not.toBe(GUNICORN);
    expect(fixed).toMatch(/^timeout = \d+/m);
    expect(git('status', '--porcelain')).toContain('deploy/gunicorn.conf.py');

    const after = tryRepo('nginx-lint', ['deploy/gunicorn.conf.py']);
    expect(after.out).toMatch(/nginx-lint\.+Passed/);
    expect(after.status).toBe(0);
  }, 600_000);
});
