/**
 * PHP's INI dialect: one lossless parser for php.ini and PHP-FPM files, the
 * values PHP computes from them, and PHP-FPM's configuration model.
 *
 *   parseIni(source, { dialect })  lossless tree; printIni(tree) gives the bytes back
 *   phpIniValues(tree)             = parse_ini_file(FILE, true, INI_SCANNER_NORMAL)
 *   loadFpmConfig(path, opts)      php-fpm's global settings and pools, includes followed
 *   fpmValuesView(config)          { global: {...}, pools: { name: {...} } }
 *   detectIniKind(path, text)      'php-ini' | 'fpm' | null
 */
export type * from './ast.js';
export { parseIni, lineSpan, tokenDisplayName, type ParseIniOptions } from './parser.js';
export { printIni, checkCoverage, type GapReport } from './print.js';
export { IniScanner, unescapeDoubleQuoted, type ScanState } from './lexer.js';
export {
  evaluateExpr,
  evaluateValue,
  evaluateAtoms,
  isDynamic,
  phpConstant,
  cAtoi,
  type DynamicValue,
  type IniScalar,
  type Evaluated,
  type EvalOptions,
} from './evaluate.js';
export { phpIniValues, type PhpIniObject, type PhpIniValue, type PhpIniValuesOptions } from './php.js';
export {
  loadFpmConfig,
  fpmValuesView,
  fpmSetting,
  fpmArrays,
  fpmPhpValues,
  isUnixAddress,
  type FpmConfig,
  type FpmPool,
  type FpmGlobal,
  type FpmSetting,
  type FpmInclude,
  type FpmScopeBase,
  type FpmValuesView,
  type LoadFpmOptions,
} from './fpm.js';
export {
  FPM_GLOBAL_DIRECTIVES,
  FPM_POOL_DIRECTIVES,
  FPM_ARRAY_DIRECTIVES,
  FPM_DEBIAN_DEFAULTS,
  findFpmDirective,
  type FpmDirective,
  type FpmValueType,
  type FpmValueMeaning,
  type FpmArrayDirective,
} from './fpm-directives.js';
export { fpmGlob, fnmatch, type GlobResult } from './fpm-glob.js';
export {
  parsePhpSize,
  formatPhpSize,
  parseFpmDuration,
  parseFpmInteger,
  parseFpmBoolean,
  parseFpmRlimit,
  parseFpmPm,
  parseFpmLogLevel,
  parseSyslogFacility,
  parseOctalMode,
  parsePhpBool,
  SYSLOG_FACILITIES,
  type ReadResult,
  type FpmPm,
  type FpmLogLevel,
} from './readers.js';
export { detectIniKind, type IniKind } from './detect.js';
