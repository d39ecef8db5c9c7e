/**
 * --format github: workflow commands, escaped as the runner (and
 * @actions/core) expect, read back the way the runner reads them.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lint } from '../../src/engine/lint.js';
import { buildReport } from '../../src/engine/report.js';
import { escapeData, escapeProperty, formatGithub } from '../../src/format/github.js';
import { buildPrivateCli } from '../support/private-cli.js';
import { findingsAt, reportOf as report } from '../support/report.js';

const root = path.resolve(import.meta.dirname, '../..');

const finding = findingsAt({ file: 'nginx.conf', line: 3, column: 5, endLine: 3, endColumn: 9 });

/** How the runner reads a command line back: name, properties (unescaped), message (unescaped). */
function parseCommand(line: string): { command: string; props: Record<string, string>; message: string } {
  const m = /^::([a-z]+)(?: ([^:]*))?::(.*)$/.exec(line);
  if (!m) throw new Error(`not a workflow command: ${line}`);
  const unescapeData = (s: string) => s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
  const unescapeProperty = (s: string) => unescapeData(s.replace(/%3A/g, ':').replace(/%2C/g, ','));
  const props: Record<string, string> = {};
  for (const kv of (m[2] ?? '').split(',').filter(Boolean)) {
    const eq = kv.indexOf('=');
    props[kv.slice(0, eq)] = unescapeProperty(kv.slice(eq + 1));
  }
  return { command: m[1]!, props, message: unescapeData(m[3]!) };
}

let work: string;
beforeAll(() => {
  work = fs.realpathSync(fs.mkdtempSync(path.join(tmpdir(), 'nl-github-')));
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

describe('escaping', () => {
  it('escapes %, CR and LF in data, and also : and , in property values', () => {
    expect(escapeData('100% done\r\nnext: a, b')).toBe('100%25 done%0D%0Anext: a, b');
    expect(escapeProperty('100% done\r\nnext: a, b')).toBe('100%25 done%0D%0Anext%3A a%2C b');
    // % first, so an escape sequence already in the text is not mistaken for one
    expect(escapeData('%0A')).toBe('%250A');
    expect(escapeProperty('a%2Cb')).toBe('a%252Cb');
  });
});

describe('--format github', () => {
  it('writes one command per finding: severity, place, rule as title, escaped', () => {
    const out = formatGithub(
      report([
        finding({ file: 'conf,d/odd:name.conf', message: 'unexpected "}" at 100%\nsecond line ::warning file=x::injected' }),
        finding({ rule: 'gunicorn-unknown-setting', severity: 'warning', file: 'app/gunicorn.conf.py', line: 2, column: 1, endLine: 2, endColumn: 7, message: '`worker` is not a gunicorn setting' }),
        finding({ rule: 'backend-not-found', severity: 'info', line: 7, endLine: 9, endColumn: 4, message: 'not in the files given' }),
        // a span that ends just after a line break ends on the line it covers
        finding({ line: 4, column: 1, endLine: 5, endColumn: 1, message: 'whole line' }),
      ]),
      { color: false, cwd: work, sourceRoot: work },
    );
    expect(out.split('\n')).toEqual([
      '::error file=conf%2Cd/odd%3Aname.conf,line=3,endLine=3,col=5,endColumn=9,title=nginx-syntax::unexpected "}" at 100%25%0Asecond line ::warning file=x::injected',
      '::warning file=app/gunicorn.conf.py,line=2,endLine=2,col=1,endColumn=7,title=gunicorn-unknown-setting::`worker` is not a gunicorn setting',
      // columns only go with a single line: GitHub refuses col/endColumn when line and endLine differ
      '::notice file=nginx.conf,line=7,endLine=9,title=backend-not-found::not in the files given',
      '::error file=nginx.conf,line=4,endLine=4,title=nginx-syntax::whole line',
      '',
    ]);
    // one line per command, whatever the message held
    const first = parseCommand(out.split('\n')[0]!);
    expect(first).toEqual({
      command: 'error',
      props: { file: 'conf,d/odd:name.conf', line: '3', endLine: '3', col: '5', endColumn: '9', title: 'nginx-syntax' },
      message: 'unexpected "}" at 100%\nsecond line ::warning file=x::injected',
    });
  });

  it('puts the related locations into the message, and prints nothing when there is nothing', () => {
    const out = formatGithub(
      report([
        finding({
          file: 'srv/gunicorn.conf.py',
          rule: 'gunicorn-timeout-order',
          message: 'proxy_read_timeout 120s outlasts gunicorn timeout 30s',
          related: [{ file: 'etc/nginx/nginx.conf', line: 8, column: 9, endLine: 8, endColumn: 33, message: 'proxy_read_timeout 120s' }],
        }),
      ]),
      { color: false, cwd: work, sourceRoot: work },
    );
    expect(parseCommand(out.trimEnd()).message).toBe('proxy_read_timeout 120s outlasts gunicorn timeout 30s\netc/nginx/nginx.conf:8:9: proxy_read_timeout 120s');
    expect(formatGithub(report([]), { color: false, cwd: work })).toBe('');
  });

  it('writes paths relative to the repository root, whatever directory it ran in', () => {
    const repo = path.join(work, 'repo');
    fs.mkdirSync(path.join(repo, '.git'), { recursive: true });
    fs.mkdirSync(path.join(repo, 'deploy'), { recursive: true });
    const r = report([finding({ file: 'nginx.conf' }), finding({ file: '/elsewhere/nginx.conf' })]);
    const files = formatGithub(r, { color: false, cwd: path.join(repo, 'deploy') })
      .trimEnd()
      .split('\n')
      .map((l) => parseCommand(l).props.file);
    expect(files).toEqual(['deploy/nginx.conf', '/elsewhere/nginx.conf']);
  });

  it('annotates a real run: every finding, its rule, its file from the repository root', () => {
    const result = lint([path.join(root, 'fixtures/format/stack')], { nginxVersion: '1.22.1' });
    const rep = buildReport(result);
    const lines = formatGithub(rep, { color: false, cwd: root, sourceRoot: root }).trimEnd().split('\n').map(parseCommand);
    expect(lines.map((c) => `${c.command} ${c.props.title} ${c.props.file}:${c.props.line}`)).toEqual([
      'error gunicorn-timeout-order fixtures/format/stack/gunicorn.conf.py:2',
      'warning gunicorn-unknown-setting fixtures/format/stack/gunicorn.conf.py:3',
      'error nginx-unknown-directive fixtures/format/stack/nginx.conf:10',
      'notice backend-not-found fixtures/format/stack/nginx.conf:15',
    ]);
    expect(lines.map((c) => c.message.split('\n')[0])).toEqual(rep.diagnostics.map((d) => d.message));
    expect(lines[0]!.message.split('\n')[1]).toBe('fixtures/format/stack/nginx.conf:8:9: proxy_read_timeout 120s');
  });
});

describe('nginx-lint --format github (the bundled CLI)', () => {
  let build: ReturnType<typeof buildPrivateCli>;
  beforeAll(() => {
    build = buildPrivateCli();
  });
  afterAll(() => build.dispose());
  const run = (args: string[]) => spawnSync(process.execPath, [build.cli, '--format', 'github', ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });

  it('exits by the findings and honours --quiet and --max-warnings', () => {
    const all = run(['--nginx-version', '1.22.1', 'fixtures/format/stack']);
    expect(all.status).toBe(1);
    expect(all.stderr).toBe('');
    expect(all.stdout.trimEnd().split('\n').map((l) => l.slice(0, l.indexOf(' ')))).toEqual(['::error', '::warning', '::error', '::notice']);
    const quiet = run(['--quiet', '--nginx-version', '1.22.1', 'fixtures/format/stack']);
    expect(quiet.stdout.trimEnd().split('\n').map((l) => l.slice(0, l.indexOf(' ')))).toEqual(['::error', '::error']);

    const warnings = run(['fixtures/format/warnings']);
    expect(warnings.status).toBe(0);
    expect(warnings.stdout).toMatch(/^::warning file=fixtures\/format\/warnings\/gunicorn\.conf\.py,line=2,.*title=gunicorn-unknown-setting::/);
    expect(run(['--max-warnings', '0', 'fixtures/format/warnings']).status).toBe(1);
    expect(run(['--max-warnings', '1', 'fixtures/format/warnings']).status).toBe(0);
    const quietWarnings = run(['--quiet', 'fixtures/format/warnings']);
    expect(quietWarnings.stdout).toBe('');
    expect(quietWarnings.status).toBe(0);
  });
});
