/**
 * gunicorn readers on broken input: gunicorn.conf.py (parsed with lezer and
 * evaluated statically, never executed) and the command lines that start
 * gunicorn (systemd ExecStart=/Environment=GUNICORN_CMD_ARGS, .socket units,
 * EnvironmentFile=, Procfiles, shell scripts). test/gunicorn/robustness.test.ts
 * has the older token-soup checks of the same readers.
 */
import { describe, expect, it } from 'vitest';
import { readGunicornConfig } from '../../src/syntax/gunicorn/index.js';
import { sourceFromString } from '../../src/syntax/source.js';
import { assertDiagnostics } from './support/invariants.js';
import { fuzz } from './support/run.js';
import { commandLineTarget, gunicornConfigTarget } from './targets.js';

describe('gunicorn: never throws, spans inside the file', () => {
  it('random and mutated gunicorn.conf.py', () => {
    expect(fuzz(gunicornConfigTarget, 200)).toBeGreaterThanOrEqual(200);
    expect(fuzz(gunicornConfigTarget, 12, true)).toBeGreaterThanOrEqual(12);
  });
  it('random and mutated command lines, units, Procfiles, scripts', () => {
    expect(fuzz(commandLineTarget, 300)).toBeGreaterThanOrEqual(300);
    expect(fuzz(commandLineTarget, 15, true)).toBeGreaterThanOrEqual(15);
  });
});

describe('gunicorn.conf.py: pathological shapes, each once', () => {
  const read = (text: string) => {
    const config = readGunicornConfig(sourceFromString('gunicorn.conf.py', text), {});
    assertDiagnostics(config.diagnostics, [text]);
    return config.diagnostics.map((d) => d.message);
  };

  it("10,000 nested brackets: CPython's own error, at the 201st", () => {
    for (const [open, close] of [['(', ')'], ['[', ']'], ['{', '}']]) {
      const text = `workers = ${open!.repeat(10_000)}1${close!.repeat(10_000)}\n`;
      const config = readGunicornConfig(sourceFromString('gunicorn.conf.py', text), {});
      expect(config.diagnostics.map((d) => [d.message, d.span.start])).toEqual([['Python syntax error: too many nested parentheses', 10 + 200]]);
    }
    expect(read(`workers = ${'('.repeat(200)}1${')'.repeat(200)}\n`)).toEqual([]);
  });

  it('long chains and deep unary operators end in an error, not a crash (CPython: RecursionError)', () => {
    // lezer's parser gives up on a chain a few thousand terms long (a syntax error there);
    // deeper unary chains parse, and nesting that exhausts the evaluator's stack is said as such
    for (const text of [`x = 1${' + 1'.repeat(20_000)}\n`, `x = ${'-'.repeat(20_000)}1\n`, `x = ${'not '.repeat(20_000)}1\n`]) {
      const messages = read(text);
      expect(messages.length).toBeGreaterThan(0);
      for (const m of messages) expect(m).toMatch(/^Python syntax error: invalid syntax|too deeply nested/);
    }
  });

  it('a gunicorn.conf.py over 256 KiB is reported, not parsed (every fix pass would parse it again)', () => {
    const text = `workers = 2\n${'x = 1\n'.repeat(50_000)}`;
    expect(read(text)).toEqual([`not read: ${text.length} characters is more than nginx-lint reads of a gunicorn config (256 KiB); its settings are unknown`]);
  });

  it('builtins called without an argument raise what CPython raises', () => {
    const config = readGunicornConfig(sourceFromString('gunicorn.conf.py', 'workers = 2\nx = len()\n'), {});
    expect(config.diagnostics.map((d) => d.message)).toEqual(['gunicorn fails to read this file: TypeError: len() takes exactly one argument (0 given)']);
  });

  it('methods given keyword arguments they do not take raise what CPython 3.11 raises (found by fuzzing: it crashed the evaluator)', () => {
    expect(read('workers = 2\nx = "-".join(bind=reversed(["a"]))\n')).toEqual(['gunicorn fails to read this file: TypeError: str.join() takes no keyword arguments']);
    expect(read('workers = 2\nx = "a".upper(z=1)\n')).toEqual(['gunicorn fails to read this file: TypeError: str.upper() takes no keyword arguments']);
    expect(read('workers = 2\nx = []\nx.append(x=1)\n')).toEqual(['gunicorn fails to read this file: TypeError: list.append() takes no keyword arguments']);
    // and the methods that do take them still read them
    const ok = ['a = "a b".split(sep=" ", maxsplit=1)', 'b = "a".splitlines(keepends=True)', 'c = "x".encode(encoding="utf-8")', 'd = b"x".decode(encoding="utf-8")'];
    expect(read([...ok, 'f = [3, 1]', 'f.sort(reverse=True)', 'g = {}', 'g.update(a=1)', 'h = (5).to_bytes(length=2, byteorder="big")', 'i = "{x}".format(x=1)', 'workers = 2', ''].join('\n'))).toEqual([]);
  });

  it('what the evaluator does not model is unknown, not an error of the file', () => {
    expect(read('x = sorted([2, 1], key=len)\ny = str(len)\nz = round(1.25, 1)\nworkers = 3\n')).toEqual([]);
  });
});
