/**
 * The nginx-lint library: what the CLI itself uses.
 *
 *   import { lint, parseNginx } from 'nginx-lint';
 */
export { lint, type LintOptions, type LintResult } from './engine/lint.js';
export { buildReport, exitCodeFor } from './engine/report.js';
export { UsageError } from './engine/errors.js';
export { loadFormatter, FORMAT_NAMES, type FormatName, type Formatter, type Report } from './format/index.js';
export { toReported, type Diagnostic, type ReportedDiagnostic, type Severity, type Fix, type TextEdit, type RelatedLocation } from './diagnostic.js';
export { decodeSource, encodeSource, sourceFromString, positionAt, type SourceFile, type Span, type Position } from './syntax/source.js';
export { nodeFileSystem, memoryFileSystem, type FileSystem } from './fs.js';
export { detectKind, FILE_KINDS, type FileKind } from './stack/kind.js';
export * from './syntax/nginx/index.js';
export { analyze } from './syntax/nginx/analyze.js';
export { parseNginxVersion, formatVersion, DEFAULT_NGINX_VERSION, type NginxVersion } from './syntax/nginx/version.js';
