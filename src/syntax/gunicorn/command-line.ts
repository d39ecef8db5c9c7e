/**
 * gunicorn command lines: finding `gunicorn ...` in systemd units, Procfiles
 * and shell scripts, and parsing its arguments the way gunicorn's argparse
 * parser does (long options, unique abbreviations, `--opt=value`, `-t30`,
 * `-t=30`, combined short flags, repeated `-b`), with a span for every value.
 */
import { sourceFromString, type SourceFile, type Span } from '../source.js';
import { anySetting, DEFAULT_GUNICORN_VERSION, SETTINGS, settingsTable, type GunicornVersion, type SettingDef } from './settings.js';
import { shellSplit, shlexSplit, subSpan, systemdSplit, textOf, textOfWord, type ShellCommand, type Text, type Word } from './words.js';

// ---------------------------------------------------------------- argv

export interface CliOption {
  setting: string;
  /** the flag as the parser matched it (`--timeout`, `-t`) */
  flag: string;
  /** the option as written (may be an abbreviation like `--time`) */
  written: string;
  flagSpan: Span;
  /** the value's text; for store_true/store_const flags null */
  raw: string | null;
  /** where the value is (the flag itself for flags without a value) */
  valueSpan: Span;
  /** the value contains something we cannot expand ($VAR, %i, $(...)) */
  dynamic: string | null;
}

export interface ArgvProblem {
  message: string;
  span: Span;
}

export interface ParsedArgv {
  options: CliOption[];
  /** APP_MODULE and any other positional words */
  positionals: Word[];
  problems: ArgvProblem[];
  /** -h/--help or -v/--version: gunicorn prints and exits */
  exits: string | null;
}

interface OptionEntry {
  def: SettingDef | null;
  special?: 'help' | 'version';
  strings: string[];
}

function optionTable(version: GunicornVersion): Map<string, OptionEntry> {
  const map = new Map<string, OptionEntry>();
  const help: OptionEntry = { def: null, special: 'help', strings: ['-h', '--help'] };
  const ver: OptionEntry = { def: null, special: 'version', strings: ['-v', '--version'] };
  for (const s of help.strings) map.set(s, help);
  for (const s of ver.strings) map.set(s, ver);
  for (const def of settingsTable(version).values()) {
    if (!def.cli.length) continue;
    const e: OptionEntry = { def, strings: def.cli };
    for (const s of def.cli) map.set(s, e);
  }
  return map;
}

const takesValue = (e: OptionEntry) => !!e.def && (e.def.action === 'store' || e.def.action === 'append');
const NEGATIVE_NUMBER = /^-\d+$|^-\d*\.\d+$/;

/** Split a word's value at `i` into a new sub-word (keeps offsets). */
function slice(w: Word, i: number, j = w.value.length): Word {
  return { value: w.value.slice(i, j), offsets: w.offsets.slice(i, j), span: i >= j ? { start: w.offsets[i] ?? w.span.end, end: w.offsets[i] ?? w.span.end } : subSpan(w, i, j), dynamic: w.dynamic };
}

/** Parse gunicorn's arguments (what follows `gunicorn`) as its argparse parser does. */
export function parseGunicornArgv(words: Word[], version: GunicornVersion = DEFAULT_GUNICORN_VERSION): ParsedArgv {
  const table = optionTable(version);
  const longs = [...table.keys()].filter((k) => k.startsWith('--'));
  const options: CliOption[] = [];
  const positionals: Word[] = [];
  const problems: ArgvProblem[] = [];
  const unrecognized: Word[] = [];
  let exits: string | null = null;
  const display = (e: OptionEntry) => e.strings.join('/');

  const looksLikeOption = (w: Word | undefined) => !!w && w.value.startsWith('-') && w.value !== '-' && !NEGATIVE_NUMBER.test(w.value);

  let i = 0;
  let rest = false;
  while (i < words.length) {
    const w = words[i]!;
    const v = w.value;
    if (rest || !looksLikeOption(w)) {
      positionals.push(w);
      i++;
      continue;
    }
    if (v === '--') {
      rest = true;
      i++;
      continue;
    }
    // find the option and an explicit argument
    let entry: OptionEntry | undefined;
    let written = v;
    let explicit: Word | null = null;
    let flagLen = v.length;
    if (table.has(v)) entry = table.get(v);
    else if (v.includes('=') && table.has(v.slice(0, v.indexOf('=')))) {
      flagLen = v.indexOf('=');
      entry = table.get(v.slice(0, flagLen));
      written = v.slice(0, flagLen);
      explicit = slice(w, flagLen + 1);
    } else if (v.startsWith('--')) {
      const eq = v.indexOf('=');
      const prefix = eq >= 0 ? v.slice(0, eq) : v;
      const matches = longs.filter((l) => l.startsWith(prefix));
      const entries = [...new Set(matches.map((m) => table.get(m)!))];
      if (entries.length > 1) {
        problems.push({ message: `ambiguous option: ${prefix} could match ${matches.join(', ')}`, span: w.span });
        i++;
        continue;
      }
      if (entries.length === 1) {
        entry = entries[0];
        written = prefix;
        flagLen = prefix.length;
        if (eq >= 0) explicit = slice(w, eq + 1);
      }
    } else if (table.has(v.slice(0, 2))) {
      entry = table.get(v.slice(0, 2));
      written = v.slice(0, 2);
      flagLen = 2;
      explicit = slice(w, 2);
    }
    if (!entry) {
      unrecognized.push(w);
      i++;
      continue;
    }
    const flagSpan = subSpan(w, 0, flagLen);
    i++;
    // combined short flags: -Dw3 is -D then -w3
    let pending: { entry: OptionEntry; written: string; flagSpan: Span; explicit: Word | null } | null = { entry, written, flagSpan, explicit };
    while (pending) {
      const { entry: e, written: wr, flagSpan: fs } = pending;
      const ex: Word | null = pending.explicit;
      pending = null;
      if (e.special) {
        exits ??= e.special === 'help' ? 'gunicorn prints its help and exits' : 'gunicorn prints its version and exits';
        break;
      }
      const def = e.def!;
      const primary = def.cli.find((c) => c.startsWith('--')) ?? def.cli[0]!;
      if (!takesValue(e)) {
        if (ex && ex.value !== '') {
          // single-dash: the rest are more flags
          if (!wr.startsWith('--') && table.has('-' + ex.value[0])) {
            const next: OptionEntry = table.get("-" + ex.value[0])!;
            const nextSpan = subSpan(ex, 0, 1);
            pending = { entry: next, written: '-' + ex.value[0], flagSpan: nextSpan, explicit: slice(ex, 1) };
          } else {
            problems.push({ message: `argument ${display(e)}: ignored explicit argument '${ex.value}'`, span: ex.span });
          }
        }
        options.push({ setting: def.name, flag: primary, written: wr, flagSpan: fs, raw: null, valueSpan: fs, dynamic: null });
        continue;
      }
      if (ex && (ex.value !== '' || wr.startsWith('--'))) {
        options.push({ setting: def.name, flag: primary, written: wr, flagSpan: fs, raw: ex.value, valueSpan: ex.span, dynamic: ex.dynamic });
        continue;
      }
      const next = words[i];
      if (!next || looksLikeOption(next) || (next.value === '--' && !rest)) {
        problems.push({ message: `argument ${display(e)}: expected one argument`, span: fs });
        continue;
      }
      i++;
      options.push({ setting: def.name, flag: primary, written: wr, flagSpan: fs, raw: next.value, valueSpan: next.span, dynamic: next.dynamic });
    }
  }
  for (const u of unrecognized) {
    const name = u.value.split('=')[0]!;
    const hint = suggestFlag(name, version);
    problems.push({ message: `unrecognized arguments: ${u.value}${hint ? ` (did you mean ${hint}?)` : ''}`, span: u.span });
  }
  return { options, positionals, problems, exits };
}

function suggestFlag(flag: string, version: GunicornVersion): string | null {
  const all = SETTINGS.flatMap((s) => s.cli.filter((c) => c.startsWith('--')));
  const asSetting = flag.replace(/^-+/, '').replace(/-/g, '_');
  const def = anySetting(asSetting);
  if (def && def.cli.length) return def.cli[def.cli.length - 1]!;
  if (def && !def.cli.length) return `\`${def.name}\` (a config-file setting only)`;
  let best: { f: string; d: number } | null = null;
  for (const f of all) {
    // only distances up to 2 are suggested: a longer or shorter flag cannot be one (and the word may be huge)
    if (Math.abs(flag.length - f.length) > 2) continue;
    const d = lev(flag, f);
    if (!best || d < best.d) best = { f, d };
  }
  void version;
  return best && best.d <= 2 ? best.f : null;
}

function lev(a: string, b: string): number {
  const dp = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 0; j <= b.length; j++) dp[0]![j] = j;
  for (let i = 1; i <= a.length; i++) for (let j = 1; j <= b.length; j++) dp[i]![j] = Math.min(dp[i - 1]![j]! + 1, dp[i]![j - 1]! + 1, dp[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
  return dp[a.length]![b.length]!;
}

// ---------------------------------------------------------------- invocations

export interface EnvEntry {
  value: string;
  /** where it is set (the value's characters, for nested positions) */
  text: Text;
  file: SourceFile;
  span: Span;
  /** the value contains something we cannot expand */
  dynamic: string | null;
}

export interface Setting {
  value: string;
  span: Span;
}

export interface GunicornInvocation {
  file: SourceFile;
  source: 'systemd' | 'procfile' | 'supervisor' | 'shell' | 'command-line';
  /** the word that runs gunicorn (`gunicorn`, `/venv/bin/gunicorn`, or `python` of `python -m gunicorn`) */
  program: Word;
  /** gunicorn's arguments */
  args: Word[];
  /** the environment gunicorn starts with, as far as the file says */
  env: Map<string, EnvEntry>;
  /** the directory gunicorn starts in (systemd WorkingDirectory=, a preceding `cd`) */
  cwd: Setting | null;
  /** systemd User= / Group=, supervisor's user= (the uid gunicorn runs as when it does not switch) */
  user: Setting | null;
  group: Setting | null;
  /** the whole command */
  span: Span;
  /** the Procfile process type, the systemd key or supervisor's program (`web`, `ExecStart`, `myapp`) */
  name: string | null;
  /** EnvironmentFile= entries we could not read */
  unreadEnvFiles: Setting[];
}

const GUNICORN_PROGRAM = /^(gunicorn3?)$/;
const PYTHON_PROGRAM = /^python(\d+(\.\d+)?)?$/;
const SHELLS = /^(ba|da|z|k|a)?sh$/;

function basename(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
}

interface Found {
  program: Word;
  args: Word[];
  envAssigns: { name: string; value: Word }[];
  nestedShell: Word | null;
}

/** Find gunicorn in a command's words (skipping wrappers like exec, env, sudo, poetry run). */
function findGunicorn(words: Word[]): Found | null {
  const envAssigns: { name: string; value: Word }[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    const base = basename(w.value);
    if (GUNICORN_PROGRAM.test(base)) return { program: w, args: words.slice(i + 1), envAssigns, nestedShell: null };
    if (PYTHON_PROGRAM.test(base)) {
      // python [-u -O ...] -m gunicorn ...
      let j = i + 1;
      while (j < words.length && /^-[a-zA-Z]+$/.test(words[j]!.value) && words[j]!.value !== '-m' && words[j]!.value !== '-c') j++;
      if (words[j]?.value === '-m' && /^gunicorn(\.app\.wsgiapp)?$/.test(words[j + 1]?.value ?? '')) return { program: w, args: words.slice(j + 2), envAssigns, nestedShell: null };
      if (words[j]?.value === '-m' && (words[j + 1]?.value ?? '').startsWith('gunicorn')) return { program: w, args: words.slice(j + 2), envAssigns, nestedShell: null };
      continue;
    }
    if (SHELLS.test(base)) {
      let j = i + 1;
      while (j < words.length && /^-[a-zA-Z]*$/.test(words[j]!.value) && !words[j]!.value.includes('c')) j++;
      if (words[j] && /^-[a-zA-Z]*c[a-zA-Z]*$/.test(words[j]!.value) && words[j + 1]) return { program: w, args: [], envAssigns, nestedShell: words[j + 1]! };
    }
    // env NAME=value ... gunicorn
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(w.value);
    if (m && i > 0 && basename(words[0]!.value) === 'env') {
      envAssigns.push({ name: m[1]!, value: { value: w.value.slice(m[0].length), offsets: w.offsets.slice(m[0].length), span: subSpan(w, m[0].length, w.value.length), dynamic: w.dynamic } });
    }
  }
  return null;
}

export interface ShellState {
  vars: Map<string, EnvEntry>;
  exported: Set<string>;
  cwd: Setting | null;
  /** variables not in `vars` are known to be unset */
  complete?: boolean;
}

/** The environment a script or Procfile command starts with, from outside any file. */
export interface OuterEnv {
  env?: Record<string, string>;
  /** no other variable is set */
  complete?: boolean;
  /** the directory it starts in */
  cwd?: string;
}

function outerEntries(env: Record<string, string> | undefined): Map<string, EnvEntry> {
  const out = new Map<string, EnvEntry>();
  for (const [k, v] of Object.entries(env ?? {})) {
    const file = sourceFromString('<environment>', v);
    out.set(k, { value: v, text: textOf(v, 0, v.length), file, span: { start: 0, end: v.length }, dynamic: null });
  }
  return out;
}

/** Find gunicorn invocations in shell code (a script, a Procfile command, `sh -c '...'`). */
export function invocationsFromShell(file: SourceFile, text: Text, base: Omit<GunicornInvocation, 'program' | 'args' | 'span'>, state?: ShellState): GunicornInvocation[] {
  const st: ShellState = state ?? { vars: new Map(base.env), exported: new Set(base.env.keys()), cwd: base.cwd };
  const out: GunicornInvocation[] = [];
  shellSplit(text, { get: (n) => st.vars.get(n)?.value, dynamic: (n) => st.vars.get(n)?.dynamic ?? null, complete: !!st.complete }, (cmd) => handleShellCommand(file, cmd, base, st, out));
  return out;
}

function entryFromWord(file: SourceFile, w: Word): EnvEntry {
  return { value: w.value, text: textOfWord(w), file, span: w.span, dynamic: w.dynamic };
}

function handleShellCommand(file: SourceFile, cmd: ShellCommand, base: Omit<GunicornInvocation, 'program' | 'args' | 'span'>, st: ShellState, out: GunicornInvocation[]): void {
  const first = cmd.words[0]?.value;
  if (!cmd.words.length) {
    for (const a of cmd.assigns) st.vars.set(a.name, entryFromWord(file, a.value));
    return;
  }
  if (first === 'export' || first === 'declare' || first === 'typeset' || first === 'local' || first === 'readonly') {
    for (const w of cmd.words.slice(1)) {
      const eq = w.value.indexOf('=');
      if (w.value.startsWith('-')) continue;
      if (eq > 0) {
        const name = w.value.slice(0, eq);
        st.vars.set(name, entryFromWord(file, { value: w.value.slice(eq + 1), offsets: w.offsets.slice(eq + 1), span: subSpan(w, eq + 1, w.value.length), dynamic: w.dynamic }));
        if (first === 'export' || first === 'declare') st.exported.add(name);
      } else if (first === 'export') st.exported.add(w.value);
    }
    return;
  }
  if (first === 'unset') {
    for (const w of cmd.words.slice(1)) {
      st.vars.delete(w.value);
      st.exported.delete(w.value);
    }
    return;
  }
  if (first === 'cd' && cmd.words[1]) {
    const d = cmd.words[1];
    if (d.dynamic) st.cwd = null;
    else if (d.value.startsWith('/')) st.cwd = { value: d.value, span: d.span };
    else if (st.cwd) st.cwd = { value: st.cwd.value.replace(/\/$/, '') + '/' + d.value, span: d.span };
    else st.cwd = null;
    return;
  }
  const found = findGunicorn(cmd.words);
  if (!found) return;
  if (found.nestedShell) {
    const nestedBase = { ...base, env: exportedEnv(st), cwd: st.cwd };
    out.push(...invocationsFromShell(file, textOfWord(found.nestedShell), nestedBase, { vars: new Map(st.vars), exported: new Set(st.exported), cwd: st.cwd, complete: !!st.complete }));
    return;
  }
  const env = exportedEnv(st);
  for (const a of cmd.assigns) env.set(a.name, entryFromWord(file, a.value));
  for (const a of found.envAssigns) env.set(a.name, entryFromWord(file, a.value));
  out.push({
    ...base,
    env,
    cwd: st.cwd,
    program: found.program,
    args: found.args,
    span: { start: cmd.words[0]!.span.start, end: cmd.span.end },
  });
}

function exportedEnv(st: ShellState): Map<string, EnvEntry> {
  const env = new Map<string, EnvEntry>();
  for (const name of st.exported) {
    const v = st.vars.get(name);
    if (v) env.set(name, v);
  }
  return env;
}

/** gunicorn invocations in a shell script. */
export function invocationsFromShellScript(file: SourceFile, outer: OuterEnv = {}): GunicornInvocation[] {
  const env = outerEntries(outer.env);
  const cwd = outer.cwd ? { value: outer.cwd, span: { start: 0, end: 0 } } : null;
  return invocationsFromShell(file, textOf(file.text, 0, file.text.length), { file, source: 'shell', env, cwd, user: null, group: null, name: null, unreadEnvFiles: [] }, { vars: new Map(env), exported: new Set(env.keys()), cwd, complete: !!outer.complete });
}

/** gunicorn invocations in a single command line (e.g. `gunicorn -w 4 app:app`). */
export function invocationFromCommandLine(file: SourceFile, outer: OuterEnv = {}): GunicornInvocation | null {
  const env = outerEntries(outer.env);
  const cwd = outer.cwd ? { value: outer.cwd, span: { start: 0, end: 0 } } : null;
  const inv = invocationsFromShell(file, textOf(file.text, 0, file.text.length), { file, source: 'command-line', env, cwd, user: null, group: null, name: null, unreadEnvFiles: [] }, { vars: new Map(env), exported: new Set(env.keys()), cwd, complete: !!outer.complete });
  return inv[0] ?? null;
}

// ---------------------------------------------------------------- Procfile

export interface ProcfileEntry {
  name: string;
  nameSpan: Span;
  command: Text;
  span: Span;
}

export function parseProcfile(file: SourceFile): ProcfileEntry[] {
  const out: ProcfileEntry[] = [];
  // the command runs to the line's end less its trailing blanks: written as "non-blanks, and blanks
  // followed by one", not as a lazy `(.*?)[ \t\r]*$`, which rescans a run of blanks from each of its chars
  const re = /^[ \t]*([A-Za-z0-9_-]+)[ \t]*:[ \t]*((?:[^\n\r\u2028\u2029 \t]|[ \t]+(?=[^\n\r\u2028\u2029 \t]))*)[ \t\r]*$/gm;
  for (let m = re.exec(file.text); m; m = re.exec(file.text)) {
    const nameStart = m.index + m[0].indexOf(m[1]!);
    const cmdStart = m.index + m[0].length - m[2]!.length - (m[0].length - m[0].trimEnd().length);
    const start = m.index + m[0].indexOf(m[2]!, m[0].indexOf(':') + 1);
    void cmdStart;
    out.push({ name: m[1]!, nameSpan: { start: nameStart, end: nameStart + m[1]!.length }, command: textOf(file.text, start, start + m[2]!.length), span: { start: m.index, end: m.index + m[0].length } });
  }
  return out;
}

export function invocationsFromProcfile(file: SourceFile, outer: OuterEnv = {}): GunicornInvocation[] {
  const out: GunicornInvocation[] = [];
  // Heroku runs each command with bash -c from the app's root directory (the Procfile's)
  const dir = file.path.includes('/') ? file.path.slice(0, file.path.lastIndexOf('/')) : '.';
  const cwdPath = outer.cwd ?? (dir.startsWith('/') ? dir : null);
  for (const e of parseProcfile(file)) {
    const env = outerEntries(outer.env);
    const cwd = cwdPath ? { value: cwdPath, span: { start: 0, end: 0 } } : null;
    out.push(...invocationsFromShell(file, e.command, { file, source: 'procfile', env, cwd, user: null, group: null, name: e.name, unreadEnvFiles: [] }, { vars: new Map(env), exported: new Set(env.keys()), cwd, complete: !!outer.complete }));
  }
  return out;
}

// ---------------------------------------------------------------- supervisor

/** A section header only supervisord's configuration has (`[program:x]`, `[supervisord]`, ...). */
export const SUPERVISOR_SECTION = /^[ \t]*\[(?:(?:program|fcgi-program|eventlistener|group|rpcinterface):[^\]\n]+|supervisord|supervisorctl|unix_http_server|inet_http_server)\]/m;

/** A value of a supervisor section: its text with offsets into the file (continuation lines joined with a newline). */
export interface SupervisorValue {
  value: Text;
  span: Span;
}

export interface SupervisorProgram {
  /** the name after `program:` */
  name: string;
  /** the section header */
  span: Span;
  /** each key (lowercased, as supervisor reads it) → the last value written for it */
  values: Map<string, SupervisorValue>;
}

/**
 * The `[program:x]` sections of a supervisord configuration, read as
 * supervisor's parser reads them (Python's RawConfigParser with inline
 * comments): `[section]` headers; `key = value` or `key: value`, the key
 * lowercased, the value stripped; lines whose first non-blank is `#` or `;`
 * skipped, as is an inline comment (`;` or `#` after a blank); an indented
 * line continues the value above it. Other sections (`[supervisord]`,
 * `[group:x]`, `[fcgi-program:x]`, ...) start nothing gunicorn-shaped.
 */
export function parseSupervisor(file: SourceFile): SupervisorProgram[] {
  const t = file.text;
  const out: SupervisorProgram[] = [];
  let program: SupervisorProgram | null = null;
  let last: SupervisorValue | null = null;
  for (let at = 0; at < t.length; ) {
    const lf = t.indexOf('\n', at);
    const lineEnd = lf === -1 ? t.length : lf;
    const lineStart = at;
    at = lineEnd + 1;
    const raw = t.slice(lineStart, lineEnd).replace(/\r$/, '');
    if (/^\s*[#;]/.test(raw)) continue;
    // an inline comment: `;` or `#` at the start or after a blank, anywhere on the line
    const line = raw.slice(0, inlineCommentStart(raw));
    const indent = line.length - line.trimStart().length;
    const body = line.trim();
    if (body === '') continue;
    const bodyStart = lineStart + indent;
    const bodyEnd = bodyStart + body.length;
    if (indent > 0 && last) {
      // a continuation: joined to the value above with a newline
      const more = textOf(t, bodyStart, bodyEnd);
      last.value = { s: `${last.value.s}\n${more.s}`, offsets: [...last.value.offsets, bodyStart, ...more.offsets], end: more.end };
      last.span = { start: last.span.start, end: bodyEnd };
      continue;
    }
    last = null;
    const header = /^\[(.+)\]/.exec(body);
    if (header) {
      const name = /^program:(.+)$/.exec(header[1]!.trim())?.[1]!.trim();
      // a section written twice is one section (strict=False): its options merge, the last one wins
      program = name === undefined ? null : (out.find((p) => p.name === name) ?? null);
      if (name !== undefined && !program) out.push((program = { name, span: { start: bodyStart, end: bodyStart + header[0].length }, values: new Map() }));
      continue;
    }
    // `key = value` or `key: value`: the key up to the first delimiter (searched, not backtracked over)
    const delimiter = body.search(/[=:]/);
    const key = delimiter === -1 ? '' : body.slice(0, delimiter).trimEnd();
    if (!program || key === '') continue;
    let from = delimiter + 1;
    while (from < body.length && /\s/.test(body[from]!)) from++;
    last = { value: textOf(t, bodyStart + from, bodyEnd), span: { start: bodyStart, end: bodyEnd } };
    program.values.set(key.toLowerCase(), last);
  }
  return out;
}

/** where an inline comment starts on a line (`;` or `#` first or after a blank, as configparser finds it), or the line's length */
function inlineCommentStart(line: string): number {
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if ((c === ';' || c === '#') && (i === 0 || /\s/.test(line[i - 1]!))) return i;
  }
  return line.length;
}

/**
 * supervisor's `%(name)s` expansions in a value (`%%` is a percent sign);
 * null when it names something not in `vars` (supervisord's own environment
 * when it is not known): what supervisor runs then is not known either.
 * The characters an expansion puts in point at its `%`.
 */
function expandSupervisor(v: Text, vars: ReadonlyMap<string, string>): Text | null {
  if (!v.s.includes('%')) return v;
  let s = '';
  const offsets: number[] = [];
  const spec = /(0?)(\d*)([sd])/y;
  for (let i = 0; i < v.s.length; ) {
    if (v.s[i] !== '%') {
      s += v.s[i];
      offsets.push(v.offsets[i]!);
      i++;
      continue;
    }
    if (v.s[i + 1] === '%') {
      s += '%';
      offsets.push(v.offsets[i]!);
      i += 2;
      continue;
    }
    // %(name)s, %(name)d, %(name)02d; any other `%` is an error for Python's % formatting, and for supervisor
    const close = v.s[i + 1] === '(' ? v.s.indexOf(')', i + 2) : -1;
    if (close === -1) return null;
    spec.lastIndex = close + 1;
    const m = spec.exec(v.s);
    const known = vars.get(v.s.slice(i + 2, close));
    if (!m || known === undefined) return null;
    const value = m[2] ? known.padStart(Number(m[2]), m[1] && m[3] === 'd' ? '0' : ' ') : known;
    s += value;
    for (let k = 0; k < value.length; k++) offsets.push(v.offsets[i]!);
    i = spec.lastIndex;
  }
  return { s, offsets, end: v.end };
}

/**
 * `KEY="value",KEY2=value2`: supervisor's environment= pairs, split at the
 * commas outside quotes, the quotes around a value dropped (one pass, no
 * backtracking over long values).
 */
function supervisorEnvironment(file: SourceFile, v: Text): Map<string, EnvEntry> {
  const out = new Map<string, EnvEntry>();
  const s = v.s;
  let from = 0;
  while (from < s.length) {
    // one pair: up to the next comma outside quotes
    let to = from;
    let quote = '';
    for (; to < s.length; to++) {
      const c = s[to]!;
      if (quote) {
        if (c === quote) quote = '';
      } else if (c === '"' || c === "'") quote = c;
      else if (c === ',') break;
    }
    const eq = s.indexOf('=', from);
    const key = eq !== -1 && eq < to ? s.slice(from, eq).trim() : '';
    if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) {
      let a = eq + 1;
      let b = to;
      while (a < b && /\s/.test(s[a]!)) a++;
      while (b > a && /\s/.test(s[b - 1]!)) b--;
      if (b - a >= 2 && (s[a] === '"' || s[a] === "'") && s[b - 1] === s[a]) {
        a++;
        b--;
      }
      const value = s.slice(a, b);
      const text: Text = { s: value, offsets: v.offsets.slice(a, b), end: v.offsets[b] ?? v.end };
      const start = text.offsets[0] ?? text.end;
      out.set(key, { value, text, file, span: { start, end: start + value.length }, dynamic: null });
    }
    from = to + 1;
  }
  return out;
}

/** the `%(name)s` values supervisor expands in a program's options */
function supervisorExpansions(file: SourceFile, p: SupervisorProgram, outer: OuterEnv): Map<string, string> {
  const here = file.path.includes('/') ? file.path.slice(0, file.path.lastIndexOf('/')) || '/' : '.';
  const vars = new Map<string, string>([['here', here], ['program_name', p.name], ['group_name', p.name], ['process_num', '0'], ['numprocs', '1']]);
  for (const [k, v] of Object.entries(outer.env ?? {})) vars.set(`ENV_${k}`, v);
  return vars;
}

/**
 * What supervisord executes for a program: its `command=` after the
 * `%(name)s` expansions, split by shlex.split (posix, no shell); null without
 * a command, or when it names an expansion not known here (`%(ENV_X)s` of an
 * environment not given) or shlex would refuse it (an open quote).
 */
export function supervisorArgv(file: SourceFile, p: SupervisorProgram, outer: OuterEnv = {}): Word[] | null {
  const command = p.values.get('command');
  const text = command ? expandSupervisor(command.value, supervisorExpansions(file, p, outer)) : null;
  if (!text) return null;
  const split = shlexSplit(text);
  return split.error ? null : split.words;
}

/**
 * gunicorn in supervisord programs: `command=` split as supervisor splits it
 * (shlex.split, no shell), after its `%(here)s`, `%(program_name)s`,
 * `%(ENV_X)s` expansions; the program's `directory=`, `user=` and
 * `environment=`, over supervisord's own environment (`outer`). A command
 * that names an expansion we cannot know is left out.
 */
export function invocationsFromSupervisor(file: SourceFile, outer: OuterEnv = {}): GunicornInvocation[] {
  const out: GunicornInvocation[] = [];
  for (const p of parseSupervisor(file)) {
    const command = p.values.get('command');
    if (!command || !/gunicorn/.test(command.value.s)) continue;
    const vars = supervisorExpansions(file, p, outer);
    const words = supervisorArgv(file, p, outer);
    const found = words && findGunicorn(words);
    if (!found) continue;
    const env = outerEntries(outer.env);
    const environment = p.values.get('environment');
    const expandedEnv = environment ? expandSupervisor(environment.value, vars) : null;
    if (expandedEnv) for (const [k, e] of supervisorEnvironment(file, expandedEnv)) env.set(k, e);
    const dir = p.values.get('directory');
    const dirText = dir ? expandSupervisor(dir.value, vars) : null;
    const cwd = dir && dirText ? { value: dirText.s, span: { start: dir.value.offsets[0] ?? dir.span.start, end: dir.span.end } } : outer.cwd ? { value: outer.cwd, span: { start: 0, end: 0 } } : null;
    const user = p.values.get('user');
    const base = { file, source: 'supervisor' as const, env, cwd, user: user ? { value: user.value.s, span: { start: user.value.offsets[0] ?? user.span.start, end: user.span.end } } : null, group: null, name: p.name, unreadEnvFiles: [] };
    if (found.nestedShell) {
      out.push(...invocationsFromShell(file, textOfWord(found.nestedShell), base, { vars: new Map(env), exported: new Set(env.keys()), cwd, complete: !!outer.complete }));
      continue;
    }
    for (const a of found.envAssigns) base.env.set(a.name, entryFromWord(file, a.value));
    out.push({ ...base, program: found.program, args: found.args, span: { start: command.value.offsets[0] ?? command.span.start, end: command.span.end } });
  }
  return out;
}

// ---------------------------------------------------------------- systemd

export interface UnitEntry {
  section: string;
  key: string;
  keySpan: Span;
  /** the value (continuation lines joined), with offsets into the file */
  value: Text;
  span: Span;
}

export interface SystemdUnit {
  file: SourceFile;
  entries: UnitEntry[];
}

/** Parse a systemd unit file into its key=value entries (continuations joined, comments dropped). */
export function parseSystemdUnit(file: SourceFile): SystemdUnit {
  const text = file.text;
  const entries: UnitEntry[] = [];
  let section = '';
  let i = 0;
  while (i < text.length) {
    const eol = text.indexOf('\n', i);
    const lineEnd = eol < 0 ? text.length : eol;
    const line = text.slice(i, lineEnd);
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#') || trimmed.startsWith(';')) {
      i = lineEnd + 1;
      continue;
    }
    if (trimmed.startsWith('[')) {
      section = trimmed.replace(/^\[|\].*$/g, '');
      i = lineEnd + 1;
      continue;
    }
    const eq = line.indexOf('=');
    if (eq < 0) {
      i = lineEnd + 1;
      continue;
    }
    const key = line.slice(0, eq).trim();
    const keyStart = i + line.indexOf(key);
    // the value, with continuation lines (a trailing backslash) joined; comment lines inside are skipped
    const offsets: number[] = [];
    let s = '';
    let j = i + eq + 1;
    while (j < text.length && (text[j] === ' ' || text[j] === '\t')) j++;
    let end: number;
    for (;;) {
      const e = text.indexOf('\n', j);
      const le = e < 0 ? text.length : e;
      let seg = text.slice(j, le);
      let segEnd = le;
      if (seg.endsWith('\r')) {
        seg = seg.slice(0, -1);
        segEnd--;
      }
      const cont = /\\$/.test(seg);
      const body = cont ? seg.slice(0, -1) : seg;
      for (let k = 0; k < body.length; k++) {
        s += body[k];
        offsets.push(j + k);
      }
      end = cont ? segEnd - 1 : segEnd;
      if (!cont || e < 0) {
        j = le;
        break;
      }
      s += ' ';
      offsets.push(segEnd - 1);
      j = le + 1;
      // comment lines inside a continuation are ignored by systemd
      while (j < text.length) {
        const ne = text.indexOf('\n', j);
        const nl = text.slice(j, ne < 0 ? text.length : ne).trim();
        if (nl.startsWith('#') || nl.startsWith(';')) j = ne < 0 ? text.length : ne + 1;
        else break;
      }
    }
    // trim trailing whitespace
    while (s.length && /\s/.test(s[s.length - 1]!)) {
      s = s.slice(0, -1);
      offsets.pop();
    }
    entries.push({ section, key, keySpan: { start: keyStart, end: keyStart + key.length }, value: { s, offsets, end }, span: { start: keyStart, end } });
    i = j + 1;
  }
  return { file, entries };
}

export interface SystemdSocketInfo {
  listenStreams: Setting[];
  socketUser: Setting | null;
  socketGroup: Setting | null;
  socketMode: Setting | null;
}

function lastValue(unit: SystemdUnit, section: string, key: string): Setting | null {
  let out: Setting | null = null;
  for (const e of unit.entries) {
    if (e.section !== section || e.key !== key) continue;
    const v = e.value.s.trim();
    out = v === '' ? null : { value: v, span: e.value.offsets.length ? { start: e.value.offsets[0]!, end: e.value.offsets[e.value.offsets.length - 1]! + 1 } : e.span };
  }
  return out;
}

/** ListenStream=, SocketUser=, SocketGroup=, SocketMode= of a .socket unit. */
export function systemdSocketInfo(unit: SystemdUnit): SystemdSocketInfo {
  const listenStreams: Setting[] = [];
  for (const e of unit.entries) {
    if (e.section !== 'Socket' || e.key !== 'ListenStream') continue;
    const v = e.value.s.trim();
    if (v === '') listenStreams.length = 0;
    else listenStreams.push({ value: v, span: { start: e.value.offsets[0]!, end: e.value.offsets[e.value.offsets.length - 1]! + 1 } });
  }
  return { listenStreams, socketUser: lastValue(unit, 'Socket', 'SocketUser'), socketGroup: lastValue(unit, 'Socket', 'SocketGroup'), socketMode: lastValue(unit, 'Socket', 'SocketMode') };
}

export interface SystemdReadOptions {
  /** reads EnvironmentFile= files; without it they are noted as unread */
  readFile?: (path: string) => SourceFile | null;
}

/** The environment a service sets (Environment= and, when readable, EnvironmentFile=). */
export function systemdEnvironment(unit: SystemdUnit, opts: SystemdReadOptions = {}): { env: Map<string, EnvEntry>; unread: Setting[] } {
  const env = new Map<string, EnvEntry>();
  const unread: Setting[] = [];
  for (const e of unit.entries) {
    if (e.section !== 'Service') continue;
    if (e.key === 'Environment') {
      if (e.value.s.trim() === '') {
        env.clear();
        continue;
      }
      for (const w of systemdSplit(e.value, { expandVars: false })) {
        const eq = w.value.indexOf('=');
        if (eq <= 0) continue;
        const sub: Word = { value: w.value.slice(eq + 1), offsets: w.offsets.slice(eq + 1), span: subSpan(w, eq + 1, w.value.length), dynamic: w.dynamic };
        env.set(w.value.slice(0, eq), { value: sub.value, text: textOfWord(sub), file: unit.file, span: sub.span, dynamic: sub.dynamic });
      }
    } else if (e.key === 'EnvironmentFile') {
      const raw = e.value.s.trim();
      const optional = raw.startsWith('-');
      const path = optional ? raw.slice(1) : raw;
      const span = { start: e.value.offsets[0] ?? e.span.start, end: e.span.end };
      const f = opts.readFile?.(path) ?? null;
      if (!f) {
        if (!optional || !opts.readFile) unread.push({ value: path, span });
        continue;
      }
      for (const [k, v] of parseEnvFile(f)) env.set(k, v);
    }
  }
  return { env, unread };
}

/** KEY=VALUE lines of an EnvironmentFile (shell-like quoting, # comments). */
export function parseEnvFile(file: SourceFile): Map<string, EnvEntry> {
  const out = new Map<string, EnvEntry>();
  const re = /^[ \t]*(?:export[ \t]+)?([A-Za-z_][A-Za-z0-9_]*)[ \t]*=[ \t]*(.*)$/gm;
  for (let m = re.exec(file.text); m; m = re.exec(file.text)) {
    const start = m.index + m[0].length - m[2]!.length;
    const cmds = shellSplit(textOf(file.text, start, start + m[2]!.replace(/\r$/, '').length));
    const w = cmds[0]?.words[0] ?? cmds[0]?.assigns[0]?.value;
    const value: Word = w ?? { value: '', offsets: [], span: { start, end: start }, dynamic: null };
    out.set(m[1]!, { value: value.value, text: textOfWord(value), file, span: value.span, dynamic: value.dynamic });
  }
  return out;
}

/** gunicorn invocations in a systemd .service unit (ExecStart=, with its environment). */
export function invocationsFromSystemd(unit: SystemdUnit, opts: SystemdReadOptions = {}): GunicornInvocation[] {
  const file = unit.file;
  const { env, unread } = systemdEnvironment(unit, opts);
  const wd = lastValue(unit, 'Service', 'WorkingDirectory');
  const cwd = wd ? { value: wd.value.replace(/^-/, ''), span: wd.span } : { value: '/', span: { start: 0, end: 0 } };
  const user = lastValue(unit, 'Service', 'User');
  const group = lastValue(unit, 'Service', 'Group');
  const envForExpansion = new Map([...env].map(([k, v]) => [k, { value: v.value, span: v.span }]));
  const out: GunicornInvocation[] = [];
  const execs = unit.entries.filter((e) => e.section === 'Service' && (e.key === 'ExecStart' || e.key === 'ExecReload'));
  for (const e of execs) {
    if (e.key !== 'ExecStart') continue;
    const words = systemdSplit(e.value, { expandVars: true, env: envForExpansion });
    // strip the executable prefixes: - @ : + ! !!
    if (words[0]) {
      const m = /^[-@:+!]+/.exec(words[0].value);
      if (m) words[0] = { ...words[0], value: words[0].value.slice(m[0].length), offsets: words[0].offsets.slice(m[0].length) };
    }
    const found = findGunicorn(words);
    const base = { file, source: 'systemd' as const, env: new Map(env), cwd: wd ? cwd : cwd, user, group, name: e.key, unreadEnvFiles: unread };
    if (!found) continue;
    if (found.nestedShell) {
      out.push(...invocationsFromShell(file, textOfWord(found.nestedShell), base));
      continue;
    }
    for (const a of found.envAssigns) base.env.set(a.name, entryFromWord(file, a.value));
    out.push({ ...base, program: found.program, args: found.args, span: e.span });
  }
  return out;
}

/** GUNICORN_CMD_ARGS split as gunicorn does (shlex.split), positions kept. */
export function splitCmdArgs(entry: EnvEntry): { words: Word[]; error: { message: string; span: Span } | null } {
  return shlexSplit(entry.text);
}
