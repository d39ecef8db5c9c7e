import { execFileSync, spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPrivateCli } from '../support/private-cli.js';
import { lint } from '../../src/engine/lint.js';
import { buildGraph, type StackGraph } from '../../src/stack/graph.js';
import { toDot, toMermaid } from '../../src/format/graph.js';
import { describeWithBinaries } from '../support/binaries.js';

const example = path.resolve(import.meta.dirname, '../../examples/stack');

function graphOfExample(): StackGraph {
  return buildGraph(lint([example], { rules: false }).model);
}

/** Every node reachable from `from` along edges. */
function reachable(g: StackGraph, from: string): Set<string> {
  const seen = new Set([from]);
  const todo = [from];
  while (todo.length) {
    const n = todo.pop()!;
    for (const e of g.edges) {
      if (e.from !== n || seen.has(e.to)) continue;
      seen.add(e.to);
      todo.push(e.to);
    }
  }
  return seen;
}

describe('nginx-lint graph', () => {
  it('JSON: a path leads from each PHP / app location to the pool or app it reaches', () => {
    const g = graphOfExample();
    const byLabel = (kind: string, re: RegExp) => g.nodes.find((n) => n.kind === kind && re.test(n.label));
    const php = byLabel('location', /\\\.php\$/)!;
    const app = byLabel('location', /^location \/$/)!;
    const pool = byLabel('fpm-pool', /\[shop\]/)!;
    const gunicorn = byLabel('gunicorn-app', /app\.wsgi:application/)!;
    expect(reachable(g, php.id).has(pool.id)).toBe(true);
    expect(reachable(g, app.id).has(gunicorn.id)).toBe(true);
    expect(reachable(g, php.id).has(gunicorn.id)).toBe(false);
    expect(pool.file).toMatch(/pool\.d\/shop\.conf$/);
    // edges carry the effective values of both sides
    const toUpstream = g.edges.find((e) => e.from === app.id)!;
    expect(toUpstream.label).toContain('proxy_read_timeout 120s');
    const toApp = g.edges.find((e) => e.to === gunicorn.id)!;
    expect(toApp.label).toContain('timeout 30');
  });

  it('Mermaid: one flowchart, every node declared before use, labels quoted', () => {
    const text = toMermaid(graphOfExample());
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toBe('flowchart LR');
    const declared = new Set<string>();
    for (const l of lines.slice(1)) {
      const node = /^ {2}(n\d+)(\(\[|\[\(|\{\{|\[|>)"[^"]*"(\]\)|\)\]|\}\}|\])$/.exec(l);
      const edge = /^ {2}(n\d+) -->(?:\|"[^"]*"\|)? (n\d+)$/.exec(l);
      expect(node ?? edge, l).not.toBeNull();
      if (node) declared.add(node[1]!);
      if (edge) expect(declared.has(edge[1]!) && declared.has(edge[2]!), l).toBe(true);
    }
  });

  describeWithBinaries(['dot'], 'DOT output', () => {
    it('Graphviz dot parses and lays it out', () => {
      const dot = toDot(graphOfExample());
      const r = spawnSync('dot', ['-Tsvg'], { input: dot, encoding: 'utf8' });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      expect(r.stdout).toContain('<svg');
      expect(r.stdout).toContain('FPM pool [shop]');
    });
    let build: ReturnType<typeof buildPrivateCli>;
    beforeAll(() => {
      build = buildPrivateCli();
    });
    afterAll(() => build.dispose());
    it('the CLI prints the same DOT', () => {
      const out = execFileSync(process.execPath, [build.cli, 'graph', example, '--format', 'dot'], { encoding: 'utf8' });
      const r = spawnSync('dot', ['-Tplain'], { input: out, encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/^graph /);
    });
  });
});
