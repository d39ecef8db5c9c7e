import { mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithBinaries } from '../support/binaries.js';
import { request, Stack } from './harness.js';

const fixture = path.resolve(import.meta.dirname, '../../fixtures/stacks/smoke');

describeWithBinaries(['nginx', 'php-fpm', 'python3', 'gunicorn'], 'integration harness: a healthy stack serves PHP and Python', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await Stack.create(fixture, ['NGINX_PORT', 'APP_PORT']);
    mkdirSync(stack.path('tmp'), { recursive: true });
    expect((await stack.nginxTest('nginx.conf')).ok).toBe(true);
    expect((await stack.fpmTest('php-fpm.conf')).ok).toBe(true);
    await stack.startFpm('php-fpm.conf', 'php-fpm.sock');
    await stack.startGunicorn(['--chdir', stack.path('app'), '-b', `127.0.0.1:${stack.vars.APP_PORT}`, '-w', '1', 'wsgi:application'], { port: 'APP_PORT' });
    await stack.startNginx('nginx.conf', 'NGINX_PORT');
  });
  afterAll(async () => {
    await stack?.dispose();
  });

  it('PHP through FPM over a unix socket', async () => {
    const r = await request(Number(stack.vars.NGINX_PORT), { path: '/index.php' });
    expect(r.status, stack.logs()).toBe(200);
    expect(r.body).toBe(`php ok ${stack.path('www/index.php')}\n`);
  });

  it('Python through gunicorn over TCP', async () => {
    const r = await request(Number(stack.vars.NGINX_PORT), { path: '/app/hello' });
    expect(r.status, stack.logs()).toBe(200);
    expect(r.body).toBe('app ok /app/hello\n');
  });
});
