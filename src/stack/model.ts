/**
 * The stack model: every nginx tree with its scopes, every FPM pool with the
 * PHP settings its workers get, every gunicorn app with its effective
 * settings, and the links between them (location → upstream → pool / app,
 * by socket path or host:port). Rules ask this, never the raw trees.
 */
import * as path from 'node:path';
import type { ContextName, Directive, NginxConfig } from '../syntax/nginx/ast.js';
import type { NginxVersion } from '../syntax/nginx/version.js';
import type { SourceFile, Span } from '../syntax/source.js';
import type { IniFile } from '../syntax/ini/ast.js';
import { fpmSetting, type FpmConfig, type FpmPool, type FpmSetting } from '../syntax/ini/fpm.js';
import { resolveGunicorn, type EffectiveGunicorn, type EffectiveSetting, type LoadedGunicorn } from '../syntax/gunicorn/index.js';
import { parseSystemdUnit } from '../syntax/gunicorn/command-line.js';
import { formatEndpoint, parseFpmListen, parseGunicornBind, parseListenStream, reaches, type Endpoint } from './address.js';
import { allScopes, buildScopes, enclosingScope, scopesWriting, type Scope } from './nginx-scopes.js';
import { effective, type EffectiveValue } from './nginx-effective.js';
import { DEFAULT_PLATFORM, type Platform } from './nginx-defaults.js';
import { parsePass, parseUpstreamServer, PASS_DIRECTIVES, type PassAddress, type PassModule } from './nginx-pass.js';
import { PhpSettings } from './php-values.js';
import type { Accounts } from './accounts.js';
import { argValue, argValues, nameOf } from '../syntax/nginx/nodes.js';

export interface NginxTree {
  id: string;
  config: NginxConfig;
  context: ContextName;
  root: Scope;
}

export interface UpstreamServer {
  directive: Directive;
  endpoint: Endpoint | null;
  backup: boolean;
  down: boolean;
}

export interface UpstreamBlock {
  id: string;
  tree: NginxTree;
  scope: Scope;
  name: string;
  servers: UpstreamServer[];
}

/** Where one listening socket of a backend is declared. */
export interface Listener {
  endpoint: Endpoint;
  file: SourceFile;
  span: Span;
  /** the setting that declares it: `listen`, `bind`, `ListenStream` */
  via: string;
}

export interface FpmPoolApp {
  kind: 'fpm-pool';
  id: string;
  name: string;
  config: FpmConfig;
  pool: FpmPool;
  listeners: Listener[];
  /** the `listen` setting, when the pool has one */
  listen: FpmSetting | null;
  /** the PHP settings its workers run with (pool values over the paired php.ini files) */
  php: PhpSettings;
}

export interface GunicornApp {
  kind: 'gunicorn-app';
  id: string;
  name: string;
  /** the file that starts or configures it (service unit, Procfile, or config file) */
  file: SourceFile;
  gunicorn: EffectiveGunicorn;
  /** bound sockets; empty when `bind` is not known statically */
  listeners: Listener[];
  /** a systemd .socket unit that hands it its sockets (gunicorn then ignores `bind`) */
  socketUnit: LoadedGunicorn | null;
  /** how its config file was found, when that took a guess */
  notes: string[];
}

export type BackendApp = FpmPoolApp | GunicornApp;

/** A backend reached by one endpoint of a pass. */
export interface Backend {
  endpoint: Endpoint;
  /** the upstream `server` that names the endpoint; null for a direct address */
  server: UpstreamServer | null;
  /** the pools / apps listening there (more than one is a collision) */
  apps: { app: BackendApp; listener: Listener; match: 'exact' | 'port' }[];
}

export type PassTarget =
  | { kind: 'upstream'; upstream: UpstreamBlock }
  | { kind: 'address'; endpoint: Endpoint; implicitName: string | null }
  /** contains variables: not guessed */
  | { kind: 'variable'; text: string }
  /** an upstream name with no upstream{} of that name in the configuration */
  | { kind: 'missing-upstream'; name: string }
  | { kind: 'invalid'; text: string; reason: string };

export interface Pass {
  id: string;
  tree: NginxTree;
  /** the location (or if / limit_except inside it) the directive stands in */
  scope: Scope;
  /** the location around `scope` (itself when `scope` is the location) */
  location: Scope;
  directive: Directive;
  module: PassModule;
  target: PassTarget;
  backends: Backend[];
}

export interface StackModel {
  nginxVersion: NginxVersion;
  trees: NginxTree[];
  upstreams: UpstreamBlock[];
  passes: Pass[];
  pools: FpmPoolApp[];
  apps: GunicornApp[];
  /** php.ini files read, and which FPM configs they were paired with */
  phpIni: { file: IniFile; configs: FpmConfig[] }[];
  /** users and groups from the stack's /etc/passwd and /etc/group; null when the run has none */
  accounts: Accounts | null;
  /** the effective value of an nginx directive at a scope under the target version */
  effective(scope: Scope, name: string): EffectiveValue;
}

export interface ModelInput {
  nginxVersion: NginxVersion;
  /** the machine nginx runs on (page size decides buffer defaults); x86-64 Linux when absent */
  platform?: Platform;
  nginx: { config: NginxConfig; context: ContextName }[];
  fpm: FpmConfig[];
  phpIni: IniFile[];
  /** php.ini files named explicitly: they apply to every FPM config */
  phpIniExplicit?: Set<string>;
  gunicorn: LoadedGunicorn[];
  /** /etc/passwd and /etc/group of the stack, when the run can see them */
  accounts?: Accounts | null;
}

/** A path segment that names a PHP version: php/8.3, php8.3, php83, 8.3. */
function phpVersionOf(p: string): string | null {
  const m = /(?:^|\/)(?:php)?(\d\.\d)(?:\/|-|$)/.exec(p) ?? /(?:^|\/)php(\d)(\d)(?:\/|-|$)/.exec(p);
  if (!m) return null;
  return m[2] ? `${m[1]}.${m[2]}` : m[1]!;
}

function commonPrefixLength(a: string, b: string): number {
  const as = path.resolve(a).split('/');
  const bs = path.resolve(b).split('/');
  let i = 0;
  while (i < as.length && i < bs.length && as[i] === bs[i]) i++;
  return i;
}

/**
 * Which php.ini files a PHP-FPM master loads: those nearest to its main file
 * (same directory tree; never another PHP version's, never the CLI's), or
 * every file given explicitly.
 */
function pairPhpIni(configs: FpmConfig[], files: IniFile[], explicit: Set<string>): Map<FpmConfig, IniFile[]> {
  const out = new Map<FpmConfig, IniFile[]>();
  for (const c of configs) {
    const dir = path.dirname(c.path);
    const version = phpVersionOf(path.resolve(c.path));
    let best = 0;
    let chosen: IniFile[] = [];
    for (const f of files) {
      if (explicit.has(f.source.path)) continue;
      const fp = path.resolve(f.source.path);
      if (/\/(cli|cgi|apache2|phpdbg|embed)\//.test(fp)) continue;
      const fv = phpVersionOf(fp);
      if (version && fv && version !== fv) continue;
      const n = commonPrefixLength(dir, path.dirname(fp));
      if (n > best) {
        best = n;
        chosen = [f];
      } else if (n === best && n > 0) chosen.push(f);
    }
    out.set(c, [...files.filter((f) => explicit.has(f.source.path)), ...chosen]);
  }
  return out;
}

function knownList(s: EffectiveSetting | undefined): unknown[] | null {
  if (!s || s.value.kind !== 'known') return null;
  return Array.isArray(s.value.value) ? s.value.value : [s.value.value];
}

/** Where a gunicorn setting was written; null for gunicorn's default (or a source with no place in a file). */
export function settingPlace(s: EffectiveSetting | undefined): { file: SourceFile; span: Span } | null {
  const src = s?.source;
  if (src && (src.kind === 'config-file' || src.kind === 'command-line')) return { file: src.file, span: src.span };
  if (src && src.kind === 'GUNICORN_CMD_ARGS' && src.file && src.span) return { file: src.file, span: src.span };
  return null;
}

function systemdStem(p: string): string {
  return path.basename(p).replace(/\.(service|socket)$/, '').replace(/@.*$/, '');
}

/** The .socket unit that activates a service: same name, or named by Sockets= / Requires=. */
function socketUnitFor(loaded: LoadedGunicorn, sockets: LoadedGunicorn[]): LoadedGunicorn | null {
  if (loaded.kind !== 'systemd-service') return null;
  const stem = systemdStem(loaded.file.path);
  const unit = parseSystemdUnit(loaded.file);
  const named = new Set<string>();
  for (const e of unit.entries) if (['Sockets', 'Requires', 'Wants', 'BindsTo', 'After'].includes(e.key)) for (const w of e.value.s.split(/\s+/)) if (w.endsWith('.socket')) named.add(systemdStem(w));
  const sameDir = sockets.filter((s) => path.dirname(s.file.path) === path.dirname(loaded.file.path));
  return sameDir.find((s) => systemdStem(s.file.path) === stem) ?? sockets.find((s) => named.has(systemdStem(s.file.path))) ?? sameDir.find((s) => systemdStem(s.file.path) === stem) ?? null;
}

function buildApps(loaded: LoadedGunicorn[]): GunicornApp[] {
  const sockets = loaded.filter((l) => l.kind === 'systemd-socket');
  const configFiles = loaded.filter((l) => l.kind === 'config');
  const usedConfigs = new Set<LoadedGunicorn>();
  const apps: GunicornApp[] = [];
  for (const l of loaded) {
    if (l.kind === 'systemd-socket' || l.kind === 'config') continue;
    for (const g0 of l.configs) {
      let g = g0;
      const notes: string[] = [];
      if (g.invocation && g.configPath) {
        const base = path.basename(g.configPath.replace(/^file:/, ''));
        const same = configFiles.find((c) => c.configs[0]?.config && path.resolve(c.file.path) === path.resolve(g.config?.file.path ?? '\0'));
        if (same) usedConfigs.add(same);
        else if (!g.config) {
          // the command line names a config file by its deployed path; the run has one of that name
          const byName = configFiles.filter((c) => path.basename(c.file.path) === base && c.configs[0]?.config);
          if (byName.length === 1) {
            g = resolveGunicorn({ version: g.version, invocation: g.invocation, config: byName[0]!.configs[0]!.config! });
            usedConfigs.add(byName[0]!);
            notes.push(`took ${byName[0]!.file.path} for the config file ${g.configPath} that ${path.basename(l.file.path)} names`);
          }
        }
      }
      apps.push(makeApp(l, g, socketUnitFor(l, sockets), notes));
    }
  }
  for (const c of configFiles) if (!usedConfigs.has(c) && c.configs[0]) apps.push(makeApp(c, c.configs[0], null, []));
  return apps;
}

function makeApp(l: LoadedGunicorn, g: EffectiveGunicorn, socketUnit: LoadedGunicorn | null, notes: string[]): GunicornApp {
  const listeners: Listener[] = [];
  const where = { file: l.file, span: g.invocation?.span ?? { start: 0, end: 0 } };
  if (socketUnit?.socket) {
    for (const s of socketUnit.socket.listenStreams) {
      const ep = parseListenStream(s.value);
      if (ep) listeners.push({ endpoint: ep, file: socketUnit.file, span: s.span, via: 'ListenStream' });
    }
  } else {
    const bind = g.settings.get('bind');
    for (const b of knownList(bind) ?? []) {
      const ep = typeof b === 'string' ? parseGunicornBind(b) : null;
      if (ep) listeners.push({ endpoint: ep, ...(settingPlace(bind) ?? where), via: 'bind' });
    }
  }
  const module = g.appModule?.value;
  const name = module ? `${module}` : path.basename(l.file.path);
  return { kind: 'gunicorn-app', id: `gunicorn:${l.file.path}${g.invocation?.name ? `#${g.invocation.name}` : ''}${module ? `#${module}` : ''}`, name, file: l.file, gunicorn: g, listeners, socketUnit, notes };
}

function buildPools(configs: FpmConfig[], ini: Map<FpmConfig, IniFile[]>): FpmPoolApp[] {
  const out: FpmPoolApp[] = [];
  for (const config of configs) {
    for (const pool of config.pools) {
      const listen = fpmSetting(pool, 'listen') ?? null;
      const listeners: Listener[] = [];
      if (listen && typeof listen.value === 'string') {
        const ep = parseFpmListen(listen.value);
        if (ep) listeners.push({ endpoint: ep, file: listen.file.source, span: listen.entry.value?.span ?? listen.entry.span, via: 'listen' });
      }
      out.push({ kind: 'fpm-pool', id: `fpm:${config.path}#${pool.name}`, name: pool.name, config, pool, listeners, listen, php: new PhpSettings(ini.get(config) ?? [], pool) });
    }
  }
  return out;
}

/**
 * Who listens at an endpoint, whatever protocol they speak (a fastcgi_pass to
 * gunicorn is a finding, not a missing link); exact matches hide port-only ones.
 */
function listenersAt(endpoint: Endpoint, apps: BackendApp[]): Backend['apps'] {
  const out: Backend['apps'] = [];
  for (const app of apps) {
    for (const listener of app.listeners) {
      const match = reaches(endpoint, listener.endpoint);
      if (match) out.push({ app, listener, match });
    }
  }
  return out.some((a) => a.match === 'exact') ? out.filter((a) => a.match === 'exact') : out;
}

/*
 * The loops over every scope of a tree (and every directive of a scope that
 * passes) call these per item: buildModel runs once per lint, so its own
 * loops would run unoptimised (a loop is compiled on the stack only when it
 * has run long, and then one loop at a time), while a function called per
 * item is optimised after its first calls. Indexed loops: a for-of loop
 * allocates an iterator result per step until optimised.
 */

/** the upstream{} block `scope` with its servers, if it is one */
function addUpstream(tree: NginxTree, scope: Scope, out: UpstreamBlock[]): void {
  if (!scope.block) return;
  const name = argValue(scope.block, 0)?.toLowerCase() ?? '';
  const servers: UpstreamServer[] = [];
  const directives = scope.directives;
  for (let i = 0; i < directives.length; i++) {
    const d = directives[i]!;
    if (nameOf(d) !== 'server') continue;
    const values = argValues(d);
    servers.push({ directive: d, endpoint: parseUpstreamServer(d), backup: values.includes('backup'), down: values.includes('down') });
  }
  out.push({ id: [tree.id, ':upstream:', name].join(''), tree, scope, name, servers });
}

/** the passes written in `scope` (a location, if or limit_except that writes one) */
function addPasses(tree: NginxTree, scope: Scope, byName: Map<string, UpstreamBlock>, backends: BackendApp[], out: Pass[]): void {
  const directives = scope.directives;
  for (let j = 0; j < directives.length; j++) {
    const d = directives[j]!;
    const syntax = PASS_BY_NAME.get(nameOf(d));
    const parsed = syntax ? parsePass(d) : null;
    if (!syntax || !parsed) continue;
    const target = resolveTarget(parsed, byName);
    const passBackends: Backend[] = [];
    if (target.kind === 'upstream') {
      for (const s of target.upstream.servers) if (s.endpoint) passBackends.push({ endpoint: s.endpoint, server: s, apps: listenersAt(s.endpoint, backends) });
    } else if (target.kind === 'address') passBackends.push({ endpoint: target.endpoint, server: null, apps: listenersAt(target.endpoint, backends) });
    out.push({
      // joined, not a template: one flat string per pass where a template keeps a tree of five
      id: [tree.id, ':pass:', d.file.path, ':', d.span.start].join(''),
      tree,
      scope,
      location: enclosingScope(scope, 'location') ?? scope,
      directive: d,
      module: syntax.module,
      target,
      backends: passBackends,
    });
  }
}

export function buildModel(input: ModelInput): StackModel {
  const version = input.nginxVersion;
  const trees: NginxTree[] = input.nginx.map((n, i) => ({ id: `nginx${i}`, config: n.config, context: n.context, root: buildScopes(n.config, n.context) }));
  const upstreams: UpstreamBlock[] = [];
  for (const tree of trees) {
    const scopes = allScopes(tree.root);
    for (let i = 0; i < scopes.length; i++) if (scopes[i]!.kind === 'upstream') addUpstream(tree, scopes[i]!, upstreams);
  }
  const ini = pairPhpIni(input.fpm, input.phpIni, input.phpIniExplicit ?? new Set());
  const pools = buildPools(input.fpm, ini);
  const apps = buildApps(input.gunicorn);
  const backends: BackendApp[] = [...pools, ...apps];

  const passes: Pass[] = [];
  for (const tree of trees) {
    const byName = new Map(upstreams.filter((u) => u.tree === tree).map((u) => [u.name, u]));
    const passing = scopesWriting(tree.root, PASS_BY_NAME.keys());
    const scopes = allScopes(tree.root);
    for (let i = 0; i < scopes.length; i++) {
      const scope = scopes[i]!;
      if ((scope.kind === 'location' || scope.kind === 'lif' || scope.kind === 'limit_except') && passing.has(scope)) addPasses(tree, scope, byName, backends, passes);
    }
  }
  const phpIni = input.phpIni.map((file) => ({ file, configs: input.fpm.filter((c) => ini.get(c)?.includes(file)) }));
  return { nginxVersion: version, trees, upstreams, passes, pools, apps, phpIni, accounts: input.accounts ?? null, effective: (scope, name) => effective(scope, name, version, input.platform ?? DEFAULT_PLATFORM) };
}

/** PASS_DIRECTIVES as a Map: looked up for every directive of every location */
const PASS_BY_NAME = new Map(Object.entries(PASS_DIRECTIVES));

function resolveTarget(parsed: PassAddress, byName: Map<string, UpstreamBlock>): PassTarget {
  switch (parsed.kind) {
    case 'address': {
      const up = parsed.name !== null ? byName.get(parsed.name) : undefined;
      return up ? { kind: 'upstream', upstream: up } : { kind: 'address', endpoint: parsed.endpoint, implicitName: parsed.name };
    }
    case 'name': {
      const up = byName.get(parsed.name);
      return up ? { kind: 'upstream', upstream: up } : { kind: 'missing-upstream', name: parsed.name };
    }
    case 'variable':
      return { kind: 'variable', text: parsed.text };
    case 'invalid':
      return { kind: 'invalid', text: parsed.text, reason: parsed.reason };
  }
}

/**
 * The apps a pass reaches without ambiguity: an endpoint where several apps
 * listen (a collision, or several apps matched by port only, e.g. unrelated
 * compose files that all bind :8000) is not guessed.
 */
export function linkedApps(pass: Pass): BackendApp[] {
  // plain loops: rules ask this for every pass of a tree, and a pass has a handful of backends
  const out: BackendApp[] = [];
  const backends = pass.backends;
  for (let i = 0; i < backends.length; i++) {
    const apps = backends[i]!.apps;
    const first = apps[0]?.app;
    if (first === undefined) continue;
    let one = true;
    for (let j = 1; j < apps.length && one; j++) one = apps[j]!.app === first;
    if (one && !out.includes(first)) out.push(first);
  }
  return out;
}

/** The apps a pass reaches, once each. */
export function reachedApps(pass: Pass): BackendApp[] {
  // indexed loops: rules ask this for every pass, in code V8 has mostly not optimised yet (a for-of allocates per step there)
  const out: BackendApp[] = [];
  const backends = pass.backends;
  for (let i = 0; i < backends.length; i++) {
    const apps = backends[i]!.apps;
    for (let j = 0; j < apps.length; j++) {
      const app = apps[j]!.app;
      if (!out.includes(app)) out.push(app);
    }
  }
  return out;
}

export function describeTarget(t: PassTarget): string {
  switch (t.kind) {
    case 'upstream':
      return `upstream ${t.upstream.name}`;
    case 'address':
      return formatEndpoint(t.endpoint);
    case 'variable':
      return `${t.text} (known only per request)`;
    case 'missing-upstream':
      return `upstream ${t.name} (not defined)`;
    case 'invalid':
      return `${t.text} (${t.reason})`;
  }
}
