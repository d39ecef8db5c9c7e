import { lint } from '../engine/lint.js';
import { renderGraph, type GraphFormat } from '../format/graph.js';
import { buildGraph } from '../stack/graph.js';
import { configOnlyOptions, loadRunConfig } from './config-args.js';
import { lintOptionsForStack, mergeStack, type StackArgs } from './stack-args.js';
import { writeOut } from './output.js';

export interface GraphCommandArgs {
  /** as given: none means the config file's stack (or the current directory) */
  paths: string[];
  format: GraphFormat;
  nginxVersion?: string;
  stack: StackArgs;
  /** --config FILE, or false for --no-config; unset: found upward from the current directory */
  configFile?: string | false;
}

/**
 * `nginx-lint graph [PATH]`: the linked stack as Mermaid (default), DOT or
 * JSON on stdout. It draws the stack `nginx-lint` lints: the config file's
 * stack, nginx version, page size and ignore globs, unless the command line
 * names files (as for lint).
 */
export async function runGraph(args: GraphCommandArgs): Promise<number> {
  const config = await loadRunConfig(args.configFile);
  const { paths, stack } = mergeStack(args.paths, args.stack, config.stack);
  const nginxVersion = args.nginxVersion ?? config.stack.nginxVersion;
  const pageSize = config.stack.pageSize;
  const result = lint(paths, {
    ...(await configOnlyOptions({}, config)),
    ...(nginxVersion ? { nginxVersion } : {}),
    ...(pageSize !== undefined ? { pageSize } : {}),
    ...lintOptionsForStack(stack),
    rules: false,
  });
  writeOut(renderGraph(buildGraph(result.model, result.hostPath), args.format));
  return 0;
}
