/**
 * Splitting command lines into words the way each consumer does — POSIX sh,
 * systemd's ExecStart=/Environment=, and Python's shlex.split (which gunicorn
 * applies to GUNICORN_CMD_ARGS) — while remembering, for every character of
 * every word, where it came from in the file. So a flag value inside a quoted
 * `sh -c '...'` inside an ExecStart= still points at its own bytes.
 */
import type { Span } from '../source.js';

export interface Word {
  /** the word after quote removal and expansion */
  value: string;
  /** file offset of each character of `value` */
  offsets: number[];
  /** the word as written: from its first to its last source character */
  span: Span;
  /** set when part of the word comes from something we cannot expand ($VAR, $(cmd), %i, a glob) */
  dynamic: string | null;
}

/** A text with, for each character, its offset in the file (so nested splits map back). */
export interface Text {
  s: string;
  offsets: number[];
  /** offset just past the end, for empty tails */
  end: number;
}

export function textOf(fileText: string, start: number, end: number): Text {
  const offsets: number[] = [];
  for (let i = start; i < end; i++) offsets.push(i);
  return { s: fileText.slice(start, end), offsets, end };
}

export function textOfWord(w: Word): Text {
  return { s: w.value, offsets: w.offsets, end: w.span.end };
}

/** The span of characters [i, j) of a word's value, in the file. */
export function subSpan(w: Word, i: number, j: number): Span {
  if (i >= j || i >= w.offsets.length) {
    const at = w.offsets[Math.min(i, w.offsets.length - 1)] ?? w.span.end;
    return { start: at, end: at };
  }
  return { start: w.offsets[i]!, end: w.offsets[Math.min(j, w.offsets.length) - 1]! + 1 };
}

class Builder {
  value = '';
  offsets: number[] = [];
  start = -1;
  end = -1;
  dynamic: string | null = null;
  started = false;

  add(ch: string, off: number): void {
    this.value += ch;
    this.offsets.push(off);
    this.touch(off, off + 1);
  }

  touch(from: number, to: number): void {
    if (this.start < 0 || from < this.start) this.start = from;
    if (to > this.end) this.end = to;
    this.started = true;
  }

  take(): Word {
    const w: Word = { value: this.value, offsets: this.offsets, span: { start: this.start, end: this.end }, dynamic: this.dynamic };
    this.value = '';
    this.offsets = [];
    this.start = -1;
    this.end = -1;
    this.dynamic = null;
    this.started = false;
    return w;
  }
}

// ---------------------------------------------------------------- shlex.split (posix)

export interface ShlexResult {
  words: Word[];
  /** shlex's ValueError, when it raises */
  error: { message: string; span: Span } | null;
}

/** Python's shlex.split(s) (posix=True, comments=False). */
export function shlexSplit(t: Text): ShlexResult {
  const words: Word[] = [];
  const b = new Builder();
  const off = (i: number) => t.offsets[i] ?? t.end;
  let i = 0;
  const ws = (c: string) => c === ' ' || c === '\t' || c === '\r' || c === '\n';
  while (i < t.s.length) {
    const c = t.s[i]!;
    if (ws(c)) {
      if (b.started) words.push(b.take());
      i++;
      continue;
    }
    if (c === '\\') {
      if (i + 1 >= t.s.length) return { words, error: { message: 'No escaped character', span: { start: off(i), end: off(i) + 1 } } };
      b.touch(off(i), off(i) + 1);
      b.add(t.s[i + 1]!, off(i + 1));
      i += 2;
      continue;
    }
    if (c === "'" || c === '"') {
      const q = c;
      const open = i;
      b.touch(off(i), off(i) + 1);
      i++;
      for (;;) {
        if (i >= t.s.length) return { words, error: { message: 'No closing quotation', span: { start: off(open), end: off(open) + 1 } } };
        const d = t.s[i]!;
        if (d === q) {
          b.touch(off(i), off(i) + 1);
          i++;
          break;
        }
        if (q === '"' && d === '\\' && (t.s[i + 1] === '"' || t.s[i + 1] === '\\')) {
          b.add(t.s[i + 1]!, off(i + 1));
          i += 2;
          continue;
        }
        b.add(d, off(i));
        i++;
      }
      continue;
    }
    b.add(c, off(i));
    i++;
  }
  if (b.started) words.push(b.take());
  return { words, error: null };
}

// ---------------------------------------------------------------- systemd

const C_ESCAPES: Record<string, string> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\', '"': '"', "'": "'", s: ' ' };

export interface SystemdSplitOptions {
  /** Environment= variables for $VAR / ${VAR} (ExecStart= only) */
  env?: Map<string, { value: string; span: Span }>;
  /** expand $VAR and ${VAR} (ExecStart=); Environment= does not */
  expandVars: boolean;
}

/**
 * Split a systemd setting value into words: whitespace separates, "..." and
 * '...' quote, C-style backslash escapes, `\`+newline continues the line,
 * `%%` is a percent sign and other `%x` specifiers are left dynamic.
 */
export function systemdSplit(t: Text, opts: SystemdSplitOptions): Word[] {
  const words: Word[] = [];
  const b = new Builder();
  const off = (i: number) => t.offsets[i] ?? t.end;
  let i = 0;
  let quote: string | null = null;
  const ws = (c: string) => c === ' ' || c === '\t' || c === '\n' || c === '\r';
  while (i < t.s.length) {
    const c = t.s[i]!;
    if (!quote && ws(c)) {
      if (b.started) words.push(b.take());
      i++;
      continue;
    }
    if (!quote && (c === '"' || c === "'")) {
      quote = c;
      b.touch(off(i), off(i) + 1);
      i++;
      continue;
    }
    if (quote && c === quote) {
      quote = null;
      b.touch(off(i), off(i) + 1);
      i++;
      continue;
    }
    if (c === '\\') {
      const d = t.s[i + 1];
      if (d === '\n') {
        i += 2;
        continue;
      }
      if (d === undefined) {
        i++;
        continue;
      }
      if (d in C_ESCAPES) {
        b.touch(off(i), off(i) + 1);
        b.add(C_ESCAPES[d]!, off(i + 1));
        i += 2;
        continue;
      }
      if (d === 'x' && /^[0-9a-fA-F]{2}$/.test(t.s.slice(i + 2, i + 4))) {
        b.touch(off(i), off(i + 3) + 1);
        b.add(String.fromCharCode(parseInt(t.s.slice(i + 2, i + 4), 16)), off(i + 2));
        i += 4;
        continue;
      }
      b.touch(off(i), off(i) + 1);
      b.add(d, off(i + 1));
      i += 2;
      continue;
    }
    if (c === '%') {
      const d = t.s[i + 1];
      if (d === '%') {
        b.touch(off(i), off(i) + 1);
        b.add('%', off(i + 1));
        i += 2;
        continue;
      }
      if (d && /[a-zA-Z]/.test(d)) {
        b.dynamic ??= `%${d}`;
        b.add('%', off(i));
        b.add(d, off(i + 1));
        i += 2;
        continue;
      }
    }
    if (c === '$' && opts.expandVars) {
      if (t.s[i + 1] === '$') {
        b.touch(off(i), off(i) + 1);
        b.add('$', off(i + 1));
        i += 2;
        continue;
      }
      const braced = /^\$\{([A-Za-z_][A-Za-z0-9_]*)\}/.exec(t.s.slice(i));
      const bare = braced ? null : /^\$([A-Za-z_][A-Za-z0-9_]*)/.exec(t.s.slice(i));
      const m = braced ?? bare;
      if (m) {
        const name = m[1]!;
        const val = opts.env?.get(name);
        const at = off(i);
        b.touch(at, off(i + m[0].length - 1) + 1);
        if (val === undefined) {
          b.dynamic ??= m[0];
          for (let k = 0; k < m[0].length; k++) b.add(m[0][k]!, off(i + k));
        } else if (braced || quote) {
          for (const ch of val.value) b.add(ch, at);
        } else {
          // $VAR is split at whitespace into several words
          const parts = val.value.split(/[ \t\n]+/);
          parts.forEach((p, k) => {
            if (k > 0) {
              if (b.started) words.push(b.take());
              b.touch(at, at + 1);
            }
            for (const ch of p) b.add(ch, at);
          });
        }
        i += m[0].length;
        continue;
      }
    }
    b.add(c, off(i));
    i++;
  }
  if (b.started) words.push(b.take());
  return words;
}

// ---------------------------------------------------------------- POSIX shell

export interface ShellCommand {
  /** leading NAME=value assignments (environment for this command) */
  assigns: { name: string; value: Word }[];
  words: Word[];
  span: Span;
}

export interface ShellVars {
  get(name: string): string | undefined;
  /** the variable's value itself came from something unknown */
  dynamic?(name: string): string | null;
  /** variables `get` does not know are unset (expand to "" or their ${X:-default}) */
  complete?: boolean;
}

/**
 * Split shell code into simple commands (separated by newlines, `;`, `&&`,
 * `||`, `|`, `&`), each with its leading assignments and its words. Enough of
 * sh for the scripts that start gunicorn: quotes, escapes, comments, line
 * continuations, $VAR / ${VAR} / ${VAR:-default} with known variables;
 * command substitutions and unknown variables leave the word dynamic.
 */
export function shellSplit(t: Text, vars?: ShellVars, onCommand?: (cmd: ShellCommand) => void): ShellCommand[] {
  const cmds: ShellCommand[] = [];
  let words: Word[] = [];
  const b = new Builder();
  const off = (i: number) => t.offsets[i] ?? t.end;
  let i = 0;
  const s = t.s;
  const flushWord = () => {
    if (b.started) words.push(b.take());
  };
  const flushCmd = () => {
    flushWord();
    if (words.length) {
      const assigns: { name: string; value: Word }[] = [];
      while (words.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[0]!.value) && !isQuotedName(words[0]!)) {
        const w = words.shift()!;
        const eq = w.value.indexOf('=');
        assigns.push({ name: w.value.slice(0, eq), value: { value: w.value.slice(eq + 1), offsets: w.offsets.slice(eq + 1), span: { start: w.offsets[eq + 1] ?? w.span.end, end: w.span.end }, dynamic: w.dynamic } });
      }
      const first = assigns[0]?.value ?? words[0];
      const last = words[words.length - 1] ?? assigns[assigns.length - 1]?.value;
      const cmd: ShellCommand = { assigns, words, span: { start: first!.span.start, end: last!.span.end } };
      cmds.push(cmd);
      // variables a command sets apply to the words of the next ones
      onCommand?.(cmd);
    }
    words = [];
  };
  const expandVar = (name: string, at: number, endAt: number, quoted: boolean, fallback: string | null, raw: string) => {
    let v = vars?.get(name);
    b.touch(at, endAt);
    if (v === undefined && vars?.complete) v = fallback ?? '';
    if (v === undefined && fallback === null) {
      b.dynamic ??= raw;
      for (const ch of raw) b.add(ch, at);
      return;
    }
    const val = v ?? fallback!;
    if (v === undefined) b.dynamic ??= raw;
    else {
      const d = vars?.dynamic?.(name);
      if (d) b.dynamic ??= d;
    }
    if (quoted) for (const ch of val) b.add(ch, at);
    else {
      const parts = val.split(/[ \t\n]+/);
      parts.forEach((p, k) => {
        if (k > 0) {
          flushWord();
          b.touch(at, endAt);
        }
        for (const ch of p) b.add(ch, at);
      });
    }
  };
  /** skip a $( ... ) or ` ... ` and return the index after it */
  const skipSubst = (j: number): number => {
    if (s[j] === '`') {
      let k = j + 1;
      while (k < s.length && s[k] !== '`') k += s[k] === '\\' ? 2 : 1;
      return Math.min(k + 1, s.length);
    }
    let depth = 0;
    let k = j + 1;
    for (; k < s.length; k++) {
      if (s[k] === '(') depth++;
      else if (s[k] === ')') {
        depth--;
        if (depth === 0) return k + 1;
      } else if (s[k] === "'") {
        const e = s.indexOf("'", k + 1);
        k = e < 0 ? s.length : e;
      }
    }
    return s.length;
  };
  const dollar = (quoted: boolean): boolean => {
    const rest = s.slice(i);
    if (rest.startsWith('$(') || rest.startsWith('`')) {
      const j = skipSubst(i + (rest.startsWith('$(') ? 1 : 0));
      const raw = s.slice(i, j);
      b.dynamic ??= raw;
      b.touch(off(i), off(j - 1) + 1);
      for (let k = i; k < j; k++) b.add(s[k]!, off(k));
      i = j;
      return true;
    }
    const braced = /^\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-=+?])([^}]*))?\}/.exec(rest);
    if (braced) {
      const op = braced[2];
      const fb = op === ':-' || op === '-' || op === ':=' || op === '=' ? (braced[3] ?? '') : null;
      expandVar(braced[1]!, off(i), off(i + braced[0].length - 1) + 1, quoted, fb, braced[0]);
      i += braced[0].length;
      return true;
    }
    const bare = /^\$([A-Za-z_][A-Za-z0-9_]*|[0-9@*#?$!-])/.exec(rest);
    if (bare) {
      expandVar(bare[1]!, off(i), off(i + bare[0].length - 1) + 1, quoted, null, bare[0]);
      i += bare[0].length;
      return true;
    }
    return false;
  };
  while (i < s.length) {
    const c = s[i]!;
    if (c === '\\' && s[i + 1] === '\n') {
      i += 2;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r') {
      flushWord();
      i++;
      continue;
    }
    if (c === '\n' || c === ';' || c === '|' || c === '&' || c === '(' || c === ')') {
      flushCmd();
      i++;
      continue;
    }
    if (c === '#' && !b.started) {
      while (i < s.length && s[i] !== '\n') i++;
      continue;
    }
    if ((c === '<' || c === '>') && !b.started) {
      // a redirection: skip the operator and its target word
      while (i < s.length && /[<>&0-9]/.test(s[i]!)) i++;
      while (i < s.length && (s[i] === ' ' || s[i] === '\t')) i++;
      while (i < s.length && !/[\s;&|]/.test(s[i]!)) i++;
      continue;
    }
    if (c === "'") {
      b.touch(off(i), off(i) + 1);
      const e = s.indexOf("'", i + 1);
      const stop = e < 0 ? s.length : e;
      for (let k = i + 1; k < stop; k++) b.add(s[k]!, off(k));
      if (e >= 0) b.touch(off(e), off(e) + 1);
      i = stop + 1;
      continue;
    }
    if (c === '"') {
      b.touch(off(i), off(i) + 1);
      i++;
      while (i < s.length && s[i] !== '"') {
        const d = s[i]!;
        if (d === '\\' && /[$`"\\\n]/.test(s[i + 1] ?? '')) {
          if (s[i + 1] !== '\n') b.add(s[i + 1]!, off(i + 1));
          i += 2;
          continue;
        }
        if ((d === '$' || d === '`') && dollar(true)) continue;
        b.add(d, off(i));
        i++;
      }
      if (i < s.length) b.touch(off(i), off(i) + 1);
      i++;
      continue;
    }
    if (c === '\\') {
      b.touch(off(i), off(i) + 1);
      if (i + 1 < s.length) b.add(s[i + 1]!, off(i + 1));
      i += 2;
      continue;
    }
    if ((c === '$' || c === '`') && dollar(false)) continue;
    if ((c === '*' || c === '?' || c === '[') && !b.dynamic) {
      // an unquoted glob may expand to file names
      b.dynamic = null;
    }
    b.add(c, off(i));
    i++;
  }
  flushCmd();
  return cmds;
}

function isQuotedName(w: Word): boolean {
  // "A=b" (quoted as a whole) is still an assignment in sh only when the name part is unquoted
  return w.offsets.length > 0 && w.offsets[0] !== w.span.start;
}
