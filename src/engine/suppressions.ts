/**
 * Inline suppressions: a comment that names rule ids and says why hides the
 * findings of those rules at the lines it covers.
 *
 *   nginx                  # nginx-lint-disable-next-line RULE[, RULE...] -- reason
 *                          # nginx-lint-disable RULE[, RULE...] -- reason     (rest of the enclosing block)
 *   php.ini, PHP-FPM       ; nginx-lint-disable-next-line RULE -- reason
 *                          ; nginx-lint-disable RULE -- reason                 (rest of the [section])
 *   gunicorn.conf.py       # nginx-lint: disable=RULE[,RULE] -- reason         (own line: the next line; after code: that line)
 *   systemd unit, Procfile # nginx-lint-disable-next-line RULE -- reason       (`;` too in units; disable = rest of the file)
 *
 * Comments are taken from the parsed trees, so a `#` or `;` inside a quoted
 * string is never one. "Next line" is the line right after the comment (as in
 * ESLint), except that a run of next-line comments stacks: all of them apply
 * to the first line after the run. When a statement starts on that line (a
 * directive, an ini entry, a Python assignment, a unit's continued line), the
 * suppression covers it to its end (for an nginx block directive: up to its
 * `{`). A finding is matched by rule id and its primary location (file and
 * start offset); the related locations of a cross-file finding do not count.
 *
 * What is reported about the comments themselves (ids in CHECKS):
 * - `invalid-suppression` (error): no reason, no rule, a malformed comment, an
 *   unknown rule id (with a did-you-mean), or an attempt to suppress these two
 *   ids (they would hide themselves; switch them off in the config instead).
 *   A malformed or reasonless comment suppresses nothing; in a list with an
 *   unknown id the known ids still apply.
 * - `unused-suppression` (warning, fixable: the comment or the id is removed):
 *   a rule id that matched no finding. Not reported for ids that did not run
 *   (switched off, or cross-file rules not run at all), nor when a file of the
 *   run failed to parse (findings may be missing because of it).
 */
import type { Diagnostic, Fix, TextEdit } from '../diagnostic.js';
import type { NginxConfig, Node as NginxNode } from '../syntax/nginx/ast.js';
import type { IniFile } from '../syntax/ini/ast.js';
import type { FpmConfig } from '../syntax/ini/index.js';
import type { LoadedGunicorn } from '../syntax/gunicorn/index.js';
import { nestedBodies, type PyModule, type Stmt } from '../syntax/gunicorn/pyast.js';
import type { SourceFile, Span } from '../syntax/source.js';
import { editDistance } from '../edit-distance.js';
import { RULES } from '../../rules/index.js';
import { CHECKS, findCheck } from './checks.js';
import { PARSE_FAILURE_RULES } from './fix.js';
import type { Rule } from './rule.js';

export const UNUSED_SUPPRESSION = 'unused-suppression';
export const INVALID_SUPPRESSION = 'invalid-suppression';
/** findings about suppressions: never suppressible by a comment (a comment could hide its own report) */
const OWN_IDS: ReadonlySet<string> = new Set([UNUSED_SUPPRESSION, INVALID_SUPPRESSION]);

/** The parsed trees of a run: where the comments are. */
export interface SuppressionTrees {
  nginx?: readonly NginxConfig[];
  /** php.ini files (FPM files come with `fpm`) */
  ini?: readonly IniFile[];
  fpm?: readonly FpmConfig[];
  gunicorn?: readonly LoadedGunicorn[];
}

export interface SuppressionOptions {
  trees: SuppressionTrees;
  /** the cross-file rules that ran (built-in and plugin rules) */
  rules: readonly Rule[];
  /**
   * ids switched off by configuration. They are known (naming one is not an
   * error) but did not run, so a suppression of one is never "unused".
   * Switching off `unused-suppression` / `invalid-suppression` stops those
   * reports; with `invalid-suppression` off a reasonless comment suppresses.
   */
  off?: Iterable<string>;
}

type Dialect = 'nginx' | 'ini' | 'python' | 'systemd' | 'procfile' | 'supervisor';

/** A comment of a parsed file. */
interface CommentSite {
  /** from the marker (`#`, `;`) to the line end, a CR excluded */
  span: Span;
  /** nothing but blanks before it on its line */
  ownLine: boolean;
  /** where a block-form suppression here stops (the enclosing `}`, the next `[section]`); null: the end of the file */
  blockEnd: number | null;
}

interface FileIndex {
  file: SourceFile;
  dialect: Dialect;
  comments: CommentSite[];
  /** statements that may run over several lines (directive headers, ini entries, Python simple statements, continued unit lines), sorted by start */
  statements: Span[];
}

type Form = 'next-line' | 'block' | 'line';

interface RuleRef {
  id: string;
  /** the id's span in the comment */
  span: Span;
}

interface Suppression {
  index: FileIndex;
  site: CommentSite;
  form: Form;
  /** the known ids it suppresses */
  rules: RuleRef[];
  /** every id the comment lists, known or not (for fixes that edit the list) */
  listed: RuleRef[];
  /** offsets a finding's start must fall in: [start, end) */
  range: Span;
  /** what the range is, in words ("on the next line") */
  where: string;
  /** ids of `rules` that matched a finding */
  used: Set<string>;
}

const FORMS: Record<Dialect, string> = {
  nginx: '"# nginx-lint-disable-next-line RULE -- reason" or "# nginx-lint-disable RULE -- reason"',
  ini: '"; nginx-lint-disable-next-line RULE -- reason" or "; nginx-lint-disable RULE -- reason"',
  python: '"# nginx-lint: disable=RULE -- reason"',
  systemd: '"# nginx-lint-disable-next-line RULE -- reason"',
  procfile: '"# nginx-lint-disable-next-line RULE -- reason"',
  supervisor: '"; nginx-lint-disable-next-line RULE -- reason"',
};
const KIND_NAMES: Record<Dialect, string> = { nginx: 'nginx files', ini: 'ini files', python: 'gunicorn.conf.py', systemd: 'systemd units', procfile: 'Procfiles', supervisor: 'supervisor programs' };

/** Everything the finding list gains or loses through inline suppressions. */
export function applySuppressions(diagnostics: readonly Diagnostic[], opts: SuppressionOptions): Diagnostic[] {
  const off = new Set(opts.off ?? []);
  const known = new Set<string>([...CHECKS.map((c) => c.id), ...RULES.map((r) => r.meta.id), ...opts.rules.map((r) => r.meta.id), ...off]);
  const active = new Set([...CHECKS.map((c) => c.id), ...opts.rules.map((r) => r.meta.id)].filter((id) => !off.has(id)));
  const reportInvalid = active.has(INVALID_SUPPRESSION);
  const out: Diagnostic[] = [];
  const own = (rule: string, file: SourceFile, span: Span, message: string, fix?: Fix): Diagnostic => ({ rule, severity: findCheck(rule)?.severity ?? 'warning', message, file, span, ...(fix ? { fix } : {}) });

  const suppressions: Suppression[] = [];
  for (const index of indexFiles(opts.trees)) {
    const parsed = index.comments.map((site) => ({ site, p: parseComment(index, site) }));
    const stacked = new Set(parsed.filter(({ site, p }) => p && !('malformed' in p) && site.ownLine && (p.form === 'next-line' || p.form === 'line')).map(({ site }) => lineStart(index.file.text, site.span.start)));
    for (const { site, p } of parsed) {
      if (!p) continue;
      if ('malformed' in p) {
        if (reportInvalid) out.push(own(INVALID_SUPPRESSION, index.file, site.span, p.malformed));
        continue;
      }
      if (p.reason === null && reportInvalid) {
        out.push(own(INVALID_SUPPRESSION, index.file, site.span, `a suppression needs a reason after " -- ": ${FORMS[index.dialect].split(' or ')[0]}`));
        continue;
      }
      const rules: RuleRef[] = [];
      for (const r of p.rules) {
        if (OWN_IDS.has(r.id)) {
          if (reportInvalid) out.push(own(INVALID_SUPPRESSION, index.file, r.span, `"${r.id}" cannot be suppressed inline (the comment would hide its own report); switch it off in the config file instead`));
        } else if (!known.has(r.id)) {
          const hint = didYouMean(r.id, known);
          if (reportInvalid) out.push(own(INVALID_SUPPRESSION, index.file, r.span, `unknown rule "${r.id}" in suppression${hint ? `; did you mean "${hint}"?` : ''}`));
        } else rules.push(r);
      }
      if (!rules.length) continue;
      const { range, where } = rangeOf(index, site, p.form, stacked);
      suppressions.push({ index, site, form: p.form, rules, listed: p.rules, range, where, used: new Set() });
    }
  }

  const byPath = new Map<string, Suppression[]>();
  for (const s of suppressions) {
    const list = byPath.get(s.index.file.path);
    if (list) list.push(s);
    else byPath.set(s.index.file.path, [s]);
  }
  const kept = diagnostics.filter((d) => {
    if (OWN_IDS.has(d.rule)) return true;
    let hidden = false;
    for (const s of byPath.get(d.file.path) ?? []) {
      if (d.span.start < s.range.start || d.span.start >= s.range.end || !s.rules.some((r) => r.id === d.rule)) continue;
      s.used.add(d.rule);
      hidden = true;
    }
    return !hidden;
  });

  // a file that failed to parse may hide the findings a suppression was written for
  const parseFailed = diagnostics.some((d) => PARSE_FAILURE_RULES.has(d.rule));
  if (!parseFailed && active.has(UNUSED_SUPPRESSION)) {
    for (const s of suppressions) {
      const unused = s.rules.filter((r) => active.has(r.id) && !s.used.has(r.id));
      if (!unused.length) continue;
      const file = s.index.file;
      const names = unused.map((r) => `"${r.id}"`).join(' or ');
      if (unused.length === s.listed.length) {
        out.push(own(UNUSED_SUPPRESSION, file, s.site.span, `unused suppression: no ${names} finding ${s.where}`, { description: 'remove the unused suppression comment', edits: [removeComment(file, s.site)] }));
        continue;
      }
      for (const r of unused) {
        const edit = removeId(s, r);
        out.push(own(UNUSED_SUPPRESSION, file, r.span, `unused suppression of "${r.id}": no such finding ${s.where}`, edit ? { description: `remove "${r.id}" from the suppression`, edits: [edit] } : undefined));
      }
    }
  }
  return [...kept, ...out];
}

// ---- comment syntax -------------------------------------------------------

type Parsed = { form: Form; rules: RuleRef[]; reason: string | null } | { malformed: string };

/** The suppression a comment holds, a reason it is malformed, or null when it is an ordinary comment. */
function parseComment(index: FileIndex, site: CommentSite): Parsed | null {
  const text = index.file.text.slice(site.span.start + 1, site.span.end);
  if (!/^\s*nginx-lint\s*[-:]/i.test(text)) return null;
  const base = site.span.start + 1;
  const bad = (why: string): Parsed => ({ malformed: `${why}; in ${KIND_NAMES[index.dialect]} write ${FORMS[index.dialect]}` });
  let form: Form;
  let restAt: number;
  if (index.dialect === 'python') {
    const m = /^\s*nginx-lint:\s*disable\s*=/.exec(text);
    if (!m) return bad('not a suppression nginx-lint understands');
    form = 'line';
    restAt = m[0].length;
  } else {
    const m = /^\s*nginx-lint-(disable-next-line|disable)(?=\s|$)/.exec(text);
    if (!m) return bad('not a suppression nginx-lint understands');
    form = m[1] === 'disable' ? 'block' : 'next-line';
    restAt = m[0].length;
  }
  const rest = text.slice(restAt);
  const sep = /(^|\s)--(\s|$)/.exec(rest);
  const listText = sep ? rest.slice(0, sep.index) : rest;
  const reason = sep ? rest.slice(sep.index + sep[0].length).trim() || null : null;
  const rules: RuleRef[] = [];
  let at = 0;
  for (const item of listText.split(',')) {
    const lead = item.length - item.trimStart().length;
    const id = item.trim();
    const start = base + restAt + at + lead;
    at += item.length + 1;
    if (!id) {
      if (listText.trim()) return bad('an empty rule id in the list');
      continue;
    }
    if (/\s/.test(id)) return bad(`"${id}" is not one rule id: separate ids with "," and put the reason after " -- "`);
    rules.push({ id, span: { start, end: start + id.length } });
  }
  if (!rules.length) return bad('the suppression names no rule');
  return { form, rules, reason };
}

function didYouMean(id: string, known: ReadonlySet<string>): string | null {
  let best: { id: string; d: number } | null = null;
  const limit = Math.max(2, Math.floor(id.length / 4));
  for (const k of known) {
    if (OWN_IDS.has(k)) continue;
    const d = editDistance(id, k, limit);
    if (!best || d < best.d) best = { id: k, d };
  }
  return best && best.d <= limit ? best.id : null;
}

// ---- where a suppression applies ------------------------------------------

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** The offset just past the line break of the line holding `offset` (the file's length on the last line). */
function nextLineStart(text: string, offset: number): number {
  const nl = text.indexOf('\n', offset);
  return nl === -1 ? text.length : nl + 1;
}

function rangeOf(index: FileIndex, site: CommentSite, form: Form, stacked: ReadonlySet<number>): { range: Span; where: string } {
  const text = index.file.text;
  if (form === 'block') {
    const where = index.dialect === 'ini' ? 'in the rest of the section' : site.blockEnd === null ? 'in the rest of the file' : 'in the rest of the block';
    return { range: { start: site.span.end, end: site.blockEnd ?? Infinity }, where };
  }
  const lastLineEnd = (s: Span) => nextLineStart(text, Math.max(s.start, s.end - 1));
  if (form === 'line' && !site.ownLine) {
    // after code on its line (Python): that line, or the whole statement that runs over it
    const lineAt = lineStart(text, site.span.start);
    let start = lineAt;
    let end = nextLineStart(text, site.span.end);
    // statements do not overlap: walk back from the last one that starts before this line ends
    for (let i = firstStartingAt(index.statements, end) - 1; i >= 0 && lastLineEnd(index.statements[i]!) > lineAt; i--) {
      const s = index.statements[i]!;
      start = Math.min(start, lineStart(text, s.start));
      end = Math.max(end, lastLineEnd(s));
    }
    return { range: { start, end }, where: 'on this line' };
  }
  // the next line, past a run of stacked next-line comments
  let start = nextLineStart(text, site.span.end);
  while (start < text.length && stacked.has(start)) start = nextLineStart(text, start);
  if (start >= text.length && !text.endsWith('\n')) return { range: { start: text.length + 1, end: text.length + 1 }, where: 'on the next line' };
  const lineEnd = nextLineStart(text, start);
  let end = lineEnd;
  for (let i = firstStartingAt(index.statements, start); i < index.statements.length && index.statements[i]!.start < lineEnd; i++) end = Math.max(end, lastLineEnd(index.statements[i]!));
  return { range: { start, end }, where: 'on the next line' };
}

/** Index of the first statement (sorted by start) that starts at or after `offset`. */
function firstStartingAt(statements: readonly Span[], offset: number): number {
  let lo = 0;
  let hi = statements.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (statements[mid]!.start < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

// ---- comments from the trees ----------------------------------------------

/** One index per file path (a file parsed twice, e.g. included by two configs, counts once). */
function indexFiles(trees: SuppressionTrees): FileIndex[] {
  const byPath = new Map<string, FileIndex>();
  const add = (file: SourceFile, make: () => FileIndex) => {
    // a file that never says "nginx-lint" holds no suppression: skip indexing its comments (most files of a big tree)
    if (byPath.has(file.path) || !/nginx-lint/i.test(file.text)) return;
    const index = make();
    index.statements.sort((a, b) => a.start - b.start);
    byPath.set(file.path, index);
  };
  for (const config of trees.nginx ?? []) for (const f of config.files.values()) add(f.source, () => indexNginx(f.source, f.children));
  for (const ini of trees.ini ?? []) add(ini.source, () => indexIni(ini));
  for (const config of trees.fpm ?? []) for (const ini of config.files.values()) add(ini.source, () => indexIni(ini));
  for (const g of trees.gunicorn ?? []) {
    for (const c of g.configs) if (c.config) add(c.config.file, () => indexPython(c.config!.file, c.config!.module));
    if (g.kind === 'systemd-service' || g.kind === 'systemd-socket') add(g.file, () => indexLines(g.file, 'systemd'));
    if (g.kind === 'procfile') add(g.file, () => indexLines(g.file, 'procfile'));
    if (g.kind === 'supervisor') add(g.file, () => indexLines(g.file, 'supervisor'));
  }
  return [...byPath.values()];
}

function trimCr(text: string, span: Span): Span {
  let end = span.end;
  while (end > span.start && text[end - 1] === '\r') end--;
  return { start: span.start, end };
}

function site(text: string, span: Span, blockEnd: number | null): CommentSite {
  return { span: trimCr(text, span), ownLine: /^[\s\uFEFF]*$/.test(text.slice(lineStart(text, span.start), span.start)), blockEnd };
}

function indexNginx(file: SourceFile, children: readonly NginxNode[]): FileIndex {
  const comments: CommentSite[] = [];
  const statements: Span[] = [];
  const visit = (nodes: readonly NginxNode[], blockEnd: number | null) => {
    for (const n of nodes) {
      if (n.kind === 'comment') {
        comments.push(site(file.text, n.span, blockEnd));
        continue;
      }
      for (const c of n.comments ?? []) comments.push(site(file.text, c.span, blockEnd));
      // a block directive is covered up to its `{`, a simple one to its `;`
      statements.push({ start: n.name.span.start, end: n.block?.open.end ?? n.rawBody?.open.end ?? n.semicolon?.end ?? n.span.end });
      if (n.block) visit(n.block.children, n.block.close ? n.block.close.start : null);
    }
  };
  visit(children, null);
  return { file, dialect: 'nginx', comments, statements };
}

function indexIni(ini: IniFile): FileIndex {
  const text = ini.source.text;
  const sections = ini.nodes.filter((n) => n.kind === 'section').map((n) => n.line.start);
  const sectionEnd = (offset: number) => sections.find((s) => s > offset) ?? null;
  const comments: CommentSite[] = [];
  const statements: Span[] = [];
  for (const n of ini.nodes) {
    if (n.kind === 'comment') comments.push(site(text, n.span, sectionEnd(n.span.start)));
    else statements.push(n.span);
    if (n.comment) comments.push(site(text, n.comment, sectionEnd(n.comment.start)));
  }
  return { file: ini.source, dialect: 'ini', comments, statements };
}

function indexPython(file: SourceFile, module: PyModule): FileIndex {
  const statements: Span[] = [];
  const visit = (body: readonly Stmt[]) => {
    for (const s of body) {
      switch (s.k) {
        case 'if':
        case 'try':
        case 'for':
        case 'while':
        case 'with':
          for (const b of nestedBodies(s)) visit(b);
          break;
        case 'def':
          visit(s.body);
          break;
        case 'class':
        case 'unsupported':
          break;
        default:
          statements.push(s.span);
      }
    }
  };
  visit(module.body);
  return { file, dialect: 'python', comments: module.comments.map((c) => site(file.text, c, null)), statements };
}

/**
 * systemd units, Procfiles and supervisor files: a comment is a whole line
 * (systemd and supervisor: `#` or `;`); a unit's line may continue with `\`,
 * a supervisor value on the indented lines after it.
 */
function indexLines(file: SourceFile, dialect: 'systemd' | 'procfile' | 'supervisor'): FileIndex {
  const text = file.text;
  const comments: CommentSite[] = [];
  const statements: Span[] = [];
  const marker = dialect === 'procfile' ? /^[ \t\uFEFF]*#/ : /^[ \t\uFEFF]*[#;]/;
  let continued: Span | null = null;
  for (let start = 0; start < text.length; start = nextLineStart(text, start)) {
    const end = nextLineStart(text, start);
    const line = text.slice(start, end).replace(/\r?\n$/, '');
    const m = marker.exec(line);
    if (m) {
      comments.push(site(text, { start: start + m[0].length - 1, end: start + line.length }, null));
      continue;
    }
    if (dialect === 'procfile') continue;
    if (dialect === 'supervisor') {
      if (line.trim() === '') continue;
      // an indented line continues the value above it
      if (/^[ \t]/.test(line) && statements.length) statements[statements.length - 1]!.end = end;
      else statements.push({ start, end });
      continue;
    }
    continued ??= { start, end };
    continued.end = end;
    if (!line.endsWith('\\')) {
      statements.push(continued);
      continued = null;
    }
  }
  if (continued) statements.push(continued);
  return { file, dialect, comments, statements };
}

// ---- fixes ----------------------------------------------------------------

/** Remove a comment: its whole line when it stands alone, else the comment and the blanks before it. */
function removeComment(file: SourceFile, site: CommentSite): TextEdit {
  const text = file.text;
  if (site.ownLine) return { file, span: { start: lineStart(text, site.span.start), end: nextLineStart(text, site.span.end) }, text: '' };
  let start = site.span.start;
  while (start > 0 && (text[start - 1] === ' ' || text[start - 1] === '\t')) start--;
  return { file, span: { start, end: site.span.end }, text: '' };
}

/** Remove one id from a comment's list, with the comma that joins it to a neighbour. */
function removeId(s: Suppression, r: RuleRef): TextEdit | null {
  const ids = s.listed;
  const i = ids.indexOf(r);
  if (i < 0 || ids.length < 2) return null;
  const span = i > 0 ? { start: ids[i - 1]!.span.end, end: r.span.end } : { start: r.span.start, end: ids[i + 1]!.span.start };
  return { file: s.index.file, span, text: '' };
}
