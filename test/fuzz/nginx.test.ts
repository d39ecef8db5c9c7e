/**
 * nginx readers on broken input: random bytes, nginx-shaped noise and mutated
 * fixtures through parseNginx (lossless print, crossplane, analyze), trees of
 * includes in a memory file system (cycles, globs, directories, missing files),
 * and `nginx -T` dumps cut anywhere. See targets.ts for the promises checked.
 */
import { describe, expect, it } from 'vitest';
import { analyze, singleFileConfig } from '../../src/syntax/nginx/analyze.js';
import { MAX_BLOCK_DEPTH } from '../../src/syntax/nginx/parser.js';
import { memoryFileSystem } from '../../src/fs.js';
import { loadNginxConfig, parseNginx, printNginx } from '../../src/syntax/nginx/index.js';
import { sourceFromString } from '../../src/syntax/source.js';
import { assertDiagnostics } from './support/invariants.js';
import { fuzz } from './support/run.js';
import { nginxDumpTarget, nginxIncludeTarget, nginxTarget } from './targets.js';

describe('nginx: never throws, spans inside the file, bytes back', () => {
  it('random and mutated files', () => {
    expect(fuzz(nginxTarget, 300)).toBeGreaterThanOrEqual(300);
  });
  it('huge tokens and deep nesting', () => {
    expect(fuzz(nginxTarget, 25, true)).toBeGreaterThanOrEqual(25);
  });
  it('trees of includes in a memory file system', () => {
    expect(fuzz(nginxIncludeTarget, 150)).toBeGreaterThanOrEqual(150);
    expect(fuzz(nginxIncludeTarget, 10, true)).toBeGreaterThanOrEqual(10);
  });
  it('nginx -T dumps, cut and mutated', () => {
    expect(fuzz(nginxDumpTarget, 200)).toBeGreaterThanOrEqual(200);
    expect(fuzz(nginxDumpTarget, 10, true)).toBeGreaterThanOrEqual(10);
  });
});

describe('nginx: pathological shapes, each once', () => {
  it(`10,000 nested blocks: read to ${MAX_BLOCK_DEPTH} levels, the rest kept as text and reported at its "{"`, () => {
    const text = 'events {}\nhttp { server {\n' + 'location / {'.repeat(10_000) + '}'.repeat(10_000) + '\n} }\n';
    const file = parseNginx(sourceFromString('deep.conf', text));
    expect(printNginx(file)).toBe(text);
    const deep = file.diagnostics.filter((d) => d.message.startsWith('blocks nested deeper'));
    expect(deep).toHaveLength(1);
    // the `{` of the first block not read: the 101st (two are http and server)
    const opens = [...text.matchAll(/\{/g)].map((m) => m.index);
    expect(deep[0]!.span.start).toBe(opens[MAX_BLOCK_DEPTH + 1]);
    const all = [...file.diagnostics, ...analyze(singleFileConfig(file))];
    assertDiagnostics(all, [text]);
  });

  it('10,000 unclosed blocks and 10,000 stray braces', () => {
    for (const text of ['a {'.repeat(10_000), '}'.repeat(10_000), '{'.repeat(10_000), ';'.repeat(10_000)]) {
      const file = parseNginx(sourceFromString('x.conf', text));
      expect(printNginx(file)).toBe(text);
      assertDiagnostics([...file.diagnostics, ...analyze(singleFileConfig(file))], [text]);
    }
  });

  it('an include cycle through three files and a self-include stop, reported at the include', () => {
    const fs = memoryFileSystem({
      '/n/nginx.conf': 'events {}\nhttp { include a.conf; include nginx.conf; }\n',
      '/n/a.conf': 'include b.conf;\n',
      '/n/b.conf': 'include a.conf;\n',
    });
    const config = loadNginxConfig('/n/nginx.conf', { fs });
    const messages = config.diagnostics.map((d) => `${d.file.path}: ${d.message}`);
    expect(messages).toEqual([
      '/n/b.conf: include cycle: "/n/a.conf" is already being included (not followed)',
      '/n/nginx.conf: include cycle: "/n/nginx.conf" is already being included (not followed)',
    ]);
    assertDiagnostics(config.diagnostics);
  });

  it('a glob matching more files than the limit loads the limit and says so once per include', () => {
    const files: Record<string, string> = { '/n/nginx.conf': 'events {}\nhttp { include conf.d/*.conf; }\n' };
    for (let i = 0; i < 120; i++) files[`/n/conf.d/f${String(i).padStart(3, '0')}.conf`] = `# ${i}\n`;
    const config = loadNginxConfig('/n/nginx.conf', { fs: memoryFileSystem(files), maxFiles: 50 });
    expect(config.files.size).toBe(50);
    expect(config.diagnostics.map((d) => d.message)).toEqual(['more than 50 files included: 71 files matched by "/n/conf.d/*.conf" not loaded (the first: "/n/conf.d/f049.conf")']);
  });
});
