/**
 * --format sarif: real output (the library's lint + buildReport + the
 * formatter, and the bundled CLI) against the official SARIF 2.1.0 schema and
 * GitHub code scanning's own requirements (./sarif-check.ts).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lint, type LintResult } from '../../src/engine/lint.js';
import { buildReport } from '../../src/engine/report.js';
import { applyEdits } from '../../src/engine/fix.js';
import { formatSarif, SRCROOT } from '../../src/format/sarif.js';
import { repositoryRoot } from '../../src/format/source-root.js';
import { memoryFileSystem } from '../../src/fs.js';
import { buildPrivateCli } from '../support/private-cli.js';
import { compileSarifSchema, draft04OnlyKeywords, githubProblems, SARIF_SCHEMA_FILE } from './sarif-check.js';

const root = path.resolve(import.meta.dirname, '../..');
const validate = compileSarifSchema();
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { name: string; version: string };

/* eslint-disable @typescript-eslint/no-explicit-any -- the SARIF log is checked as untyped JSON */
function sarifOf(result: LintResult, opts: { cwd?: string; sourceRoot?: string; quiet?: boolean } = {}): any {
  return JSON.parse(formatSarif(buildReport(result, { quiet: opts.quiet ?? false }), { color: false, cwd: opts.cwd ?? root, ...(opts.sourceRoot ? { sourceRoot: opts.sourceRoot } : {}) }));
}

function expectValid(log: unknown) {
  expect(validate(log), JSON.stringify(validate.errors, null, 1)).toBe(true);
  expect(githubProblems(log)).toEqual([]);
}

let work: string;
beforeAll(() => {
  work = fs.mkdtempSync(path.join(tmpdir(), 'nl-sarif-'));
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

describe('the SARIF checks themselves', () => {
  it('use only keywords that mean the same in draft-04 (the schema) and draft-07 (ajv)', () => {
    const schema = JSON.parse(fs.readFileSync(SARIF_SCHEMA_FILE, 'utf8'));
    expect(schema.$schema).toBe('http://json-schema.org/draft-04/schema#');
    expect(schema.id).toBe('https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json');
    expect(draft04OnlyKeywords(schema)).toEqual([]);
  });

  it('reject what the schema and GitHub reject', () => {
    const log = sarifOf(lint([path.join(root, 'fixtures/format/stack')], { nginxVersion: '1.22.1' }));
    expectValid(log);
    const broken = structuredClone(log);
    broken.runs[0].results[0].level = 'fatal';
    broken.runs[0].results[0].locations[0].physicalLocation.region.startLine = 0;
    broken.runs[0].tool.driver.informationUri = 'not a uri';
    expect(validate(broken)).toBe(false);
    expect(validate.errors!.map((e) => e.instancePath)).toEqual(
      expect.arrayContaining(['/runs/0/results/0/level', '/runs/0/results/0/locations/0/physicalLocation/region/startLine', '/runs/0/tool/driver/informationUri']),
    );
    const github = structuredClone(log);
    delete github.runs[0].columnKind;
    github.runs[0].results[0].ruleIndex = 0;
    github.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri = '/abs/path.conf';
    github.runs[0].tool.driver.rules[0].fullDescription.text = 'x'.repeat(1025);
    expect(githubProblems(github)).toEqual([
      expect.stringMatching(/fullDescription\.text empty or over 1024/),
      'columnKind undefined',
      expect.stringMatching(/^results\[0\]: ruleIndex 0 is not /),
      'results[0].locations[0]: uri /abs/path.conf with a base must be relative',
    ]);
  });
});

describe('--format sarif', () => {
  it('lists every rule and check of the run, with docs as help, for examples/stack', () => {
    const result = lint([path.join(root, 'examples/stack')]);
    const log = sarifOf(result);
    expectValid(log);
    const { driver } = log.runs[0].tool;
    expect(driver).toMatchObject({ name: 'nginx-lint', version: pkg.version, semanticVersion: pkg.version });
    const report = buildReport(result);
    expect(driver.rules.map((r: any) => r.id)).toEqual(report.rules.map((r) => r.id));
    for (const r of report.rules) {
      const d = driver.rules.find((x: any) => x.id === r.id);
      expect(d.shortDescription.text).toBe(r.description);
      expect(d.defaultConfiguration.level).toBe({ error: 'error', warning: 'warning', info: 'note' }[r.severity]);
      expect(d.properties.fixable).toBe(r.fixable);
      expect(d.properties.tags[0]).toBe(r.kind === 'rule' ? r.family : r.program);
      const doc = path.join(root, 'rules', `${r.id}.md`);
      if (r.kind === 'rule') {
        // a built-in rule's help is its page, its full description the page's first paragraph
        const md = fs.readFileSync(doc, 'utf8');
        expect(d.help).toEqual({ text: md, markdown: md });
        expect(md.replace(/\s+/g, ' ')).toContain(d.fullDescription.text);
        expect(d.fullDescription.text).not.toBe(r.description);
      } else {
        expect(fs.existsSync(doc)).toBe(false);
        expect(d.help.text).toBe(r.description);
      }
    }
    // the example is broken on purpose: every finding is a result, in order, at its place
    const results = log.runs[0].results;
    expect(results.length).toBeGreaterThan(5);
    expect(results.map((x: any) => `${x.ruleId} ${x.level} ${x.locations[0].physicalLocation.artifactLocation.uri}:${x.locations[0].physicalLocation.region.startLine}:${x.locations[0].physicalLocation.region.startColumn}`)).toEqual(
      report.diagnostics.map((d) => `${d.rule} ${{ error: 'error', warning: 'warning', info: 'note' }[d.severity]} ${path.relative(root, d.file)}:${d.line}:${d.column}`),
    );
    expect(results.map((x: any) => x.relatedLocations?.length ?? 0)).toEqual(report.diagnostics.map((d) => d.related.length));
    expect(results.filter((x: any) => x.fixes).length).toBe(report.summary.fixable);
    expect(log.runs[0].originalUriBaseIds[SRCROOT].uri).toBe(pathToFileURL(repositoryRoot(root)).href.replace(/\/?$/, '/'));
  });

  it('reports findings with locations, related locations and fixes that reproduce --fix', () => {
    const result = lint([path.join(root, 'fixtures/format/stack')], { nginxVersion: '1.22.1' });
    const log = sarifOf(result, { sourceRoot: root });
    expectValid(log);
    const run = log.runs[0];
    expect(run.columnKind).toBe('utf16CodeUnits');
    expect(run.results.map((r: any) => `${r.ruleId} ${r.level} ${r.locations[0].physicalLocation.artifactLocation.uri}:${r.locations[0].physicalLocation.region.startLine}`)).toEqual([
      'gunicorn-timeout-order error fixtures/format/stack/gunicorn.conf.py:2',
      'gunicorn-unknown-setting warning fixtures/format/stack/gunicorn.conf.py:3',
      'nginx-unknown-directive error fixtures/format/stack/nginx.conf:10',
      'backend-not-found note fixtures/format/stack/nginx.conf:15',
    ]);
    for (const r of run.results) expect(r.locations[0].physicalLocation.artifactLocation.uriBaseId).toBe(SRCROOT);

    const timeout = run.results[0];
    expect(timeout.locations[0].physicalLocation.region).toEqual({ startLine: 2, startColumn: 11, endLine: 2, endColumn: 13 });
    expect(timeout.relatedLocations).toEqual([
      {
        id: 1,
        physicalLocation: { artifactLocation: { uri: 'fixtures/format/stack/nginx.conf', uriBaseId: SRCROOT }, region: { startLine: 8, startColumn: 9, endLine: 8, endColumn: 33 } },
        message: { text: 'proxy_read_timeout 120s' },
      },
    ]);
    expect(timeout.message.text).toMatch(/^proxy_read_timeout 120s at .* outlasts gunicorn timeout 30s .*\n\[fixtures\/format\/stack\/nginx\.conf:8\]\(1\): proxy_read_timeout 120s$/);
    expect(timeout.fixes).toEqual([
      {
        description: { text: 'set gunicorn timeout = 121' },
        artifactChanges: [
          {
            artifactLocation: { uri: 'fixtures/format/stack/gunicorn.conf.py', uriBaseId: SRCROOT },
            replacements: [{ deletedRegion: { startLine: 2, startColumn: 11, endLine: 2, endColumn: 13 }, insertedContent: { text: '121' } }],
          },
        ],
      },
    ]);
    // no fix, no fixes
    expect(run.results[2].fixes).toBeUndefined();

  });

  it('carries fixes that, applied to the files, give what the engine\'s own edits give', () => {
    for (const dir of ['fixtures/format/stack', 'examples/stack']) {
      const result = lint([path.join(root, dir)], { nginxVersion: '1.22.1' });
      const results = sarifOf(result).runs[0].results;
      const fixable = result.diagnostics.filter((d) => d.fix);
      expect(fixable.length).toBeGreaterThan(0);
      let checked = 0;
      result.diagnostics.forEach((d, i) => {
        expect(results[i].ruleId).toBe(d.rule);
        if (!d.fix) return expect(results[i].fixes).toBeUndefined();
        expect(results[i].fixes[0].description.text).toBe(d.fix.description);
        for (const change of results[i].fixes[0].artifactChanges) {
          const file = result.files.find((f) => path.relative(root, f.path) === change.artifactLocation.uri)!;
          expect(applySarifReplacements(file.text, change.replacements)).toBe(applyEdits(file, d.fix.edits.filter((e) => e.file.path === file.path)));
          checked++;
        }
      });
      expect(checked).toBeGreaterThanOrEqual(fixable.length);
    }
  });

  it('counts columns in UTF-16 code units, as columnKind says', () => {
    const line = '    set $face "😀"; proxy_conect_timeout 5s;';
    const result = lint(['/etc/nginx/nginx.conf'], { fs: memoryFileSystem({ '/etc/nginx/nginx.conf': `events {}\nhttp {\n  server {\n${line}\n  }\n}\n` }) });
    const log = sarifOf(result);
    expectValid(log);
    const res = log.runs[0].results.find((r: any) => r.ruleId === 'nginx-unknown-directive');
    const at = line.indexOf('proxy_conect_timeout');
    expect(res.locations[0].physicalLocation.region).toMatchObject({ startLine: 4, startColumn: at + 1, endColumn: at + 1 + 'proxy_conect_timeout'.length });
    // the emoji is two UTF-16 units but one code point: the columns are not code points
    expect([...line.slice(0, at)].length + 1).toBe(at);
  });

  it('writes paths relative to the git top-level above cwd, percent-encoded, through symlinks; absolute file URIs outside it', () => {
    const repo = path.join(work, 'repo one');
    const sub = path.join(repo, 'deploy');
    const stack = path.join(sub, 'my stack');
    fs.mkdirSync(path.join(repo, '.git'), { recursive: true });
    fs.mkdirSync(stack, { recursive: true });
    fs.writeFileSync(path.join(stack, 'nginx.conf'), 'events {}\nhttp { server { proxy_conect_timeout 5s; } }\n');
    fs.symlinkSync('nginx.conf', path.join(stack, 'linked.conf'));
    const outside = fs.mkdtempSync(path.join(tmpdir(), 'nl-sarif-out-'));
    fs.writeFileSync(path.join(outside, 'nginx.conf'), 'events {}\nhttp { server { proxy_conect_timeout 5s; } }\n');
    try {
      expect(repositoryRoot(stack)).toBe(repo);
      const uris = (files: string[], cwd: string) =>
        sarifOf(lint(files), { cwd }).runs[0].results.map((r: any) => {
          const a = r.locations[0].physicalLocation.artifactLocation;
          return a.uriBaseId ? `${a.uriBaseId}/${a.uri}` : a.uri;
        });
      const log = sarifOf(lint([path.join(stack, 'nginx.conf'), path.join(outside, 'nginx.conf')]), { cwd: sub });
      expectValid(log);
      expect(log.runs[0].originalUriBaseIds[SRCROOT].uri).toBe(pathToFileURL(fs.realpathSync(repo)).href + '/');
      expect(log.runs[0].originalUriBaseIds[SRCROOT].uri).toContain('repo%20one/');
      // (findings come sorted by path, and the temp directories' names are random: compare as sets)
      expect(uris([path.join(stack, 'nginx.conf'), path.join(outside, 'nginx.conf')], sub).sort()).toEqual(
        [`${SRCROOT}/deploy/my%20stack/nginx.conf`, pathToFileURL(path.join(fs.realpathSync(outside), 'nginx.conf')).href].sort(),
      );
      // a file named through a symlink is reported at the real file (code scanning cannot show a symlink's results)
      expect(uris([path.join(stack, 'linked.conf')], sub)).toEqual([`${SRCROOT}/deploy/my%20stack/nginx.conf`]);
      // without a .git above, the root is cwd
      expect(repositoryRoot(outside)).toBe(outside);
      const plain = sarifOf(lint([path.join(outside, 'nginx.conf')]), { cwd: outside });
      expect(plain.runs[0].results[0].locations[0].physicalLocation.artifactLocation).toEqual({ uri: 'nginx.conf', uriBaseId: SRCROOT });
    } finally {
      fs.rmSync(outside, { recursive: true, force: true });
    }
  });

  it('keeps ruleIds and ruleIndexes stable from run to run and with --quiet', () => {
    const a = sarifOf(lint([path.join(root, 'fixtures/format/stack')], { nginxVersion: '1.22.1' }));
    const b = sarifOf(lint([path.join(root, 'fixtures/format/stack')], { nginxVersion: '1.22.1' }), { quiet: true });
    expect(b.runs[0].tool.driver.rules).toEqual(a.runs[0].tool.driver.rules);
    const key = (r: any) => `${r.ruleId}#${r.ruleIndex}`;
    expect(b.runs[0].results.map(key)).toEqual(a.runs[0].results.filter((r: any) => r.level === 'error').map(key));
    expect(b.runs[0].results.length).toBe(2);
  });
});

describe('nginx-lint --format sarif (the bundled CLI)', () => {
  let build: ReturnType<typeof buildPrivateCli>;
  beforeAll(() => {
    build = buildPrivateCli();
  });
  afterAll(() => build.dispose());
  const run = (args: string[], cwd = root) => spawnSync(process.execPath, [build.cli, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });

  it('prints a valid log on stdout and exits by the findings', () => {
    const r = run(['--format', 'sarif', '--nginx-version', '1.22.1', 'fixtures/format/stack']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(1);
    const log = JSON.parse(r.stdout);
    expectValid(log);
    expect(log.runs[0].tool.driver.version).toBe(pkg.version);
    expect(log.runs[0].results).toHaveLength(4);
    // the rule docs are found from the bundle (rules/*.md beside package.json)
    const rule = log.runs[0].tool.driver.rules.find((d: any) => d.id === 'gunicorn-timeout-order');
    expect(rule.help.markdown).toBe(fs.readFileSync(path.join(root, 'rules/gunicorn-timeout-order.md'), 'utf8'));

    const example = run(['--format', 'sarif', 'examples/stack']);
    expect(example.status).toBe(1);
    expectValid(JSON.parse(example.stdout));
  });

  it('run from a subdirectory of a repository, writes paths from its root', () => {
    const repo = path.join(work, 'cli-repo');
    const stack = path.join(repo, 'deploy', 'my stack');
    fs.mkdirSync(path.join(repo, '.git'), { recursive: true });
    fs.mkdirSync(stack, { recursive: true });
    fs.writeFileSync(path.join(stack, 'nginx.conf'), 'events {}\nhttp { server { proxy_conect_timeout 5s; } }\n');
    const r = run(['--format', 'sarif', 'my stack/nginx.conf'], path.join(repo, 'deploy'));
    expect(r.status).toBe(1);
    const log = JSON.parse(r.stdout);
    expectValid(log);
    expect(log.runs[0].originalUriBaseIds[SRCROOT].uri).toBe(pathToFileURL(fs.realpathSync(repo)).href + '/');
    expect(log.runs[0].results[0].locations[0].physicalLocation.artifactLocation).toEqual({ uri: 'deploy/my%20stack/nginx.conf', uriBaseId: SRCROOT });
  });

  it('honours --quiet and --max-warnings like every format', () => {
    const quiet = run(['--format', 'sarif', '--quiet', '--nginx-version', '1.22.1', 'fixtures/format/stack']);
    expect(JSON.parse(quiet.stdout).runs[0].results.map((x: any) => x.level)).toEqual(['error', 'error']);
    expect(quiet.status).toBe(1);
    expect(run(['--format', 'sarif', 'fixtures/format/warnings']).status).toBe(0);
    const over = run(['--format', 'sarif', '--max-warnings', '0', 'fixtures/format/warnings']);
    expect(over.status).toBe(1);
    expectValid(JSON.parse(over.stdout));
  });
});

/** Apply SARIF replacements (1-based lines, UTF-16 columns, exclusive ends) to a text. */
function applySarifReplacements(text: string, replacements: any[]): string {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  const offset = (line: number, column: number) => starts[line - 1]! + column - 1;
  const spans = replacements
    .map((r) => ({ start: offset(r.deletedRegion.startLine, r.deletedRegion.startColumn), end: offset(r.deletedRegion.endLine, r.deletedRegion.endColumn), text: r.insertedContent?.text ?? '' }))
    .sort((x, y) => y.start - x.start);
  for (const s of spans) text = text.slice(0, s.start) + s.text + text.slice(s.end);
  return text;
}
