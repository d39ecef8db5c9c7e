import { nodeFileSystem } from '../fs.js';
import { UsageError, describeFsError } from '../engine/errors.js';
import { detectKind, type FileKind } from '../stack/kind.js';
import type { ContextName, NginxConfig } from '../syntax/nginx/ast.js';
import { analyze } from '../syntax/nginx/analyze.js';
import { crossplanePayload, loadNginxConfig, parseNginx } from '../syntax/nginx/index.js';
import { decodeSource } from '../syntax/source.js';

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

function readOrFail(file: string) {
  const st = nodeFileSystem.stat(file);
  if (!st) throw new UsageError(`cannot read "${file}": No such file or directory`);
  if (!st.isFile) throw new UsageError(`cannot read "${file}": not a regular file`);
  try {
    return decodeSource(file, nodeFileSystem.readFile(file));
  } catch (err) {
    throw new UsageError(`cannot read "${file}": ${describeFsError(err)}`);
  }
}

export async function runParse(args: ParseCommandArgs): Promise<number> {
  const source = readOrFail(args.file);
  const kind: FileKind = (args.kind as FileKind | undefined) ?? detectKind(args.file, source.text) ?? 'nginx';
  if (kind !== 'nginx') throw new UsageError(`parse: files of kind "${kind}" are not supported yet`);
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
  process.stdout.write(JSON.stringify(payload) + '\n');
  return payload.status === 'ok' ? 0 : 1;
}
