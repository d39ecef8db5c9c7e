/**
 * Directive-analysis conformance against crossplane's recorded single-file
 * analysis (golden/crossplane/single/, `crossplane parse --single-file`):
 *
 *   npx tsx scripts/conformance/nginx-analyze.ts ../shared/corpus
 *
 * crossplane analyses each file on its own in the `main` context, so include
 * fragments fail with `"x" directive is not allowed here`. Its analysis is a
 * subset of nginx's: directive context, block/`;` and argument count, flag
 * values; no unknown directives (its CLI is not strict), no duplicates, no
 * `if` conditions, no map/geo/... entries. And its parser reacts to an error
 * in its own way: a rejected directive is dropped but its `{` is not, so the
 * block's contents are read as if they were in the enclosing block, whose
 * parse the block's `}` then ends (at the top level: the rest of the file is
 * never read).
 *
 * So this replays crossplane's _parse over nginx-lint's tree, token by token,
 * with nginx-lint's directive table (directives.ts, every version and module)
 * standing in for crossplane's, and compares the errors (line, text) and the
 * status with the golden record. A difference then means the two tables
 * disagree about a directive, or the two lexers about the file; each is
 * printed with its cause. Separately it reports how nginx-lint's own
 * analyzer (analyze(), all of nginx's checks, in `main`) agrees with
 * crossplane's verdict, and why it differs where it does.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ANALYZE_RULES, analyze, singleFileConfig } from '../../src/syntax/nginx/analyze.js';
import type { ContextName } from '../../src/syntax/nginx/ast.js';
import {
  NGX_CONF_1MORE,
  NGX_CONF_2MORE,
  NGX_CONF_ANY,
  NGX_CONF_FLAG,
  allowedIn,
  directiveModules,
  lookupDirective,
  type DirectiveSpec,
} from '../../src/syntax/nginx/directives.js';
import { compareVersions, parseNginxVersion } from '../../src/syntax/nginx/version.js';
import { parseNginx } from '../../src/syntax/nginx/index.js';
import { decodeSource, positionAt } from '../../src/syntax/source.js';
import { prepareIfArgs } from '../../src/syntax/nginx/crossplane.js';
import { corpusFiles } from './corpus.js';

interface GoldenError {
  line: number | null;
  error: string;
}

interface Golden {
  status: 'ok' | 'failed';
  errors: { file: string; line: number | null; error: string }[];
}

export interface AnalyzeMismatch {
  file: string;
  ours: GoldenError[];
  theirs: GoldenError[];
  cause: string;
}

export interface AnalyzeConformance {
  files: number;
  compared: number;
  missingGolden: string[];
  /** replayed crossplane analysis equal to the golden record (status and every error) */
  agree: number;
  mismatches: AnalyzeMismatch[];
  /** nginx-lint's own analyzer: same verdict (ok/failed) as crossplane */
  verdictAgree: number;
  verdictDiffs: { file: string; ours: string; theirs: string; cause: string }[];
}

/* ---------- crossplane's lexer ---------- */

interface Tok {
  value: string;
  line: number;
  /** a quoted word (or a Lua block body): never a `{`, `;` or `}` */
  quoted: boolean;
}

const LUA_BLOCKS = new Set([
  'access_by_lua_block',
  'balancer_by_lua_block',
  'body_filter_by_lua_block',
  'content_by_lua_block',
  'header_filter_by_lua_block',
  'init_by_lua_block',
  'init_worker_by_lua_block',
  'log_by_lua_block',
  'rewrite_by_lua_block',
  'set_by_lua_block',
  'ssl_certificate_by_lua_block',
  'ssl_session_fetch_by_lua_block',
  'ssl_session_store_by_lua_block',
]);

/** Python's str.isspace() */
function isPySpace(c: string): boolean {
  if (c.length !== 1) return false;
  const n = c.codePointAt(0)!;
  return (
    (n >= 9 && n <= 13) ||
    (n >= 0x1c && n <= 0x20) ||
    n === 0x85 ||
    n === 0xa0 ||
    n === 0x1680 ||
    (n >= 0x2000 && n <= 0x200a) ||
    n === 0x2028 ||
    n === 0x2029 ||
    n === 0x202f ||
    n === 0x205f ||
    n === 0x3000
  );
}

class Eof extends Error {}

/**
 * The tokens crossplane's lexer (with its Lua extension) yields for a file,
 * as Python reads it (UTF-8 with replacement, universal newlines). Its
 * generators end silently at the end of the input, dropping an unfinished
 * token (crossplane's fix_pep_479).
 */
export function crossplaneTokens(bytes: Uint8Array): Tok[] {
  const text = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true }).decode(bytes).replace(/\r\n?/g, '\n');
  const cps = Array.from(text);
  let pos = 0;
  let lineNo = 1;
  // _iterescape + _iterlinecount: a backslash joins the next char
  const nextChar = (): [string, number] => {
    if (pos >= cps.length) throw new Eof();
    let c = cps[pos++]!;
    if (c === '\\') {
      if (pos >= cps.length) throw new Eof();
      c += cps[pos++]!;
    }
    if (c.endsWith('\n')) lineNo++;
    return [c, lineNo];
  };
  const out: Tok[] = [];
  const lua = (directive: string): void => {
    let char: string;
    let line: number;
    if (directive === 'set_by_lua_block') {
      let arg = '';
      for (;;) {
        [char, line] = nextChar();
        if (isPySpace(char)) {
          if (arg) {
            out.push({ value: arg, line, quoted: false });
            break;
          }
          while (isPySpace(char)) [char] = nextChar();
        }
        arg += char;
      }
    }
    for (;;) {
      [char] = nextChar();
      if (!isPySpace(char)) break;
    }
    if (char !== '{') throw new Eof(); // crossplane raises "expected { to start Lua block"
    let depth = 1;
    let token = '';
    let back: [string, number] | null = null;
    const take = (): [string, number] => {
      if (back) {
        const b = back;
        back = null;
        return b;
      }
      return nextChar();
    };
    for (;;) {
      [char, line] = take();
      if (char === '-') {
        const prev: [string, number] = [char, line];
        const [c2, l2] = take();
        char = c2;
        if (char === '-') {
          token += '-';
          while (char !== '\n') {
            token += char;
            [char, line] = take();
          }
        } else {
          back = [c2, l2];
          [char, line] = prev;
        }
      } else if (char === '{') depth++;
      else if (char === '}') depth--;
      else if (char === '"' || char === "'") {
        const quote = char;
        token += quote;
        [char, line] = take();
        while (char !== quote) {
          token += char;
          [char, line] = take();
        }
      }
      if (depth < 0) throw new Eof();
      if (depth === 0) {
        out.push({ value: token, line, quoted: true });
        out.push({ value: ';', line, quoted: false });
        return;
      }
      token += char;
    }
  };
  try {
    let token = '';
    let tokenLine = 0;
    let nextIsDirective = true;
    for (;;) {
      if (pos >= cps.length) break;
      let [char, line] = nextChar();
      if (isPySpace(char)) {
        if (token) {
          out.push({ value: token, line: tokenLine, quoted: false });
          if (nextIsDirective && LUA_BLOCKS.has(token)) {
            lua(token);
            nextIsDirective = true;
          } else nextIsDirective = false;
          token = '';
        }
        while (isPySpace(char)) [char, line] = nextChar();
      }
      if (!token && char === '#') {
        while (!char.endsWith('\n')) {
          token += char;
          [char] = nextChar();
        }
        out.push({ value: token, line, quoted: false });
        token = '';
        continue;
      }
      if (!token) tokenLine = line;
      if (token && token.endsWith('$') && char === '{') {
        nextIsDirective = false;
        while (!token.endsWith('}') && !isPySpace(char)) {
          token += char;
          [char, line] = nextChar();
        }
      }
      if (char === '"' || char === "'") {
        if (token) {
          token += char;
          continue;
        }
        const quote = char;
        [char, line] = nextChar();
        while (char !== quote) {
          token += char === '\\' + quote ? quote : char;
          [char, line] = nextChar();
        }
        out.push({ value: token, line: tokenLine, quoted: true });
        if (nextIsDirective && LUA_BLOCKS.has(token)) {
          lua(token);
          nextIsDirective = true;
        } else nextIsDirective = false;
        token = '';
        continue;
      }
      if (char === '{' || char === '}' || char === ';') {
        if (token) {
          out.push({ value: token, line: tokenLine, quoted: false });
          token = '';
        }
        out.push({ value: char, line, quoted: false });
        nextIsDirective = true;
        continue;
      }
      token += char;
    }
  } catch (e) {
    if (!(e instanceof Eof)) throw e;
  }
  return out;
}

/* ---------- crossplane's analyzer, with nginx-lint's table ---------- */

const CTX: Record<string, ContextName> = {
  '': 'main',
  events: 'events',
  mail: 'mail',
  'mail>server': 'mail_server',
  stream: 'stream',
  'stream>server': 'stream_server',
  'stream>upstream': 'stream_upstream',
  http: 'http',
  'http>server': 'server',
  'http>location': 'location',
  'http>upstream': 'upstream',
  'http>server>if': 'if',
  'http>location>if': 'lif',
  'http>location>limit_except': 'limit_except',
};

/**
 * What crossplane's own table covers, approximated from nginx-lint's: nginx's
 * modules and njs, as of nginx 1.24 (it has no HTTP/3, no `http2` directive,
 * nothing later), no other third-party module (no Lua, headers-more, brotli,
 * ...); it also has NGINX Plus directives, which nginx-lint's table (open
 * source nginx) has not.
 */
const CROSSPLANE_CUTOFF = parseNginxVersion('1.25.0')!;
/** later open-source variants crossplane has from NGINX Plus, which had them first */
const CROSSPLANE_FROM_PLUS = new Set(['resolver/upstream', 'resolver_timeout/upstream', 'resolver/stream_upstream', 'resolver_timeout/stream_upstream']);
export function crossplaneKnows(s: DirectiveSpec): boolean {
  const kind = directiveModules().find((m) => m.name === s.module)?.kind;
  if (kind === 'third-party' && s.module !== 'http_js' && s.module !== 'stream_js') return false;
  if (s.contexts.length === 1 && CROSSPLANE_FROM_PLUS.has(`${s.name}/${s.contexts[0]}`)) return true;
  return s.since === null || compareVersions(s.since, CROSSPLANE_CUTOFF) < 0;
}

/** crossplane's analyze(): null when fine (or not analysed), else its error text */
function crossplaneAnalyze(name: string, args: string[], term: string, ctx: string[]): string | null {
  const context = CTX[ctx.join('>')];
  if (!context) return null;
  const variants = lookupDirective(name).filter(crossplaneKnows);
  if (variants.length === 0) return null;
  const masks = variants.filter((s) => allowedIn(s, context));
  if (masks.length === 0) return `"${name}" directive is not allowed here`;
  const n = args.length;
  const validFlag = (x: string) => x.toLowerCase() === 'on' || x.toLowerCase() === 'off';
  let reason = '';
  for (const s of [...masks].reverse()) {
    if (s.block && term !== '{') {
      reason = `directive "${name}" has no opening "{"`;
      continue;
    }
    if (!s.block && term !== ';') {
      reason = `directive "${name}" is not terminated by ";"`;
      continue;
    }
    const a = s.args;
    if (
      (n <= 7 && (a >> n) & 1) ||
      (a & NGX_CONF_FLAG && n === 1 && validFlag(args[0]!)) ||
      a & NGX_CONF_ANY ||
      (a & NGX_CONF_1MORE && n >= 1) ||
      (a & NGX_CONF_2MORE && n >= 2)
    )
      return null;
    if (a & NGX_CONF_FLAG && n === 1) reason = `invalid value "${args[0]}" in "${name}" directive, it must be "on" or "off"`;
    else reason = `invalid number of arguments in "${name}" directive`;
  }
  return reason;
}


class Stop extends Error {}

/** crossplane's parse() of one file (single, check_ctx, check_args, not strict): its errors */
export function crossplaneErrors(path: string, bytes: Uint8Array): GoldenError[] {
  const toks = crossplaneTokens(bytes);
  const errors: GoldenError[] = [];
  const err = (msg: string, line: number | null) => errors.push({ line, error: line === null ? msg : `${msg} in ${path}:${line}` });
  // crossplane's _balance_braces: a `}` below depth 0 and an end of file inside a block end the file
  let depth = 0;
  let i = 0;
  let lastLine = 1;
  /** the next token; null at the end of the input (the parser's for-loop ends) */
  const pull = (): Tok | null => {
    if (i >= toks.length) {
      if (depth > 0) {
        err('unexpected end of file, expecting "}"', lastLine);
        throw new Stop();
      }
      return null;
    }
    const t = toks[i++]!;
    lastLine = t.line;
    if (!t.quoted && t.value === '}') depth--;
    else if (!t.quoted && t.value === '{') depth++;
    if (depth < 0) {
      err('unexpected "}"', t.line);
      throw new Stop();
    }
    return t;
  };
  /** next(tokens) inside a statement: the end of the input is a StopIteration, reported with an empty text */
  const next = (): Tok => {
    const t = pull();
    if (t) return t;
    errors.push({ line: null, error: '' });
    throw new Stop();
  };
  const parse = (ctx: string[], consume: boolean): void => {
    for (;;) {
      const t = pull();
      if (t === null) return;
      if (t.value === '}' && !t.quoted) return;
      if (consume) {
        if (t.value === '{' && !t.quoted) parse([], true);
        continue;
      }
      if (t.value.startsWith('#') && !t.quoted) continue;
      const name = t.value;
      const line = t.line;
      let args: string[] = [];
      let term = next();
      while (!['{', ';', '}'].includes(term.value) || term.quoted) {
        if (!(term.value.startsWith('#') && !term.quoted)) args.push(term.value);
        term = next();
      }
      if (name === 'if') args = prepareIfArgs(args);
      const e = crossplaneAnalyze(name, args, term.value, ctx);
      if (e !== null) {
        err(e, line);
        if (e.endsWith(' is not terminated by ";"')) {
          if (term.value !== '}') parse([], true);
          else return;
        }
        continue;
      }
      if (term.value === '{') parse(ctx[0] === 'http' && name === 'location' ? ['http', 'location'] : [...ctx, name], false);
    }
  };
  try {
    parse([], false);
  } catch (e) {
    if (!(e instanceof Stop)) throw e;
  }
  return errors;
}

/* ---------- causes ---------- */

/**
 * Where nginx-lint's table (from nginx's own command tables) and crossplane's
 * disagree about a directive, checked against nginx: nginx decides.
 */
const TABLE_DIFFERENCES: Record<string, string> = {
  js_set:
    "crossplane's njs table is older: Debian's njs 0.7.9 (the ngx_http_js_module.so command table) accepts js_set in http, server and location; nginx-lint follows njs",
  js_path:
    "crossplane's njs table has js_path for http only: njs 0.7.9's ngx_stream_js_module.so accepts it in stream and stream server; nginx-lint follows njs",
  limit_req_zone:
    'a 4th argument (`sync`) is NGINX Plus only: open-source nginx declares limit_req_zone NGX_CONF_TAKE3 and nginx -t rejects it; crossplane allows Plus syntax',
  fastcgi_cache_purge:
    'an NGINX Plus directive (or the third-party cache_purge module): open-source nginx does not know it, so nginx-lint has no context for it; crossplane has Plus directives',
};

function causeOf(ours: GoldenError[], theirs: GoldenError[]): string {
  const a = new Set(ours.map((e) => e.error));
  const b = new Set(theirs.map((e) => e.error));
  const onlyOurs = ours.filter((e) => !b.has(e.error));
  const onlyTheirs = theirs.filter((e) => !a.has(e.error));
  const first = onlyOurs[0] ?? onlyTheirs[0];
  if (!first) return 'same errors, different order or lines';
  const m = /"([^"]+)" directive|directive "([^"]+)"|in "([^"]+)" directive/.exec(first.error);
  const name = m?.[1] ?? m?.[2] ?? m?.[3];
  if (name && TABLE_DIFFERENCES[name]) return TABLE_DIFFERENCES[name]!;
  return `unexplained (${onlyOurs.length ? 'only nginx-lint: ' + onlyOurs[0]!.error : 'only crossplane: ' + onlyTheirs[0]!.error})`;
}

/** Why nginx-lint's analyzer (nginx's checks) and crossplane's analysis give different verdicts on a file. */
function verdictCause(ours: string[], theirs: Golden, names: string[]): string {
  const theirNames = theirs.errors.map((e) => /"([^"]+)" directive|in "([^"]+)" directive/.exec(e.error)).map((m) => m?.[1] ?? m?.[2] ?? '');
  const known = [...theirNames, ...names].find((n) => TABLE_DIFFERENCES[n]);
  if (known) return TABLE_DIFFERENCES[known]!;
  if (theirs.status === 'failed' && ours.length === 0) {
    if (theirs.errors.some((e) => e.error === '')) return 'crossplane fails at an end of file inside a statement with an empty error (StopIteration); nginx: a syntax error, which is the parser\'s, not the analyzer\'s';
    if (theirs.errors.some((e) => /^unexpected|is not terminated/.test(e.error))) return 'a syntax error: the parser reports it (rule nginx-syntax), not the analyzer';
    return 'crossplane reads a rejected block\'s contents in the enclosing context; nginx-lint reads them in the context the block opens';
  }
  if (theirs.status === 'ok' && ours.length > 0) {
    const rules = [...new Set(ours)];
    const tableRules = new Set<string>([ANALYZE_RULES.context, ANALYZE_RULES.arguments, ANALYZE_RULES.block, ANALYZE_RULES.flag]);
    if (rules.every((r) => tableRules.has(r)) && names.every((n) => !lookupDirective(n).some(crossplaneKnows)))
      return `directives crossplane's table does not have (third-party or newer than its table), used where nginx does not accept them: ${[...new Set(names)].join(', ')}`;
    return `nginx checks crossplane does not make: ${rules.join(', ')}`;
  }
  return 'both fail';
}

/* ---------- the run ---------- */


function sameErrors(a: GoldenError[], b: GoldenError[]): boolean {
  return a.length === b.length && a.every((e, i) => e.error === b[i]!.error && e.line === b[i]!.line);
}

export function nginxAnalyzeConformance(corpusDir: string, opts: { log?: (s: string) => void } = {}): AnalyzeConformance {
  const log = opts.log ?? ((s: string) => console.log(s));
  const goldenDir = path.join(corpusDir, '..', 'golden', 'crossplane', 'single');
  const files = corpusFiles(corpusDir, 'nginx');
  const res: AnalyzeConformance = { files: files.length, compared: 0, missingGolden: [], agree: 0, mismatches: [], verdictAgree: 0, verdictDiffs: [] };
  for (const rel of files) {
    let golden: Golden;
    try {
      golden = JSON.parse(fs.readFileSync(path.join(goldenDir, `${rel}.json`), 'utf8')) as Golden;
    } catch {
      res.missingGolden.push(rel);
      continue;
    }
    res.compared++;
    const bytes = fs.readFileSync(path.join(corpusDir, rel));
    const file = parseNginx(decodeSource(rel, bytes));
    const theirs = golden.errors.map((e) => ({ line: e.line, error: e.error }));
    const ours = crossplaneErrors(rel, bytes);
    if (sameErrors(ours, theirs) && (ours.length === 0) === (golden.status === 'ok')) res.agree++;
    else res.mismatches.push({ file: rel, ours, theirs, cause: causeOf(ours, theirs) });

    const found = analyze(singleFileConfig(file), { unknownDirectives: 'ignore', requireEvents: false });
    const firstLine = found[0] ? `; first: ${found[0].message} at line ${positionAt(file.source, found[0].span.start).line}` : '';
    const mine = found.map((d) => d.rule);
    const names = found.map((d) => file.source.text.slice(d.span.start, d.span.end).replace(/^["']|["']$/g, ''));
    if ((mine.length === 0) === (golden.status === 'ok')) res.verdictAgree++;
    else res.verdictDiffs.push({ file: rel, ours: mine.length ? `failed (${mine.length}${firstLine})` : 'ok', theirs: golden.status, cause: verdictCause(mine, golden, names) });
  }

  const pct = (n: number) => (res.compared ? ((100 * n) / res.compared).toFixed(1) : '0');
  log(`nginx files: ${res.files}, compared with golden/crossplane/single: ${res.compared}${res.missingGolden.length ? `, no golden record: ${res.missingGolden.length}` : ''}`);
  log(`crossplane's analysis replayed with nginx-lint's table: ${res.agree}/${res.compared} agree (${pct(res.agree)}%)`);
  for (const m of res.mismatches) {
    log(`  MISMATCH ${m.file}: ${m.cause}`);
    log(`    nginx-lint: ${JSON.stringify(m.ours.slice(0, 4))}${m.ours.length > 4 ? ` (+${m.ours.length - 4})` : ''}`);
    log(`    crossplane: ${JSON.stringify(m.theirs.slice(0, 4))}${m.theirs.length > 4 ? ` (+${m.theirs.length - 4})` : ''}`);
  }
  log(`nginx-lint's analyzer (main context, unknown directives ignored) vs crossplane's verdict: ${res.verdictAgree}/${res.compared} agree (${pct(res.verdictAgree)}%)`);
  const byCause = new Map<string, string[]>();
  for (const d of res.verdictDiffs) {
    const list = byCause.get(d.cause) ?? [];
    list.push(`${d.file} (nginx-lint ${d.ours}, crossplane ${d.theirs})`);
    byCause.set(d.cause, list);
  }
  for (const [cause, list] of byCause) {
    log(`  ${list.length} × ${cause}`);
    for (const f of list) log(`      ${f}`);
  }
  return res;
}

/** For scripts/conformance.ts: true when the replay agrees on at least 99% of the files. */
export async function main(corpusDir: string): Promise<boolean> {
  const r = nginxAnalyzeConformance(corpusDir);
  const unexplained = r.mismatches.filter((m) => m.cause.startsWith('unexplained')).length;
  if (unexplained) console.log(`unexplained mismatches: ${unexplained}`);
  return r.compared > 0 && r.agree / r.compared >= 0.99;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dir = process.argv[2];
  if (!dir) {
    console.error('usage: npx tsx scripts/conformance/nginx-analyze.ts CORPUS_DIR');
    process.exit(2);
  }
  void main(path.resolve(dir)).then((ok) => process.exit(ok ? 0 : 1));
}

