/**
 * The discovered stacks as plain data (JSON output, `--print-stack`): which
 * files form each stack and what links to what, with file:line for both ends.
 */
import { formatEndpoint } from './address.js';
import { describeTarget, reachedApps, type BackendApp, type StackModel } from './model.js';
import type { StackGroup } from './stacks.js';
import { positionAt, type SourceFile } from '../syntax/source.js';
import { argValues, nameOf } from '../syntax/nginx/nodes.js';

export interface StackDescription {
  nginx: string[];
  fpm: { config: string; pools: { name: string; listen: string[] }[] }[];
  phpIni: string[];
  gunicorn: { file: string; app: string; bind: string[]; notes: string[] }[];
  /** one per pass directive (a directive in a file included by several locations is listed once, with their number) */
  links: { at: string; directive: string; locations: number; target: string; reaches: string[] }[];
}

type PathMap = (p: string) => string;

function at(file: SourceFile, offset: number, map: PathMap): string {
  const p = positionAt(file, offset);
  return `${map(file.path)}:${p.line}:${p.column}`;
}

export function appLabel(app: BackendApp): string {
  return app.kind === 'fpm-pool' ? `FPM pool [${app.name}]` : `gunicorn app ${app.name}`;
}

export function describeStacks(model: StackModel, groups: StackGroup[], map: PathMap = (p) => p): StackDescription[] {
  return groups.map((g) => ({
    nginx: g.nginx.map((t) => map(t.config.root.source.path)),
    fpm: g.fpm.map((c) => ({ config: map(c.path), pools: g.pools.filter((p) => p.config === c).map((p) => ({ name: p.name, listen: p.listeners.map((l) => formatEndpoint(l.endpoint)) })) })),
    phpIni: g.phpIni.map((f) => map(f.source.path)),
    gunicorn: g.apps.map((a) => ({ file: map(a.file.path), app: a.name, bind: a.listeners.map((l) => `${formatEndpoint(l.endpoint)}${l.via === 'ListenStream' ? ` (${map(l.file.path)} ListenStream)` : ''}`), notes: a.notes })),
    links: links(model, g, map),
  }));
}

function links(model: StackModel, g: StackGroup, map: PathMap): StackDescription['links'] {
  const byDirective = new Map<unknown, StackDescription['links'][number]>();
  for (const p of model.passes) {
    if (!g.nginx.includes(p.tree)) continue;
    const seen = byDirective.get(p.directive);
    if (seen) {
      seen.locations++;
      continue;
    }
    byDirective.set(p.directive, {
      at: at(p.directive.file, p.directive.span.start, map),
      directive: `${nameOf(p.directive)} ${argValues(p.directive).join(' ')}`,
      locations: 1,
      target: describeTarget(p.target),
      reaches: reachedApps(p).map((app) => {
        const l = p.backends.flatMap((b) => b.apps).find((x) => x.app === app)!;
        return `${appLabel(app)} ${formatEndpoint(l.listener.endpoint)} at ${at(l.listener.file, l.listener.span.start, map)}${l.match === 'port' ? ' (by port only)' : ''}`;
      }),
    });
  }
  return [...byDirective.values()];
}

/** `--print-stack`: the same, for people. */
export function printStacks(stacks: StackDescription[], notes: string[]): string {
  const out: string[] = [];
  stacks.forEach((s, i) => {
    out.push(`stack ${i + 1}`);
    for (const n of s.nginx) out.push(`  nginx     ${n}`);
    for (const f of s.fpm) {
      out.push(`  php-fpm   ${f.config}`);
      for (const p of f.pools) out.push(`    pool [${p.name}] listen ${p.listen.join(', ') || '(unknown)'}`);
    }
    for (const f of s.phpIni) out.push(`  php.ini   ${f}`);
    for (const a of s.gunicorn) {
      out.push(`  gunicorn  ${a.app} (${a.file}) bind ${a.bind.join(', ') || '(unknown)'}`);
      for (const n of a.notes) out.push(`    note: ${n}`);
    }
    for (const l of s.links) out.push(`  link      ${l.at} ${l.directive}${l.locations > 1 ? ` (${l.locations} locations)` : ''} -> ${l.reaches.length ? l.reaches.join('; ') : `${l.target}: nothing in the stack`}`);
  });
  for (const n of notes) out.push(`note: ${n}`);
  return out.join('\n') + '\n';
}
