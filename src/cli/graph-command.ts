import { lint } from '../engine/lint.js';
import { renderGraph, type GraphFormat } from '../format/graph.js';
import { buildGraph } from '../stack/graph.js';
import { lintOptionsForStack, type StackArgs } from './stack-args.js';
import { writeOut } from './output.js';

export interface GraphCommandArgs {
  paths: string[];
  format: GraphFormat;
  nginxVersion?: string;
  stack: StackArgs;
}

/** `nginx-lint graph [PATH]`: the linked stack as Mermaid (default), DOT or JSON on stdout. */
export function runGraph(args: GraphCommandArgs): number {
  const result = lint(args.paths, { ...(args.nginxVersion ? { nginxVersion: args.nginxVersion } : {}), ...lintOptionsForStack(args.stack), rules: false });
  writeOut(renderGraph(buildGraph(result.model, result.hostPath), args.format));
  return 0;
}
