import type { Diagnostic } from '../diagnostic.js';
import { nodeFileSystem } from '../fs.js';
import { readNamedFile } from '../engine/collect.js';
import { UsageError } from '../engine/errors.js';
import { detectKind, type FileKind } from '../stack/kind.js';
import type { ContextName, NginxConfig } from '../syntax/nginx/ast.js';
import { analyze } from '../syntax/nginx/analyze.js';
import { crossplanePayload, loadNginxConfig, parseNginx } from '../syntax/nginx/index.js';
import type { SourceFile } from '../syntax/source.js';
import { fpmValuesView, loadFpmConfig, parseIni, phpIniValues } from '../syntax/ini/index.js';
import { gunicornValuesView, loadGunicornSource } from '../syntax/gunicorn/index.js';
import { iniErrors, iniTreeView } from './parse-views.js';
import { writeOut, writeErr } from './output.js';

export interface ParseCommandArgs {
  file: string;
  singleFile: boolean;
  includeComments: boolean;
  combine: boolean;
  values: boolean;
  context?: string;
  prefix?: string;
  kind?: string;
}


export async function runParse(args: ParseCommandArgs): Promise<number> {
  const source = readNamedFile(nodeFileSystem, args.file);
  const kind: FileKind = (args.kind as FileKind | undefined) ?? detectKind(args.file, source.text) ?? 'nginx';
  if (kind === 'php-ini' || kind === 'fpm') return parseIniKind(source, kind, args);
  if (kind === 'gunicorn' || kind === 'systemd' || kind === 'procfile' || kind === 'supervisor') return parseGunicornKind(source);
  if (args.values) throw new UsageError('parse --values applies to php.ini, PHP-FPM and gunicorn files');

  let config: NginxConfig;
  if (args.singleFile) {
    const root = parseNginx(source);
    config = { root, files: new Map([[args.file, root]]), includes: new Map(), diagnostics: [] };
  } else {
    config = loadNginxConfig(args.file, { fs: nodeFileSystem, ...(args.prefix ? { prefix: args.prefix } : {}) });
  }
  // Like crossplane, analysis runs in the `main` context unless told otherwise.
  const errors = analyze(config, { context: (args.context as ContextName | undefined) ?? 'main' });
  const payload = crossplanePayload(config, { includeComments: args.includeComments, single: args.singleFile, combine: args.combine, errors }) as { status: string };
  writeOut(JSON.stringify(payload) + '\n');
  return payload.status === 'ok' ? 0 : 1;
}

/** `file:line:col: message` on stderr for each; returns how many. */
function printErrors(ds: Diagnostic[]): number {
  for (const e of iniErrors(ds)) writeErr(`${e.file}:${e.line}:${e.column}: ${e.error}\n`);
  return ds.length;
}

function print(value: unknown): void {
  writeOut(JSON.stringify(value, null, 2) + '\n');
}

/** php.ini: the tree, or parse_ini_file's array; FPM: the tree, or {global, pools} after includes and $pool. */
function parseIniKind(source: SourceFile, kind: 'php-ini' | 'fpm', args: ParseCommandArgs): number {
  if (!args.values) {
    const view = iniTreeView(parseIni(source, { dialect: kind }), kind);
    print(view);
    return view.status === 'ok' ? 0 : 1;
  }
  if (kind === 'php-ini') {
    const file = parseIni(source, { dialect: 'php-ini' });
    const values = phpIniValues(file);
    print(values); // false, as parse_ini_file returns, when PHP rejects the file
    if (values === false) printErrors(file.diagnostics);
    return values === false ? 1 : 0;
  }
  const config = loadFpmConfig(source.path, { fs: nodeFileSystem });
  print(fpmValuesView(config));
  return printErrors(config.diagnostics.filter((d) => d.severity === 'error')) ? 1 : 0;
}

/** gunicorn: the effective settings as gunicorn's Config holds them (one object; an array when a file starts gunicorn several times). */
function parseGunicornKind(source: SourceFile): number {
  const loaded = loadGunicornSource(source, { fs: nodeFileSystem });
  const views = loaded.configs.map(gunicornValuesView);
  print(views.length === 1 ? views[0] : views);
  return printErrors(loaded.diagnostics.filter((d) => d.severity === 'error')) ? 1 : 0;
}
