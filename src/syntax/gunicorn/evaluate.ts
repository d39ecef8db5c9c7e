/**
 * A static evaluator for the module-level code of a gunicorn config file.
 *
 * It never runs Python: it walks our AST and computes what it can know from
 * the text alone. A value is either a known Python value or `Unknown`, which
 * says why (an environment variable, the CPU count, a call we do not model, a
 * branch on something unknown...) and, when the possibilities are few and
 * known (both sides of an `if`), lists them as candidates.
 *
 * The environment is a parameter: known variables (e.g. from a systemd unit's
 * `Environment=`) give known values; with `envComplete` every other variable
 * is known to be unset, which is how "the default" of an `os.environ.get(X,
 * default)` is computed.
 */
import type { Span } from '../source.js';
import type { Arg, Expr, Param, PyModule, Stmt, StrPart } from './pyast.js';
import {
  FALSE,
  NONE,
  PyError,
  TRUE,
  Unsupported,
  binaryOp,
  bool,
  compareOp,
  float,
  formatValue,
  int,
  isHashable,
  iterate,
  parseIntLiteral,
  pyEquals,
  pyFloatFromString,
  pyIntFromString,
  pyLen,
  pyStrip,
  repr,
  str,
  toStr,
  truthy,
  typeName,
  unaryOp,
  type PyVal,
} from './pyvalue.js';
import { trimTrailing } from '../../text-trim.js';

export type WhyKind = 'env' | 'cpu' | 'call' | 'fs' | 'import' | 'branch' | 'loop' | 'unsupported' | 'machine' | 'exception' | 'star-import' | 'maybe-unset';

export interface Why {
  kind: WhyKind;
  /** the expression or name involved, as written */
  detail: string;
}

export interface Unknown {
  t: 'unknown';
  why: Why[];
  /** all the values it can have, when we know them (a value set from branches) */
  candidates?: PyVal[];
}

export type AV = PyVal | Unknown;

export const isUnknown = (v: AV): v is Unknown => v.t === 'unknown';

export interface Binding {
  value: AV;
  /** where the final value comes from: the assigned expression (or the statement / def name) */
  span: Span;
  /** the source text of that expression, or a description of a merged value */
  text: string;
  /** the whole statement */
  stmt: Span;
  /** replacing `span` with a Python literal sets the value (false for merged or derived values) */
  replaceable: boolean;
  /** the name may be unbound on some paths */
  maybeUnset?: boolean;
  /** other places that set the same value (both branches of an if) */
  alsoAt?: Span[];
}

export interface FuncInfo {
  id: number;
  name: string;
  params: Param[];
  defaults: (AV | null)[];
  body: Stmt[] | null;
  lambdaBody: Expr | null;
  globals: string[];
  span: Span;
}

export interface EvalOptions {
  /** environment variables known to be set */
  env?: Record<string, string>;
  /** every variable not in `env` is known to be unset */
  envComplete?: boolean;
  /** an upper bound on evaluation steps (default 200000) */
  maxSteps?: number;
}

export interface EvalResult {
  /** module-level names after the file ran */
  globals: Map<string, Binding>;
  /** the exception that stops the module, when one certainly happens */
  failure: { type: string; message: string; span: Span } | null;
  /** `from X import *`: names after it may come from X */
  starImports: { module: string; span: Span }[];
  funcs: Map<number, FuncInfo>;
  /** the environment as the file left it (os.environ[...] = ...) */
  envWrites: Map<string, AV | null>;
}

interface Frame {
  vars: Map<string, Binding>;
  globals: Set<string>;
  isModule: boolean;
  /** values returned on paths taken under an unknown condition (functions only) */
  pendingReturns?: AV[];
}

interface State {
  frames: Frame[];
  env: Map<string, AV | null>;
}

class ReturnSignal {
  constructor(readonly value: AV) {}
}
class BreakSignal {}
class ContinueSignal {}
class Budget extends Error {}
/** control flow (break/continue) under an unknown condition: the enclosing construct gives up */
class Undecidable {
  constructor(readonly why: Why[]) {}
}

const unknown = (why: Why[], candidates?: PyVal[]): Unknown => (candidates && candidates.length ? { t: 'unknown', why, candidates } : { t: 'unknown', why });

function mergeWhy(...lists: Why[][]): Why[] {
  const out: Why[] = [];
  for (const l of lists) for (const w of l) if (!out.some((o) => o.kind === w.kind && o.detail === w.detail)) out.push(w);
  return out;
}

function whyOf(...vals: AV[]): Why[] {
  return mergeWhy(...vals.filter(isUnknown).map((u) => u.why));
}

/** Possible values of an AV: [v] when known, its candidates, or null when open-ended. */
function possible(v: AV): PyVal[] | null {
  if (!isUnknown(v)) return [v];
  return v.candidates ?? null;
}

function dedupe(vals: PyVal[]): PyVal[] {
  const out: PyVal[] = [];
  for (const v of vals) if (!out.some((o) => o.t === v.t && safeEquals(o, v))) out.push(v);
  return out;
}

function safeEquals(a: PyVal, b: PyVal): boolean {
  try {
    return pyEquals(a, b);
  } catch {
    return false;
  }
}

const MAX_CANDIDATES = 16;

/** Apply a pure operation over values that may be unknown (value sets are mapped). */
function lift(args: AV[], fn: (vals: PyVal[]) => PyVal): AV {
  if (!args.some(isUnknown)) return fn(args as PyVal[]);
  const why = whyOf(...args);
  const sets = args.map(possible);
  if (sets.some((s) => s === null)) return unknown(why);
  let combos: PyVal[][] = [[]];
  for (const s of sets as PyVal[][]) {
    combos = combos.flatMap((c) => s.map((x) => [...c, x]));
    if (combos.length > MAX_CANDIDATES) return unknown(why);
  }
  const out: PyVal[] = [];
  for (const c of combos) {
    try {
      out.push(fn(c));
    } catch {
      return unknown(why);
    }
  }
  return unknown(why, dedupe(out));
}

export const PY_BUILTINS = new Set(
  (
    'abs aiter all anext any ascii bin bool breakpoint bytearray bytes callable chr classmethod compile complex copyright credits delattr dict dir divmod ' +
    'enumerate eval exec exit filter float format frozenset getattr globals hasattr hash help hex id input int isinstance issubclass iter len license list ' +
    'locals map max memoryview min next object oct open ord pow print property quit range repr reversed round set setattr slice sorted staticmethod str ' +
    'sum super tuple type vars zip __import__ __build_class__ __debug__ __doc__ __name__ __file__ __package__ __spec__ __loader__ __builtins__ __cached__ ' +
    'NotImplemented Ellipsis'
  ).split(' '),
);

/** Exception classes and their base. */
const EXC_PARENT: Record<string, string> = {
  BaseException: '',
  Exception: 'BaseException',
  SystemExit: 'BaseException',
  KeyboardInterrupt: 'BaseException',
  GeneratorExit: 'BaseException',
  ArithmeticError: 'Exception',
  ZeroDivisionError: 'ArithmeticError',
  OverflowError: 'ArithmeticError',
  FloatingPointError: 'ArithmeticError',
  AssertionError: 'Exception',
  AttributeError: 'Exception',
  BufferError: 'Exception',
  EOFError: 'Exception',
  ImportError: 'Exception',
  ModuleNotFoundError: 'ImportError',
  LookupError: 'Exception',
  IndexError: 'LookupError',
  KeyError: 'LookupError',
  MemoryError: 'Exception',
  NameError: 'Exception',
  UnboundLocalError: 'NameError',
  OSError: 'Exception',
  IOError: 'Exception',
  EnvironmentError: 'Exception',
  BlockingIOError: 'OSError',
  ChildProcessError: 'OSError',
  ConnectionError: 'OSError',
  BrokenPipeError: 'ConnectionError',
  ConnectionAbortedError: 'ConnectionError',
  ConnectionRefusedError: 'ConnectionError',
  ConnectionResetError: 'ConnectionError',
  FileExistsError: 'OSError',
  FileNotFoundError: 'OSError',
  InterruptedError: 'OSError',
  IsADirectoryError: 'OSError',
  NotADirectoryError: 'OSError',
  PermissionError: 'OSError',
  ProcessLookupError: 'OSError',
  TimeoutError: 'OSError',
  ReferenceError: 'Exception',
  RuntimeError: 'Exception',
  NotImplementedError: 'RuntimeError',
  RecursionError: 'RuntimeError',
  StopIteration: 'Exception',
  StopAsyncIteration: 'Exception',
  SyntaxError: 'Exception',
  IndentationError: 'SyntaxError',
  TabError: 'IndentationError',
  SystemError: 'Exception',
  TypeError: 'Exception',
  ValueError: 'Exception',
  UnicodeError: 'ValueError',
  UnicodeDecodeError: 'UnicodeError',
  UnicodeEncodeError: 'UnicodeError',
  UnicodeTranslateError: 'UnicodeError',
  Warning: 'Exception',
  UserWarning: 'Warning',
  DeprecationWarning: 'Warning',
  RuntimeWarning: 'Warning',
};

function excMatches(raised: string, handler: string): boolean {
  const alias = (n: string) => (n === 'IOError' || n === 'EnvironmentError' ? 'OSError' : n);
  let cur: string | undefined = alias(raised);
  const h = alias(handler);
  while (cur) {
    if (cur === h) return true;
    cur = EXC_PARENT[cur];
  }
  return false;
}

/** Modules of Python 2 that do not exist in Python 3: importing one fails. */
const PY2_ONLY_MODULES = new Set(['commands', 'ConfigParser', 'urllib2', 'urlparse', 'StringIO', 'cStringIO', 'cPickle', 'Queue', 'SocketServer', 'HTMLParser', 'httplib', 'Cookie', 'cookielib', '__builtin__', 'exceptions', 'sets', 'md5', 'sha', 'thread', 'dummy_thread', 'anydbm', 'dbhash', 'repr', 'Tkinter', 'xmlrpclib', 'SimpleHTTPServer', 'BaseHTTPServer', 'CGIHTTPServer', 'robotparser', 'htmlentitydefs', 'popen2', 'new', 'imputil', 'mimetools', 'rfc822', 'UserDict', 'UserList', 'UserString']);

/** Top-level modules of the Python 3 standard library (importing anything else may fail). */
const STDLIB = new Set(
  (
    'abc argparse array ast asyncio atexit base64 binascii bisect builtins bz2 calendar cgi cmath codecs collections colorsys concurrent configparser ' +
    'contextlib contextvars copy copyreg csv ctypes dataclasses datetime dbm decimal difflib dis email encodings enum errno faulthandler fcntl ' +
    'filecmp fileinput fnmatch fractions ftplib functools gc getopt getpass gettext glob grp gzip hashlib heapq hmac html http imaplib importlib ' +
    'inspect io ipaddress itertools json keyword linecache locale logging lzma mailbox marshal math mimetypes mmap multiprocessing netrc numbers ' +
    'operator optparse os pathlib pickle pkgutil platform plistlib poplib posix posixpath pprint profile pstats pty pwd queue quopri random re ' +
    'readline reprlib resource rlcompleter runpy sched secrets select selectors shelve shlex shutil signal site smtplib socket socketserver sqlite3 ' +
    'ssl stat statistics string stringprep struct subprocess sys sysconfig syslog tarfile tempfile termios textwrap threading time timeit token ' +
    'tokenize tomllib trace traceback tracemalloc tty types typing unicodedata unittest urllib uuid venv warnings wave weakref webbrowser wsgiref ' +
    'xml xmlrpc zipapp zipfile zipimport zlib zoneinfo __future__ _thread'
  ).split(' '),
);

/** Modules whose attributes we model. */
const MODELED_MODULES = new Set(['os', 'os.path', 'multiprocessing', 'sys', 'math', 'socket', 'psutil', 'platform', 'json']);

const MODULE_ATTRS: Record<string, Record<string, PyVal | 'unknown-machine' | 'unknown-fs'>> = {
  os: {
    environ: { t: 'environ' },
    getenv: { t: 'builtin', name: 'os.getenv' },
    putenv: { t: 'builtin', name: 'os.putenv' },
    cpu_count: { t: 'builtin', name: 'os.cpu_count' },
    sched_getaffinity: { t: 'builtin', name: 'os.sched_getaffinity' },
    path: { t: 'module', name: 'os.path', known: true },
    sep: str('/'),
    pathsep: str(':'),
    linesep: str('\n'),
    curdir: str('.'),
    pardir: str('..'),
    name: str('posix'),
    devnull: str('/dev/null'),
    getcwd: { t: 'builtin', name: 'os.getcwd' },
    getpid: { t: 'builtin', name: 'os.getpid' },
    geteuid: { t: 'builtin', name: 'os.geteuid' },
    getegid: { t: 'builtin', name: 'os.getegid' },
    getuid: { t: 'builtin', name: 'os.getuid' },
    getgid: { t: 'builtin', name: 'os.getgid' },
    system: { t: 'builtin', name: 'os.system' },
    makedirs: { t: 'builtin', name: 'os.makedirs' },
    mkdir: { t: 'builtin', name: 'os.mkdir' },
    listdir: { t: 'builtin', name: 'os.listdir' },
    remove: { t: 'builtin', name: 'os.remove' },
    unlink: { t: 'builtin', name: 'os.unlink' },
  },
  'os.path': {
    join: { t: 'builtin', name: 'os.path.join' },
    dirname: { t: 'builtin', name: 'os.path.dirname' },
    basename: { t: 'builtin', name: 'os.path.basename' },
    abspath: { t: 'builtin', name: 'os.path.abspath' },
    realpath: { t: 'builtin', name: 'os.path.realpath' },
    normpath: { t: 'builtin', name: 'os.path.normpath' },
    exists: { t: 'builtin', name: 'os.path.exists' },
    isfile: { t: 'builtin', name: 'os.path.isfile' },
    isdir: { t: 'builtin', name: 'os.path.isdir' },
    expanduser: { t: 'builtin', name: 'os.path.expanduser' },
    splitext: { t: 'builtin', name: 'os.path.splitext' },
    sep: str('/'),
  },
  multiprocessing: { cpu_count: { t: 'builtin', name: 'multiprocessing.cpu_count' } },
  psutil: { cpu_count: { t: 'builtin', name: 'psutil.cpu_count' } },
  sys: { exit: { t: 'builtin', name: 'sys.exit' }, argv: 'unknown-machine', platform: 'unknown-machine', version_info: 'unknown-machine', path: 'unknown-machine', executable: 'unknown-machine', stdout: 'unknown-machine', stderr: 'unknown-machine' },
  math: { ceil: { t: 'builtin', name: 'math.ceil' }, floor: { t: 'builtin', name: 'math.floor' }, inf: float(Infinity), pi: float(Math.PI) },
  socket: { gethostname: { t: 'builtin', name: 'socket.gethostname' } },
  platform: {},
  json: { loads: { t: 'builtin', name: 'json.loads' }, dumps: { t: 'builtin', name: 'json.dumps' } },
};

const CPU_FUNCS = new Set(['multiprocessing.cpu_count', 'os.cpu_count', 'psutil.cpu_count', 'os.sched_getaffinity']);

let funcCounter = 0;

export class Evaluator {
  private state: State;
  readonly funcs = new Map<number, FuncInfo>();
  readonly starImports: { module: string; span: Span }[] = [];
  private steps = 0;
  private readonly maxSteps: number;
  private depth = 0;
  /** increments whenever an operation on an unknown value might have raised */
  private risk = 0;

  constructor(
    private readonly text: string,
    private readonly mod: PyModule,
    private readonly opts: EvalOptions = {},
  ) {
    const env = new Map<string, AV | null>();
    for (const [k, v] of Object.entries(opts.env ?? {})) env.set(k, str(v));
    this.state = { frames: [{ vars: new Map(), globals: new Set(), isModule: true }], env };
    this.maxSteps = opts.maxSteps ?? 200_000;
  }

  private src(s: Span): string {
    return this.text.slice(s.start, s.end);
  }

  run(): EvalResult {
    let failure: EvalResult['failure'] = null;
    try {
      this.block(this.mod.body);
    } catch (e) {
      if (e instanceof PyError) failure = { type: e.type, message: e.pyMessage, span: spanOfError(e) ?? { start: 0, end: 0 } };
      else if (e instanceof Budget) failure = null;
      else if (e instanceof ReturnSignal || e instanceof BreakSignal || e instanceof ContinueSignal || e instanceof Undecidable) failure = null;
      else throw e;
    }
    return { globals: this.state.frames[0]!.vars, failure, starImports: this.starImports, funcs: this.funcs, envWrites: this.state.env };
  }

  private tick(): void {
    if (++this.steps > this.maxSteps) throw new Budget();
  }

  // ------------------------------------------------------------ state

  private frame(): Frame {
    return this.state.frames[this.state.frames.length - 1]!;
  }

  private clone(s: State = this.state): State {
    return { frames: s.frames.map((f) => ({ vars: new Map(f.vars), globals: f.globals, isModule: f.isModule, ...(f.pendingReturns ? { pendingReturns: [...f.pendingReturns] } : {}) })), env: new Map(s.env) };
  }

  /** Merge two states reached on the two sides of an unknown condition. */
  private merge(a: State, b: State, cond: string, why: Why, fmt: (x: string, y: string) => string = (x, y) => `${x} if ${cond} else ${y}`): State {
    const frames = a.frames.map((fa, i) => {
      const fb = b.frames[i]!;
      const vars = new Map<string, Binding>();
      for (const name of new Set([...fa.vars.keys(), ...fb.vars.keys()])) {
        const x = fa.vars.get(name);
        const y = fb.vars.get(name);
        const m = mergeBinding(x, y, fmt, why);
        if (m) vars.set(name, m);
      }
      const pending = [...(fa.pendingReturns ?? []), ...(fb.pendingReturns ?? []).filter((x) => !(fa.pendingReturns ?? []).includes(x))];
      return { vars, globals: fa.globals, isModule: fa.isModule, ...(pending.length ? { pendingReturns: pending } : {}) };
    });
    const env = new Map<string, AV | null>();
    for (const k of new Set([...a.env.keys(), ...b.env.keys()])) {
      const x = a.env.has(k) ? a.env.get(k)! : undefined;
      const y = b.env.has(k) ? b.env.get(k)! : undefined;
      if (x !== undefined && y !== undefined && x !== null && y !== null && !isUnknown(x) && !isUnknown(y) && safeEquals(x, y)) env.set(k, x);
      else env.set(k, unknown([why]));
    }
    return { frames, env };
  }

  private lookup(name: string, s: Span): AV {
    const frames = this.state.frames;
    const local = frames[frames.length - 1]!;
    let b = local.globals.has(name) ? undefined : local.vars.get(name);
    if (!b && frames.length > 1) b = frames[0]!.vars.get(name);
    // comprehension frames see the enclosing function's locals
    if (!b) for (let i = frames.length - 2; i > 0 && !b; i--) b = frames[i]!.vars.get(name);
    if (b) {
      if (b.maybeUnset) return unknown(mergeWhy(isUnknown(b.value) ? b.value.why : [], [{ kind: 'maybe-unset', detail: name }]), isUnknown(b.value) ? b.value.candidates : [b.value]);
      return b.value;
    }
    const builtin = builtinValue(name);
    if (builtin) return builtin;
    if (this.starImports.length) return unknown([{ kind: 'star-import', detail: this.starImports.map((x) => x.module).join(', ') }]);
    throw at(new PyError('NameError', `name '${name}' is not defined`), s);
  }

  private bind(name: string, b: Binding): void {
    const f = this.frame();
    if (f.globals.has(name)) this.state.frames[0]!.vars.set(name, b);
    else f.vars.set(name, b);
  }

  private unbind(name: string, s: Span): void {
    const f = this.frame();
    const target = f.globals.has(name) ? this.state.frames[0]! : f;
    if (!target.vars.has(name)) throw at(new PyError('NameError', `name '${name}' is not defined`), s);
    target.vars.delete(name);
  }

  // ------------------------------------------------------------ statements

  private block(stmts: Stmt[]): void {
    for (const s of stmts) this.stmt(s);
  }

  private stmt(s: Stmt): void {
    this.tick();
    switch (s.k) {
      case 'assign': {
        const value = this.expr(s.value);
        for (const t of s.targets) this.assignTo(t, value, s.value.span, this.src(s.value.span), s.span, true);
        return;
      }
      case 'annotate':
        return;
      case 'augassign': {
        const cur = this.expr(s.target);
        const rhs = this.expr(s.value);
        let value: AV;
        try {
          value = lift([cur, rhs], ([a, b]) => inplace(s.op, a!, b!));
        } catch (e) {
          throw at(e, s.span);
        }
        if (s.target.k === 'name') {
          const prev = this.peekBinding(s.target.id);
          const text = prev && !isUnknown(value) ? this.src(s.span) : `${prev?.text ?? s.target.id} ${s.op} ${this.src(s.value.span)}`;
          this.bind(s.target.id, { value, span: s.span, text, stmt: s.span, replaceable: false });
        } else this.assignTo(s.target, value, s.span, this.src(s.span), s.span, false);
        return;
      }
      case 'expr':
        this.expr(s.value);
        return;
      case 'import':
        for (const n of s.names) this.importName(n.module, n.asname, n.span, s.span);
        return;
      case 'from':
        this.fromImport(s);
        return;
      case 'if':
        this.ifChain(s.branches, 0, s.span);
        return;
      case 'try':
        this.tryStmt(s);
        return;
      case 'for':
        this.forStmt(s);
        return;
      case 'while':
        this.whileStmt(s);
        return;
      case 'with': {
        for (const item of s.items) {
          const ctx = this.expr(item.ctx);
          if (item.as) this.assignTo(item.as, unknown(mergeWhy(whyOf(ctx), [{ kind: 'call', detail: `${this.src(item.ctx.span)}.__enter__()` }])), item.as.span, this.src(item.ctx.span), s.span, false);
        }
        this.block(s.body);
        return;
      }
      case 'def': {
        const id = ++funcCounter;
        const defaults = s.params.map((p) => (p.default ? this.expr(p.default) : null));
        this.funcs.set(id, { id, name: s.name, params: s.params, defaults, body: s.body, lambdaBody: null, globals: s.globals, span: s.span });
        let value: AV = { t: 'func', name: s.name, qualname: s.name, arity: arity(s.params), id };
        for (const d of s.decorators) {
          const dec = this.expr(d);
          value = unknown(mergeWhy(whyOf(dec), [{ kind: 'call', detail: `@${this.src(d.span)}` }]));
        }
        if (s.isAsync) value = unknown([{ kind: 'unsupported', detail: `async def ${s.name}` }]);
        this.bind(s.name, { value, span: s.nameSpan, text: `def ${s.name}(...)`, stmt: s.span, replaceable: false });
        return;
      }
      case 'class':
        for (const d of s.decorators) this.expr(d);
        this.bind(s.name, { value: { t: 'class', name: s.name }, span: s.nameSpan, text: `class ${s.name}`, stmt: s.span, replaceable: false });
        return;
      case 'del':
        for (const t of s.targets) this.delete(t);
        return;
      case 'pass':
        return;
      case 'break':
        throw new BreakSignal();
      case 'continue':
        throw new ContinueSignal();
      case 'return':
        throw new ReturnSignal(s.value ? this.expr(s.value) : NONE);
      case 'raise': {
        if (!s.exc) throw at(new PyError('RuntimeError', 'No active exception to reraise'), s.span);
        const e = this.expr(s.exc);
        if (isUnknown(e)) throw at(new PyError('Exception', `raise ${this.src(s.exc.span)}`), s.span);
        throw at(excFromValue(e, this.src(s.exc.span)), s.span);
      }
      case 'assert': {
        const t = this.expr(s.test);
        if (!isUnknown(t) && !truthy(t)) {
          const msg = s.msg ? this.expr(s.msg) : null;
          throw at(new PyError('AssertionError', msg && !isUnknown(msg) ? toStr(msg) : ''), s.span);
        }
        return;
      }
      case 'global':
        for (const n of s.names) this.frame().globals.add(n);
        return;
      case 'unsupported':
        for (const n of s.assigned) {
          const prev = this.peekBinding(n);
          if (prev) this.bind(n, { ...prev, value: unknown([{ kind: 'unsupported', detail: s.what }]), replaceable: false });
        }
        return;
    }
  }

  private peekBinding(name: string): Binding | undefined {
    const f = this.frame();
    return f.globals.has(name) ? this.state.frames[0]!.vars.get(name) : (f.vars.get(name) ?? this.state.frames[0]!.vars.get(name));
  }

  private assignTo(t: Expr, value: AV, valueSpan: Span, text: string, stmt: Span, replaceable: boolean): void {
    switch (t.k) {
      case 'name':
        this.bind(t.id, { value, span: valueSpan, text, stmt, replaceable });
        return;
      case 'tuple':
      case 'list': {
        const starIdx = t.elts.findIndex((e) => e.k === 'starred');
        const vals = possible(value);
        if (!isUnknown(value)) {
          let items: PyVal[];
          try {
            items = iterate(value);
          } catch (e) {
            if (e instanceof Unsupported) items = [];
            else throw at(e, valueSpan);
            for (const el of t.elts) this.assignTo(el.k === 'starred' ? el.value : el, unknown([{ kind: 'unsupported', detail: text }]), valueSpan, text, stmt, false);
            return;
          }
          const n = t.elts.length;
          if (starIdx < 0 && items.length !== n) {
            throw at(new PyError('ValueError', items.length > n ? `too many values to unpack (expected ${n})` : `not enough values to unpack (expected ${n}, got ${items.length})`), stmt);
          }
          if (starIdx >= 0 && items.length < n - 1) throw at(new PyError('ValueError', `not enough values to unpack (expected at least ${n - 1}, got ${items.length})`), stmt);
          // when the value is a literal tuple, point each name at its own element
          const srcElts = this.literalElements(valueSpan);
          t.elts.forEach((el, i) => {
            if (el.k === 'starred') {
              const rest = items.slice(i, items.length - (n - 1 - i));
              this.assignTo(el.value, { t: 'list', items: rest }, valueSpan, text, stmt, false);
            } else {
              const idx = starIdx >= 0 && i > starIdx ? items.length - (n - i) : i;
              const elSpan = srcElts && srcElts.length === items.length ? srcElts[idx]! : valueSpan;
              this.assignTo(el, items[idx]!, elSpan, this.src(elSpan), stmt, !!srcElts && srcElts.length === items.length);
            }
          });
          return;
        }
        void vals;
        for (const el of t.elts) this.assignTo(el.k === 'starred' ? el.value : el, unknown(whyOf(value)), valueSpan, text, stmt, false);
        return;
      }
      case 'starred':
        this.assignTo(t.value, value, valueSpan, text, stmt, false);
        return;
      case 'subscript': {
        const obj = this.expr(t.obj);
        const key = t.index.k === 'slice' ? null : this.expr(t.index);
        if (obj.t === 'environ') {
          if (key && !isUnknown(key) && key.t === 'str') this.state.env.set(key.v, isUnknown(value) ? value : value.t === 'str' ? value : unknown([{ kind: 'unsupported', detail: text }]));
          return;
        }
        if (t.obj.k !== 'name') return;
        const prev = this.peekBinding(t.obj.id);
        if (!prev) return;
        let updated: AV;
        if (isUnknown(obj) || !key || isUnknown(key) || isUnknown(value)) updated = unknown(mergeWhy(whyOf(obj), key ? whyOf(key) : [], whyOf(value), [{ kind: 'unsupported', detail: this.src(stmt) }]));
        else updated = setItem(obj, key, value, stmt);
        this.bind(t.obj.id, { ...prev, value: updated, text: `${prev.text} (then ${this.src(stmt)})`, replaceable: false });
        return;
      }
      case 'attr':
        this.expr(t.obj);
        return;
      default:
        return;
    }
  }

  /** Spans of the elements of a literal tuple/list expression at `s`, if it is one. */
  private literalElements(s: Span): Span[] | null {
    const found = findExprAt(this.mod.body, s);
    if (!found) return null;
    if (found.k === 'tuple' || found.k === 'list') return found.elts.some((e) => e.k === 'starred') ? null : found.elts.map((e) => e.span);
    return null;
  }

  private delete(t: Expr): void {
    if (t.k === 'name') this.unbind(t.id, t.span);
    else if (t.k === 'subscript') {
      const obj = this.expr(t.obj);
      const key = t.index.k === 'slice' ? null : this.expr(t.index);
      if (obj.t === 'environ' && key && !isUnknown(key) && key.t === 'str') {
        this.state.env.set(key.v, null);
        return;
      }
      if (t.obj.k === 'name') {
        const prev = this.peekBinding(t.obj.id);
        if (prev) {
          let v: AV = unknown([{ kind: 'unsupported', detail: `del ${this.src(t.span)}` }]);
          if (!isUnknown(obj) && key && !isUnknown(key) && obj.t === 'dict') {
            const i = obj.entries.findIndex(([k]) => safeEquals(k, key));
            if (i < 0) throw at(new PyError('KeyError', repr(key)), t.span);
            v = { t: 'dict', entries: obj.entries.filter((_, j) => j !== i) };
          }
          this.bind(t.obj.id, { ...prev, value: v, replaceable: false });
        }
      }
    } else if (t.k === 'tuple' || t.k === 'list') for (const e of t.elts) this.delete(e);
  }

  private importName(module: string, asname: string | null, s: Span, stmt: Span): void {
    const top = module.split('.')[0]!;
    if (PY2_ONLY_MODULES.has(top)) throw at(new PyError('ModuleNotFoundError', `No module named '${top}'`), s);
    if (!STDLIB.has(top)) this.risk++;
    if (asname) this.bind(asname, { value: moduleValue(module), span: s, text: `import ${module}`, stmt, replaceable: false });
    else this.bind(top, { value: moduleValue(top), span: s, text: `import ${top}`, stmt, replaceable: false });
  }

  private fromImport(s: Extract<Stmt, { k: 'from' }>): void {
    if (s.level > 0) throw at(new PyError('ImportError', 'attempted relative import with no known parent package'), s.span);
    const top = s.module.split('.')[0]!;
    if (PY2_ONLY_MODULES.has(top)) throw at(new PyError('ModuleNotFoundError', `No module named '${top}'`), s.span);
    if (!STDLIB.has(top)) this.risk++;
    const mod = moduleValue(s.module);
    if (s.names === '*') {
      this.starImports.push({ module: s.module, span: s.span });
      return;
    }
    for (const n of s.names) {
      let v: AV;
      try {
        v = mod.t === 'module' ? this.attrOf(mod, n.name, n.span) : unknown([{ kind: 'import', detail: s.module }]);
      } catch {
        v = unknown([{ kind: 'import', detail: `${s.module}.${n.name}` }]);
      }
      if (mod.t === 'module' && !mod.known) v = unknown([{ kind: 'import', detail: `${s.module}.${n.name}` }]);
      if (mod.t === 'module' && mod.known && isUnknown(v) && v.why.every((w) => w.kind === 'import')) v = moduleValue(`${s.module}.${n.name}`);
      this.bind(n.asname ?? n.name, { value: v, span: n.span, text: `from ${s.module} import ${n.name}`, stmt: s.span, replaceable: false });
    }
  }

  private ifChain(branches: { test: Expr | null; body: Stmt[] }[], i: number, s: Span): void {
    const br = branches[i];
    if (!br) return;
    if (br.test === null) {
      this.block(br.body);
      return;
    }
    const cond = this.condition(br.test);
    if (cond === true) return this.block(br.body);
    if (cond === false) return this.ifChain(branches, i + 1, s);
    // unknown condition: run both sides and merge
    const condText = this.src(br.test.span);
    const why: Why = { kind: 'branch', detail: condText };
    const before = this.clone();
    const inFunction = !this.frame().isModule;
    const side = (run: () => void): { state: State | null; err: PyError | null; ret: AV | null } => {
      try {
        run();
        return { state: this.state, err: null, ret: null };
      } catch (e) {
        if (e instanceof PyError) return { state: null, err: e, ret: null };
        if (e instanceof ReturnSignal && inFunction) return { state: null, err: null, ret: e.value };
        if (e instanceof BreakSignal || e instanceof ContinueSignal) throw new Undecidable([why]);
        throw e;
      }
    };
    const a = side(() => this.block(br.body));
    this.state = this.clone(before);
    const b = side(() => this.ifChain(branches, i + 1, s));
    const rets = [a.ret, b.ret].filter((x): x is AV => x !== null);
    if (a.state && b.state) this.state = this.merge(a.state, b.state, condText, why);
    else if (a.state || b.state) {
      this.state = (a.state ?? b.state)!;
      // the other side returned: remember its value for the function's result
      if (rets.length) this.frame().pendingReturns = [...(this.frame().pendingReturns ?? []), ...rets.map((r) => withWhy(r, why))];
    } else if (rets.length === 2) throw new ReturnSignal(unionAV(rets[0]!, rets[1]!, why));
    else if (rets.length === 1) throw new ReturnSignal(rets[0]!);
    else throw a.err ?? b.err;
  }

  /** The truth value of a condition, or null when unknown. */
  private condition(e: Expr): boolean | null {
    const v = this.expr(e);
    if (!isUnknown(v)) {
      try {
        return truthy(v);
      } catch {
        return null;
      }
    }
    const c = v.candidates;
    if (c && c.length) {
      const truths = c.map((x) => {
        try {
          return truthy(x);
        } catch {
          return null;
        }
      });
      if (truths.every((t) => t === true)) return true;
      if (truths.every((t) => t === false)) return false;
    }
    return null;
  }

  private tryStmt(s: Extract<Stmt, { k: 'try' }>): void {
    const before = this.clone();
    const riskBefore = this.risk;
    let raised: PyError | null = null;
    try {
      this.block(s.body);
    } catch (e) {
      if (!(e instanceof PyError)) {
        if (s.finalbody.length) this.block(s.finalbody);
        throw e;
      }
      raised = e;
    }
    const handlers = s.handlers;
    const matches = (h: (typeof handlers)[number], errType: string | null): boolean | null => {
      if (!h.type) return true;
      const t = this.expr(h.type);
      const names = isUnknown(t) ? null : t.t === 'tuple' ? t.items : [t];
      if (!names) return null;
      if (errType === null) return true;
      return names.some((n) => n.t === 'exc' && excMatches(errType, n.name));
    };
    if (raised) {
      const h = handlers.find((x) => matches(x, raised!.type) !== false);
      if (!h) {
        if (s.finalbody.length) this.block(s.finalbody);
        throw raised;
      }
      if (h.name) this.bind(h.name, { value: unknown([{ kind: 'exception', detail: raised.type }]), span: h.span, text: h.name, stmt: h.span, replaceable: false });
      this.block(h.body);
    } else {
      this.block(s.orelse);
      if (this.risk > riskBefore && handlers.length) {
        // the body touched unknown values and might have raised: each handler may have run too
        let result = this.state;
        const where = `the try block on line ${lineOf(this.text, s.span.start)}`;
        const why: Why = { kind: 'exception', detail: where };
        const halfway = this.merge(before, this.clone(result), where, why, (x, y) => `${y}, or ${x} if ${where} raises`);
        for (const h of handlers) {
          this.state = this.clone(halfway);
          try {
            if (h.name) this.bind(h.name, { value: unknown([why]), span: h.span, text: h.name, stmt: h.span, replaceable: false });
            this.block(h.body);
            result = this.merge(result, this.state, where, why, (x, y) => `${x}, or ${y} if ${where} raises`);
          } catch (e) {
            if (!(e instanceof PyError)) throw e;
            // a handler that re-raises: that path stops the module
          }
        }
        this.state = result;
      }
    }
    if (s.finalbody.length) this.block(s.finalbody);
  }

  private forStmt(s: Extract<Stmt, { k: 'for' }>): void {
    const it = this.expr(s.iter);
    let items: PyVal[] | null = null;
    if (!isUnknown(it)) {
      try {
        items = iterate(it);
      } catch (e) {
        if (e instanceof PyError) throw at(e, s.iter.span);
        items = null;
      }
    }
    if (items && items.length <= 1000) {
      const before = this.clone();
      try {
        this.unrolled(s, items);
      } catch (e) {
        if (!(e instanceof Undecidable)) throw e;
        this.state = before;
        this.unknownLoop(s.target, [...s.body, ...s.orelse], s.span, this.src(s.iter.span), e.why);
      }
      return;
    }
    this.unknownLoop(s.target, [...s.body, ...s.orelse], s.span, this.src(s.iter.span), whyOf(it));
  }

  private unrolled(s: Extract<Stmt, { k: 'for' }>, items: PyVal[]): void {
    {
      let broke = false;
      for (const item of items) {
        this.assignTo(s.target, item, s.iter.span, this.src(s.iter.span), s.span, false);
        try {
          this.block(s.body);
        } catch (e) {
          if (e instanceof BreakSignal) {
            broke = true;
            break;
          }
          if (e instanceof ContinueSignal) continue;
          throw e;
        }
      }
      if (!broke) this.block(s.orelse);
    }
  }

  private whileStmt(s: Extract<Stmt, { k: 'while' }>): void {
    for (let n = 0; n < 1000; n++) {
      const c = this.condition(s.test);
      if (c === false) {
        this.block(s.orelse);
        return;
      }
      if (c === null) break;
      try {
        this.block(s.body);
      } catch (e) {
        if (e instanceof BreakSignal) return;
        if (e instanceof ContinueSignal) continue;
        if (e instanceof Undecidable) break;
        throw e;
      }
    }
    this.unknownLoop(null, [...s.body, ...s.orelse], s.span, this.src(s.test.span), []);
  }

  /** A loop we cannot unroll: whatever it assigns becomes unknown. */
  private unknownLoop(target: Expr | null, body: Stmt[], s: Span, iterText: string, why: Why[]): void {
    const loopWhy: Why = { kind: 'loop', detail: iterText };
    const before = this.clone();
    if (target) this.assignTo(target, unknown(mergeWhy(why, [loopWhy])), s, iterText, s, false);
    try {
      this.block(body);
    } catch (e) {
      if (!(e instanceof PyError || e instanceof BreakSignal || e instanceof ContinueSignal || e instanceof Undecidable || e instanceof ReturnSignal)) throw e;
    }
    const after = this.state;
    this.state = this.merge(before, after, `the loop over ${iterText}`, loopWhy, (x) => `${x} (after the loop over ${iterText})`);
    // anything the body changed is unknown (it may have run any number of times)
    for (let i = 0; i < this.state.frames.length; i++) {
      const f = this.state.frames[i]!;
      for (const [name, b] of f.vars) {
        const old = before.frames[i]?.vars.get(name);
        if (old !== b) f.vars.set(name, { ...b, value: unknown(mergeWhy(isUnknown(b.value) ? b.value.why : [], [loopWhy])), replaceable: false });
      }
    }
  }

  // ------------------------------------------------------------ expressions

  expr(e: Expr): AV {
    this.tick();
    try {
      return this.exprInner(e);
    } catch (err) {
      // what the evaluator does not model (sorted(key=), round(x, n), str() of a builtin, ...)
      // is an unknown value, never a failure of the whole file
      if (err instanceof Unsupported) return unknown([{ kind: 'unsupported', detail: err.message }]);
      throw at(err, e.span);
    }
  }

  private exprInner(e: Expr): AV {
    switch (e.k) {
      case 'name':
        return this.lookup(e.id, e.span);
      case 'num':
        return numberValue(e.text);
      case 'str':
        return this.string(e.parts, e.bytes);
      case 'const':
        return e.value === 'None' ? NONE : e.value === 'True' ? TRUE : e.value === 'False' ? FALSE : unknown([{ kind: 'unsupported', detail: '...' }]);
      case 'unary': {
        const v = this.expr(e.operand);
        return lift([v], ([x]) => unaryOp(e.op, x!));
      }
      case 'bin': {
        const a = this.expr(e.left);
        const b = this.expr(e.right);
        if ((isUnknown(a) || isUnknown(b)) && !(possible(a) && possible(b))) this.risk++;
        return lift([a, b], ([x, y]) => binaryOp(e.op, x!, y!));
      }
      case 'bool':
        return this.boolOp(e);
      case 'compare':
        return this.compare(e);
      case 'ifexp': {
        const c = this.condition(e.test);
        if (c === true) return this.expr(e.body);
        if (c === false) return this.expr(e.orelse);
        const a = this.speculate(e.body);
        const b = this.speculate(e.orelse);
        const cands = [possible(a), possible(b)];
        const why = mergeWhy(whyOf(this.speculate(e.test)), whyOf(a, b), [{ kind: 'branch', detail: this.src(e.test.span) }]);
        return cands.every((x) => x !== null) ? unknown(why, dedupe(cands.flat() as PyVal[])) : unknown(why);
      }
      case 'lambda': {
        const id = ++funcCounter;
        const defaults = e.params.map((p) => (p.default ? this.expr(p.default) : null));
        this.funcs.set(id, { id, name: '<lambda>', params: e.params, defaults, body: null, lambdaBody: e.body, globals: [], span: e.span });
        return { t: 'func', name: '<lambda>', qualname: '<lambda>', arity: arity(e.params), id };
      }
      case 'call':
        return this.call(e);
      case 'attr': {
        const obj = this.expr(e.obj);
        if (isUnknown(obj)) {
          this.risk++;
          return unknown(obj.why);
        }
        return this.attrOf(obj, e.name, e.span);
      }
      case 'subscript': {
        const obj = this.expr(e.obj);
        if (e.index.k === 'slice') {
          const sl = e.index;
          const parts = [sl.lower, sl.upper, sl.step].map((x) => (x ? this.expr(x) : NONE));
          return lift([obj, ...parts], ([o, lo, hi, st]) => sliceValue(o!, lo!, hi!, st!));
        }
        const key = this.expr(e.index);
        if (obj.t === 'environ') return this.envGet(key, null, true, this.src(e.span));
        if (isUnknown(obj) || isUnknown(key)) this.risk++;
        return lift([obj, key], ([o, k]) => getItem(o!, k!));
      }
      case 'slice':
        return unknown([{ kind: 'unsupported', detail: 'slice' }]);
      case 'tuple':
      case 'list':
      case 'set': {
        const items: AV[] = [];
        for (const el of e.elts) {
          if (el.k === 'starred') {
            const v = this.expr(el.value);
            if (isUnknown(v)) return unknown(v.why);
            items.push(...iterate(v));
          } else items.push(this.expr(el));
        }
        if (items.some(isUnknown)) return unknown(whyOf(...items));
        const vals = items as PyVal[];
        if (e.k === 'set') {
          for (const v of vals) if (!isHashable(v)) throw new PyError('TypeError', `unhashable type: '${typeName(v)}'`);
          return { t: 'set', items: dedupe(vals) };
        }
        return { t: e.k, items: vals };
      }
      case 'dict': {
        let entries: [PyVal, PyVal][] = [];
        const whys: Why[][] = [];
        for (const item of e.items) {
          if ('spread' in item) {
            const v = this.expr(item.spread);
            if (isUnknown(v)) whys.push(v.why);
            else if (v.t === 'dict') for (const [k, x] of v.entries) entries = dictSet(entries, k, x);
            else whys.push([{ kind: 'unsupported', detail: this.src(item.spread.span) }]);
          } else {
            const k = this.expr(item.key);
            const x = this.expr(item.value);
            if (isUnknown(k) || isUnknown(x)) whys.push(whyOf(k, x));
            else {
              if (!isHashable(k)) throw new PyError('TypeError', `unhashable type: '${typeName(k)}'`);
              entries = dictSet(entries, k, x);
            }
          }
        }
        if (whys.length) return unknown(mergeWhy(...whys));
        return { t: 'dict', entries };
      }
      case 'comp':
        return this.comprehension(e);
      case 'starred':
        return unknown([{ kind: 'unsupported', detail: 'starred expression' }]);
      case 'named': {
        const v = this.expr(e.value);
        this.bind(e.target, { value: v, span: e.value.span, text: this.src(e.value.span), stmt: e.span, replaceable: false });
        return v;
      }
      case 'unsupported':
        return unknown([{ kind: 'unsupported', detail: e.what }]);
    }
  }

  /** Evaluate for a value set: a known exception makes the path impossible, not the module fail. */
  private speculate(e: Expr): AV {
    const saved = this.clone();
    try {
      return this.expr(e);
    } catch (err) {
      if (err instanceof PyError) return unknown([{ kind: 'exception', detail: `${err.type}: ${err.pyMessage}` }]);
      throw err;
    } finally {
      this.state = saved;
    }
  }

  private boolOp(e: Extract<Expr, { k: 'bool' }>): AV {
    const a = this.expr(e.left);
    const pa = possible(a);
    if (!isUnknown(a)) {
      const t = truthy(a);
      if (e.op === 'or') return t ? a : this.expr(e.right);
      return t ? this.expr(e.right) : a;
    }
    const b = this.speculate(e.right);
    if (pa) {
      const out: PyVal[] = [];
      const pb = possible(b);
      for (const x of pa) {
        const t = truthy(x);
        if ((e.op === 'or' && t) || (e.op === 'and' && !t)) out.push(x);
        else if (pb) out.push(...pb);
        else return unknown(whyOf(a, b));
      }
      return unknown(whyOf(a, b), dedupe(out));
    }
    return unknown(whyOf(a, b));
  }

  private compare(e: Extract<Expr, { k: 'compare' }>): AV {
    let left = this.expr(e.first);
    let result: AV = TRUE;
    for (const { op, right } of e.rest) {
      const r = this.expr(right);
      if (!isUnknown(r) && r.t === 'environ' && (op === 'in' || op === 'not in')) {
        const has = this.envContains(left, this.src(e.span));
        const cur = op === 'in' ? has : lift([has], ([x]) => bool(!truthy(x!)));
        if (!isUnknown(cur) && !truthy(cur)) return cur;
        result = !isUnknown(result) && !isUnknown(cur) ? cur : lift([result, cur], ([x, y]) => (truthy(x!) ? y! : x!));
        left = r;
        continue;
      }
      const cur = lift([left, r], ([x, y]) => bool(compareOp(op, x!, y!)));
      if (!isUnknown(cur) && !truthy(cur)) return cur;
      result = !isUnknown(result) && !isUnknown(cur) ? cur : lift([result, cur], ([x, y]) => (truthy(x!) ? y! : x!));
      left = r;
    }
    return result;
  }

  private string(parts: StrPart[], bytes: boolean): AV {
    let out = '';
    const whys: Why[][] = [];
    for (const p of parts) {
      if ('lit' in p) {
        out += p.lit;
        continue;
      }
      let v = this.expr(p.expr);
      let spec = '';
      if (p.spec) {
        const s = this.string(p.spec, false);
        if (isUnknown(s)) whys.push(s.why);
        else spec = (s as { v: string }).v;
      }
      if (isUnknown(v)) {
        whys.push(v.why);
        continue;
      }
      const conv = p.conv ?? (p.selfDoc !== null && !p.spec ? 'r' : null);
      if (conv === 'r' || conv === 'a') v = str(repr(v));
      else if (conv === 's') v = str(toStr(v));
      if (p.selfDoc !== null) out += p.selfDoc;
      out += formatValue(v, spec);
    }
    if (whys.length) return unknown(mergeWhy(...whys));
    return bytes ? { t: 'bytes', v: out } : str(out);
  }

  private comprehension(e: Extract<Expr, { k: 'comp' }>): AV {
    if (e.kind === 'set' || e.kind === 'gen') {
      // generators are consumed by a call (join, sum, list...): evaluate like a list
    }
    const results: PyVal[] = [];
    const dictEntries: [PyVal, PyVal][] = [];
    this.state.frames.push({ vars: new Map(), globals: new Set(), isModule: false });
    try {
      const loop = (gi: number): Unknown | null => {
        if (gi === e.gens.length) {
          const v = this.expr(e.elt);
          if (isUnknown(v)) return v;
          if (e.kind === 'dict') {
            const x = this.expr(e.value!);
            if (isUnknown(x)) return x;
            dictEntries.push([v, x]);
          } else results.push(v);
          return null;
        }
        const g = e.gens[gi]!;
        const it = this.expr(g.iter);
        if (isUnknown(it)) return it;
        const items = iterate(it);
        if (items.length > 10_000) return unknown([{ kind: 'unsupported', detail: 'a very long loop' }]);
        for (const item of items) {
          this.assignTo(g.target, item, g.iter.span, '', g.iter.span, false);
          let ok = true;
          for (const cond of g.ifs) {
            const c = this.condition(cond);
            if (c === null) return unknown(whyOf(this.expr(cond)));
            if (!c) {
              ok = false;
              break;
            }
          }
          if (!ok) continue;
          const u = loop(gi + 1);
          if (u) return u;
        }
        return null;
      };
      const u = loop(0);
      if (u) return unknown(u.why);
    } catch (err) {
      if (err instanceof Unsupported) return unknown([{ kind: 'unsupported', detail: err.message }]);
      throw err;
    } finally {
      this.state.frames.pop();
    }
    if (e.kind === 'dict') {
      let entries: [PyVal, PyVal][] = [];
      for (const [k, v] of dictEntries) entries = dictSet(entries, k, v);
      return { t: 'dict', entries };
    }
    if (e.kind === 'set') return { t: 'set', items: dedupe(results) };
    return { t: e.kind === 'gen' ? 'list' : 'list', items: results };
  }

  // ------------------------------------------------------------ attributes and calls

  attrOf(obj: PyVal, name: string, s: Span): AV {
    if (obj.t === 'module') {
      if (!obj.known) return unknown([{ kind: 'import', detail: `${obj.name}.${name}` }]);
      const attrs = MODULE_ATTRS[obj.name];
      const a = attrs?.[name];
      if (a === 'unknown-machine') return unknown([{ kind: 'machine', detail: `${obj.name}.${name}` }]);
      if (a === 'unknown-fs') return unknown([{ kind: 'fs', detail: `${obj.name}.${name}` }]);
      if (a) return a;
      return unknown([{ kind: 'import', detail: `${obj.name}.${name}` }]);
    }
    if (obj.t === 'environ') {
      if (['get', 'setdefault', 'copy', 'keys', 'items', 'values', 'pop', 'update', '__contains__'].includes(name)) return { t: 'builtin', name: `environ.${name}`, self: obj };
      throw at(new PyError('AttributeError', `'_Environ' object has no attribute '${name}'`), s);
    }
    const method = METHODS[obj.t]?.has(name);
    if (method) return { t: 'builtin', name: `${obj.t}.${name}`, self: obj };
    if (obj.t === 'func' && name === '__name__') return str(obj.name);
    if (obj.t === 'func' || obj.t === 'class') return unknown([{ kind: 'unsupported', detail: `${obj.name}.${name}` }]);
    if (obj.t === 'exc') return unknown([{ kind: 'unsupported', detail: `${obj.name}.${name}` }]);
    throw at(new PyError('AttributeError', `'${typeName(obj)}' object has no attribute '${name}'`), s);
  }

  private args(args: Arg[]): { pos: AV[]; kw: Map<string, AV>; unknownSpread: Why[] | null } {
    const pos: AV[] = [];
    const kw = new Map<string, AV>();
    let unknownSpread: Why[] | null = null;
    for (const a of args) {
      if (a.kind === 'pos') pos.push(this.expr(a.value));
      else if (a.kind === 'kw') kw.set(a.name, this.expr(a.value));
      else if (a.kind === 'star') {
        const v = this.expr(a.value);
        if (isUnknown(v)) unknownSpread = mergeWhy(unknownSpread ?? [], v.why);
        else pos.push(...iterate(v));
      } else {
        const v = this.expr(a.value);
        if (isUnknown(v)) unknownSpread = mergeWhy(unknownSpread ?? [], v.why);
        else if (v.t === 'dict') for (const [k, x] of v.entries) if (k.t === 'str') kw.set(k.v, x);
      }
    }
    return { pos, kw, unknownSpread };
  }

  private call(e: Extract<Expr, { k: 'call' }>): AV {
    const fn = this.expr(e.func);
    const { pos, kw, unknownSpread } = this.args(e.args);
    const text = this.src(e.span);
    if (unknownSpread) {
      this.risk++;
      return unknown(mergeWhy(unknownSpread, [{ kind: 'call', detail: text }]));
    }
    if (isUnknown(fn)) {
      this.risk++;
      // calling something unknown may change mutable arguments: forget them
      this.forgetArgs(e.args, text);
      // a method of an unknown value (os.environ.get(...).lower()) is unknown for the same reasons
      const fromValue = e.func.k === 'attr' && fn.why.length > 0;
      return unknown(mergeWhy(fn.why, whyOf(...pos, ...kw.values()), fromValue ? [] : [{ kind: 'call', detail: text }]));
    }
    if (fn.t === 'func') return this.callUser(fn, pos, kw, text, e);
    if (fn.t === 'exc') return { t: 'builtin', name: `exc:${fn.name}`, self: pos[0] && !isUnknown(pos[0]) ? pos[0] : str('') };
    if (fn.t === 'class') {
      this.forgetArgs(e.args, text);
      return unknown([{ kind: 'call', detail: text }]);
    }
    if (fn.t !== 'builtin') throw new PyError('TypeError', `'${typeName(fn)}' object is not callable`);
    const r = this.builtin(fn, pos, kw, text, e);
    if (isUnknown(r) && r.why.some((w) => w.kind !== 'env' && w.kind !== 'cpu')) this.risk++;
    if (pos.some(isUnknown)) this.risk++;
    return r;
  }

  private forgetArgs(args: Arg[], text: string): void {
    for (const a of args) {
      if (a.value.k !== 'name') continue;
      const b = this.peekBinding(a.value.id);
      if (b && !isUnknown(b.value) && (b.value.t === 'list' || b.value.t === 'dict' || b.value.t === 'set')) {
        this.bind(a.value.id, { ...b, value: unknown([{ kind: 'call', detail: text }]), replaceable: false });
      }
    }
  }

  private callUser(fn: Extract<PyVal, { t: 'func' }>, pos: AV[], kw: Map<string, AV>, text: string, e: Extract<Expr, { k: 'call' }>): AV {
    const info = this.funcs.get(fn.id);
    const giveUp = (why: string): AV => {
      this.risk++;
      // the function may assign module globals: those become unknown
      if (info) for (const g of info.globals) {
        const b = this.state.frames[0]!.vars.get(g);
        this.state.frames[0]!.vars.set(g, { ...(b ?? { span: e.span, text: g, stmt: e.span }), value: unknown([{ kind: 'call', detail: text }]), replaceable: false, maybeUnset: !b });
      }
      this.forgetArgs(e.args, text);
      return unknown([{ kind: 'call', detail: why }]);
    };
    if (!info || this.depth > 20) return giveUp(text);
    // bind parameters
    const locals = new Map<string, Binding>();
    const mk = (v: AV): Binding => ({ value: v, span: e.span, text, stmt: e.span, replaceable: false });
    let pi = 0;
    const kwLeft = new Map(kw);
    for (let i = 0; i < info.params.length; i++) {
      const p = info.params[i]!;
      if (p.kind === 'star') {
        locals.set(p.name, mk(pos.slice(pi).some(isUnknown) ? unknown(whyOf(...pos.slice(pi))) : { t: 'tuple', items: pos.slice(pi) as PyVal[] }));
        pi = pos.length;
      } else if (p.kind === 'dstar') {
        const entries: [PyVal, PyVal][] = [];
        for (const [k, v] of kwLeft) {
          if (isUnknown(v)) return giveUp(text);
          entries.push([str(k), v]);
        }
        kwLeft.clear();
        locals.set(p.name, mk({ t: 'dict', entries }));
      } else if ((p.kind === 'pos' || p.kind === 'posonly') && pi < pos.length) locals.set(p.name, mk(pos[pi++]!));
      else if (p.kind !== 'posonly' && kwLeft.has(p.name)) {
        locals.set(p.name, mk(kwLeft.get(p.name)!));
        kwLeft.delete(p.name);
      } else if (info.defaults[i]) locals.set(p.name, mk(info.defaults[i]!));
      else throw new PyError('TypeError', `${info.name}() missing 1 required positional argument: '${p.name}'`);
    }
    if (pi < pos.length) throw new PyError('TypeError', `${info.name}() takes ${info.params.length} positional arguments but ${pos.length} were given`);
    if (kwLeft.size) throw new PyError('TypeError', `${info.name}() got an unexpected keyword argument '${[...kwLeft.keys()][0]}'`);
    this.depth++;
    this.state.frames.push({ vars: locals, globals: new Set(info.globals), isModule: false });
    const finish = (v: AV): AV => {
      const pending = this.frame().pendingReturns ?? [];
      return pending.reduce((acc, p) => unionAV(acc, p, null), v);
    };
    try {
      if (info.lambdaBody) return this.expr(info.lambdaBody);
      this.block(info.body ?? []);
      return finish(NONE);
    } catch (err) {
      if (err instanceof ReturnSignal) return finish(err.value);
      if (err instanceof Budget) throw err;
      if (err instanceof PyError) {
        // raised on every path we could follow; with returns pending, it may not be raised at all
        if (this.frame().pendingReturns?.length) return finish(unknown([{ kind: 'exception', detail: `${err.type} in ${info.name}()` }]));
        throw err;
      }
      if (err instanceof Unsupported || err instanceof Undecidable) return giveUp(text);
      throw err;
    } finally {
      this.state.frames.pop();
      this.depth--;
    }
  }

  private envContains(key: AV, text: string): AV {
    if (isUnknown(key)) return unknown(mergeWhy(key.why, [{ kind: 'env', detail: text }]));
    if (key.t !== 'str') throw new PyError('TypeError', `str expected, not ${typeName(key)}`);
    const known = this.state.env.get(key.v);
    if (known !== undefined && known !== null) return TRUE;
    if (known === null || this.opts.envComplete) return FALSE;
    return unknown([{ kind: 'env', detail: key.v }]);
  }

  private envGet(key: AV, def: AV | null, subscript: boolean, text: string): AV {
    if (isUnknown(key)) return unknown(mergeWhy(key.why, [{ kind: 'env', detail: text }]));
    if (key.t !== 'str') throw new PyError('TypeError', `str expected, not ${typeName(key)}`);
    const name = key.v;
    const known = this.state.env.get(name);
    if (known !== undefined && known !== null) return known;
    if (known === null || this.opts.envComplete) {
      if (subscript) throw new PyError('KeyError', reprStr(name));
      return def ?? NONE;
    }
    return unknown(mergeWhy(def && isUnknown(def) ? def.why : [], [{ kind: 'env', detail: name }]));
  }

  private builtin(fn: Extract<PyVal, { t: 'builtin' }>, pos: AV[], kw: Map<string, AV>, text: string, e: Extract<Expr, { k: 'call' }>): AV {
    const a0 = pos[0];
    const a1 = pos[1];
    const name = fn.name;
    const need = (n: number) => {
      if (pos.length < n) throw new PyError('TypeError', `${name.split('.').pop()}() takes at least ${n} argument${n === 1 ? '' : 's'} (${pos.length} given)`);
    };
    if (CPU_FUNCS.has(name)) return unknown([{ kind: 'cpu', detail: text }]);
    switch (name) {
      case 'os.getenv':
      case 'environ.get':
        need(1);
        return this.envGet(a0!, a1 ?? kw.get('default') ?? null, false, text);
      case 'environ.setdefault': {
        need(1);
        const cur = this.envGet(a0!, a1 ?? NONE, false, text);
        if (!isUnknown(a0!) && a0!.t === 'str') {
          if (isUnknown(cur) && !this.opts.envComplete) this.state.env.set(a0!.v, cur);
          else this.state.env.set(a0!.v, cur);
        }
        return cur;
      }
      case 'environ.__contains__':
        need(1);
        return this.envContains(a0!, text);
      case 'environ.pop':
      case 'environ.copy':
      case 'environ.keys':
      case 'environ.items':
      case 'environ.values':
      case 'environ.update':
        return unknown([{ kind: 'env', detail: text }]);
      case 'os.putenv':
        return NONE;
      case 'os.getcwd':
      case 'os.getpid':
      case 'os.geteuid':
      case 'os.getegid':
      case 'os.getuid':
      case 'os.getgid':
      case 'socket.gethostname':
        return unknown([{ kind: 'machine', detail: text }]);
      case 'os.system':
      case 'os.makedirs':
      case 'os.mkdir':
      case 'os.listdir':
      case 'os.remove':
      case 'os.unlink':
      case 'open':
      case 'os.path.exists':
      case 'os.path.isfile':
      case 'os.path.isdir':
      case 'os.path.realpath':
      case 'os.path.expanduser':
      case 'input':
        return unknown([{ kind: 'fs', detail: text }]);
      case 'os.path.join':
        return lift(pos, (vals) => {
          let out = '';
          for (const v of vals) {
            if (v.t !== 'str') throw new PyError('TypeError', `join() argument must be str, bytes, or os.PathLike object, not '${typeName(v)}'`);
            if (v.v.startsWith('/')) out = v.v;
            else if (out === '' || out.endsWith('/')) out += v.v;
            else out += '/' + v.v;
          }
          return str(out);
        });
      case 'os.path.dirname':
        return lift([a0!], ([v]) => {
          const s = strArg(v!);
          const i = s.lastIndexOf('/') + 1;
          let head = s.slice(0, i);
          if (head && head !== '/'.repeat(head.length)) head = trimTrailing(head, '/');
          return str(head);
        });
      case 'os.path.basename':
        return lift([a0!], ([v]) => str(strArg(v!).slice(strArg(v!).lastIndexOf('/') + 1)));
      case 'os.path.normpath':
        return lift([a0!], ([v]) => str(normpath(strArg(v!))));
      case 'os.path.abspath':
        return lift([a0!], ([v]) => {
          const s = strArg(v!);
          if (!s.startsWith('/')) throw new Unsupported('relative path');
          return str(normpath(s));
        });
      case 'os.path.splitext':
        return lift([a0!], ([v]) => {
          const s = strArg(v!);
          const base = s.slice(s.lastIndexOf('/') + 1);
          const dot = base.lastIndexOf('.');
          if (dot <= 0 || /^\.+$/.test(base.slice(0, dot + 1))) return { t: 'tuple', items: [str(s), str('')] };
          const cut = s.length - base.length + dot;
          return { t: 'tuple', items: [str(s.slice(0, cut)), str(s.slice(cut))] };
        });
      case 'sys.exit': {
        const code = a0 ?? NONE;
        throw new PyError('SystemExit', isUnknown(code) ? '?' : code.t === 'none' ? '' : toStr(code));
      }
      case 'exit':
      case 'quit':
        throw new PyError('SystemExit', a0 && !isUnknown(a0) && a0.t !== 'none' ? toStr(a0) : '');
      case 'print':
        return NONE;
      case 'eval':
      case 'exec':
      case '__import__':
      case 'getattr':
      case 'globals':
      case 'locals':
      case 'vars':
      case 'json.loads':
      case 'json.dumps':
        return unknown([{ kind: 'call', detail: text }]);
      case 'math.ceil':
      case 'math.floor':
        return lift([a0!], ([v]) => {
          if (v!.t === 'int' || v!.t === 'bool') return int(v!.t === 'int' ? v!.v : v!.v ? 1n : 0n);
          if (v!.t !== 'float') throw new PyError('TypeError', `must be real number, not ${typeName(v!)}`);
          return int(BigInt(name === 'math.ceil' ? Math.ceil(v!.v) : Math.floor(v!.v)));
        });
    }
    if (name.startsWith('exc:')) return unknown([{ kind: 'call', detail: text }]);
    if (fn.self !== undefined) return this.method(fn, fn.self, pos, kw, text, e);
    return callBuiltinFunction(name, pos, kw, text);
  }

  private method(fn: Extract<PyVal, { t: 'builtin' }>, self: PyVal, pos: AV[], kw: Map<string, AV>, text: string, e: Extract<Expr, { k: 'call' }>): AV {
    const m = fn.name.slice(fn.name.indexOf('.') + 1);
    // mutating methods rebind the receiver name to the new value
    if ((self.t === 'list' || self.t === 'dict' || self.t === 'set') && MUTATORS.has(m)) {
      const target = e.func.k === 'attr' && e.func.obj.k === 'name' ? e.func.obj.id : null;
      const res = lift([self, ...pos, ...kw.values()], (vals) => {
        const r = mutate(m, vals[0]!, vals.slice(1, 1 + pos.length), kw);
        return { t: 'tuple', items: [r.value, r.result] };
      });
      if (target) {
        const prev = this.peekBinding(target);
        if (prev) {
          const newVal: AV = isUnknown(res) ? unknown(mergeWhy(res.why, [{ kind: 'call', detail: text }])) : (res as { items: PyVal[] }).items[0]!;
          this.bind(target, { ...prev, value: newVal, text: `${prev.text} (then ${text})`, replaceable: false });
        }
      }
      return isUnknown(res) ? unknown(res.why) : (res as { items: PyVal[] }).items[1]!;
    }
    return lift([...pos, ...kw.values()], (vals) => callMethod(self, m, vals.slice(0, pos.length), new Map([...kw.keys()].map((k, i) => [k, vals[pos.length + i]!]))));
  }
}

function withWhy(v: AV, why: Why): AV {
  return isUnknown(v) ? unknown(mergeWhy(v.why, [why]), v.candidates) : unknown([why], [v]);
}

/** One of two values (both possible): a value set when both are known. */
function unionAV(a: AV, b: AV, why: Why | null): AV {
  if (!isUnknown(a) && !isUnknown(b) && a.t === b.t && safeEquals(a, b)) return a;
  const pa = possible(a);
  const pb = possible(b);
  const whys = mergeWhy(whyOf(a, b), why ? [why] : []);
  return pa && pb ? unknown(whys, dedupe([...pa, ...pb])) : unknown(whys);
}

function lineOf(text: string, offset: number): number {
  let n = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

function spanOfError(e: PyError): Span | undefined {
  return (e as PyError & { span?: Span }).span;
}

/** Attach the innermost span to an exception on its way out. */
function at(err: unknown, s: Span): unknown {
  if (err instanceof PyError && !(err as PyError & { span?: Span }).span) (err as PyError & { span?: Span }).span = s;
  if (err instanceof Unsupported) return err;
  return err;
}

function reprStr(s: string): string {
  return repr(str(s));
}

function arity(params: Param[]): number {
  return params.filter((p) => p.kind === 'pos' || p.kind === 'posonly').length;
}

function mergeBinding(x: Binding | undefined, y: Binding | undefined, fmt: (x: string, y: string) => string, why: Why): Binding | undefined {
  if (x === y) return x;
  if (!x && !y) return undefined;
  if (x && y && !isUnknown(x.value) && !isUnknown(y.value) && x.value.t === y.value.t && safeEquals(x.value, y.value) && !x.maybeUnset && !y.maybeUnset) {
    const [first, last] = x.span.start <= y.span.start ? [x, y] : [y, x];
    return { ...last, alsoAt: [...(last.alsoAt ?? []), first.span] };
  }
  const vals = [x?.value, y?.value].filter((v): v is AV => v !== undefined);
  const sets = vals.map(possible);
  const cands = sets.every((s) => s !== null) ? dedupe(sets.flat() as PyVal[]) : undefined;
  const whys = mergeWhy(...vals.filter(isUnknown).map((v) => v.why), [why]);
  const tx = x ? x.text : '(not set)';
  const ty = y ? y.text : '(not set)';
  let text = tx === ty ? tx : fmt(tx, ty);
  if (text.length > 200) text = text.slice(0, 197) + '...';
  const base = (x && y ? (x.span.start >= y.span.start ? x : y) : (x ?? y))!;
  return {
    value: unknown(whys, cands),
    span: base.span,
    stmt: base.stmt,
    text,
    replaceable: false,
    maybeUnset: !x || !y || x.maybeUnset || y.maybeUnset,
  };
}

function numberValue(text: string): AV {
  const t = text.replace(/_/g, '');
  if (/[jJ]$/.test(t)) return unknown([{ kind: 'unsupported', detail: 'complex number' }]);
  const i = parseIntLiteral(t);
  if (i !== null) return int(i);
  // 0777: a Python 2 octal literal (a syntax error in Python 3, reported by the parser)
  if (/^0\d+$/.test(t)) return unknown([{ kind: 'unsupported', detail: `${text} (Python 2 octal literal)` }]);
  const n = Number(t);
  if (!Number.isNaN(n)) return float(n);
  // 0777: a Python 2 octal literal (a syntax error in Python 3, reported by the parser)
  if (/^0\d+$/.test(t)) return unknown([{ kind: 'unsupported', detail: `${text} (Python 2 octal literal)` }]);
  return unknown([{ kind: 'unsupported', detail: text }]);
}

function moduleValue(name: string): PyVal {
  return { t: 'module', name, known: MODELED_MODULES.has(name) };
}

const EXC_NAMES = new Set(Object.keys(EXC_PARENT));

function builtinValue(name: string): AV | null {
  if (EXC_NAMES.has(name)) return { t: 'exc', name };
  if (name === '__name__') return str('__config__');
  if (name === '__file__') return unknown([{ kind: 'machine', detail: '__file__' }]);
  if (PY_BUILTINS.has(name)) return { t: 'builtin', name };
  return null;
}

function excFromValue(e: PyVal, text: string): PyError {
  if (e.t === 'exc') return new PyError(e.name, '');
  if (e.t === 'builtin' && e.name.startsWith('exc:')) return new PyError(e.name.slice(4), e.self ? toStr(e.self) : '');
  return new PyError('TypeError', `exceptions must derive from BaseException (${text})`);
}

function strArg(v: PyVal): string {
  if (v.t !== 'str') throw new PyError('TypeError', `expected str, bytes or os.PathLike object, not ${typeName(v)}`);
  return v.v;
}

function normpath(p: string): string {
  if (p === '') return '.';
  const initial = p.startsWith('//') && !p.startsWith('///') ? '//' : p.startsWith('/') ? '/' : '';
  const out: string[] = [];
  for (const c of p.split('/')) {
    if (c === '' || c === '.') continue;
    if (c === '..' && (out.length === 0 ? !initial : out[out.length - 1] !== '..')) {
      if (out.length) out.pop();
      else if (!initial) out.push(c);
      continue;
    }
    if (c === '..' && !initial && out.length === 0) out.push(c);
    else if (c === '..') out.push(c);
    else out.push(c);
  }
  const s = initial + out.join('/');
  return s || '.';
}

function inplace(op: string, a: PyVal, b: PyVal): PyVal {
  if (op === '+' && a.t === 'list') {
    return { t: 'list', items: [...a.items, ...iterate(b)] };
  }
  return binaryOp(op, a, b);
}

function dictSet(entries: [PyVal, PyVal][], k: PyVal, v: PyVal): [PyVal, PyVal][] {
  const i = entries.findIndex(([k2]) => safeEquals(k, k2));
  if (i >= 0) {
    const copy = [...entries];
    copy[i] = [entries[i]![0], v];
    return copy;
  }
  return [...entries, [k, v]];
}

function indexOf(len: number, k: PyVal, what: string): number {
  if (k.t !== 'int' && k.t !== 'bool') throw new PyError('TypeError', `${what} indices must be integers or slices, not ${typeName(k)}`);
  let i = Number(k.t === 'bool' ? (k.v ? 1n : 0n) : k.v);
  if (i < 0) i += len;
  if (i < 0 || i >= len) throw new PyError('IndexError', `${what} index out of range`);
  return i;
}

function getItem(o: PyVal, k: PyVal): PyVal {
  switch (o.t) {
    case 'list':
    case 'tuple':
      return o.items[indexOf(o.items.length, k, o.t)]!;
    case 'str': {
      const chars = [...o.v];
      return str(chars[indexOf(chars.length, k, 'string')]!);
    }
    case 'dict': {
      const e = o.entries.find(([k2]) => safeEquals(k, k2));
      if (!e) throw new PyError('KeyError', repr(k));
      return e[1];
    }
    default:
      throw new PyError('TypeError', `'${typeName(o)}' object is not subscriptable`);
  }
}

function setItem(o: PyVal, k: PyVal, v: PyVal, s: Span): PyVal {
  if (o.t === 'dict') {
    if (!isHashable(k)) throw at(new PyError('TypeError', `unhashable type: '${typeName(k)}'`), s) as Error;
    return { t: 'dict', entries: dictSet(o.entries, k, v) };
  }
  if (o.t === 'list') {
    const items = [...o.items];
    items[indexOf(items.length, k, 'list assignment')] = v;
    return { t: 'list', items };
  }
  throw at(new PyError('TypeError', `'${typeName(o)}' object does not support item assignment`), s) as Error;
}

function sliceValue(o: PyVal, lo: PyVal, hi: PyVal, st: PyVal): PyVal {
  const num = (v: PyVal): number | null => (v.t === 'none' ? null : v.t === 'int' ? Number(v.v) : v.t === 'bool' ? Number(v.v) : (() => { throw new PyError('TypeError', 'slice indices must be integers or None or have an __index__ method'); })());
  const seq = o.t === 'str' ? [...o.v].map(str) : o.t === 'list' || o.t === 'tuple' ? o.items : null;
  if (!seq) throw new PyError('TypeError', `'${typeName(o)}' object is not subscriptable`);
  const n = seq.length;
  const step = num(st) ?? 1;
  if (step === 0) throw new PyError('ValueError', 'slice step cannot be zero');
  const clamp = (v: number | null, def: number, lowB: number, highB: number) => {
    if (v === null) return def;
    let x = v < 0 ? v + n : v;
    x = Math.max(lowB, Math.min(highB, x));
    return x;
  };
  const out: PyVal[] = [];
  if (step > 0) {
    const a = clamp(num(lo), 0, 0, n);
    const b = clamp(num(hi), n, 0, n);
    for (let i = a; i < b; i += step) out.push(seq[i]!);
  } else {
    const a = clamp(num(lo), n - 1, -1, n - 1);
    const b = clamp(num(hi), -1, -1, n - 1);
    for (let i = a; i > b; i += step) out.push(seq[i]!);
  }
  if (o.t === 'str') return str(out.map((x) => (x as { v: string }).v).join(''));
  return { t: o.t as 'list' | 'tuple', items: out };
}

const METHODS: Partial<Record<PyVal['t'], Set<string>>> = {
  str: new Set('upper lower strip lstrip rstrip split rsplit splitlines join replace startswith endswith format title capitalize casefold zfill isdigit isnumeric isdecimal isalpha isalnum isspace isupper islower removeprefix removesuffix partition rpartition find rfind index rindex count center ljust rjust encode swapcase'.split(' ')),
  bytes: new Set(['decode']),
  list: new Set('append extend insert pop remove index count copy clear reverse sort'.split(' ')),
  tuple: new Set(['index', 'count']),
  dict: new Set('get keys values items update setdefault copy pop clear'.split(' ')),
  set: new Set('add update discard remove copy union intersection difference'.split(' ')),
  int: new Set(['bit_length', 'to_bytes']),
  float: new Set(['is_integer']),
};

const MUTATORS = new Set(['append', 'extend', 'insert', 'pop', 'remove', 'clear', 'reverse', 'sort', 'update', 'setdefault', 'add', 'discard']);

const exactlyOne = (name: string) => [1, `${name}() takes exactly one argument (0 given)`] as const;
const atLeast = (name: string, k: number, style: 'expected' | 'takes') =>
  [k, style === 'expected' ? `${name} expected ${k === 1 ? 'at least 1 argument' : `at least ${k} arguments`}, got {n}` : `${name}() takes at least ${k} argument (0 given)`] as const;

/** Methods called with too few positional arguments: [how many they need, CPython 3.11's TypeError] ({n}: how many were given). */
const METHOD_ARITY: Record<string, readonly [number, string]> = {
  ...Object.fromEntries(['append', 'extend', 'remove', 'count'].map((m) => [`list.${m}`, exactlyOne(`list.${m}`)])),
  'list.insert': [2, 'insert expected 2 arguments, got {n}'],
  'list.index': atLeast('index', 1, 'expected'),
  ...Object.fromEntries(['get', 'setdefault', 'pop'].map((m) => [`dict.${m}`, atLeast(m, 1, 'expected')])),
  ...Object.fromEntries(['add', 'discard', 'remove'].map((m) => [`set.${m}`, exactlyOne(`set.${m}`)])),
  ...Object.fromEntries(['join', 'zfill', 'removeprefix', 'removesuffix', 'partition', 'rpartition'].map((m) => [`str.${m}`, exactlyOne(`str.${m}`)])),
  ...Object.fromEntries(['startswith', 'endswith', 'find', 'rfind', 'index', 'rindex', 'count'].map((m) => [`str.${m}`, atLeast(m, 1, 'takes')])),
  ...Object.fromEntries(['center', 'ljust', 'rjust'].map((m) => [`str.${m}`, atLeast(m, 1, 'expected')])),
  'str.replace': atLeast('replace', 2, 'expected'),
};

/** The methods of METHODS that take keyword arguments (CPython 3.11); the others take none. */
const KEYWORD_METHODS = new Set(['str.split', 'str.rsplit', 'str.splitlines', 'str.encode', 'str.format', 'bytes.decode', 'list.sort', 'dict.update', 'int.to_bytes']);

/** `"-".join(x=1)`: CPython's TypeError for a method that takes no keyword arguments. */
function checkKeywords(self: PyVal, m: string, kw: Map<string, unknown>): void {
  if (kw.size > 0 && !KEYWORD_METHODS.has(`${self.t}.${m}`)) throw new PyError('TypeError', `${self.t}.${m}() takes no keyword arguments`);
}

function checkArity(self: PyVal, m: string, given: number): void {
  const a = METHOD_ARITY[`${self.t}.${m}`];
  if (a && given < a[0]) throw new PyError('TypeError', a[1].replace('{n}', String(given)));
}

function mutate(m: string, self: PyVal, args: PyVal[], kw: Map<string, AV>): { value: PyVal; result: PyVal } {
  checkKeywords(self, m, kw);
  checkArity(self, m, args.length);
  if (self.t === 'list') {
    const items = [...self.items];
    switch (m) {
      case 'append':
        items.push(args[0]!);
        return { value: { t: 'list', items }, result: NONE };
      case 'extend':
        items.push(...iterate(args[0]!));
        return { value: { t: 'list', items }, result: NONE };
      case 'insert': {
        let i = Number((args[0] as { v: bigint }).v);
        if (i < 0) i = Math.max(0, i + items.length);
        items.splice(Math.min(i, items.length), 0, args[1]!);
        return { value: { t: 'list', items }, result: NONE };
      }
      case 'pop': {
        if (!items.length) throw new PyError('IndexError', 'pop from empty list');
        const i = args[0] ? indexOf(items.length, args[0], 'pop') : items.length - 1;
        const [r] = items.splice(i, 1);
        return { value: { t: 'list', items }, result: r! };
      }
      case 'remove': {
        const i = items.findIndex((x) => safeEquals(x, args[0]!));
        if (i < 0) throw new PyError('ValueError', 'list.remove(x): x not in list');
        items.splice(i, 1);
        return { value: { t: 'list', items }, result: NONE };
      }
      case 'clear':
        return { value: { t: 'list', items: [] }, result: NONE };
      case 'reverse':
        return { value: { t: 'list', items: items.reverse() }, result: NONE };
      case 'sort':
        throw new Unsupported('list.sort');
    }
  }
  if (self.t === 'dict') {
    let entries = [...self.entries];
    switch (m) {
      case 'update': {
        const other = args[0];
        if (other && other.t === 'dict') for (const [k, v] of other.entries) entries = dictSet(entries, k, v);
        else if (other) throw new Unsupported('dict.update');
        for (const [k, v] of kw) {
          if (isUnknown(v)) throw new Unsupported('dict.update');
          entries = dictSet(entries, str(k), v);
        }
        return { value: { t: 'dict', entries }, result: NONE };
      }
      case 'setdefault': {
        const e = entries.find(([k]) => safeEquals(k, args[0]!));
        if (e) return { value: self, result: e[1] };
        const v = args[1] ?? NONE;
        return { value: { t: 'dict', entries: dictSet(entries, args[0]!, v) }, result: v };
      }
      case 'pop': {
        const i = entries.findIndex(([k]) => safeEquals(k, args[0]!));
        if (i < 0) {
          if (args[1]) return { value: self, result: args[1] };
          throw new PyError('KeyError', repr(args[0]!));
        }
        const r = entries[i]![1];
        entries.splice(i, 1);
        return { value: { t: 'dict', entries }, result: r };
      }
      case 'clear':
        return { value: { t: 'dict', entries: [] }, result: NONE };
    }
  }
  if (self.t === 'set') {
    switch (m) {
      case 'add':
        return { value: { t: 'set', items: dedupe([...self.items, args[0]!]) }, result: NONE };
      case 'discard':
      case 'remove':
        return { value: { t: 'set', items: self.items.filter((x) => !safeEquals(x, args[0]!)) }, result: NONE };
      case 'update':
        return { value: { t: 'set', items: dedupe([...self.items, ...args.flatMap((a) => iterate(a))]) }, result: NONE };
    }
  }
  throw new Unsupported(`${self.t}.${m}`);
}

function callMethod(self: PyVal, m: string, args: PyVal[], kw: Map<string, PyVal>): PyVal {
  checkKeywords(self, m, kw);
  checkArity(self, m, args.length + kw.size);
  const sarg = (i: number, name: string): string | undefined => {
    const v = args[i] ?? kw.get(name);
    if (v === undefined || v.t === 'none') return undefined;
    if (v.t !== 'str') throw new PyError('TypeError', `must be str or None, not ${typeName(v)}`);
    return v.v;
  };
  if (self.t === 'str') {
    const s = self.v;
    switch (m) {
      case 'upper':
        return str(s.toUpperCase());
      case 'lower':
      case 'casefold':
        return str(s.toLowerCase());
      case 'swapcase':
        return str([...s].map((c) => (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase())).join(''));
      case 'strip':
        return str(pyStrip(s, sarg(0, 'chars')));
      case 'lstrip':
        return str(pyStrip(s, sarg(0, 'chars'), 'left'));
      case 'rstrip':
        return str(pyStrip(s, sarg(0, 'chars'), 'right'));
      case 'split':
      case 'rsplit': {
        const sep = sarg(0, 'sep');
        const maxv = args[1] ?? kw.get('maxsplit');
        const max = maxv && maxv.t === 'int' ? Number(maxv.v) : -1;
        return { t: 'list', items: pySplit(s, sep, max, m === 'rsplit').map(str) };
      }
      case 'splitlines':
        return { t: 'list', items: s.split(/\r\n|[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]/).filter((x, i, a) => i < a.length - 1 || x !== '').map(str) };
      case 'join': {
        const items = iterate(args[0]!);
        return str(
          items
            .map((x, i) => {
              if (x.t !== 'str') throw new PyError('TypeError', `sequence item ${i}: expected str instance, ${typeName(x)} found`);
              return x.v;
            })
            .join(s),
        );
      }
      case 'replace': {
        const a = sarg(0, 'old') ?? '';
        const b = sarg(1, 'new') ?? '';
        const cnt = args[2] && args[2].t === 'int' ? Number(args[2].v) : -1;
        if (cnt < 0) return str(a === '' ? [...s].map((c) => b + c).join('') + b : s.split(a).join(b));
        let out = s;
        let idx = 0;
        for (let i = 0; i < cnt; i++) {
          const j = out.indexOf(a, idx);
          if (j < 0) break;
          out = out.slice(0, j) + b + out.slice(j + a.length);
          idx = j + b.length;
        }
        return str(out);
      }
      case 'startswith':
      case 'endswith': {
        const p = args[0]!;
        const opts = p.t === 'tuple' ? p.items : [p];
        return bool(opts.some((o) => o.t === 'str' && (m === 'startswith' ? s.startsWith(o.v) : s.endsWith(o.v))));
      }
      case 'format':
        return str(strFormat(s, args, kw));
      case 'title':
        return str(s.toLowerCase().replace(/(^|[^a-zA-Z])([a-z])/g, (_, a: string, b: string) => a + b.toUpperCase()));
      case 'capitalize':
        return str(s.charAt(0).toUpperCase() + s.slice(1).toLowerCase());
      case 'zfill': {
        const w = Number((args[0] as { v: bigint }).v);
        const sign = /^[+-]/.test(s) ? s[0]! : '';
        return str(sign + s.slice(sign.length).padStart(w - sign.length, '0'));
      }
      case 'isdigit':
      case 'isnumeric':
      case 'isdecimal':
        return bool(s.length > 0 && /^\d+$/.test(s));
      case 'isalpha':
        return bool(/^\p{L}+$/u.test(s));
      case 'isalnum':
        return bool(/^[\p{L}\p{N}]+$/u.test(s));
      case 'isspace':
        return bool(s.length > 0 && [...s].every((c) => /\s/.test(c)));
      case 'isupper':
        return bool(/\p{Lu}/u.test(s) && s === s.toUpperCase());
      case 'islower':
        return bool(/\p{Ll}/u.test(s) && s === s.toLowerCase());
      case 'removeprefix': {
        const p = sarg(0, 'prefix') ?? '';
        return str(s.startsWith(p) ? s.slice(p.length) : s);
      }
      case 'removesuffix': {
        const p = sarg(0, 'suffix') ?? '';
        return str(p && s.endsWith(p) ? s.slice(0, s.length - p.length) : s);
      }
      case 'partition':
      case 'rpartition': {
        const sep = sarg(0, 'sep') ?? '';
        if (!sep) throw new PyError('ValueError', 'empty separator');
        const i = m === 'partition' ? s.indexOf(sep) : s.lastIndexOf(sep);
        if (i < 0) return { t: 'tuple', items: m === 'partition' ? [str(s), str(''), str('')] : [str(''), str(''), str(s)] };
        return { t: 'tuple', items: [str(s.slice(0, i)), str(sep), str(s.slice(i + sep.length))] };
      }
      case 'find':
        return int(s.indexOf(sarg(0, 'sub') ?? ''));
      case 'rfind':
        return int(s.lastIndexOf(sarg(0, 'sub') ?? ''));
      case 'index':
      case 'rindex': {
        const i = m === 'index' ? s.indexOf(sarg(0, 'sub') ?? '') : s.lastIndexOf(sarg(0, 'sub') ?? '');
        if (i < 0) throw new PyError('ValueError', 'substring not found');
        return int(i);
      }
      case 'count':
        return int(s.split(sarg(0, 'sub') ?? '').length - 1);
      case 'center':
      case 'ljust':
      case 'rjust': {
        const w = Number((args[0] as { v: bigint }).v);
        const fill = sarg(1, 'fillchar') ?? ' ';
        const n = Math.max(0, w - [...s].length);
        if (m === 'ljust') return str(s + fill.repeat(n));
        if (m === 'rjust') return str(fill.repeat(n) + s);
        const left = Math.floor(n / 2) + (n % 2 && w % 2 ? 1 : 0);
        return str(fill.repeat(left) + s + fill.repeat(n - left));
      }
      case 'encode':
        return { t: 'bytes', v: Buffer.from(s, 'utf8').toString('latin1') };
    }
  }
  if (self.t === 'bytes' && m === 'decode') return str(Buffer.from(self.v, 'latin1').toString('utf8'));
  if (self.t === 'dict') {
    switch (m) {
      case 'get': {
        const e = self.entries.find(([k]) => safeEquals(k, args[0]!));
        return e ? e[1] : (args[1] ?? NONE);
      }
      case 'keys':
        return { t: 'list', items: self.entries.map(([k]) => k) };
      case 'values':
        return { t: 'list', items: self.entries.map(([, v]) => v) };
      case 'items':
        return { t: 'list', items: self.entries.map(([k, v]) => ({ t: 'tuple', items: [k, v] }) as PyVal) };
      case 'copy':
        return self;
    }
  }
  if (self.t === 'list' || self.t === 'tuple') {
    switch (m) {
      case 'index': {
        const i = self.items.findIndex((x) => safeEquals(x, args[0]!));
        if (i < 0) throw new PyError('ValueError', `${repr(args[0]!)} is not in list`);
        return int(i);
      }
      case 'count':
        return int(self.items.filter((x) => safeEquals(x, args[0]!)).length);
      case 'copy':
        return self;
    }
  }
  if (self.t === 'set') {
    const other = args[0] ? iterate(args[0]) : [];
    switch (m) {
      case 'copy':
        return self;
      case 'union':
        return { t: 'set', items: dedupe([...self.items, ...other]) };
      case 'intersection':
        return { t: 'set', items: self.items.filter((x) => other.some((y) => safeEquals(x, y))) };
      case 'difference':
        return { t: 'set', items: self.items.filter((x) => !other.some((y) => safeEquals(x, y))) };
    }
  }
  if (self.t === 'int' && m === 'bit_length') return int(self.v === 0n ? 0 : (self.v < 0n ? -self.v : self.v).toString(2).length);
  if (self.t === 'float' && m === 'is_integer') return bool(Number.isInteger(self.v));
  throw new Unsupported(`${self.t}.${m}`);
}

function pySplit(s: string, sep: string | undefined, max: number, fromRight: boolean): string[] {
  if (sep === undefined) {
    const words = s.split(/[\s\x1c-\x1f\x85]+/).filter((w) => w !== '');
    if (max < 0 || words.length <= max + 1) return words;
    // re-split keeping the remainder intact
    const out: string[] = [];
    let rest = fromRight ? s.trimEnd() : s.trimStart();
    for (let i = 0; i < max; i++) {
      if (fromRight) {
        const m = /^(.*?)\s*(\S+)$/s.exec(rest)!;
        out.unshift(m[2]!);
        rest = m[1]!.trimEnd();
      } else {
        const m = /^(\S+)\s*(.*)$/s.exec(rest)!;
        out.push(m[1]!);
        rest = m[2]!;
      }
    }
    return fromRight ? [rest, ...out] : [...out, rest];
  }
  if (sep === '') throw new PyError('ValueError', 'empty separator');
  const all = s.split(sep);
  if (max < 0 || all.length <= max + 1) return all;
  if (fromRight) return [all.slice(0, all.length - max).join(sep), ...all.slice(all.length - max)];
  return [...all.slice(0, max), all.slice(max).join(sep)];
}

/** str.format(*args, **kwargs). */
export function strFormat(fmt: string, args: PyVal[], kw: Map<string, PyVal>): string {
  let out = '';
  let auto = 0;
  let i = 0;
  while (i < fmt.length) {
    const c = fmt[i]!;
    if (c === '{' && fmt[i + 1] === '{') {
      out += '{';
      i += 2;
      continue;
    }
    if (c === '}' && fmt[i + 1] === '}') {
      out += '}';
      i += 2;
      continue;
    }
    if (c === '}') throw new PyError('ValueError', "Single '}' encountered in format string");
    if (c !== '{') {
      out += c;
      i++;
      continue;
    }
    // find the matching close brace (nested braces in the spec)
    let depth = 1;
    let j = i + 1;
    while (j < fmt.length && depth > 0) {
      if (fmt[j] === '{') depth++;
      else if (fmt[j] === '}') depth--;
      if (depth > 0) j++;
    }
    if (depth > 0) throw new PyError('ValueError', "Single '{' encountered in format string");
    const field = fmt.slice(i + 1, j);
    i = j + 1;
    const m = /^([^!:]*)(?:!([rsa]))?(?::(.*))?$/s.exec(field);
    if (!m) throw new PyError('ValueError', 'invalid format field');
    const ref = m[1]!;
    const head = /^[^.[]*/.exec(ref)![0];
    let v: PyVal;
    if (head === '') {
      const a = args[auto++];
      if (!a) throw new PyError('IndexError', `Replacement index ${auto - 1} out of range for positional args tuple`);
      v = a;
    } else if (/^\d+$/.test(head)) {
      const a = args[parseInt(head, 10)];
      if (!a) throw new PyError('IndexError', `Replacement index ${head} out of range for positional args tuple`);
      v = a;
    } else {
      const a = kw.get(head);
      if (!a) throw new PyError('KeyError', reprStr(head));
      v = a;
    }
    let rest = ref.slice(head.length);
    while (rest) {
      const idx = /^\[([^\]]*)\]/.exec(rest);
      if (idx) {
        const key = /^\d+$/.test(idx[1]!) ? int(parseInt(idx[1]!, 10)) : str(idx[1]!);
        v = getItem(v, key);
        rest = rest.slice(idx[0].length);
        continue;
      }
      throw new Unsupported('attribute in format field');
    }
    if (m[2] === 'r' || m[2] === 'a') v = str(repr(v));
    else if (m[2] === 's') v = str(toStr(v));
    const spec = m[3] !== undefined ? strFormat(m[3], args, kw) : '';
    out += formatValue(v, spec);
  }
  return out;
}

/** The builtins that take plain values: int(), str(), min(), ... */
function callBuiltinFunction(name: string, pos: AV[], kw: Map<string, AV>, text: string): AV {
  const all = [...pos, ...kw.values()];
  const kwNames = [...kw.keys()];
  return lift(all, (vals) => {
    const args = vals.slice(0, pos.length);
    const kws = new Map(kwNames.map((k, i) => [k, vals[pos.length + i]!]));
    return builtinFunction(name, args, kws, text);
  });
}

/** CPython 3.11's TypeError for the builtins below called with no positional argument. */
const NO_ARGUMENT: Record<string, string> = {
  ...Object.fromEntries(['repr', 'len', 'abs', 'any', 'all', 'hex', 'oct', 'bin', 'callable', 'chr', 'ord'].map((n) => [n, `${n}() takes exactly one argument (0 given)`])),
  ...Object.fromEntries(['format', 'min', 'max', 'range'].map((n) => [n, `${n} expected at least 1 argument, got 0`])),
  ...Object.fromEntries(['sorted', 'reversed'].map((n) => [n, `${n} expected 1 argument, got 0`])),
  round: "round() missing required argument 'number' (pos 1)",
  sum: 'sum() takes at least 1 positional argument (0 given)',
  enumerate: "enumerate() missing required argument 'iterable'",
};

function builtinFunction(name: string, args: PyVal[], kw: Map<string, PyVal>, text: string): PyVal {
  const a = args[0];
  if (!a && NO_ARGUMENT[name] !== undefined) throw new PyError('TypeError', NO_ARGUMENT[name]);
  switch (name) {
    case 'int': {
      if (!a) return int(0);
      const base = args[1] ?? kw.get('base');
      if (base) {
        if (a.t !== 'str' && a.t !== 'bytes') throw new PyError('TypeError', "int() can't convert non-string with explicit base");
        const b = base.t === 'int' ? Number(base.v) : 10;
        const r = pyIntFromString(a.v, b);
        if (r === null) throw new PyError('ValueError', `invalid literal for int() with base ${b}: ${repr(a)}`);
        return int(r);
      }
      switch (a.t) {
        case 'int':
          return a;
        case 'bool':
          return int(a.v ? 1 : 0);
        case 'float':
          if (!Number.isFinite(a.v)) throw new PyError(Number.isNaN(a.v) ? 'ValueError' : 'OverflowError', Number.isNaN(a.v) ? 'cannot convert float NaN to integer' : 'cannot convert float infinity to integer');
          return int(BigInt(Math.trunc(a.v)));
        case 'str':
        case 'bytes': {
          const r = pyIntFromString(a.v, 10);
          if (r === null) throw new PyError('ValueError', `invalid literal for int() with base 10: ${repr(a)}`);
          return int(r);
        }
        default:
          throw new PyError('TypeError', `int() argument must be a string, a bytes-like object or a real number, not '${typeName(a)}'`);
      }
    }
    case 'float': {
      if (!a) return float(0);
      switch (a.t) {
        case 'float':
          return a;
        case 'int':
          return float(Number(a.v));
        case 'bool':
          return float(a.v ? 1 : 0);
        case 'str': {
          const r = pyFloatFromString(a.v);
          if (r === null) throw new PyError('ValueError', `could not convert string to float: ${repr(a)}`);
          return float(r);
        }
        default:
          throw new PyError('TypeError', `float() argument must be a string or a real number, not '${typeName(a)}'`);
      }
    }
    case 'str':
      return str(a ? toStr(a) : '');
    case 'repr':
      return str(repr(a!));
    case 'bool':
      return bool(a ? truthy(a) : false);
    case 'len':
      return int(pyLen(a!));
    case 'abs':
      if (a!.t === 'float') return float(Math.abs(a!.v));
      if (a!.t === 'int') return int(a!.v < 0n ? -a!.v : a!.v);
      if (a!.t === 'bool') return int(a!.v ? 1 : 0);
      throw new PyError('TypeError', `bad operand type for abs(): '${typeName(a!)}'`);
    case 'round': {
      const nd = args[1];
      if (a!.t === 'int' || a!.t === 'bool') return a!.t === 'bool' ? int(a!.v ? 1 : 0) : a!;
      if (a!.t !== 'float') throw new PyError('TypeError', `type ${typeName(a!)} doesn't define __round__ method`);
      if (!nd || nd.t === 'none') {
        const x = a!.v;
        const f = Math.floor(x);
        const d = x - f;
        const r = d > 0.5 ? f + 1 : d < 0.5 ? f : f % 2 === 0 ? f : f + 1;
        return int(BigInt(r));
      }
      throw new Unsupported('round with ndigits');
    }
    case 'min':
    case 'max': {
      const items = args.length === 1 ? iterate(a!) : args;
      if (!items.length) {
        const d = kw.get('default');
        if (d) return d;
        throw new PyError('ValueError', `${name}() arg is an empty sequence`);
      }
      if (kw.has('key')) throw new Unsupported(`${name} with key`);
      let best = items[0]!;
      for (const x of items.slice(1)) if (name === 'min' ? compareOp('<', x, best) : compareOp('>', x, best)) best = x;
      return best;
    }
    case 'sum': {
      let acc: PyVal = args[1] ?? int(0);
      for (const x of iterate(a!)) acc = binaryOp('+', acc, x);
      return acc;
    }
    case 'list':
      return { t: 'list', items: a ? iterate(a) : [] };
    case 'tuple':
      return { t: 'tuple', items: a ? iterate(a) : [] };
    case 'set':
      return { t: 'set', items: a ? dedupe(iterate(a)) : [] };
    case 'sorted': {
      if (kw.size) throw new Unsupported('sorted with key');
      const items = [...iterate(a!)];
      items.sort((x, y) => (compareOp('<', x, y) ? -1 : compareOp('>', x, y) ? 1 : 0));
      return { t: 'list', items };
    }
    case 'reversed':
      return { t: 'list', items: [...iterate(a!)].reverse() };
    case 'dict': {
      let entries: [PyVal, PyVal][] = [];
      if (a) {
        if (a.t === 'dict') entries = [...a.entries];
        else
          for (const item of iterate(a)) {
            const kv = iterate(item);
            if (kv.length !== 2) throw new PyError('ValueError', 'dictionary update sequence element has wrong length');
            entries = dictSet(entries, kv[0]!, kv[1]!);
          }
      }
      for (const [k, v] of kw) entries = dictSet(entries, str(k), v);
      return { t: 'dict', entries };
    }
    case 'range': {
      const n = args.map((x) => {
        if (x.t !== 'int') throw new PyError('TypeError', `'${typeName(x)}' object cannot be interpreted as an integer`);
        return Number(x.v);
      });
      const [start, stop, step] = n.length === 1 ? [0, n[0]!, 1] : [n[0]!, n[1]!, n[2] ?? 1];
      if (step === 0) throw new PyError('ValueError', 'range() arg 3 must not be zero');
      const items: PyVal[] = [];
      for (let i = start; step > 0 ? i < stop : i > stop; i += step) {
        items.push(int(i));
        if (items.length > 10_000) throw new Unsupported('a long range');
      }
      return { t: 'list', items };
    }
    case 'enumerate': {
      const start = args[1] && args[1].t === 'int' ? Number(args[1].v) : 0;
      return { t: 'list', items: iterate(a!).map((x, i) => ({ t: 'tuple', items: [int(i + start), x] }) as PyVal) };
    }
    case 'zip': {
      const lists = args.map(iterate);
      const n = Math.min(...lists.map((l) => l.length));
      const items: PyVal[] = [];
      for (let i = 0; i < n; i++) items.push({ t: 'tuple', items: lists.map((l) => l[i]!) });
      return { t: 'list', items };
    }
    case 'any':
      return bool(iterate(a!).some(truthy));
    case 'all':
      return bool(iterate(a!).every(truthy));
    case 'hex':
    case 'oct':
    case 'bin': {
      if (a!.t !== 'int') throw new PyError('TypeError', `'${typeName(a!)}' object cannot be interpreted as an integer`);
      const neg = a!.v < 0n;
      const m = neg ? -a!.v : a!.v;
      const p = name === 'hex' ? '0x' + m.toString(16) : name === 'oct' ? '0o' + m.toString(8) : '0b' + m.toString(2);
      return str((neg ? '-' : '') + p);
    }
    case 'format':
      return str(formatValue(a!, args[1] && args[1].t === 'str' ? args[1].v : ''));
    case 'isinstance':
      throw new Unsupported('isinstance');
    case 'callable':
      return bool(a!.t === 'func' || a!.t === 'builtin' || a!.t === 'class' || a!.t === 'exc');
    case 'chr':
      return str(String.fromCodePoint(Number((a as { v: bigint }).v)));
    case 'ord':
      return int((a as { v: string }).v.codePointAt(0)!);
  }
  throw new Unsupported(`${name}() in ${text}`);
}

/** Evaluate a parsed module. */
export function evaluateModule(text: string, mod: PyModule, opts: EvalOptions = {}): EvalResult {
  return new Evaluator(text, mod, opts).run();
}

/** Find the expression node at exactly this span (for literal tuple elements). */
function findExprAt(body: Stmt[], s: Span): Expr | null {
  for (const st of body) {
    const found = findInStmt(st, s);
    if (found) return found;
  }
  return null;
}

function findInStmt(st: Stmt, s: Span): Expr | null {
  if (st.span.end < s.start || st.span.start > s.end) return null;
  switch (st.k) {
    case 'assign':
      if (st.value.span.start === s.start && st.value.span.end === s.end) return st.value;
      return null;
    case 'if':
      for (const b of st.branches) {
        const f = findExprAt(b.body, s);
        if (f) return f;
      }
      return null;
    case 'try':
      return findExprAt(st.body, s) ?? findExprAt(st.orelse, s) ?? findExprAt(st.finalbody, s) ?? st.handlers.map((h) => findExprAt(h.body, s)).find((x) => x) ?? null;
    case 'for':
    case 'while':
      return findExprAt(st.body, s) ?? findExprAt(st.orelse, s);
    case 'with':
      return findExprAt(st.body, s);
    case 'def':
      return findExprAt(st.body, s);
    default:
      return null;
  }
}
