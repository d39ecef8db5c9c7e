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

const EXIT_USAGE = 2;

function fail(message: string): never {
  process.stderr.write(`nginx-lint: ${message}\n`);
  process.exit(EXIT_USAGE);
}

const shared = {
  context: { type: 'string', choices: CONTEXT_NAMES, describe: 'nginx context of a fragment given on its own (default: inferred)' },
  prefix: { type: 'string', describe: "nginx conf prefix that relative includes resolve against (default: the main file's directory)" },
  'nginx-version': { type: 'string', describe: 'target nginx version, e.g. 1.22.1 (default: latest stable)' },
  kind: { type: 'string', choices: FILE_KINDS, describe: 'treat the given files as this kind instead of detecting it' },
} as const;

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
          .option('format', { alias: 'f', type: 'string', choices: FORMAT_NAMES, default: 'stylish', describe: 'output format' })
          .option('quiet', { type: 'boolean', default: false, describe: 'report errors only' })
          .option('max-warnings', { type: 'number', describe: 'exit 1 when more warnings than this remain' })
          .option('color', { type: 'boolean', describe: 'colour the output (default: when stdout is a terminal and NO_COLOR is unset)' }),
      async (args) => {
        const { runLint } = await import('./lint-command.js');
        // yargs drops a lone `-`; it means standard input, so put it back
        const paths = [...(args.paths ?? []), ...(argv.includes('-') ? ['-'] : [])];
        process.exitCode = await runLint({
          paths: paths.length ? paths : ['.'],
          format: args.format as (typeof FORMAT_NAMES)[number],
          context: args.context,
          prefix: args.prefix,
          nginxVersion: args['nginx-version'],
          kind: args.kind,
          quiet: args.quiet,
          maxWarnings: args['max-warnings'],
          color: args.color ?? (process.stdout.isTTY === true && !process.env.NO_COLOR),
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
    .version()
    .wrap(Math.min(100, process.stdout.columns || 100))
    .fail((msg, err) => {
      if (err instanceof UsageError) fail(err.message);
      if (err) throw err;
      fail(`${msg}\nTry 'nginx-lint --help'.`);
    })
    .parseAsync();
}

main(hideBin(process.argv)).catch((err: unknown) => {
  if (err instanceof UsageError) fail(err.message);
  const detail = err instanceof Error ? err.message : String(err);
  if (process.env.NGINX_LINT_DEBUG && err instanceof Error) process.stderr.write(`${err.stack}\n`);
  fail(`internal error: ${detail} (set NGINX_LINT_DEBUG=1 for a trace, and please report it)`);
});
