#!/usr/bin/env node
/**
 * The nginx-lint command line: parse arguments, call the library, print with
 * the chosen formatter, set the exit code (0 clean, 1 errors, 2 could not run).
 */
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { UsageError } from '../engine/errors.js';
import { FORMAT_NAMES } from '../format/index.js';
import { FILE_KINDS } from '../stack/kind.js';
import { CONTEXT_NAMES } from '../syntax/nginx/contexts.js';
import type { StackArgs } from './stack-args.js';
import { GRAPH_FORMATS, type GraphFormat } from '../format/graph.js';
import { flushed, isTerminal, terminalColumns, writeErr } from './output.js';
import pkg from '../../package.json' with { type: 'json' };

const EXIT_USAGE = 2;

function fail(message: string): never {
  writeErr(`nginx-lint: ${message}\n`);
  process.exit(EXIT_USAGE);
}

const shared = {
  context: { type: 'string', choices: CONTEXT_NAMES, describe: 'nginx context of a fragment given on its own (default: inferred)' },
  prefix: { type: 'string', describe: "nginx conf prefix that relative includes resolve against (default: the main file's directory)" },
  'nginx-version': { type: 'string', describe: 'target nginx version, e.g. 1.22.1 (default: latest stable)' },
  'page-size': { type: 'number', describe: "memory page size of nginx's machine in bytes: buffer defaults are one page (default 4096, x86-64 Linux; 16384 or 65536 on some arm64)" },
  kind: { type: 'string', choices: FILE_KINDS, describe: 'treat the given files as this kind instead of detecting it' },
} as const;

/** Which files form the stack, when discovery should not guess (lint and graph). */
const stackOptions = {
  root: { type: 'string', describe: 'an image-style root (/, ./rootfs): search etc/nginx, etc/php/*/fpm, etc/systemd/system, ... inside it' },
  nginx: { type: 'string', array: true, describe: 'the nginx main file (repeatable)' },
  fpm: { type: 'string', array: true, describe: 'a php-fpm.conf or pool file (repeatable)' },
  'php-ini': { type: 'string', array: true, describe: 'a php.ini the FPM pools load (repeatable)' },
  gunicorn: { type: 'string', array: true, describe: 'a gunicorn.conf.py, systemd unit, Procfile or script that starts gunicorn (repeatable)' },
} as const;

function stackArgs(args: { root?: string | undefined; nginx?: string[] | undefined; fpm?: string[] | undefined; 'php-ini'?: string[] | undefined; gunicorn?: string[] | undefined }): StackArgs {
  return {
    ...(args.root !== undefined ? { root: args.root } : {}),
    ...(args.nginx ? { nginx: args.nginx } : {}),
    ...(args.fpm ? { fpm: args.fpm } : {}),
    ...(args['php-ini'] ? { phpIni: args['php-ini'] } : {}),
    ...(args.gunicorn ? { gunicorn: args.gunicorn } : {}),
  };
}

async function main(argv: string[]): Promise<void> {
  await yargs(argv)
    .scriptName('nginx-lint')
    .usage('$0 [PATH...]  lint an nginx + PHP-FPM / gunicorn stack')
    .command(
      '$0 [paths..]',
      'lint files or directories',
      (y) =>
        y
          .positional('paths', { type: 'string', array: true, describe: 'files or directories (default: .); - reads nginx -T output or one nginx file from standard input' })
          .options(shared)
          .options(stackOptions)
          .option('print-stack', { type: 'boolean', default: false, describe: 'print the stacks found (files, pools, apps, links) and exit' })
          .option('format', { alias: 'f', type: 'string', choices: FORMAT_NAMES, default: 'stylish', describe: 'output format' })
          .option('quiet', { type: 'boolean', default: false, describe: 'report errors only' })
          .option('max-warnings', { type: 'number', describe: 'exit 1 when more warnings than this remain' })
          .option('color', { type: 'boolean', describe: 'colour the output (default: when stdout is a terminal and NO_COLOR is unset)' })
          .option('fix', { type: 'boolean', describe: 'apply the fixes and write the files (atomically), then report what remains' })
          .option('fix-dry-run', { alias: 'diff', type: 'boolean', describe: 'write nothing: print the fixes as a unified diff on stdout (for git apply / patch -p1), the report on stderr' })
          .option('fix-strategy', { type: 'string', choices: ['upstream', 'nginx'] as const, describe: 'when either side could change, fix the app server (upstream, the default) or nginx' })
          .option('nginx-user', { type: 'string', describe: "nginx's worker user (\"user\" or \"user group\") where nginx.conf has no user directive, for the socket-permission rules" })
          .option('config', { alias: 'c', type: 'string', describe: 'the config file (default: .nginx-lint.json or nginx-lint.config.json, found upward from the current directory); --no-config uses none' })
          .option('print-config', { type: 'boolean', describe: 'print the effective configuration (config file, every rule with its severity and options, the stack) as JSON and exit' })
          .option('list-rules', { type: 'boolean', describe: 'list every rule and parser check with its default and effective severity, and exit' })
          .option('explain', { type: 'string', describe: "print a rule's documentation and exit", requiresArg: true })
          .option('baseline', { type: 'string', describe: 'report only findings not recorded in this baseline file (see --write-baseline)' })
          .option('changed', { type: 'boolean', describe: 'for pre-commit: the paths are changed files; lint the configured stack (or .) only when one of them belongs to it' })
          .option('write-baseline', { type: 'string', describe: 'record the current findings in this baseline file and exit 0' })
          .conflicts('fix', 'fix-dry-run')
          .conflicts('write-baseline', ['fix', 'fix-dry-run']),
      async (args) => {
        const { runLint } = await import('./lint-command.js');
        const dryRun = args['fix-dry-run'] === true && args.fix !== true;
        // yargs drops a lone `-`; it means standard input, so put it back
        const paths = [...(args.paths ?? []), ...(argv.includes('-') ? ['-'] : [])];
        process.exitCode = await runLint({
          // defaults (the current directory) come after the config file's stack
          paths,
          stack: stackArgs(args),
          ...(args.config !== undefined ? { configFile: (args.config as string | boolean) === false ? false : args.config } : {}),
          ...(args['nginx-user'] !== undefined ? { nginxUser: args['nginx-user'] } : {}),
          listRules: args['list-rules'] === true,
          printConfig: args['print-config'] === true,
          ...(args.explain !== undefined ? { explain: args.explain } : {}),
          printStack: args['print-stack'],
          format: args.format as (typeof FORMAT_NAMES)[number],
          context: args.context,
          prefix: args.prefix,
          nginxVersion: args['nginx-version'],
          pageSize: args['page-size'],
          kind: args.kind,
          quiet: args.quiet,
          maxWarnings: args['max-warnings'],
          color: args.color ?? (isTerminal(dryRun ? 2 : 1) && !process.env.NO_COLOR),
          fix: args.fix === true,
          fixDryRun: args['fix-dry-run'] === true,
          fixStrategy: args['fix-strategy'],
          ...(args.baseline !== undefined ? { baseline: args.baseline } : {}),
          ...(args['write-baseline'] !== undefined ? { writeBaseline: args['write-baseline'] } : {}),
          changed: args.changed === true,
        });
      },
    )
    .command(
      'graph [paths..]',
      'print the stack (server → location → upstream → pool / app) as Mermaid, DOT or JSON',
      (y) =>
        y
          .positional('paths', { type: 'string', array: true, describe: 'files or directories (default: .)' })
          .options(stackOptions)
          .option('nginx-version', shared['nginx-version'])
          .option('config', { alias: 'c', type: 'string', describe: 'the config file whose stack to draw (default: found upward, as for lint); --no-config uses none' })
          .option('format', { alias: 'f', type: 'string', choices: GRAPH_FORMATS, default: 'mermaid' as const, describe: 'mermaid (pastes into GitHub Markdown), dot (Graphviz) or json' }),
      async (args) => {
        const { runGraph } = await import('./graph-command.js');
        process.exitCode = await runGraph({
          // defaults (the current directory) come after the config file's stack
          paths: args.paths ?? [],
          format: args.format as GraphFormat,
          stack: stackArgs(args),
          ...(args['nginx-version'] ? { nginxVersion: args['nginx-version'] } : {}),
          ...(args.config !== undefined ? { configFile: (args.config as string | boolean) === false ? false : args.config } : {}),
        });
      },
    )
    .command(
      'parse <file>',
      "print a file's syntax tree as JSON (nginx: crossplane's payload)",
      (y) =>
        y
          .positional('file', { type: 'string', demandOption: true })
          .options(shared)
          .option('single-file', { type: 'boolean', default: false, describe: 'nginx: do not follow includes' })
          .option('include-comments', { type: 'boolean', default: false, describe: 'nginx: include comments in the tree' })
          .option('combine', { type: 'boolean', default: false, describe: 'nginx: one config with includes inlined' })
          .option('values', { type: 'boolean', default: false, describe: 'print effective values the way PHP / gunicorn see them' }),
      async (args) => {
        const { runParse } = await import('./parse-command.js');
        process.exitCode = await runParse({
          file: args.file,
          singleFile: args['single-file'],
          includeComments: args['include-comments'],
          combine: args.combine,
          values: args.values,
          context: args.context,
          prefix: args.prefix,
          kind: args.kind,
        });
      },
    )
    .strictOptions()
    .help()
    .alias('h', 'help')
    // given, not looked up: yargs would search upward for a package.json at every start
    .version(pkg.version)
    .wrap(Math.min(100, terminalColumns() || 100))
    .fail((msg, err) => {
      if (err instanceof UsageError) fail(err.message);
      // yargs' own argument errors (YError, e.g. an option without its value) are usage errors too
      if (err && err.name !== 'YError') throw err;
      fail(`${msg ?? err?.message}\nTry 'nginx-lint --help'.`);
    })
    .parseAsync();
}

/**
 * Leave as soon as the run is over: a natural exit first tears down the whole
 * V8 heap, a few ms of a small run. The output went out with writeSync
 * (./output.ts); if a full non-blocking pipe made it fall back to a stream,
 * the stream is left to drain and the process then ends on its own.
 */
function exitWhenFlushed(): void {
  if (flushed()) process.exit();
}

main(hideBin(process.argv)).then(exitWhenFlushed, (err: unknown) => {
  if (err instanceof UsageError) fail(err.message);
  const detail = err instanceof Error ? err.message : String(err);
  if (process.env.NGINX_LINT_DEBUG && err instanceof Error) writeErr(`${err.stack}\n`);
  // each file's nesting is bounded by its parser; includes can still stack files deep enough to exhaust the walks
  if (err instanceof RangeError && /call stack/i.test(detail)) fail('the configuration nests blocks too deeply to lint (through its includes); Maximum call stack size exceeded');
  fail(`internal error: ${detail} (set NGINX_LINT_DEBUG=1 for a trace, and please report it)`);
});
