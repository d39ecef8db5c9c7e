import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Ajv } from 'ajv';
import { afterAll, describe, expect, it } from 'vitest';
import { toReported } from '../../src/diagnostic.js';
import { compareWithBaseline, createBaseline, readBaseline, writeBaseline, type Baseline } from '../../src/engine/baseline.js';
import { UsageError } from '../../src/engine/errors.js';
import { lint } from '../../src/engine/lint.js';
import { memoryFileSystem } from '../../src/fs.js';

const root = path.resolve(import.meta.dirname, '../..');
const N = '/etc/nginx/nginx.conf';
const PY = '/srv/app/gunicorn.conf.py';
/** the baseline lives in /proj; the stack's files are outside it */
const B = '/proj/nginx-lint-baseline.json';

const run = (files: Record<string, string>) => lint(['/'], { fs: memoryFileSystem(files) });
const shown = (c: ReturnType<typeof compareWithBaseline>) => c.diagnostics.map((d) => `${toReported(d).file}:${toReported(d).line} ${d.rule}`);

/** a legacy nginx.conf: two unknown directives and a misspelt one in a location */
const legacy = (top: string[] = [], inLocation = 'proxy_conect_timeout 5s;') =>
  [
    ...top,
    'events {}',
    'http {',
    '    server {',
    '        listen 80;',
    '        ssl_protocolz TLSv1.2;',
    '        location /a {',
    `            ${inLocation}`,
    '        }',
    '        location /b {',
    '            proxy_conect_timeout 5s;',
    '        }',
    '    }',
    '}',
    '',
  ].join('\n');

describe('baseline', () => {
  const base = { [N]: legacy() };
  const baseline = createBaseline(run(base), B, '/');

  it('records every finding by rule, relative file and fingerprint (no line numbers), valid against the schema', () => {
    expect(run(base).diagnostics).toHaveLength(3);
    expect(baseline.version).toBe(1);
    expect(baseline.entries.map((e) => `${e.file} ${e.rule}`)).toEqual([
      '../etc/nginx/nginx.conf nginx-unknown-directive',
      '../etc/nginx/nginx.conf nginx-unknown-directive',
      '../etc/nginx/nginx.conf nginx-unknown-directive',
    ]);
    // the same line in two locations: told apart by the block around it
    expect(new Set(baseline.entries.map((e) => e.fingerprint)).size).toBe(3);
    expect(JSON.stringify(baseline)).not.toMatch(/"line"/);
    const validate = new Ajv().compile(JSON.parse(readFileSync(path.join(root, 'schemas/baseline.schema.json'), 'utf8')));
    expect(validate(baseline), JSON.stringify(validate.errors)).toBe(true);
  });

  it('hides the recorded findings, also after lines are inserted above them', () => {
    const same = compareWithBaseline(run(base), baseline, B, '/');
    expect({ shown: shown(same), hidden: same.hidden, stale: same.stale.length }).toEqual({ shown: [], hidden: 3, stale: 0 });
    const shifted = compareWithBaseline(run({ [N]: legacy(['# a header comment', 'worker_processes 2;', '', '']) }), baseline, B, '/');
    expect(run({ [N]: legacy(['# a header comment', 'worker_processes 2;', '', '']) }).diagnostics.map((d) => toReported(d).line)).toEqual([9, 11, 14]);
    expect({ shown: shown(shifted), hidden: shifted.hidden, stale: shifted.stale.length }).toEqual({ shown: [], hidden: 3, stale: 0 });
    // re-indenting does not matter either
    const reindented = compareWithBaseline(run({ [N]: legacy().replace(/^ {4}/gm, '\t') }), baseline, B, '/');
    expect(reindented.hidden).toBe(3);
  });

  it('a new finding shows', () => {
    const more = compareWithBaseline(run({ [N]: legacy(['worker_procezzes 2;']) }), baseline, B, '/');
    expect({ shown: shown(more), hidden: more.hidden, stale: more.stale.length }).toEqual({ shown: [`${N}:1 nginx-unknown-directive`], hidden: 3, stale: 0 });
  });

  it('an edited line shows as new, and its old entry is stale', () => {
    const edited = compareWithBaseline(run({ [N]: legacy([], 'proxy_conect_timeout 10s;') }), baseline, B, '/');
    expect({ shown: shown(edited), hidden: edited.hidden, stale: edited.stale.length }).toEqual({ shown: [`${N}:7 nginx-unknown-directive`], hidden: 2, stale: 1 });
    expect(edited.stale[0]!.message).toBe('unknown directive "proxy_conect_timeout"');
  });

  it('fixed findings make the baseline stale', () => {
    const fixedOne = compareWithBaseline(run({ [N]: legacy().replace('ssl_protocolz', 'ssl_protocols') }), baseline, B, '/');
    expect({ shown: shown(fixedOne), hidden: fixedOne.hidden, stale: fixedOne.stale.map((e) => e.message) }).toEqual({ shown: [], hidden: 2, stale: ['unknown directive "ssl_protocolz"'] });
  });

  it('identical findings are counted: a third copy of a recorded line shows, removing one leaves one stale entry', () => {
    const twice = { [N]: legacy([], 'proxy_conect_timeout 5s;\n            proxy_conect_timeout 5s;') };
    const b2 = createBaseline(run(twice), B, '/');
    expect(b2.entries.map((e) => e.occurrence ?? 0)).toEqual([0, 0, 1, 0]);
    const thrice = compareWithBaseline(run({ [N]: legacy([], 'proxy_conect_timeout 5s;\n            proxy_conect_timeout 5s;\n            proxy_conect_timeout 5s;') }), b2, B, '/');
    expect({ shown: thrice.diagnostics.length, hidden: thrice.hidden, stale: thrice.stale.length }).toEqual({ shown: 1, hidden: 4, stale: 0 });
    const once = compareWithBaseline(run({ [N]: legacy() }), b2, B, '/');
    expect({ shown: once.diagnostics.length, hidden: once.hidden, stale: once.stale.length }).toEqual({ shown: 0, hidden: 3, stale: 1 });
  });

  it('a cross-file finding: editing the other side makes it new', () => {
    const stack = (timeout: number, top = '') => ({
      [N]: `${top}events {}\nhttp {\n    server {\n        listen 80;\n        location / {\n            proxy_pass http://127.0.0.1:8000;\n        }\n    }\n}\n`,
      [PY]: `bind = "127.0.0.1:8000"\ntimeout = ${timeout}\n`,
    });
    const b = createBaseline(run(stack(30)), B, '/');
    expect(b.entries.map((e) => `${e.file} ${e.rule}`)).toEqual(['../srv/app/gunicorn.conf.py gunicorn-timeout-order']);
    // the message names nginx's line; shifting nginx.conf changes the message, not the fingerprint
    expect(compareWithBaseline(run(stack(30, '# moved\n\n')), b, B, '/').hidden).toBe(1);
    const other = compareWithBaseline(run(stack(40)), b, B, '/');
    expect({ shown: other.diagnostics.length, stale: other.stale.length }).toEqual({ shown: 1, stale: 1 });
  });

  it('paths are relative to the baseline file, so the baseline moves with the repository', () => {
    const result = lint(['/repo/etc'], { fs: memoryFileSystem({ '/repo/etc/nginx/nginx.conf': legacy() }) });
    const first = (bp: string, cwd: string) => createBaseline(result, bp, cwd).entries[0]!.file;
    expect(first('/repo/.nginx-lint-baseline.json', '/')).toBe('etc/nginx/nginx.conf');
    expect(first('.nginx-lint-baseline.json', '/repo')).toBe('etc/nginx/nginx.conf');
    expect(first('ci/baseline.json', '/repo')).toBe('../etc/nginx/nginx.conf');
    // the fingerprints do not depend on where the baseline is
    expect(createBaseline(result, '/repo/b.json', '/').entries.map((e) => e.fingerprint)).toEqual(createBaseline(result, '/repo/ci/b.json', '/').entries.map((e) => e.fingerprint));
  });
});

describe('baseline files', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'nl-baseline-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('write then read gives the same baseline', () => {
    const b = createBaseline(run({ [N]: legacy() }), path.join(dir, 'b.json'), '/');
    writeBaseline(path.join(dir, 'b.json'), b);
    expect(readBaseline(path.join(dir, 'b.json'))).toEqual(b);
    expect(readFileSync(path.join(dir, 'b.json'), 'utf8').endsWith('}\n')).toBe(true);
  });

  it('a missing, non-JSON or invalid file is a UsageError naming the file and the problem', () => {
    const bad = (name: string, text: string | null): string => {
      const p = path.join(dir, name);
      if (text !== null) writeFileSync(p, text);
      try {
        readBaseline(p);
      } catch (err) {
        expect(err).toBeInstanceOf(UsageError);
        return (err as Error).message.replaceAll(dir, 'DIR');
      }
      throw new Error('no error');
    };
    expect(bad('missing.json', null)).toBe('cannot read baseline "DIR/missing.json": No such file or directory (create it with --write-baseline DIR/missing.json)');
    expect(bad('text.json', 'not json')).toMatch(/^invalid baseline "DIR\/text.json": not JSON \(/);
    expect(bad('version.json', '{"version": 2, "entries": []}')).toBe('invalid baseline "DIR/version.json": /version must be equal to constant');
    const entry: Baseline['entries'][number] = { rule: 'x', file: 'a.conf', fingerprint: 'nothex' };
    expect(bad('fp.json', JSON.stringify({ version: 1, entries: [entry] }))).toBe('invalid baseline "DIR/fp.json": /entries/0/fingerprint must match pattern "^[0-9a-f]{16}$"');
    expect(bad('extra.json', JSON.stringify({ version: 1, entries: [], extra: true }))).toBe('invalid baseline "DIR/extra.json": (top level) must NOT have additional properties "extra"');
  });
});
