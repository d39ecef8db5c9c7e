/**
 * nginx's own buffer arithmetic for proxy, fastcgi, uwsgi and scgi, as
 * ngx_http_<module>_merge_loc_conf does it when it merges the http level into
 * each server and each server into its locations: at least two buffers,
 * busy_buffers_size between max(buffer_size, one buffer) and all buffers
 * less one, temp_file_write_size and max_temp_file_size (or 0) at least
 * max(buffer_size, one buffer). Unset busy and temp-file-write sizes are
 * twice that maximum, so `proxy_buffer_size 16k;` alone stops nginx. gRPC
 * has grpc_buffer_size only and nothing to check.
 */
import type { TextEdit } from '../src/diagnostic.js';
import type { Rule, RuleContext } from '../src/engine/rule.js';
import type { Directive } from '../src/syntax/nginx/ast.js';
import { lineRef } from '../src/syntax/source.js';
import { insertNginxDirectives, replaceNginxArgs } from '../src/stack/edits.js';
import { scopesWriting, type Scope } from '../src/stack/nginx-scopes.js';
import { formatNginxSize, parseNginxSize } from '../src/stack/units.js';
import { writtenValue } from '../src/stack/nginx-effective.js';
import { argValues, nameOf } from '../src/syntax/nginx/nodes.js';

const FAMILIES = ['proxy', 'fastcgi', 'uwsgi', 'scgi'] as const;
type Family = (typeof FAMILIES)[number];
const SUFFIXES = ['buffer_size', 'buffers', 'busy_buffers_size', 'temp_file_write_size', 'max_temp_file_size'];
/** each of the twenty names → the bit of its family */
const FAMILY_BIT = new Map<string, number>(FAMILIES.flatMap((f, i) => SUFFIXES.map((s) => [`${f}_${s}`, 1 << i] as const)));

/**
 * Which families each scope writes (a bit per family), from the model's index
 * of who writes what; scopes that write none are not in the map.
 *
 * For each family, the level whose values a scope has (its anchor) is the
 * scope itself when it writes any of the family's five values, else its
 * parent's anchor (all five inherit, and their defaults are the same at every
 * level checked here); null when no level writes any. Two scopes with one
 * anchor have identical values, so nginx's verdict on them is the same.
 */
function familyWrites(root: Scope): Map<Scope, number> {
  const writes = new Map<Scope, number>();
  for (const [name, bit] of FAMILY_BIT) for (const s of scopesWriting(root, [name])) writes.set(s, (writes.get(s) ?? 0) | bit);
  return writes;
}

/** Scope kinds nginx merges a location configuration into (a server, and every kind of location). */
const MERGED = new Set(['server', 'location', 'lif', 'if', 'limit_except']);
/** Roots of fragments checked on their own. */
const FRAGMENT_ROOTS = new Set(['http', 'server', 'location']);

interface Setting {
  name: string;
  /** the directive that sets it at the scope; null when nginx's default (or derived value) applies */
  directive: Directive | null;
  scope: Scope | null;
}

interface Values {
  family: Family;
  bufferSize: number;
  num: number;
  size: number;
  busy: number;
  tfw: number;
  mtf: number;
  /** max(buffer_size, one buffer) */
  unit: number;
  settings: { bufferSize: Setting; buffers: Setting; busy: Setting; tfw: Setting; mtf: Setting };
}

/** `<family>_<suffix>`, made once (the rule asks for these names at thousands of scopes) */
const FULL_NAMES = new Map<Family, Record<string, string>>(FAMILIES.map((f) => [f, Object.fromEntries(SUFFIXES.map((s) => [s, `${f}_${s}`]))]));

function read(ctx: RuleContext, scope: Scope, family: Family): Values | null {
  const names = FULL_NAMES.get(family)!;
  const get = (suffix: string): Setting & { args: string[] | null } => {
    const name = names[suffix]!;
    const e = ctx.model.effective(scope, name);
    return { name, directive: e.directives[0] ?? null, scope: e.scope, args: e.args };
  };
  // the other three count only where written (unset: their defaults come from the unit below), so
  // their defaults are not made: a derived one costs two more lookups, at thousands of scopes
  const written = (suffix: string): Setting & { args: string[] | null } => {
    const name = names[suffix]!;
    const e = writtenValue(scope, name);
    return { name, directive: e?.directives[0] ?? null, scope: e?.scope ?? null, args: e?.args ?? null };
  };
  const b = get('buffer_size');
  const bufs = get('buffers');
  const busy = written('busy_buffers_size');
  const tfw = written('temp_file_write_size');
  const mtf = written('max_temp_file_size');
  const bufferSize = parseNginxSize(b.args?.[0] ?? '');
  const numText = bufs.args?.[0] ?? '';
  const size = parseNginxSize(bufs.args?.[1] ?? '');
  if (bufferSize === null || size === null || !/^\d+$/.test(numText)) return null;
  const num = Number(numText);
  const unit = Math.max(bufferSize, size);
  const explicit = (s: { directive: Directive | null; args: string[] | null }, fallback: number): number | null =>
    s.directive ? parseNginxSize(s.args?.[0] ?? '') : fallback;
  const busyV = explicit(busy, 2 * unit);
  const tfwV = explicit(tfw, 2 * unit);
  const mtfV = explicit(mtf, 1024 * 1024 * 1024);
  if (busyV === null || tfwV === null || mtfV === null) return null;
  const strip = ({ name, directive, scope: s }: Setting): Setting => ({ name, directive, scope: s });
  return { family, bufferSize, num, size, busy: busyV, tfw: tfwV, mtf: mtfV, unit, settings: { bufferSize: strip(b), buffers: strip(bufs), busy: strip(busy), tfw: strip(tfw), mtf: strip(mtf) } };
}

type Check = 'buffers' | 'busy-low' | 'busy-high' | 'tfw' | 'mtf';

/** The first check nginx fails, in its order, or null. */
function firstFailure(v: Values): Check | null {
  if (v.num < 2) return 'buffers';
  if (v.busy < v.unit) return 'busy-low';
  if (v.busy > (v.num - 1) * v.size) return 'busy-high';
  if (v.tfw < v.unit) return 'tfw';
  if (v.mtf !== 0 && v.mtf < v.unit) return 'mtf';
  return null;
}

function nginxMessage(f: Family, check: Check): string {
  const max = `the maximum of the value of "${f}_buffer_size" and one of the "${f}_buffers"`;
  switch (check) {
    case 'buffers':
      return `there must be at least 2 "${f}_buffers"`;
    case 'busy-low':
      return `"${f}_busy_buffers_size" must be equal to or greater than ${max}`;
    case 'busy-high':
      return `"${f}_busy_buffers_size" must be less than the size of all "${f}_buffers" minus one buffer`;
    case 'tfw':
      return `"${f}_temp_file_write_size" must be equal to or greater than ${max}`;
    case 'mtf':
      return `"${f}_max_temp_file_size" must be equal to zero to disable temporary files usage or must be equal to or greater than ${max}`;
  }
}

const fmt = formatNginxSize;

/** Where max(buffer_size, one buffer) comes from, in words. */
function unitText(v: Values): string {
  const f = v.family;
  const fromBufferSize = v.bufferSize > v.size || (v.bufferSize === v.size && (v.settings.bufferSize.directive !== null || v.settings.buffers.directive === null));
  if (fromBufferSize) return `${f}_buffer_size ${fmt(v.bufferSize)}${v.settings.bufferSize.directive ? '' : ' (default)'}`;
  return `one of ${f}_buffers ${v.num} ${fmt(v.size)}${v.settings.buffers.directive ? '' : ' (default)'}`;
}

function detail(v: Values, check: Check): string {
  const f = v.family;
  const bufs = `${f}_buffers ${v.num} ${fmt(v.size)}${v.settings.buffers.directive ? '' : ' (default)'}`;
  switch (check) {
    case 'buffers':
      return bufs;
    case 'busy-low':
      return `${f}_busy_buffers_size ${fmt(v.busy)} is less than ${unitText(v)}`;
    case 'busy-high': {
      const busy = v.settings.busy.directive ? `${f}_busy_buffers_size ${fmt(v.busy)}` : `${f}_busy_buffers_size is ${fmt(v.busy)} (unset: twice ${unitText(v)})`;
      return `${busy}, more than ${fmt((v.num - 1) * v.size)}, all of ${bufs} less one`;
    }
    case 'tfw':
      return `${f}_temp_file_write_size ${fmt(v.tfw)} is less than ${unitText(v)}`;
    case 'mtf':
      return `${f}_max_temp_file_size ${fmt(v.mtf)} is less than ${unitText(v)}`;
  }
}

/** The settings a failed check depends on. */
function involved(v: Values, check: Check): Setting[] {
  const s = v.settings;
  const unitGivers = [...(v.bufferSize >= v.size ? [s.bufferSize] : []), ...(v.size >= v.bufferSize ? [s.buffers] : [])];
  switch (check) {
    case 'buffers':
      return [s.buffers];
    case 'busy-low':
      return [s.busy, ...unitGivers];
    case 'busy-high':
      return s.busy.directive ? [s.busy, s.buffers] : [...unitGivers, s.buffers];
    case 'tfw':
      return [s.tfw, ...unitGivers];
    case 'mtf':
      return [s.mtf, ...unitGivers];
  }
}

function depth(s: Scope | null): number {
  let n = 0;
  for (let p = s; p; p = p.parent) n++;
  return n;
}

/** The written setting set deepest (then last in its file): the one that made the set inconsistent. */
function deepest(settings: Setting[]): Setting | null {
  let best: Setting | null = null;
  for (const s of settings) {
    if (!s.directive) continue;
    if (!best) {
      best = s;
      continue;
    }
    const d = depth(s.scope) - depth(best.scope);
    if (d > 0 || (d === 0 && s.directive.file === best.directive!.file && s.directive.span.start > best.directive!.span.start)) best = s;
  }
  return best;
}

function scopeLabel(s: Scope): string {
  const b = s.block;
  if (!b) return `the ${s.kind} level`;
  const args = argValues(b).join(' ');
  return `${nameOf(b)}${args ? ` ${args}` : ''} (${lineRef(b.file, b.span.start)})`;
}


/**
 * A consistent set that keeps what the user wrote where it can: buffers
 * smaller than buffer_size grow to it (the usual advice), two buffers at
 * least, an explicit busy size too large comes down to all buffers less one,
 * with busy unset three buffers at least; sizes below max(buffer_size, one
 * buffer) rise to it.
 */
function repair(v: Values): { num: number; size: number; busy: number | null; tfw: number | null; mtf: number | null } {
  const busyExplicit = v.settings.busy.directive !== null;
  let num = Math.max(v.num, 2);
  let size = v.size;
  let unit = Math.max(v.bufferSize, size);
  let busy = busyExplicit ? Math.max(v.busy, unit) : 2 * unit;
  if (busy > (num - 1) * size) {
    if (size < v.bufferSize) {
      size = v.bufferSize;
      unit = size;
      busy = busyExplicit ? Math.max(v.busy, unit) : 2 * unit;
    }
    if (busy > (num - 1) * size) {
      if (busyExplicit) busy = (num - 1) * size;
      else num = Math.max(num, 3);
    }
  }
  return {
    num,
    size,
    busy: busyExplicit ? busy : null,
    tfw: v.settings.tfw.directive && v.tfw < unit ? unit : null,
    mtf: v.settings.mtf.directive && v.mtf !== 0 && v.mtf < unit ? unit : null,
  };
}

/** Edits that write the repaired set at `at`, the deepest scope that sets any of the five values. */
function fixEdits(v: Values, at: Scope, after: Directive | null): { edits: TextEdit[]; lines: string[] } | null {
  const r = repair(v);
  const changes: [Setting, string[]][] = [];
  if (r.num !== v.num || r.size !== v.size) changes.push([v.settings.buffers, [String(r.num), fmt(r.size)]]);
  if (r.busy !== null && r.busy !== v.busy) changes.push([v.settings.busy, [fmt(r.busy)]]);
  if (r.tfw !== null) changes.push([v.settings.tfw, [fmt(r.tfw)]]);
  if (r.mtf !== null) changes.push([v.settings.mtf, [fmt(r.mtf)]]);
  if (changes.length === 0) return null;
  const edits: TextEdit[] = [];
  const inserts: string[] = [];
  const lines: string[] = [];
  for (const [s, args] of changes) {
    lines.push(`${s.name} ${args.join(' ')}`);
    if (s.directive && s.scope === at) edits.push(replaceNginxArgs(s.directive, args));
    else inserts.push(`${s.name} ${args.join(' ')};`);
  }
  if (inserts.length > 0) {
    const edit = insertNginxDirectives(at, inserts, after && after.file === at.block?.file ? after : undefined);
    if (!edit) return null;
    edits.push(edit);
  }
  return { edits, lines };
}

export const upstreamBuffers: Rule = {
  meta: {
    id: 'upstream-buffers',
    family: 'buffers',
    description: 'proxy/fastcgi/uwsgi/scgi buffer sizes that nginx refuses when it merges the configuration (nginx -t fails)',
    severity: 'error',
    fixable: true,
  },
  check(ctx) {
    const reported = new Set<Directive>();
    const none: readonly (Scope | null)[] = FAMILIES.map(() => null);
    for (const tree of ctx.model.trees) {
      const fragment = tree.root.kind !== 'main';
      const writes = familyWrites(tree.root);
      // A scope whose anchor was checked already has the same values as that
      // earlier scope, so it could only repeat the finding reported there (or
      // its absence): skipping it keeps the rule linear in a tree of
      // thousands of servers.
      const checkedAnchors = FAMILIES.map(() => new Set<Scope | null>());
      /**
       * Depth first, parents before children (allScopes' order), each scope
       * with its parent's anchors, its http block (the nearest http level, if
       * written as a block) and whether all its parent's anchors were checked:
       * then a scope that writes none of the values has nothing to check, and
       * neither have its children that write none (most of a big tree's
       * 150,000 scopes).
       */
      const visit = (scope: Scope, inherited: readonly (Scope | null)[], outerHttp: Scope | null, allChecked: boolean): void => {
        const bits = writes.get(scope) ?? 0;
        const own = bits === 0 ? inherited : inherited.map((a, i) => (bits & (1 << i) ? scope : a));
        const http = scope.kind === 'http' ? (scope.block ? scope : null) : outerHttp;
        let done = bits === 0 && allChecked;
        if (!done && (MERGED.has(scope.kind) || (fragment && scope === tree.root && FRAGMENT_ROOTS.has(scope.kind))) && (fragment || http)) {
          checkFamilies(scope, own, http);
          done = true;
        }
        const children = scope.children;
        for (let i = 0; i < children.length; i++) visit(children[i]!, own, http, done);
      };
      const checkFamilies = (scope: Scope, own: readonly (Scope | null)[], http: Scope | null): void => {
        for (let i = 0; i < FAMILIES.length; i++) {
          const family = FAMILIES[i]!;
          const seen = checkedAnchors[i]!;
          if (seen.has(own[i]!)) continue;
          seen.add(own[i]!);
          const v = read(ctx, scope, family);
          if (!v) continue;
          const check = firstFailure(v);
          if (!check) continue;
          const culprit = deepest(involved(v, check));
          if (!culprit?.directive || reported.has(culprit.directive)) continue;
          reported.add(culprit.directive);
          const d = culprit.directive;
          const all = Object.values(v.settings);
          const fixAt = deepest(all)!.scope!;
          // values from nginx's defaults in a fragment may be set by the level that includes it
          const assumed = fragment && involved(v, check).some((s) => !s.directive);
          const where = culprit.scope !== scope ? ` in ${scopeLabel(scope)}` : '';
          const end = http?.block ? `nginx -t fails at the end of the http block (${lineRef(http.block.file, http.block.span.end - 1)})` : 'nginx -t fails when it merges the http block';
          const fix = assumed ? null : fixEdits(v, fixAt, fixAt === culprit.scope ? d : null);
          const related = involved(v, check)
            .filter((s) => s.directive && s.directive !== d)
            .map((s) => ({ file: s.directive!.file, span: s.directive!.span, message: `${s.name} ${argValues(s.directive!).join(' ')}` }));
          ctx.report({
            file: d.file,
            span: d.span,
            message: `${nginxMessage(family, check)}: ${detail(v, check)}${where}; ${end}${assumed ? ' (if the including configuration sets none of these)' : ''}`,
            ...(assumed ? { severity: 'info' as const } : {}),
            ...(related.length ? { related } : {}),
            ...(fix ? { fix: { description: `set ${fix.lines.join(', ')}`, edits: fix.edits } } : {}),
          });
        }
      };
      visit(tree.root, none, null, false);
    }
  },
};
