// The bundled CLI's `string-width` (scripts/build.mjs aliases every import of
// it here). yargs, cliui and wrap-ansi import string-width, whose module top
// level builds an Intl.Segmenter and \p{RGI_Emoji} regular expressions: about
// 20 ms of every start, for widths only --help output needs. This loads the
// real package on the first call instead. esbuild turns the require() of an
// ES module into a lazily run module initialiser.
let real;
export default function stringWidth(string, options) {
  real ??= require('../../node_modules/string-width/index.js').default;
  return real(string, options);
}
