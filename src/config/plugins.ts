/**
 * Plugin rules: the config file's `plugins` list names local modules
 * ("./lint-plugins/my-rules.js", relative to the config file) or installed
 * packages ("nginx-lint-plugin-acme", "@scope/nginx-lint-plugin-acme",
 * resolved from the config file's directory the way Node resolves an import
 * there). A plugin's default export, or its named export `rules`, is an array
 * of rules with the same API as the built-in ones; each rule's id becomes
 * `<plugin>/<id>`, the plugin being the package name without
 * "nginx-lint-plugin-" or the module's file name without its extension.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Rule } from '../engine/rule.js';
import { SEVERITY_SETTINGS } from '../engine/rule-settings.js';

export interface LoadedPlugin {
  /** the namespace of its rules: `<name>/<rule>` */
  name: string;
  /** as written in the config file */
  specifier: string;
  /** the module file that was imported */
  file: string;
  /** its rules, ids namespaced */
  rules: Rule[];
}

/** A plugin that cannot be used; `index` is its position in the `plugins` list. */
export class PluginError extends Error {
  constructor(
    readonly index: number,
    message: string,
  ) {
    super(message);
    this.name = 'PluginError';
  }
}

const PACKAGE_RE = /^(@[a-z0-9][\w.-]*\/)?nginx-lint-plugin-([a-z0-9][\w.-]*)$/;
const RULE_ID_RE = /^[a-z0-9]+(-[a-z0-9]+)*$/;

const isPathLike = (s: string) => s.startsWith('./') || s.startsWith('../') || path.isAbsolute(s) || s === '.' || s === '..';

function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

/** The entry of a package's `exports` for "." under Node's ESM conditions (import, node, default). */
function exportsEntry(exp: unknown): string | null {
  if (typeof exp === 'string') return exp;
  if (Array.isArray(exp)) {
    for (const e of exp) {
      const r = exportsEntry(e);
      if (r) return r;
    }
    return null;
  }
  if (!exp || typeof exp !== 'object') return null;
  const o = exp as Record<string, unknown>;
  if ('.' in o) return exportsEntry(o['.']);
  if (Object.keys(o).some((k) => k.startsWith('.'))) return null; // subpaths only, no "."
  for (const cond of ['import', 'node', 'default']) if (cond in o) return exportsEntry(o[cond]);
  return null;
}

/**
 * Where `import(name)` from a file in `fromDir` would land: node_modules
 * upward from `fromDir`, then the package's `exports["."]` (import / node /
 * default), `main`, or index.js. import.meta.resolve with a parent is
 * experimental in Node 20 and require.resolve ignores "import"-only exports.
 */
export function resolvePackage(name: string, fromDir: string): string | null {
  for (let dir = path.resolve(fromDir); ; dir = path.dirname(dir)) {
    const pkgDir = path.join(dir, 'node_modules', name);
    const pkgJson = path.join(pkgDir, 'package.json');
    if (existsSync(pkgJson)) {
      let pkg: { exports?: unknown; main?: unknown };
      try {
        pkg = JSON.parse(readFileSync(pkgJson, 'utf8'));
      } catch (err) {
        throw new Error(`${pkgJson} is not valid JSON (${(err as Error).message})`, { cause: err });
      }
      const entry = pkg.exports !== undefined ? exportsEntry(pkg.exports) : typeof pkg.main === 'string' ? pkg.main : 'index.js';
      if (entry === null) throw new Error(`${pkgJson} exports no "." entry for import`);
      for (const candidate of [entry, `${entry}.js`, path.join(entry, 'index.js')]) {
        const f = path.resolve(pkgDir, candidate);
        if (isFile(f)) return f;
      }
      throw new Error(`${name}'s entry "${entry}" (${pkgJson}) does not exist`);
    }
    if (existsSync(pkgDir)) throw new Error(`${pkgDir} has no package.json`);
    if (path.dirname(dir) === dir) return null;
  }
}

/** The plugin's name: the package name minus "nginx-lint-plugin-" (scope kept), or the file's base name. */
export function pluginName(specifier: string): string {
  if (isPathLike(specifier)) return path.basename(specifier).replace(/\.(?:[cm]?js)$/, '');
  const m = PACKAGE_RE.exec(specifier)!;
  return `${m[1] ?? ''}${m[2]}`;
}

function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : `${typeof v} ${JSON.stringify(v)}`;
}

/** What is wrong with one exported rule, or null. */
function ruleProblem(r: unknown): string | null {
  if (!r || typeof r !== 'object') return `is ${describeValue(r)}, not a rule object`;
  const { meta, check } = r as { meta?: Record<string, unknown>; check?: unknown };
  if (!meta || typeof meta !== 'object') return 'has no `meta` object';
  if (typeof meta.id !== 'string' || !RULE_ID_RE.test(meta.id)) return `has meta.id ${describeValue(meta.id)}; it must be kebab-case (the plugin's name is added as "<plugin>/")`;
  const id = meta.id;
  if (typeof check !== 'function') return `"${id}" has no check(context) function`;
  if (typeof meta.description !== 'string' || meta.description.trim() === '') return `"${id}" has no meta.description`;
  if (!SEVERITY_SETTINGS.includes(meta.severity as never) || meta.severity === 'off') return `"${id}" has meta.severity ${describeValue(meta.severity)}; it must be "info", "warning" or "error"`;
  if (typeof meta.fixable !== 'boolean') return `"${id}" has meta.fixable ${describeValue(meta.fixable)}; it must be true or false`;
  if (meta.family !== undefined && typeof meta.family !== 'string') return `"${id}" has meta.family ${describeValue(meta.family)}; it must be a string`;
  if (meta.docs !== undefined && typeof meta.docs !== 'string') return `"${id}" has meta.docs ${describeValue(meta.docs)}; it must be markdown text`;
  if (meta.url !== undefined && typeof meta.url !== 'string') return `"${id}" has meta.url ${describeValue(meta.url)}; it must be a string`;
  if (meta.options !== undefined && (typeof meta.options !== 'object' || meta.options === null || Array.isArray(meta.options))) return `"${id}" has meta.options ${describeValue(meta.options)}; it must be a JSON schema object`;
  return null;
}

/** The rules array a plugin module exports: `export default [...]`, `export const rules = [...]`, or CommonJS `module.exports = [...]` / `{ rules }`. */
function exportedRules(mod: Record<string, unknown>): unknown {
  if (Array.isArray(mod.default)) return mod.default;
  if (Array.isArray(mod.rules)) return mod.rules;
  const d = mod.default as { rules?: unknown } | undefined;
  if (d && typeof d === 'object' && Array.isArray(d.rules)) return d.rules;
  return undefined;
}

/** Import one plugin and check what it exports. */
export async function loadPlugin(specifier: string, baseDir: string, index = 0): Promise<LoadedPlugin> {
  let file: string | null;
  if (isPathLike(specifier)) {
    file = path.resolve(baseDir, specifier);
    if (!isFile(file)) throw new PluginError(index, `plugin "${specifier}": ${file} does not exist`);
  } else {
    if (!PACKAGE_RE.test(specifier)) {
      const hint = /^(@[^/]+\/)?[a-z0-9][\w.-]*$/.test(specifier) ? ` (did you mean ${specifier.replace(/^(@[^/]+\/)?/, '$1nginx-lint-plugin-')}, or "./${specifier}" for a local file?)` : '';
      throw new PluginError(index, `plugin "${specifier}": a package plugin's name starts with "nginx-lint-plugin-"; a local module starts with "./" or "../"${hint}`);
    }
    try {
      file = resolvePackage(specifier, baseDir);
    } catch (err) {
      throw new PluginError(index, `plugin "${specifier}": ${(err as Error).message}`);
    }
    if (!file) throw new PluginError(index, `plugin "${specifier}" is not installed (no node_modules/${specifier} from ${baseDir} upward; npm install --save-dev ${specifier})`);
  }
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (err) {
    const e = err as Error;
    throw new PluginError(index, `plugin "${specifier}" failed to load: ${e.message.split('\n')[0]}`);
  }
  const rules = exportedRules(mod);
  if (!Array.isArray(rules)) throw new PluginError(index, `plugin "${specifier}" (${file}) exports no rules: its default export or its export \`rules\` must be an array of rules`);
  const name = pluginName(specifier);
  const out: Rule[] = [];
  const ids = new Set<string>();
  rules.forEach((r, i) => {
    const problem = ruleProblem(r);
    if (problem) throw new PluginError(index, `plugin "${specifier}": rule ${i} ${problem}`);
    const rule = r as Rule;
    if (ids.has(rule.meta.id)) throw new PluginError(index, `plugin "${specifier}": two rules with the id "${rule.meta.id}"`);
    ids.add(rule.meta.id);
    // the same check, under the namespaced id (the plugin's object is left untouched)
    out.push({ meta: { ...rule.meta, id: `${name}/${rule.meta.id}`, family: rule.meta.family ?? name }, check: (ctx) => rule.check(ctx) });
  });
  return { name, specifier, file, rules: out };
}

/** Import every plugin of a config, in order; names must be distinct. */
export async function loadPlugins(specifiers: readonly string[], baseDir: string): Promise<LoadedPlugin[]> {
  const out: LoadedPlugin[] = [];
  for (const [i, s] of specifiers.entries()) {
    const p = await loadPlugin(s, baseDir, i);
    const clash = out.find((o) => o.name === p.name);
    if (clash) throw new PluginError(i, `plugin "${s}" has the same name "${p.name}" as plugin "${clash.specifier}": their rule ids would collide`);
    out.push(p);
  }
  return out;
}
