/**
 * supervisor files read as supervisor reads them: its parser is Python's
 * RawConfigParser (inline comments, strict=False) with `%` expansions and
 * shlex.split, all from Python's standard library, which this test runs
 * (test/gunicorn/supervisor_read.py) and compares with nginx-lint's reading
 * of the same bytes: every program, every option's value, the argv.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { parseSupervisor, supervisorArgv } from '../../src/syntax/gunicorn/command-line.js';
import { sourceFromString } from '../../src/syntax/source.js';
import { describeWithBinaries } from '../support/binaries.js';

const reader = path.join(import.meta.dirname, 'supervisor_read.py');
const work = fs.mkdtempSync(path.join(tmpdir(), 'nl-supervisor-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

const ENV = { PORT: '8001', HOME: '/home/app' };

const FILES: Record<string, string> = {
  'basic.conf': '[program:web]\ncommand=/srv/venv/bin/gunicorn -b localhost:8000 -w 4 app:app\ndirectory=/srv\nuser=app\n',
  'comments.conf': [
    '; a comment line',
    '# another',
    '[supervisord]',
    'nodaemon=true ; inline',
    '[program:web]',
    'Command = gunicorn app:app#not-a-comment a;b --bind :8000 ;a comment',
    'directory: /srv/app # a comment',
    '  ; an indented comment',
    'user=www-data;not-a-comment',
    'empty =',
    'starts = ;all comment',
  ].join('\n'),
  'continued.conf': [
    '[program:web]',
    'command=gunicorn',
    '    --bind unix:/run/web.sock',
    '\t--timeout 90',
    '    app.wsgi:application',
    'autostart = true',
    '[group:all]',
    'programs=web',
    '[program:web]',
    'user = second',
    '  [program:indented]',
    '  command = gunicorn other:app',
  ].join('\n'),
  'quoting.conf': [
    '[program:q]',
    'command=gunicorn --bind "unix:/run/a b.sock" \'app:app\' --name x\\ y --env "A=1 2"',
    '[program:open]',
    'command=gunicorn --bind "unclosed app:app',
  ].join('\n'),
  'expansions.conf': [
    '[program:e]',
    'command=%(here)s/bin/gunicorn --bind 127.0.0.1:%(ENV_PORT)s -n %(program_name)s-%(process_num)02d app:app 100%%',
    'directory=%(ENV_HOME)s',
    '[program:unknown]',
    'command=gunicorn --bind %(ENV_NOT_SET)s app:app',
  ].join('\n'),
  'crlf.conf': '[program:w]\r\ncommand=gunicorn -b :9000 app:app ; x\r\n  -w 2\r\nuser=w\r\n',
};

describeWithBinaries(['python3'], "supervisor's own reading (Python's configparser and shlex)", ({ python3 }) => {
  it.each(Object.keys(FILES))('%s', (name) => {
    const p = path.join(work, name);
    fs.writeFileSync(p, FILES[name]!);
    const theirs = JSON.parse(execFileSync(python3, [reader, p, ...Object.entries(ENV).map(([k, v]) => `${k}=${v}`)], { encoding: 'utf8' })) as Record<string, { values: Record<string, string>; argv: string[] | null }>;
    const file = sourceFromString(p, FILES[name]!);
    const ours = Object.fromEntries(
      parseSupervisor(file).map((prog) => [
        prog.name,
        {
          values: Object.fromEntries([...prog.values].map(([k, v]) => [k, v.value.s])),
          argv: supervisorArgv(file, prog, { env: ENV })?.map((w) => w.value) ?? null,
        },
      ]),
    );
    // configparser keeps a blank line inside a continued value; supervisor's split does not see it
    for (const prog of Object.values(theirs)) for (const k of Object.keys(prog.values)) prog.values[k] = prog.values[k]!.replace(/\n{2,}/g, '\n');
    expect(ours).toEqual(theirs);
  });
});
