/** The nginx syntax layer: lossless parse, print, includes, `nginx -T` dumps, crossplane's view. */
export type * from './ast.js';
export { parseNginx, isLuaBlockDirective } from './parser.js';
export { nameOf, argCount, argValue, argValues, argSpan, directivesOf } from './nodes.js';
export { printNginx, tokenSpans, LostTokenError } from './print.js';
export { loadNginxConfig, expandGlob, globMatch, DEFAULT_MAX_DEPTH, DEFAULT_MAX_FILES, type LoadOptions } from './include.js';
export { parseNginxDump, splitNginxDump, type DumpSection } from './dump.js';
export {
  crossplanePayload,
  crossplaneArg,
  type CrossplaneOptions,
  type CrossplanePayload,
  type CrossplaneConfigFile,
  type CrossplaneDirective,
  type CrossplaneError,
  type CrossplaneFileError,
} from './crossplane.js';
