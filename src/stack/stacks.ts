/**
 * Separate stacks in one run: nginx trees, FPM masters (with their pools
 * and php.ini) and gunicorn apps joined when a link connects them. Two
 * nginx trees or two PHP versions side by side stay two stacks unless one
 * really reaches the other.
 */
import type { FpmConfig } from '../syntax/ini/fpm.js';
import type { IniFile } from '../syntax/ini/ast.js';
import { reachedApps, type GunicornApp, type NginxTree, type StackModel, type FpmPoolApp } from './model.js';

export interface StackGroup {
  nginx: NginxTree[];
  fpm: FpmConfig[];
  pools: FpmPoolApp[];
  apps: GunicornApp[];
  phpIni: IniFile[];
}

export function groupStacks(model: StackModel): StackGroup[] {
  const parent = new Map<object, object>();
  const find = (x: object): object => {
    let p = parent.get(x) ?? x;
    if (p !== x) {
      p = find(p);
      parent.set(x, p);
    }
    return p;
  };
  const union = (a: object, b: object) => {
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent.set(ra, rb);
  };
  for (const t of model.trees) find(t);
  for (const p of model.pools) union(p, p.config);
  for (const a of model.apps) find(a);
  for (const { file, configs } of model.phpIni) for (const c of configs) union(file, c);
  for (const pass of model.passes) for (const app of reachedApps(pass)) union(pass.tree, app.kind === 'fpm-pool' ? app.config : app);

  const groups = new Map<object, StackGroup>();
  const group = (x: object) => {
    const r = find(x);
    let g = groups.get(r);
    if (!g) {
      g = { nginx: [], fpm: [], pools: [], apps: [], phpIni: [] };
      groups.set(r, g);
    }
    return g;
  };
  for (const t of model.trees) group(t).nginx.push(t);
  const configs = new Set(model.pools.map((p) => p.config));
  for (const { configs: cs } of model.phpIni) for (const c of cs) configs.add(c);
  for (const c of configs) group(c).fpm.push(c);
  for (const p of model.pools) group(p).pools.push(p);
  for (const a of model.apps) group(a).apps.push(a);
  for (const { file } of model.phpIni) group(file).phpIni.push(file);
  return [...groups.values()];
}
