/** Parsing never throws: random text and mutated fixtures, for every reader. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { memoryFileSystem } from '../../src/fs.js';
import { sourceFromString } from '../../src/syntax/source.js';
import { gunicornValuesView, loadGunicornSource, readGunicornConfig, resolveGunicorn, type GunicornFileKind } from '../../src/syntax/gunicorn/index.js';

const FIXTURES = path.resolve(__dirname, '../../fixtures/gunicorn');
const files: { rel: string; text: string }[] = [];
for (const dir of ['configs', 'systemd', 'procfile', 'shell', 'cmdline']) {
  for (const f of fs.readdirSync(path.join(FIXTURES, dir))) files.push({ rel: `${dir}/${f}`, text: fs.readFileSync(path.join(FIXTURES, dir, f), 'utf8') });
}
const kinds: GunicornFileKind[] = ['config', 'systemd-service', 'systemd-socket', 'procfile', 'supervisor', 'shell'];
const PY_TOKENS = ['[program:x]\n', 'command=', 'environment=A="1",', 'directory=', '%(here)s', '%(ENV_A)s', '%%', '%(', ' ;', '\n  ', '(', ')', '[', ']', '{', '}', ':', '=', '"', "'", '"""', 'f"', '{x}', '\\', '\n', '    ', 'if ', 'else', 'def ', 'lambda', 'not ', ' and ', 'import os', 'os.environ.get(', '%', '.format(', '*', '**', '#', ',', 'workers', 'timeout = ', '0o7', '1e5', 'try:', 'except', 'for x in ', 'while 1:', 'return', 'yield', 'global x', 'del x', '@d', 'class C:', 'await', '...', ';', '-', '~', '$PORT', '--timeout', '-t', 'ExecStart=', '[Service]', 'gunicorn '];

function everything(text: string, kind: GunicornFileKind) {
  const file = sourceFromString('x', text);
  const loaded = loadGunicornSource(file, { fs: memoryFileSystem({}), kind, envComplete: false });
  for (const c of loaded.configs) gunicornValuesView(c);
  gunicornValuesView(resolveGunicorn({ config: readGunicornConfig(file, { env: { A: '1' } }) }));
}

describe('robustness', () => {
  it('random token soup never makes a reader throw', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...PY_TOKENS), { maxLength: 60 }), fc.constantFrom(...kinds), (toks, kind) => {
        expect(() => everything(toks.join(''), kind)).not.toThrow();
      }),
      { numRuns: 400 },
    );
  });

  it('arbitrary strings never make a reader throw', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), fc.constantFrom(...kinds), (s, kind) => {
        expect(() => everything(s, kind)).not.toThrow();
      }),
      { numRuns: 300 },
    );
  });

  it('fixtures cut and spliced at random points never make a reader throw', () => {
    fc.assert(
      fc.property(fc.constantFrom(...files), fc.nat(), fc.nat(), fc.constantFrom(...PY_TOKENS), fc.constantFrom(...kinds), (f, a, b, tok, kind) => {
        const i = a % (f.text.length + 1);
        const j = b % (f.text.length + 1);
        const text = f.text.slice(0, Math.min(i, j)) + tok + f.text.slice(Math.max(i, j));
        expect(() => everything(text, kind)).not.toThrow();
      }),
      { numRuns: 500 },
    );
  });

  it('supervisor files built to make a backtracking reader crawl are read in one pass', () => {
    const long = 200_000;
    for (const text of [
      `[program:x]\ncommand=gunicorn app:app\n${' '.repeat(long)}x\n`,
      `[program:x]\ncommand=gunicorn ${'%('.repeat(long / 2)}\n`,
      `[program:x]\ncommand=gunicorn app:app\nenvironment=A=${' '.repeat(long)}x${', B='.repeat(long / 8)}\n`,
      `[program:x]\ncommand=gunicorn app:app ${' ;'.repeat(long / 2)}\n`,
    ]) {
      expect(() => everything(text, 'supervisor')).not.toThrow();
    }
  });
});

