/**
 * gunicorn started by supervisord: the `[program:x]` sections read as
 * supervisor's RawConfigParser reads them, `command=` split as supervisor
 * splits it (shlex.split, no shell) after its %(...)s expansions, and the
 * program's directory, user and environment.
 */
import { describe, expect, it } from 'vitest';
import { toReported } from '../../src/diagnostic.js';
import { lint } from '../../src/engine/lint.js';
import { memoryFileSystem } from '../../src/fs.js';
import { invocationsFromSupervisor, parseSupervisor } from '../../src/syntax/gunicorn/command-line.js';
import { gunicornValuesView, resolveGunicorn } from '../../src/syntax/gunicorn/index.js';
import { sourceFromString, type Span } from '../../src/syntax/source.js';

const CONF = [
  '; supervisor config for the app',
  '[supervisord]',
  'nodaemon = true',
  '',
  '[program:web]',
  'Command = %(here)s/venv/bin/gunicorn',
  '    --bind unix:/run/%(program_name)s.sock  ; the socket nginx uses',
  '    --timeout 90 app.wsgi:application',
  'directory: /srv/app',
  'user=www-data',
  'environment=WEB_CONCURRENCY="3",GREETING=\'a, b\',MODE=prod',
  'autorestart=true # restart',
  '',
  '[program:worker]',
  'command=celery -A app worker',
  '',
  '[program:env]',
  'command=gunicorn --bind %(ENV_BIND)s app:app',
  '',
  '[program:shell]',
  'command=bash -c "cd /srv/other && exec python3 -m gunicorn -b 127.0.0.1:9000 other:app"',
  '',
  '# [program:commented]',
  '# command=gunicorn off:app',
].join('\n');

const file = sourceFromString('/etc/supervisor/conf.d/app.conf', CONF);
const at = (span: Span) => CONF.slice(span.start, span.end);

describe('supervisor programs', () => {
  it('sections, both delimiters, lowercased keys, full-line and inline comments, continuation lines', () => {
    const programs = parseSupervisor(file);
    expect(programs.map((p) => p.name)).toEqual(['web', 'worker', 'env', 'shell']);
    const web = programs[0]!;
    expect(web.values.get('command')!.value.s).toBe('%(here)s/venv/bin/gunicorn\n--bind unix:/run/%(program_name)s.sock\n--timeout 90 app.wsgi:application');
    expect(web.values.get('directory')!.value.s).toBe('/srv/app');
    expect(web.values.get('autorestart')!.value.s).toBe('true');
    // every character of a value points at its byte in the file
    const cmd = web.values.get('command')!.value;
    expect(cmd.offsets.map((o, i) => (cmd.s[i] === '\n' ? '\n' : CONF[o])).join('')).toBe(cmd.s);
  });

  it('gunicorn in command=: expanded, split without a shell, with the program’s directory, user and environment', () => {
    const invs = invocationsFromSupervisor(file, { env: { BIND: '0.0.0.0:8080' } });
    expect(invs.map((i) => [i.name, i.program.value, i.args.map((a) => a.value)])).toEqual([
      ['web', '/etc/supervisor/conf.d/venv/bin/gunicorn', ['--bind', 'unix:/run/web.sock', '--timeout', '90', 'app.wsgi:application']],
      ['env', 'gunicorn', ['--bind', '0.0.0.0:8080', 'app:app']],
      ['shell', 'python3', ['-b', '127.0.0.1:9000', 'other:app']],
    ]);
    const web = invs[0]!;
    expect([web.source, web.cwd?.value, web.user?.value, at(web.user!.span)]).toEqual(['supervisor', '/srv/app', 'www-data', 'www-data']);
    // supervisord's own environment, then environment=
    expect([...web.env].map(([k, e]) => [k, e.value, e.file === file ? at(e.span) : e.file.path])).toEqual([
      ['BIND', '0.0.0.0:8080', '<environment>'],
      ['WEB_CONCURRENCY', '3', '3'],
      ['GREETING', 'a, b', 'a, b'],
      ['MODE', 'prod', 'prod'],
    ]);
    // the flags' values point at the file; the environment reaches gunicorn (WEB_CONCURRENCY: its workers)
    const timeout = web.args.find((a) => a.value === '90')!;
    expect(at(timeout.span)).toBe('90');
    const v = gunicornValuesView(resolveGunicorn({ invocation: web }));
    expect([v.bind, v.timeout, v.workers]).toEqual([['unix:/run/web.sock'], 90, 3]);
    // bash -c: the shell's own cd
    expect(invs[2]!.cwd?.value).toBe('/srv/other');
  });

  it('a command naming an expansion supervisord would fill from an environment we do not know is left out', () => {
    expect(invocationsFromSupervisor(file).map((i) => i.name)).toEqual(['web', 'shell']);
  });
});

describe('a stack with gunicorn under supervisord', () => {
  const files = {
    '/etc/nginx/nginx.conf': 'events {}\nhttp {\n    server {\n        location / {\n            proxy_pass http://127.0.0.1:8000;\n            proxy_read_timeout 120s;\n        }\n    }\n}\n',
    '/etc/supervisor/conf.d/app.conf': '[program:app]\ncommand=/srv/venv/bin/gunicorn -b 127.0.0.1:8000 --timeout 30 app:app\ndirectory=/srv\n',
  };

  it('found under --root, linked by its bind, and its timeout checked against nginx', () => {
    const result = lint([], { root: '/', fs: memoryFileSystem(files) });
    const found = result.diagnostics.filter((d) => d.rule === 'gunicorn-timeout-order');
    // reported where the fix goes (gunicorn's side, by default), with nginx's setting beside it
    expect(found.map((d) => `${d.file.path}:${toReported(d).line}`)).toEqual(['/etc/supervisor/conf.d/app.conf:2']);
    expect(found[0]!.message).toMatch(/proxy_read_timeout 120s .*gunicorn timeout 30s/);
    expect(found[0]!.related?.map((r) => `${r.file.path}:${toReported({ ...found[0]!, file: r.file, span: r.span }).line}`)).toContain('/etc/nginx/nginx.conf:6');
    // the fix raises the flag in the program's command line
    expect(found[0]!.fix?.edits.map((e) => [e.file.path, files['/etc/supervisor/conf.d/app.conf'].slice(e.span.start, e.span.end), e.text])).toEqual([['/etc/supervisor/conf.d/app.conf', '--timeout 30', '--timeout 121']]);
  });
});
