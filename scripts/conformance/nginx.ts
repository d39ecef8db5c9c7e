/**
 * nginx parser conformance against crossplane's recorded output for a corpus:
 *
 *   npx tsx scripts/conformance/nginx.ts ../shared/corpus
 *
 * For every `nginx` file of FILES.tsv: round trip (print == original bytes),
 * never throw, and the `parsed` tree equal to golden/crossplane/lenient/; for
 * the entry files with a golden/crossplane/full/ record, the include-following
 * payload (files, their order, `includes`, trees, include errors) equal to it,
 * minus what crossplane's directive analysis dropped.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { nodeFileSystem, type FileSystem } from '../../src/fs.js';
import type { NginxConfig } from '../../src/syntax/nginx/ast.js';
import { crossplanePayload, loadNginxConfig, parseNginx, printNginx, type CrossplaneDirective, type CrossplanePayload } from '../../src/syntax/nginx/index.js';
import { decodeSource, encodeSource } from '../../src/syntax/source.js';
import { corpusFiles } from './corpus.js';

export interface Mismatch {
  file: string;
  detail: string;
  /** why, when the difference is a known one: a crossplane bug, or a file nginx rejects */
  cause?: string;
}

export interface NginxConformance {
  filesParsed: number;
  roundTripFailures: string[];
  crashes: string[];
  lenientMismatches: Mismatch[];
  fullMismatches: Mismatch[];
  /** mismatches with no known cause */
  unexplained: number;
  /** lenient goldens compared (files whose golden exists) */
  lenientCompared: number;
  fullCompared: number;
}

/** The corpus as crossplane saw it: relative paths from the corpus root, absolute ones from this machine. */
function corpusFileSystem(corpusDir: string): FileSystem {
  const abs = (p: string) => (path.isAbsolute(p) ? p : path.join(corpusDir, p));
  return {
    readFile: (p) => nodeFileSystem.readFile(abs(p)),
    stat: (p) => nodeFileSystem.stat(abs(p)),
    readdir: (p) => nodeFileSystem.readdir(abs(p)),
    realpath: (p) => nodeFileSystem.realpath(abs(p)),
  };
}

function show(v: unknown): string {
  const s = JSON.stringify(v) ?? 'undefined';
  return s.length > 160 ? s.slice(0, 157) + '...' : s;
}

/** The first difference between two parsed trees, or null. */
export function diffParsed(ours: CrossplaneDirective[], theirs: CrossplaneDirective[], where = 'parsed'): string | null {
  const n = Math.max(ours.length, theirs.length);
  for (let i = 0; i < n; i++) {
    const a = ours[i];
    const b = theirs[i];
    const at = `${where}[${i}]`;
    if (!a || !b) return `${at}: ours ${show(a ? { directive: a.directive, line: a.line, args: a.args } : undefined)} vs crossplane ${show(b ? { directive: b.directive, line: b.line, args: b.args } : undefined)}`;
    for (const key of ['directive', 'line', 'args', 'comment', 'includes'] as const) {
      if (JSON.stringify(a[key]) !== JSON.stringify(b[key])) return `${at}.${key} (line ${b.line}): ours ${show(a[key])} vs crossplane ${show(b[key])}`;
    }
    if (!!a.block !== !!b.block) return `${at} (line ${b.line}): block ${a.block ? 'present' : 'absent'} in ours, ${b.block ? 'present' : 'absent'} in crossplane`;
    if (a.block && b.block) {
      const d = diffParsed(a.block, b.block, `${at}.block`);
      if (d) return d;
    }
  }
  return null;
}

/**
 * Known reasons for a difference. nginx decides: each of these was checked
 * against nginx 1.22's ngx_conf_read_token.
 */
function classify(detail: string, syntaxErrors: string[]): string | undefined {
  const theirs = detail.slice(detail.lastIndexOf(' vs crossplane ') + 15);
  if (/\$\{[^}"]*(\}[ \t]|[ \t])/.test(theirs)) return 'crossplane bug: after "${" its lexer keeps the next whitespace char and joins the next word; nginx splits there';
  if (/\.comment /.test(detail) && /\\\\"$/.test(detail.slice(0, detail.lastIndexOf(' vs crossplane ')))) return 'crossplane bug: a comment ending in a backslash loses it (crossplane pairs the backslash with the line break)';
  if (/\{"directive":"#","line":\d+,"args":\[\]\}$/.test(theirs)) return 'crossplane bug: comments between arguments are emitted even without comments enabled';
  if (syntaxErrors.length) return `nginx rejects this file (${syntaxErrors[0]}); crossplane, which does not see that error, recovers differently`;
  return undefined;
}


function readJson(p: string): CrossplanePayload | null {
  try {
    return JSON.parse(fs.readFileSync(p, 'utf8')) as CrossplanePayload;
  } catch {
    return null;
  }
}

type Event = { stmt: CrossplaneDirective; block: boolean } | null;

function flatten(stmts: CrossplaneDirective[], out: Event[]): Event[] {
  for (const s of stmts) {
    out.push({ stmt: s, block: s.block !== undefined });
    if (s.block) {
      flatten(s.block, out);
      out.push(null);
    }
  }
  return out;
}

/**
 * Re-run crossplane's _parse over our tree with its directive analysis
 * outcome taken from the golden errors: a rejected directive is dropped but
 * its block is not (its children land in the enclosing block, whose parse its
 * `}` then ends), unless the error is "not terminated by ;" (block consumed;
 * after a `}` instead of a block, the enclosing parse ends).
 */
function reparse(events: Event[], rejected: Map<number, string>): { parsed: CrossplaneDirective[]; includeLines: number[] } {
  let i = 0;
  const includeLines: number[] = [];
  const consume = (): void => {
    while (i < events.length) {
      const ev = events[i++];
      if (ev === null || ev === undefined) return;
      if (ev.block) consume();
    }
  };
  const parse = (): CrossplaneDirective[] => {
    const parsed: CrossplaneDirective[] = [];
    while (i < events.length) {
      const ev = events[i++];
      if (ev === null || ev === undefined) break;
      const { block: _b, ...stmt } = ev.stmt;
      const err = stmt.directive === '#' ? undefined : rejected.get(stmt.line);
      if (err !== undefined) {
        if (err.endsWith('is not terminated by ";"')) {
          if (ev.block) consume();
          else {
            // the `}` that ended the arguments was eaten by them: it closes nothing
            if (events[i] === null) i++;
            break;
          }
        }
        continue;
      }
      if (stmt.directive === 'include') includeLines.push(stmt.line);
      parsed.push(ev.block ? { ...stmt, block: parse() } : stmt);
    }
    return parsed;
  };
  const parsed = parse();
  return { parsed, includeLines };
}

function compareFull(ours: CrossplanePayload, golden: CrossplanePayload): string | null {
  const ourFiles = ours.config.map((c) => c.file);
  const theirFiles = golden.config.map((c) => c.file);
  if (JSON.stringify(ourFiles) !== JSON.stringify(theirFiles)) return `files: ours ${show(ourFiles)} vs crossplane ${show(theirFiles)}`;
  for (let i = 0; i < golden.config.length; i++) {
    const g = golden.config[i]!;
    const o = ours.config[i]!;
    const rejected = new Map<number, string>();
    for (const e of g.errors) if (e.line !== null && !e.error.startsWith('[Errno')) rejected.set(e.line, e.error.replace(/ in [^ ]+:\d+$/, ''));
    const { parsed, includeLines } = reparse(flatten(o.parsed, []), rejected);
    const d = diffParsed(parsed, g.parsed, `config[${i}].parsed`);
    if (d) return `${g.file}: ${d}`;
    // include errors: crossplane's open() failures against ours (on the includes crossplane reached)
    const reached = new Set(includeLines);
    const gOpen = g.errors.filter((e) => e.error.startsWith('[Errno')).map((e) => e.line);
    const oOpen = o.errors.filter((e) => /^(open|pread)\(\) /.test(e.error) && e.line !== null && reached.has(e.line)).map((e) => e.line);
    if (JSON.stringify(gOpen) !== JSON.stringify(oOpen)) return `${g.file}: include errors at lines ours ${show(oOpen)} vs crossplane ${show(gOpen)}`;
    const oSyntax = o.errors.filter((e) => !/^(open|pread)\(\) |^include cycle/.test(e.error));
    const gSyntax = g.errors.filter((e) => /^unexpected /.test(e.error) || e.error === '');
    if (oSyntax.length !== gSyntax.length) return `${g.file}: syntax errors ours ${show(oSyntax)} vs crossplane ${show(gSyntax)}`;
  }
  return null;
}

export function nginxConformance(corpusDir: string): NginxConformance {
  const goldenDir = path.join(corpusDir, '..', 'golden', 'crossplane');
  const files = corpusFiles(corpusDir, 'nginx');
  const result: NginxConformance = { filesParsed: 0, roundTripFailures: [], crashes: [], lenientMismatches: [], fullMismatches: [], unexplained: 0, lenientCompared: 0, fullCompared: 0 };
  const cfs = corpusFileSystem(corpusDir);

  for (const rel of files) {
    let bytes: Uint8Array;
    try {
      bytes = fs.readFileSync(path.join(corpusDir, rel));
    } catch (err) {
      result.crashes.push(`${rel}: cannot read: ${String(err)}`);
      continue;
    }
    try {
      const source = decodeSource(rel, bytes);
      const root = parseNginx(source);
      result.filesParsed++;
      let printed: string | null = null;
      try {
        printed = printNginx(root);
      } catch (err) {
        result.roundTripFailures.push(`${rel}: ${err instanceof Error ? err.message : String(err)}`);
      }
      if (printed !== null && !encodeSource(source, printed).equals(Buffer.from(bytes))) result.roundTripFailures.push(`${rel}: printed text differs from the file`);

      const lenient = readJson(path.join(goldenDir, 'lenient', rel + '.json'));
      if (lenient?.config[0]) {
        result.lenientCompared++;
        const single: NginxConfig = { root, files: new Map([[rel, root]]), includes: new Map(), diagnostics: [] };
        const ours = crossplanePayload(single, { includeComments: true, single: true });
        const d = diffParsed(ours.config[0]!.parsed, lenient.config[0].parsed);
        if (d) {
          const cause = classify(d, root.diagnostics.map((x) => x.message));
          result.lenientMismatches.push({ file: rel, detail: d, ...(cause ? { cause } : {}) });
        }
      }

      const full = readJson(path.join(goldenDir, 'full', rel + '.json'));
      if (full) {
        result.fullCompared++;
        const config = loadNginxConfig(rel, { fs: cfs });
        const ours = crossplanePayload(config, {});
        const d = compareFull(ours, full);
        if (d) {
          const syntax: string[] = [];
          for (const f of config.files.values()) for (const x of f.diagnostics) syntax.push(x.message);
          const cause = classify(d, syntax);
          result.fullMismatches.push({ file: rel, detail: d, ...(cause ? { cause } : {}) });
        }
      }
    } catch (err) {
      result.crashes.push(`${rel}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    }
  }
  result.unexplained = [...result.lenientMismatches, ...result.fullMismatches].filter((m) => !m.cause).length;
  return result;
}

export function main(corpusDir: string): boolean {
  const t0 = performance.now();
  const r = nginxConformance(corpusDir);
  const ms = Math.round(performance.now() - t0);
  const pct = r.lenientCompared ? (((r.lenientCompared - r.lenientMismatches.length) / r.lenientCompared) * 100).toFixed(2) : 'n/a';
  console.log(`files parsed:        ${r.filesParsed} (${ms} ms)`);
  console.log(`crashes:             ${r.crashes.length}`);
  for (const c of r.crashes) console.log(`  ${c}`);
  console.log(`round-trip failures: ${r.roundTripFailures.length}`);
  for (const c of r.roundTripFailures) console.log(`  ${c}`);
  console.log(`lenient parity:      ${r.lenientCompared - r.lenientMismatches.length}/${r.lenientCompared} (${pct}%)`);
  for (const m of r.lenientMismatches) console.log(`  ${m.file}: ${m.detail}\n    cause: ${m.cause ?? 'UNEXPLAINED'}`);
  console.log(`full parity:         ${r.fullCompared - r.fullMismatches.length}/${r.fullCompared}`);
  for (const m of r.fullMismatches) console.log(`  ${m.file}: ${m.detail}\n    cause: ${m.cause ?? 'UNEXPLAINED'}`);
  console.log(`unexplained mismatches: ${r.unexplained}`);
  return r.crashes.length === 0 && r.roundTripFailures.length === 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dir = process.argv[2];
  if (!dir) {
    console.error('usage: npx tsx scripts/conformance/nginx.ts CORPUS_DIR');
    process.exit(2);
  }
  process.exit(main(path.resolve(dir)) ? 0 : 1);
}
