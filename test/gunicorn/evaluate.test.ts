import { describe, expect, it } from 'vitest';
import { evaluateModule, isUnknown, parsePython, toJson, type AV, type EvalOptions } from '../../src/syntax/gunicorn/index.js';
import { formatValue, percentFormat, pyIntFromString, reprFloat, reprStr, str } from '../../src/syntax/gunicorn/pyvalue.js';

function run(code: string, opts: EvalOptions = {}) {
  const mod = parsePython(code);
  return { mod, res: evaluateModule(code, mod, opts) };
}

/** The JSON of a known module-level name; throws when it is unknown. */
function known(code: string, name: string, opts: EvalOptions = {}): unknown {
  const { res } = run(code, opts);
  const b = res.globals.get(name);
  if (!b) throw new Error(`${name} is not bound`);
  if (isUnknown(b.value)) throw new Error(`${name} is unknown: ${JSON.stringify(b.value)}`);
  return toJson(b.value);
}

function value(code: string, name: string, opts: EvalOptions = {}): AV {
  const b = run(code, opts).res.globals.get(name);
  if (!b) throw new Error(`${name} is not bound`);
  return b.value;
}

describe('literals and arithmetic', () => {
  it.each([
    ['x = 42', 42],
    ['x = 1_000', 1000],
    ['x = 0o755', 0o755],
    ['x = 0x1F', 31],
    ['x = 0b101', 5],
    ['x = 2 ** 10', 1024],
    ['x = 7 // 2', 3],
    ['x = -7 // 2', -4],
    ['x = -7 % 3', 2],
    ['x = 7 / 2', 3.5],
    ['x = 10 - 2 * 3', 4],
    ['x = (10 - 2) * 3', 24],
    ['x = -2 ** 2', -4],
    ['x = ~5', -6],
    ['x = 0o777 & ~0o022', 0o755],
    ['x = 1 << 4 | 1', 17],
    ['x = True + True', 2],
    ['x = None', null],
    ['x = [1, (2, 3), {"a": [4]}]', [1, [2, 3], { a: [4] }]],
    ['x = {**{"a": 1}, "b": 2}', { a: 1, b: 2 }],
    ['x = [*[1, 2], 3]', [1, 2, 3]],
  ])('%s', (code, expected) => {
    expect(known(code, 'x')).toEqual(expected);
  });

  it('names assigned earlier, reassignment (last wins), augmented assignment', () => {
    const code = 'a = 2\nb = a * 3\nb = b + 1\nb += 10\nb *= 2\nc = [1]\nc += [2]\nc.append(3)\n';
    expect(known(code, 'b')).toBe(34);
    expect(known(code, 'c')).toEqual([1, 2, 3]);
  });

  it('tuple unpacking, starred targets and chained assignment', () => {
    const code = 'h, p = "0.0.0.0", 80\nfirst, *rest = [1, 2, 3]\nx = y = 5\n';
    expect(known(code, 'h')).toBe('0.0.0.0');
    expect(known(code, 'p')).toBe(80);
    expect(known(code, 'rest')).toEqual([2, 3]);
    expect(known(code, 'y')).toBe(5);
  });

  it('`not` binds tighter than and/or (lezer parses it the other way)', () => {
    expect(known('x = not False and False', 'x')).toBe(false);
    expect(known('x = not True or True', 'x')).toBe(true);
    expect(known('x = 1 and not 0 or 5', 'x')).toBe(true);
    expect(known('x = not (False and False)', 'x')).toBe(true);
  });

  it('chained comparisons, membership, identity', () => {
    expect(known('x = 1 < 2 < 3', 'x')).toBe(true);
    expect(known('x = 1 < 3 < 2', 'x')).toBe(false);
    expect(known('x = "a" in "cat" and 3 not in [1, 2]', 'x')).toBe(true);
    expect(known('x = None is None and 1 is not None', 'x')).toBe(true);
  });
});

describe('strings', () => {
  it.each([
    ['x = "a" + "b" * 3', 'abbb'],
    ['x = "%s:%d" % ("h", 8000)', 'h:8000'],
    ['x = "%(a)s-%(b)05.1f" % {"a": "x", "b": 2.25}', 'x-002.2'],
    ['x = "{}:{}".format("h", 80)', 'h:80'],
    ['x = "{0}{1}{0}".format("a", "b")', 'aba'],
    ['x = "{name!r}".format(name="n")', "'n'"],
    ['n = 8\nx = f"{n:03d}|{n!r}|{n=}"', '008|8|n=8'],
    ['x = f"{{literal}} {1+1}"', '{literal} 2'],
    ['x = f"{3.14159:.2f}" + f"{10:>4}"', '3.14  10'],
    ['x = "  pad  ".strip().upper()', 'PAD'],
    ['x = "a,b,,c".split(",")', ['a', 'b', '', 'c']],
    ['x = " a  b ".split()', ['a', 'b']],
    ['x = "-".join(["a", "b"])', 'a-b'],
    ['x = "abc".replace("b", "B")', 'aBc'],
    ['x = "abcdef"[1:4] + "xyz"[-1]', 'bcdz'],
    ['x = str(8000) + str(1.5) + str(True) + str(None)', '80001.5TrueNone'],
    ['x = repr("it\'s")', '"it\'s"'],
    ['x = "a\\tb\\x41\\u00e9"', 'a\tbAé'],
    ['x = r"a\\tb"', 'a\\tb'],
    ['x = "implicit" " concatenation"', 'implicit concatenation'],
  ])('%s', (code, expected) => {
    expect(known(code, 'x')).toEqual(expected);
  });

  it('reprs floats the way Python prints them', () => {
    expect(reprFloat(0.1 + 0.2)).toBe('0.30000000000000004');
    expect(reprFloat(1e16)).toBe('1e+16');
    expect(reprFloat(1e15)).toBe('1000000000000000.0');
    expect(reprFloat(1.5e-5)).toBe('1.5e-05');
    expect(reprFloat(0.0001)).toBe('0.0001');
    expect(reprFloat(-0)).toBe('-0.0');
    expect(reprFloat(1.2345678901234567e19)).toBe('1.2345678901234567e+19');
    expect(reprStr("it's")).toBe('"it\'s"');
    expect(reprStr('a\nb\x00')).toBe("'a\\nb\\x00'");
  });

  it('format specs round half to even on the exact binary value', () => {
    expect(formatValue({ t: 'float', v: 2.5 }, '.0f')).toBe('2');
    expect(formatValue({ t: 'float', v: 3.5 }, '.0f')).toBe('4');
    expect(formatValue({ t: 'float', v: 2.675 }, '.2f')).toBe('2.67');
    expect(formatValue({ t: 'float', v: 0.00001234 }, 'g')).toBe('1.234e-05');
    expect(formatValue({ t: 'int', v: 1234567n }, ',')).toBe('1,234,567');
    expect(formatValue({ t: 'int', v: 42n }, '#x')).toBe('0x2a');
    expect(formatValue(str('ab'), '*^6')).toBe('**ab**');
    expect(percentFormat('%5.1f|%-4d|%x', { t: 'tuple', items: [{ t: 'float', v: 3.14159 }, { t: 'int', v: 7n }, { t: 'int', v: 255n }] })).toBe('  3.1|7   |ff');
  });

  it("int(x, 0) as CPython: no leading zeros, underscores between digits", () => {
    expect(pyIntFromString('0x10', 0)).toBe(16n);
    expect(pyIntFromString(' 64 ', 0)).toBe(64n);
    expect(pyIntFromString('1_000', 0)).toBe(1000n);
    expect(pyIntFromString('007', 0)).toBeNull();
    expect(pyIntFromString('000', 0)).toBe(0n);
    expect(pyIntFromString('007', 10)).toBe(7n);
    expect(pyIntFromString('1__0', 10)).toBeNull();
    expect(pyIntFromString('abc', 10)).toBeNull();
  });
});

describe('environment, CPU count, imports', () => {
  it('os.environ.get / os.getenv are dynamic, with the default known when the variable is unset', () => {
    const code = 'import os\nx = int(os.environ.get("W", "3"))\ny = os.getenv("Y")\nz = os.environ["Z"]\n';
    const x = value(code, 'x');
    expect(isUnknown(x) && x.why).toEqual([{ kind: 'env', detail: 'W' }]);
    expect(known(code, 'x', { envComplete: true })).toBe(3);
    expect(known(code, 'y', { envComplete: true })).toBeNull();
    expect(known(code, 'x', { env: { W: '8' } })).toBe(8);
    // os.environ["Z"] raises KeyError when Z is unset
    const { res } = run(code, { envComplete: true });
    expect(res.failure).toMatchObject({ type: 'KeyError', message: "'Z'" });
  });

  it('environment writes are seen by later lookups', () => {
    const code = 'import os\nos.environ["A"] = "1"\nos.environ.setdefault("B", "2")\nx = os.environ["A"] + os.getenv("B", "?")\n';
    expect(known(code, 'x', { envComplete: true })).toBe('12');
    expect(isUnknown(value(code, 'x'))).toBe(true);
  });

  it('"X" in os.environ', () => {
    const code = 'import os\nx = 4 if "PROD" in os.environ else 2\n';
    expect(known(code, 'x', { envComplete: true })).toBe(2);
    expect(known(code, 'x', { env: { PROD: '' } })).toBe(4);
    const v = value(code, 'x');
    expect(isUnknown(v) && v.candidates?.map(toJson)).toEqual([4, 2]);
  });

  it.each([
    'import multiprocessing\nx = multiprocessing.cpu_count() * 2 + 1',
    'import multiprocessing as mp\nx = mp.cpu_count()',
    'from multiprocessing import cpu_count\nx = cpu_count()',
    'import os\nx = os.cpu_count()',
    'from os import cpu_count as cores\nx = cores() or 1',
  ])('the CPU count is dynamic: %s', (code) => {
    const v = value(code, 'x', { envComplete: true });
    expect(isUnknown(v) && v.why.some((w) => w.kind === 'cpu')).toBe(true);
  });

  it('from os import environ, getenv', () => {
    expect(known('from os import environ, getenv\nx = environ.get("A", "a") + getenv("B", "b")', 'x', { envComplete: true })).toBe('ab');
  });

  it('a Python 2 module fails to import (as gunicorn reports for `import commands`)', () => {
    expect(run('import commands').res.failure).toMatchObject({ type: 'ModuleNotFoundError', message: "No module named 'commands'" });
  });

  it('an undefined name is a NameError, unless a star import may define it', () => {
    expect(run('x = undefined_thing').res.failure).toMatchObject({ type: 'NameError' });
    const { res } = run('from settings import *\nx = undefined_thing');
    expect(res.failure).toBeNull();
    expect(res.starImports.map((s) => s.module)).toEqual(['settings']);
  });
});

describe('control flow', () => {
  it('an unknown condition gives a value set; a known one picks its branch', () => {
    const code = 'import os\nif os.environ.get("E") == "dev":\n    w = 1\nelif os.environ.get("E") == "ci":\n    w = 2\nelse:\n    w = 4\nif False:\n    t = 1\nelse:\n    t = 9\n';
    const w = value(code, 'w');
    expect(isUnknown(w) && w.candidates?.map(toJson)).toEqual([1, 2, 4]);
    expect(known(code, 'w', { envComplete: true })).toBe(4);
    expect(known(code, 't')).toBe(9);
  });

  it('a name set on one side only may be unset', () => {
    const { res } = run('import os\nif os.getenv("X"):\n    reload = True\n');
    expect(res.globals.get('reload')?.maybeUnset).toBe(true);
    expect(res.globals.get('reload')?.text).toBe('True if os.getenv("X") else (not set)');
  });

  it('a branch that raises is not taken when the module goes on', () => {
    const code = 'import os\nif not os.getenv("SECRET"):\n    raise RuntimeError("SECRET is required")\nx = 1\n';
    expect(run(code).res.failure).toBeNull();
    expect(run(code, { envComplete: true }).res.failure).toMatchObject({ type: 'RuntimeError', message: 'SECRET is required' });
  });

  it('try/except catches a known exception by class hierarchy', () => {
    const code = 'try:\n    x = {}["k"]\nexcept LookupError:\n    x = 5\nelse:\n    x = 6\nfinally:\n    y = 1\n';
    expect(known(code, 'x')).toBe(5);
    expect(known(code, 'y')).toBe(1);
  });

  it('try around an unknown conversion: both outcomes', () => {
    const v = value('import os\ntry:\n    w = int(os.environ["W"])\nexcept (KeyError, ValueError):\n    w = 2\n', 'w');
    expect(isUnknown(v)).toBe(true);
    expect(isUnknown(v) && v.candidates).toBeUndefined();
  });

  it('loops over known values are unrolled; comprehensions evaluate', () => {
    expect(known('b = []\nfor p in range(8000, 8003):\n    if p == 8001:\n        continue\n    b.append("127.0.0.1:%d" % p)\n', 'b')).toEqual(['127.0.0.1:8000', '127.0.0.1:8002']);
    expect(known('x = {k: v * 2 for k, v in [("a", 1), ("b", 2)] if v > 1}', 'x')).toEqual({ b: 4 });
    expect(known('x = ",".join(str(i) for i in range(3))', 'x')).toBe('0,1,2');
  });

  it('functions defined in the file are called (with a local scope, defaults, returns)', () => {
    const code = 'import os\ndef env(name, default=None, cast=str):\n    v = os.environ.get(name)\n    if v is None:\n        return default\n    return cast(v)\nw = env("W", 4, int)\n';
    expect(known(code, 'w', { envComplete: true })).toBe(4);
    expect(known(code, 'w', { env: { W: '9' } })).toBe(9);
    expect(isUnknown(value(code, 'w'))).toBe(true);
    expect(known('f = lambda a, b=2: a * b\nx = f(3)', 'x')).toBe(6);
  });

  it('`del` unbinds', () => {
    expect(run('x = 1\ndel x').res.globals.has('x')).toBe(false);
  });

  it('hooks keep their name and arity', () => {
    const v = value('def post_fork(server, worker, *a, k=1, **kw):\n    pass\n', 'post_fork');
    expect(v).toMatchObject({ t: 'func', qualname: 'post_fork', arity: 2 });
  });

  it('side effects are never performed: calls to the outside world are unknown', () => {
    const v = value('import os, subprocess\nx = os.system("rm -rf /tmp/never")\ny = subprocess.run(["true"])\n', 'x');
    expect(isUnknown(v)).toBe(true);
  });

  it('sys.exit() at module level stops the module (gunicorn exits)', () => {
    expect(run('import sys\nsys.exit(3)').res.failure).toMatchObject({ type: 'SystemExit', message: '3' });
  });
});

describe('parser', () => {
  it('reports CPython 3 syntax errors that lezer accepts', () => {
    const problems = (code: string) => parsePython(code).problems.map((p) => p.message);
    expect(problems('umask = 0022\n')).toEqual(['leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers']);
    expect(problems('print "x"\n')).toEqual(["Missing parentheses in call to 'print'. Did you mean print(...)?"]);
    expect(problems('try:\n    pass\nexcept ValueError, e:\n    pass\n')).toEqual(['multiple exception types must be parenthesized']);
    expect(problems('5 = x\n')).toEqual(['cannot assign to literal']);
    expect(problems('return 1\n')).toEqual(["'return' outside function"]);
    expect(problems('x = (1,\ny = 2\n')).toEqual(["'(' was never closed"]);
  });

  it('gives positions for syntax errors', () => {
    const p = parsePython('workers = 4\ntimeout = = 3\n').problems;
    expect(p.length).toBe(1);
    expect(p[0]!.span.start).toBeGreaterThanOrEqual(12);
    expect(p[0]!.span.start).toBeLessThan(26);
  });
});
