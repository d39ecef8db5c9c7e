/**
 * The static half of `nginx -t`: what nginx checks while it reads the
 * configuration, before any module looks at the values. Walking the tree as
 * ngx_conf_parse() does (included files in the context of each include), it
 * reports, worded as nginx words them:
 *
 * | rule                         | nginx's message                                                    |
 * |------------------------------|--------------------------------------------------------------------|
 * | `nginx-unknown-directive`    | `unknown directive "x"`                                            |
 * | `nginx-directive-context`    | `"x" directive is not allowed here`                                |
 * | `nginx-directive-block`      | `directive "x" has no opening "{"`, `directive "x" is not terminated by ";"`, `unexpected "{"` (a block inside map, types, geo, ...) |
 * | `nginx-directive-arguments`  | `invalid number of arguments in "x" directive`                     |
 * | `nginx-invalid-flag`         | `invalid value "v" in "x" directive, it must be "on" or "off"`     |
 * | `nginx-duplicate-directive`  | `"x" directive is duplicate` (and root/alias's longer form)        |
 * | `nginx-if-condition`         | `invalid condition "c"`, `unexpected "op" in condition`            |
 * | `nginx-block-entry`          | map/geo/split_clients/charset_map/types entries: `invalid number of the map parameters`, `conflicting parameter "k"`, `duplicate default map parameter`, `invalid number of the geo parameters`, `invalid percent value "v"`, `percent total is greater than 100%`, `invalid parameters number`, `invalid value "v"`, `invalid number of arguments in "include" directive` |
 * | `nginx-location`             | `invalid location modifier "m"`, `location "x" is outside location "y"`, `location "x" cannot be inside the exact location "y"` (and the named ones), `duplicate location "x"` |
 * | `nginx-missing-events`       | `no "events" section in configuration`                             |
 *
 * Unlike nginx, which stops at its first error, every error is reported. Each
 * is placed at the name of the directive (or entry) nginx blames; nginx's own
 * `file:line` is the line where that directive ends (its `;` or `{`).
 * Syntax errors (`unexpected "}"`, end of file, quotes) are the parser's
 * (rule `nginx-syntax`), missing includes and cycles the loader's
 * (`nginx-include`); a directive the parser cut off (no `;`, `{` or `}`
 * after it) is not analysed, as nginx never gets to handle it.
 *
 * What is checked is nginx's table of directives (directives.ts) for the
 * target version and modules, plus the handlers' checks that need no
 * knowledge of the system: flag values, duplicates of single-valued
 * directives, `if` condition shapes and the entries of map-like blocks.
 * Values (sizes, times, addresses, variables, regexes, files) are not.
 */
import type { Diagnostic, RelatedLocation } from '../../diagnostic.js';
import type { SourceFile, Span } from '../source.js';
import type { ContextName, Directive, NginxConfig, NginxFile } from './ast.js';
import {
  acceptsArgCount,
  allowedIn,
  existsIn,
  lookupDirective,
  type ChildContext,
  type DirectiveSpec,
} from './directives.js';
import { argCount, argValue, argValues, directivesOf, endsWithSemicolon, nameOf, terminatorOffset } from './nodes.js';
import { DEFAULT_NGINX_VERSION, formatVersion, type NginxVersion } from './version.js';

export const ANALYZE_RULES = {
  unknown: 'nginx-unknown-directive',
  context: 'nginx-directive-context',
  block: 'nginx-directive-block',
  arguments: 'nginx-directive-arguments',
  flag: 'nginx-invalid-flag',
  duplicate: 'nginx-duplicate-directive',
  ifCondition: 'nginx-if-condition',
  entry: 'nginx-block-entry',
  events: 'nginx-missing-events',
  location: 'nginx-location',
} as const;

export interface AnalyzeOptions {
  /** the context the root file is read in (default `main`; `server` for a server-level snippet, ...) */
  context?: ContextName;
  /** the nginx version whose directives apply (default DEFAULT_NGINX_VERSION) */
  version?: NginxVersion;
  /** `ignore`: say nothing about directives nginx does not know (default `error`) */
  unknownDirectives?: 'error' | 'ignore';
  /** which modules the nginx build has (default: every module of the table); see moduleFilterFromConfigure */
  modules?: (module: string) => boolean;
  /** report a main configuration without `events {}` (default: when the context is `main`) */
  requireEvents?: boolean;
}

/** The table-level verdict on one directive: the variant nginx would use, or nginx's error. */
export interface DirectiveVerdict {
  /** the variant that applies in this context (null when none does) */
  spec: DirectiveSpec | null;
  /** the variant to read a block with when the directive is misplaced (null: none) */
  fallback: DirectiveSpec | null;
  error: { rule: string; message: string; hint?: string } | null;
}

interface Resolved {
  version: NginxVersion;
  modules: ((module: string) => boolean) | null;
}

/**
 * ngx_conf_handler()'s checks in its order: is the name known (in this
 * version, with these modules), is it allowed here, block or not as it must
 * be, the argument count.
 */
export function checkDirective(
  name: string,
  argCount: number,
  terminator: 'block' | 'semicolon',
  context: ContextName,
  opts: { version?: NginxVersion; modules?: (module: string) => boolean } = {},
): DirectiveVerdict {
  return verdict(name, argCount, terminator, context, { version: opts.version ?? DEFAULT_NGINX_VERSION, modules: opts.modules ?? null });
}

/** the verdict on a well-placed directive with nothing wrong, one per variant (most directives of a tree) */
const passed = new WeakMap<DirectiveSpec, DirectiveVerdict>();

function passedVerdict(spec: DirectiveSpec): DirectiveVerdict {
  let v = passed.get(spec);
  if (!v) passed.set(spec, (v = Object.freeze({ spec, fallback: null, error: null })));
  return v;
}

/** The variant nginx uses for `name` in `context` (null: none is present and allowed there), for one version and module set. */
function firstAllowed(name: string, context: ContextName, r: Resolved): DirectiveSpec | null {
  for (const s of lookupDirective(name)) {
    if (existsIn(s, r.version) && (r.modules === null || r.modules(s.module)) && allowedIn(s, context)) return s;
  }
  return null;
}

/** the variant allowed for a name in one context, and the verdict when it is used as it must be */
interface Allowed {
  spec: DirectiveSpec | null;
  /** passedVerdict(spec); null when spec is */
  passed: DirectiveVerdict | null;
}

/** name → its Allowed in one context */
type ContextCache = Map<string, Allowed>;

/**
 * firstAllowed, remembered per context and name: a big tree has a million
 * directives and a few hundred distinct (name, context) pairs. A walk looks up
 * its context's map once per block, then one lookup per directive.
 */
function allowedCache(): (context: ContextName) => ContextCache {
  const byContext = new Map<ContextName, ContextCache>();
  return (context) => {
    let cache = byContext.get(context);
    if (!cache) byContext.set(context, (cache = new Map()));
    return cache;
  };
}

function allowedHere(cache: ContextCache, name: string, context: ContextName, r: Resolved): Allowed {
  let a = cache.get(name);
  if (a === undefined) {
    const spec = firstAllowed(name, context, r);
    cache.set(name, (a = { spec, passed: spec ? passedVerdict(spec) : null }));
  }
  return a;
}

function verdict(name: string, argCount: number, terminator: 'block' | 'semicolon', context: ContextName, r: Resolved): DirectiveVerdict {
  // the common case without building lists: the variant allowed here, used as it must be
  const first = firstAllowed(name, context, r);
  if (first && first.block === (terminator === 'block') && acceptsArgCount(first, argCount)) return passedVerdict(first);
  return failedVerdict(name, argCount, terminator, context, r);
}

/** verdict() when the variant allowed here (if any) is not used as it must be */
function failedVerdict(name: string, argCount: number, terminator: 'block' | 'semicolon', context: ContextName, r: Resolved): DirectiveVerdict {
  const variants = lookupDirective(name);
  const present = variants.filter((s) => existsIn(s, r.version) && (r.modules === null || r.modules(s.module)));
  if (present.length === 0) {
    return { spec: null, fallback: null, error: { rule: ANALYZE_RULES.unknown, message: `unknown directive "${name}"`, hint: absenceHint(name, variants, r) } };
  }
  const spec = present.find((s) => allowedIn(s, context));
  if (!spec) {
    const fallback = (terminator === 'block' ? present.find((s) => s.block) : undefined) ?? null;
    return { spec: null, fallback, error: { rule: ANALYZE_RULES.context, message: `"${name}" directive is not allowed here`, hint: contextHint(present) } };
  }
  if (!spec.block && terminator !== 'semicolon') {
    return { spec, fallback: null, error: { rule: ANALYZE_RULES.block, message: `directive "${name}" is not terminated by ";"` } };
  }
  if (spec.block && terminator !== 'block') {
    return { spec, fallback: null, error: { rule: ANALYZE_RULES.block, message: `directive "${name}" has no opening "{"` } };
  }
  if (!acceptsArgCount(spec, argCount)) {
    return { spec, fallback: null, error: { rule: ANALYZE_RULES.arguments, message: `invalid number of arguments in "${name}" directive` } };
  }
  return { spec, fallback: null, error: null };
}

function absenceHint(name: string, variants: readonly DirectiveSpec[], r: Resolved): string | undefined {
  if (variants.length === 0) return undefined;
  const inVersion = variants.filter((s) => existsIn(s, r.version));
  if (inVersion.length === 0) {
    const v = formatVersion(r.version);
    const s = variants[0]!;
    if (s.since) return `"${name}" appeared in nginx ${formatVersion(s.since)} (the target is ${v})`;
    if (s.until) return `"${name}" was removed in nginx ${formatVersion(s.until)} (the target is ${v})`;
    return undefined;
  }
  const mods = [...new Set(inVersion.map((s) => s.module))];
  return `"${name}" belongs to the ${mods.join(' / ')} module${mods.length > 1 ? 's' : ''}, which this nginx does not have`;
}

const CONTEXT_LABEL: Partial<Record<ContextName, string>> = {
  if: 'if (in server)',
  lif: 'if (in location)',
  mail_server: 'mail server',
  stream_server: 'stream server',
  stream_upstream: 'stream upstream',
};

function contextHint(present: readonly DirectiveSpec[]): string {
  const ctxs = new Set<ContextName>();
  for (const s of present) for (const c of s.contexts) ctxs.add(c);
  if (ctxs.size > 12) return 'allowed in any context';
  return `allowed in: ${[...ctxs].map((c) => CONTEXT_LABEL[c] ?? c).join(', ')}`;
}


/** nginx-order offsets of analyzer diagnostics (where nginx would detect them), for sortInNginxOrder */
const orderOffsets = new WeakMap<Diagnostic, number>();
/** diagnostics nginx finds later than their line suggests (after the enclosing http block): where */
const orderAt = new WeakMap<Diagnostic, { file: SourceFile; offset: number }>();

interface Scope {
  /** single-valued directives already set in this block (made on first use) */
  seen?: Map<string, Directive>;
  /** exact (`=`) and prefix (incl. `^~`) location names declared directly in this block */
  exact?: Set<string>;
  prefix?: Set<string>;
}

interface LocationInfo {
  name: string;
  kind: 'exact' | 'prefix' | 'noregex' | 'regex' | 'named';
}

/** ngx_http_core_location()'s reading of `location [modifier] name` */
function locationInfo(args: readonly string[]): LocationInfo | { error: string } {
  if (args.length === 2) {
    const mod = args[0]!;
    const name = args[1]!;
    if (mod === '=') return { name, kind: 'exact' };
    if (mod === '^~') return { name, kind: 'noregex' };
    if (mod === '~' || mod === '~*') return { name, kind: 'regex' };
    return { error: `invalid location modifier "${mod}"` };
  }
  const v = args[0] ?? '';
  if (v.startsWith('=')) return { name: v.slice(1), kind: 'exact' };
  if (v.startsWith('^~')) return { name: v.slice(2), kind: 'noregex' };
  if (v.startsWith('~*')) return { name: v.slice(2), kind: 'regex' };
  if (v.startsWith('~')) return { name: v.slice(1), kind: 'regex' };
  if (v.startsWith('@')) return { name: v, kind: 'named' };
  return { name: v, kind: 'prefix' };
}

interface EntryState {
  /** map: `default` seen; map keys */
  defaultSeen: boolean;
  keys: Set<string>;
  hostnames: boolean;
  /** split_clients: sum of percents, in hundredths */
  percent: number;
  /** charset_map: the destination is utf-8 */
  utf8: boolean;
}

/** directives that share one configuration slot (nginx: `"alias" directive is duplicate, "root" directive was specified earlier`) */
function slotOf(name: string): string {
  return name === 'root' || name === 'alias' ? 'root|alias' : name;
}

/**
 * Analyse a configuration: the root file in `opts.context`, every include in
 * the context of its include directive. Returns the analyzer's diagnostics
 * in nginx's order (the order nginx would meet them reading the files).
 */
export function analyze(config: NginxConfig, opts: AnalyzeOptions = {}): Diagnostic[] {
  const rootContext = opts.context ?? 'main';
  const r: Resolved = { version: opts.version ?? DEFAULT_NGINX_VERSION, modules: opts.modules ?? null };
  const reportUnknown = opts.unknownDirectives !== 'ignore';
  const contextCache = allowedCache();
  const out: Diagnostic[] = [];
  const active = new Set<NginxFile>();
  let eventsSeen = false;
  /** locations being read, innermost last */
  const locations: LocationInfo[] = [];
  /** the enclosing http block's closing brace: nginx checks duplicate locations when it has read the block */
  let httpEnd: { file: SourceFile; offset: number } | null = null;

  const report = (file: SourceFile, span: Span, rule: string, message: string, order: number, hint?: string): void => {
    const d: Diagnostic = { rule, severity: 'error', message, file, span: { start: span.start, end: span.end } };
    if (hint) {
      const related: RelatedLocation[] = [{ file, span: { start: span.start, end: span.end }, message: hint }];
      d.related = related;
    }
    orderOffsets.set(d, order);
    out.push(d);
  };

  const walkFile = (file: NginxFile, context: ContextName, scope: Scope, entries: EntryState | null): void => {
    if (active.has(file)) return; // a cycle: the loader reported it and did not follow it
    active.add(file);
    walk(file, directivesOf(file), context, scope, entries);
    active.delete(file);
  };

  const followInclude = (d: Directive, context: ContextName, scope: Scope, entries: EntryState | null): void => {
    for (const f of config.includes.get(d) ?? []) walkFile(f, context, scope, entries);
  };

  const walk = (file: NginxFile, nodes: readonly Directive[], context: ContextName, scope: Scope, entries: EntryState | null): void => {
    const cache = entries ? null : contextCache(context);
    for (let i = 0; i < nodes.length; i++) {
      const n = nodes[i]!;
      // cut off by a syntax error: nginx reports that error and never handles the directive
      if (!endsWithSemicolon(n) && n.block === null && n.rawBody === null) continue;
      if (cache === null) entry(file, n, context, scope, entries!);
      else directive(file, n, context, scope, cache);
    }
  };

  /** a problem of directive d, at `span` (d's name unless said), in nginx's order at d's terminator */
  const reportAt = (d: Directive, rule: string, message: string, hint?: string, span: Span = d.name.span): void => report(d.file, span, rule, message, terminatorOffset(d), hint);

  const directive = (file: NginxFile, d: Directive, context: ContextName, scope: Scope, cache: ContextCache): void => {
    const name = nameOf(d);
    const opens = d.block !== null || d.rawBody !== null;
    const argc = argCount(d);
    // the common case (the variant allowed here, used as it must be) from the context's cache
    const allowed = allowedHere(cache, name, context, r);
    const first = allowed.spec;
    const v = first !== null && first.block === opens && acceptsArgCount(first, argc) ? allowed.passed! : failedVerdict(name, argc, opens ? 'block' : 'semicolon', context, r);
    if (v.error) {
      if (v.error.rule !== ANALYZE_RULES.unknown || reportUnknown) reportAt(d, v.error.rule, v.error.message, v.error.hint);
      // a misplaced block is still read, in the context it would open
      if (v.error.rule === ANALYZE_RULES.context && v.fallback && d.block) enterBlock(file, d, v.fallback, context);
      else if (v.error.rule === ANALYZE_RULES.arguments && v.spec?.block && d.block) enterBlock(file, d, v.spec, context);
      return;
    }
    const spec = v.spec!;
    if (context === 'main' && name === 'events') eventsSeen = true;
    // the handler: duplicates first (ngx_conf_set_*_slot), then the value
    if (spec.duplicate) {
      const key = slotOf(name);
      const prev = scope.seen?.get(key);
      if (prev) {
        const prevName = nameOf(prev);
        const message = prevName === name ? `"${name}" directive is duplicate` : `"${name}" directive is duplicate, "${prevName}" directive was specified earlier`;
        reportAt(d, ANALYZE_RULES.duplicate, message);
        return;
      }
      (scope.seen ??= new Map()).set(key, d);
    }
    if (spec.flag) {
      const value = argValue(d, 0)!;
      const lower = value.toLowerCase();
      if (lower !== 'on' && lower !== 'off') {
        reportAt(d, ANALYZE_RULES.flag, `invalid value "${value}" in "${name}" directive, it must be "on" or "off"`);
        return;
      }
    }
    if (name === 'if' && spec.module === 'http_rewrite') {
      const err = ifCondition(argValues(d));
      if (err) reportAt(d, ANALYZE_RULES.ifCondition, err);
    }
    if (name === 'include' && spec.module === 'core') {
      followInclude(d, context, scope, null);
      return;
    }
    if (name === 'location' && spec.module === 'http_core') {
      const info = locationInfo(argValues(d));
      if ('error' in info) {
        reportAt(d, ANALYZE_RULES.location, info.error);
        return;
      }
      const parent = locations[locations.length - 1];
      const nested = context === 'location' ? parent : undefined;
      let problem: string | null = null;
      if (nested) {
        if (nested.kind === 'exact') problem = `location "${info.name}" cannot be inside the exact location "${nested.name}"`;
        else if (nested.kind === 'named') problem = `location "${info.name}" cannot be inside the named location "${nested.name}"`;
        else if (info.kind === 'named') problem = `named location "${info.name}" can be on the server level only`;
        else if (info.kind !== 'regex' && !info.name.startsWith(nested.name)) problem = `location "${info.name}" is outside location "${nested.name}"`;
      }
      if (problem) reportAt(d, ANALYZE_RULES.location, problem);
      else if (info.kind !== 'regex' && info.kind !== 'named') {
        const set = info.kind === 'exact' ? (scope.exact ??= new Set()) : (scope.prefix ??= new Set());
        if (set.has(info.name)) {
          reportAt(d, ANALYZE_RULES.location, `duplicate location "${info.name}"`);
          const last = out[out.length - 1]!;
          orderAt.set(last, httpEnd ?? { file: d.file, offset: Number.POSITIVE_INFINITY });
        } else set.add(info.name);
      }
      locations.push(info);
      if (d.block) enterBlock(file, d, spec, context);
      locations.pop();
      return;
    }
    if (name === 'http' && spec.module === 'http_core' && d.block) {
      const saved = httpEnd;
      httpEnd = { file: d.file, offset: d.block.close?.start ?? d.file.text.length };
      enterBlock(file, d, spec, context);
      httpEnd = saved;
      return;
    }
    if (d.block) enterBlock(file, d, spec, context);
  };

  const enterBlock = (file: NginxFile, d: Directive, spec: DirectiveSpec, context: ContextName): void => {
    const block = d.block;
    if (!block) return;
    const child = childContext(spec.child, context);
    if (child === null) return;
    const scope: Scope = {};
    if (child === 'map' || child === 'geo' || child === 'split_clients' || child === 'types' || child === 'charset_map') {
      const state: EntryState = { defaultSeen: false, keys: new Set(), hostnames: false, percent: 0, utf8: false };
      if (child === 'charset_map') state.utf8 = (argValue(d, 1) ?? '').toLowerCase() === 'utf-8';
      walk(file, directivesOf(block), child, scope, state);
      if (child === 'split_clients' && state.percent > 10000) {
        const at = block.close ?? d.name.span;
        report(d.file, at, ANALYZE_RULES.entry, 'percent total is greater than 100%', at.start);
      }
      return;
    }
    walk(file, directivesOf(block), child, scope, null);
  };

  /** an entry of a map-like block: its module's handler, not the command table */
  const entry = (file: NginxFile, d: Directive, context: ContextName, scope: Scope, st: EntryState): void => {
    if (d.block || d.rawBody) {
      // the parser reports it when it knows the block is a map, types, ... (by its name)
      const open = d.block?.open ?? d.rawBody!.open;
      if (!file.diagnostics.some((x) => x.span.start === open.start)) report(d.file, open, ANALYZE_RULES.block, 'unexpected "{"', open.start);
      return;
    }
    // the entry's words are the name and the arguments (n counts them all)
    const first = nameOf(d);
    const n = argCount(d) + 1;
    switch (context) {
      case 'map': {
        if (n === 1 && (first === 'hostnames' || first === 'volatile')) {
          if (first === 'hostnames') st.hostnames = true;
          return;
        }
        if (n !== 2) return reportAt(d, ANALYZE_RULES.entry, 'invalid number of the map parameters');
        if (first === 'include') return followInclude(d, context, scope, st);
        if (first === 'default') {
          if (st.defaultSeen) return reportAt(d, ANALYZE_RULES.entry, 'duplicate default map parameter');
          st.defaultSeen = true;
          return;
        }
        if (first.startsWith('~') || st.hostnames) return;
        const key = (first.startsWith('\\') ? first.slice(1) : first).toLowerCase();
        if (st.keys.has(key)) return reportAt(d, ANALYZE_RULES.entry, `conflicting parameter "${key}"`);
        st.keys.add(key);
        return;
      }
      case 'geo': {
        if (n === 1 && (first === 'ranges' || first === 'proxy_recursive')) return;
        if (n !== 2) return reportAt(d, ANALYZE_RULES.entry, 'invalid number of the geo parameters');
        if (first === 'include') return followInclude(d, context, scope, st);
        return;
      }
      case 'types': {
        if (first === 'include') {
          if (n !== 2) return reportAt(d, ANALYZE_RULES.arguments, 'invalid number of arguments in "include" directive');
          return followInclude(d, context, scope, st);
        }
        return;
      }
      case 'split_clients': {
        if (first === '*') return;
        const pct = first.endsWith('%') ? fixedPoint2(first.slice(0, -1)) : null;
        if (pct === null || pct === 0) return reportAt(d, ANALYZE_RULES.entry, `invalid percent value "${first}"`);
        st.percent += pct;
        return;
      }
      case 'charset_map': {
        if (n !== 2) return reportAt(d, ANALYZE_RULES.entry, 'invalid parameters number');
        const src = hexValue(first);
        if (src === null || src > 0xff) return reportAt(d, ANALYZE_RULES.entry, `invalid value "${first}"`);
        const dst = argValue(d, 0)!;
        if (st.utf8) {
          if (!/^[0-9A-Fa-f]{1,8}$/.test(dst)) return reportAt(d, ANALYZE_RULES.entry, `invalid value "${dst}"`);
        } else {
          const v = hexValue(dst);
          if (v === null || v > 0xff) return reportAt(d, ANALYZE_RULES.entry, `invalid value "${dst}"`);
        }
        return;
      }
      default:
        return;
    }
  };

  const rootScope: Scope = {};
  const rootEntries: EntryState | null =
    rootContext === 'map' || rootContext === 'geo' || rootContext === 'split_clients' || rootContext === 'types' || rootContext === 'charset_map'
      ? { defaultSeen: false, keys: new Set(), hostnames: false, percent: 0, utf8: false }
      : null;
  walkFile(config.root, rootContext, rootScope, rootEntries);

  if (rootContext === 'main' && opts.requireEvents !== false && !eventsSeen) {
    report(config.root.source, { start: 0, end: 0 }, ANALYZE_RULES.events, 'no "events" section in configuration', Number.POSITIVE_INFINITY);
  }
  return out;
}

function childContext(child: ChildContext | null, parent: ContextName): ContextName | null {
  if (child === null || child === 'raw') return null;
  if (child === 'if') return parent === 'server' ? 'if' : 'lif';
  return child;
}

/** ngx_atofp(s, len, 2): a fixed-point number with two decimals, or null */
function fixedPoint2(s: string): number | null {
  if (s.length === 0) return null;
  let value = 0;
  let dot = false;
  let point = 2;
  for (const ch of s) {
    if (ch === '.') {
      if (dot) return null;
      dot = true;
      continue;
    }
    if (ch < '0' || ch > '9') return null;
    if (point === 0) continue;
    value = value * 10 + (ch.charCodeAt(0) - 48);
    if (dot) point--;
  }
  while (point-- > 0) value *= 10;
  return value;
}

/** ngx_hextoi: all hex digits, or null */
function hexValue(s: string): number | null {
  if (!/^[0-9A-Fa-f]+$/.test(s)) return null;
  return parseInt(s, 16);
}

/**
 * ngx_http_rewrite_if_condition()'s checks of the shape of a condition, on the
 * words after `if` (the values nginx sees). null when the shape is valid.
 */
export function ifCondition(args: readonly string[]): string | null {
  const value = ['if', ...args];
  let last = value.length - 1;
  if (last < 1) return null; // the argument count check reports it
  let first = value[1]!;
  if (first.length < 1 || first[0] !== '(') return `invalid condition "${first}"`;
  let cur: number;
  if (first.length === 1) cur = 2;
  else {
    cur = 1;
    first = first.slice(1);
    value[1] = first;
  }
  const lastWord = value[last]!;
  if (lastWord.length < 1 || lastWord[lastWord.length - 1] !== ')') return `invalid condition "${lastWord}"`;
  if (lastWord.length === 1) last--;
  else value[last] = lastWord.slice(0, -1);

  const p = value[cur]!;
  if (p.length > 1 && p[0] === '$') {
    if (cur !== last && cur + 2 !== last) return `invalid condition "${p}"`;
    if (cur === last) return null;
    const op = value[cur + 1]!;
    if (op === '=' || op === '!=' || op === '~' || op === '~*' || op === '!~' || op === '!~*') return null;
    return `unexpected "${op}" in condition`;
  }
  if ((p.length === 2 && p[0] === '-') || (p.length === 3 && p[0] === '!' && p[1] === '-')) {
    if (cur + 1 !== last) return `invalid condition "${p}"`;
    const op = p[0] === '!' ? p[2]! : p[1]!;
    if (op === 'f' || op === 'd' || op === 'e' || op === 'x') return null;
    return `invalid condition "${p}"`;
  }
  return `invalid condition "${p}"`;
}

/**
 * Sort diagnostics (the parser's, the loader's and the analyzer's) in the
 * order nginx meets them: file by file as nginx reads them, an included
 * file's at its include directive, each at the point nginx detects it (a
 * directive's problems at its `;` or `{`). The first is what `nginx -t`
 * would print. Files not reached from the root come last.
 */
export function sortInNginxOrder(config: NginxConfig, diagnostics: readonly Diagnostic[]): Diagnostic[] {
  // the first visit of each file: its key prefix
  const prefix = new Map<SourceFile, number[]>();
  const visit = (file: NginxFile, key: number[]): void => {
    if (prefix.has(file.source)) return;
    prefix.set(file.source, key);
    const walkNodes = (nodes: readonly Directive[]): void => {
      for (const n of nodes) {
        if (n.block) walkNodes(directivesOf(n.block));
        const inc = config.includes.get(n);
        if (inc) inc.forEach((f, i) => visit(f, [...key, terminatorOffset(n), i]));
      }
    };
    walkNodes(directivesOf(file));
  };
  visit(config.root, []);
  const keyOf = (d: Diagnostic): number[] => {
    const late = orderAt.get(d);
    const p = prefix.get(late?.file ?? d.file);
    const at = late?.offset ?? orderOffsets.get(d) ?? d.span.start;
    return p ? [...p, at] : [Number.POSITIVE_INFINITY, at];
  };
  const keyed = diagnostics.map((d, i) => ({ d, i, k: keyOf(d) }));
  keyed.sort((a, b) => {
    const n = Math.min(a.k.length, b.k.length);
    for (let j = 0; j < n; j++) {
      const x = a.k[j]!;
      const y = b.k[j]!;
      if (x !== y) return x < y ? -1 : 1;
    }
    return a.k.length - b.k.length || a.i - b.i;
  });
  return keyed.map((x) => x.d);
}

/**
 * Where nginx detects a diagnostic: for a directive's problems its `;` or
 * `{` (the line `nginx -t` prints), otherwise the diagnostic's start;
 * Infinity for what nginx reports after reading everything (no line).
 */
export function nginxErrorOffset(d: Diagnostic): number {
  return orderOffsets.get(d) ?? d.span.start;
}

/** A configuration of one parsed file, with no includes followed (to analyse a fragment on its own). */
export function singleFileConfig(file: NginxFile): NginxConfig {
  return { root: file, files: new Map([[file.source.path, file]]), includes: new Map(), diagnostics: [] };
}
