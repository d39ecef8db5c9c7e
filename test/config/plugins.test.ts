/** Loading plugins: package resolution (exports, main, scopes), module shapes, namespacing. */
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPlugin, pluginName, PluginError, resolvePackage } from '../../src/config/plugins.js';
import type { StackModel } from '../../src/stack/model.js';

let work: string;
beforeAll(() => {
  work = fs.realpathSync(fs.mkdtempSync(path.join(tmpdir(), 'nl-plugin-unit-')));
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

let n = 0;
function project(files: Record<string, string>): string {
  const dir = path.join(work, `p${++n}`);
  for (const [f, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    fs.writeFileSync(path.join(dir, f), text);
  }
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

const RULE = "{ meta: { id: 'r', description: 'a rule', severity: 'info', fixable: false }, check(ctx) { ctx.report({ file: { path: 'x', text: '', encoding: 'utf8' }, span: { start: 0, end: 0 }, message: 'hi' }); } }";

describe('resolvePackage', () => {
  it.each([
    ['exports as a string', { exports: './lib/main.js' }, 'lib/main.js'],
    ['exports "." with import', { exports: { '.': { import: './esm.js', require: './cjs.cjs' } } }, 'esm.js'],
    ['exports conditions at the top', { exports: { node: './node.js', default: './default.js' } }, 'node.js'],
    ['nested conditions', { exports: { '.': { node: { import: './n.mjs' } } } }, 'n.mjs'],
    ['main', { main: 'lib/index' }, 'lib/index.js'],
    ['neither: index.js', {}, 'index.js'],
  ])('%s', (_n, pkg, entry) => {
    const dir = project({ 'node_modules/nginx-lint-plugin-x/package.json': JSON.stringify(pkg), [`node_modules/nginx-lint-plugin-x/${entry}`]: 'export default [];\n' });
    fs.mkdirSync(path.join(dir, 'config/deeper'), { recursive: true });
    expect(resolvePackage('nginx-lint-plugin-x', path.join(dir, 'config/deeper'))).toBe(path.join(dir, 'node_modules/nginx-lint-plugin-x', entry));
  });

  it('scoped packages; the nearest node_modules wins; none: null', () => {
    const dir = project({ 'node_modules/@acme/nginx-lint-plugin-x/package.json': '{"main": "a.js"}', 'node_modules/@acme/nginx-lint-plugin-x/a.js': '', 'sub/node_modules/@acme/nginx-lint-plugin-x/package.json': '{"main": "b.js"}', 'sub/node_modules/@acme/nginx-lint-plugin-x/b.js': '' });
    expect(resolvePackage('@acme/nginx-lint-plugin-x', dir)).toBe(path.join(dir, 'node_modules/@acme/nginx-lint-plugin-x/a.js'));
    expect(resolvePackage('@acme/nginx-lint-plugin-x', path.join(dir, 'sub'))).toBe(path.join(dir, 'sub/node_modules/@acme/nginx-lint-plugin-x/b.js'));
    expect(resolvePackage('nginx-lint-plugin-none', dir)).toBeNull();
  });

  it('a package that exports only subpaths, or whose entry is missing, is an error saying so', () => {
    const a = project({ 'node_modules/nginx-lint-plugin-x/package.json': '{"exports": {"./sub": "./s.js"}}' });
    expect(() => resolvePackage('nginx-lint-plugin-x', a)).toThrow(/exports no "\." entry for import/);
    const b = project({ 'node_modules/nginx-lint-plugin-x/package.json': '{"main": "gone.js"}' });
    expect(() => resolvePackage('nginx-lint-plugin-x', b)).toThrow(`nginx-lint-plugin-x's entry "gone.js" (${path.join(b, 'node_modules/nginx-lint-plugin-x/package.json')}) does not exist`);
  });
});

describe('pluginName', () => {
  it.each([
    ['nginx-lint-plugin-acme', 'acme'],
    ['@corp/nginx-lint-plugin-acme', '@corp/acme'],
    ['./lint/house.mjs', 'house'],
    ['../x/rules.cjs', 'rules'],
    ['/abs/my-rules.js', 'my-rules'],
  ])('%s → %s', (spec, name) => expect(pluginName(spec)).toBe(name));
});

describe('loadPlugin', () => {
  it('namespaces ids, defaults a missing family to the plugin name, and runs the same check', async () => {
    const dir = project({ 'rules.mjs': `export const rules = [${RULE}];\n` });
    const p = await loadPlugin('./rules.mjs', dir);
    expect(p).toMatchObject({ name: 'rules', specifier: './rules.mjs', file: path.join(dir, 'rules.mjs') });
    expect(p.rules.map((r) => [r.meta.id, r.meta.family])).toEqual([['rules/r', 'rules']]);
    const reported: string[] = [];
    p.rules[0]!.check({ model: {} as StackModel, options: { fixStrategy: 'upstream' }, config: {}, report: (r) => void reported.push(r.message) });
    expect(reported).toEqual(['hi']);
  });

  it('CommonJS plugins: module.exports = [...] or { rules: [...] }', async () => {
    const dir = project({ 'a.cjs': `module.exports = [${RULE}];\n`, 'b.cjs': `module.exports = { rules: [${RULE}] };\n` });
    expect((await loadPlugin('./a.cjs', dir)).rules.map((r) => r.meta.id)).toEqual(['a/r']);
    expect((await loadPlugin('./b.cjs', dir)).rules.map((r) => r.meta.id)).toEqual(['b/r']);
  });

  it('two rules of one id in a plugin', async () => {
    const dir = project({ 'd.mjs': `export default [${RULE}, ${RULE}];\n` });
    await expect(loadPlugin('./d.mjs', dir, 3)).rejects.toEqual(new PluginError(3, 'plugin "./d.mjs": two rules with the id "r"'));
  });
});
