/**
 * The plugin fixtures are written against the public types only
 * (`import('nginx-lint').Rule` in JSDoc, erased at run time): TypeScript
 * checks them against src/index.ts, so the Rule API they use is the one the
 * package exports.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');

describe('plugin fixtures', () => {
  it('type-check against the exported Rule API', () => {
    const dir = fs.mkdtempSync(path.join(tmpdir(), 'nl-plugin-types-'));
    try {
      const files = ['fixtures/plugins/local/lint-plugins/house.mjs', 'fixtures/plugins/packages/nginx-lint-plugin-acme/rules.js'].map((f) => path.join(root, f));
      // nothing imported at run time: outside comments, no import or require at all
      for (const f of files) expect(fs.readFileSync(f, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '')).not.toMatch(/\bimport\b|\brequire\(/);
      fs.writeFileSync(
        path.join(dir, 'tsconfig.json'),
        JSON.stringify({
          compilerOptions: { allowJs: true, checkJs: true, noEmit: true, strict: true, module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', skipLibCheck: true, resolveJsonModule: true, types: ['node'], typeRoots: [path.join(root, 'node_modules/@types')], paths: { 'nginx-lint': [path.join(root, 'src/index.ts')] } },
          files,
        }),
      );
      let out = '';
      try {
        execFileSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', dir], { encoding: 'utf8' });
      } catch (err) {
        out = String((err as { stdout?: string }).stdout ?? err);
      }
      expect(out).toBe('');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
