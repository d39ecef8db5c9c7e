/**
 * `nginx-lint graph` renderers: Mermaid (pastes into GitHub Markdown), DOT
 * (Graphviz), and JSON for tools. Pure functions of the graph.
 */
import type { GraphNodeKind, StackGraph } from '../stack/graph.js';

export const GRAPH_FORMATS = ['mermaid', 'dot', 'json'] as const;
export type GraphFormat = (typeof GRAPH_FORMATS)[number];

const MERMAID_SHAPE: Record<GraphNodeKind, [string, string]> = {
  server: ['([', '])'],
  location: ['[', ']'],
  upstream: ['{{', '}}'],
  address: ['>', ']'],
  'fpm-pool': ['[(', ')]'],
  'gunicorn-app': ['[(', ')]'],
};

const DOT_SHAPE: Record<GraphNodeKind, string> = {
  server: 'box3d',
  location: 'box',
  upstream: 'hexagon',
  address: 'cds',
  'fpm-pool': 'cylinder',
  'gunicorn-app': 'cylinder',
};

/** Text inside a quoted Mermaid label: quotes and angle brackets as entity codes, so nothing ends the label early. */
function mermaidText(s: string): string {
  return s.replace(/#/g, '#35;').replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/>/g, '#gt;').replace(/\|/g, '#124;');
}

export function toMermaid(g: StackGraph): string {
  const out = ['flowchart LR'];
  for (const n of g.nodes) {
    const [open, close] = MERMAID_SHAPE[n.kind];
    out.push(`  ${n.id}${open}"${mermaidText(n.label)}<br/><small>${mermaidText(`${n.file}:${n.line}`)}</small>"${close}`);
  }
  for (const e of g.edges) out.push(e.label ? `  ${e.from} -->|"${mermaidText(e.label)}"| ${e.to}` : `  ${e.from} --> ${e.to}`);
  return out.join('\n') + '\n';
}

function dotText(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

export function toDot(g: StackGraph): string {
  const out = ['digraph stack {', '  rankdir=LR;', '  node [fontname="Helvetica", fontsize=10];', '  edge [fontname="Helvetica", fontsize=9];'];
  for (const n of g.nodes) out.push(`  ${n.id} [label="${dotText(`${n.label}\n${n.file}:${n.line}`)}", shape=${DOT_SHAPE[n.kind]}];`);
  for (const e of g.edges) out.push(`  ${e.from} -> ${e.to}${e.label ? ` [label="${dotText(e.label)}"]` : ''};`);
  out.push('}');
  return out.join('\n') + '\n';
}

export function toGraphJson(g: StackGraph): string {
  return JSON.stringify(g, null, 2) + '\n';
}

export function renderGraph(g: StackGraph, format: GraphFormat): string {
  return format === 'dot' ? toDot(g) : format === 'json' ? toGraphJson(g) : toMermaid(g);
}
