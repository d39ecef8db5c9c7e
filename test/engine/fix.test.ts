import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Diagnostic, Severity, TextEdit } from '../../src/diagnostic.js';
import { EditError, applyEdits, fixUntilStable, overlayFileSystem, parseFailures, planFixes } from '../../src/engine/fix.js';
import { lint, type LintResult } from '../../src/engine/lint.js';
import { buildReport, exitCodeFor } from '../../src/engine/report.js';
import { memoryFileSystem, type FileSystem } from '../../src/fs.js';
import { decodeSource, encodeSource, sourceFromString, type SourceFile } from '../../src/syntax/source.js';

const edit = (file: SourceFile, start: number, end: number, text: string): TextEdit => ({ file, span: { start, end }, text });

function diag(file: SourceFile, rule: string, edits: TextEdit[] | null, severity: Severity = 'error'): Diagnostic {
  const start = edits?.[0]?.span.start ?? 0;
  return { rule, severity, message: rule, file, span: { start, end: start }, ...(edits ? { fix: { description: rule, edits } } : {}) };
}

/** A lint result with these diagnostics and files (the rest: an empty run's). */
function resultOf(diagnostics: Diagnostic[], files: SourceFile[]): LintResult {
  return { ...lint([], { fs: memoryFileSystem({}) }), diagnostics, files };
}

/** A lint run made of simple text rules over the given files of a file system. */
type TextRule = (file: SourceFile) => Diagnostic[];
function runner(paths: string[], rules: TextRule[]) {
  let runs = 0;
  const run = (fs: FileSystem): LintResult => {
    runs++;
    const files = paths.map((p) => decodeSource(p, fs.readFile(p)));
    return resultOf(files.flatMap((f) => rules.flatMap((r) => r(f))), files);
  };
  return { run, runs: () => runs };
}

/** Every occurrence of `from` gets a fix to `to`. */
const replaceAll =
  (rule: string, from: string, to: string): TextRule =>
  (f) => {
    const out: Diagnostic[] = [];
    for (let i = f.text.indexOf(from); i !== -1; i = f.text.indexOf(from, i + 1)) out.push(diag(f, rule, [edit(f, i, i + from.length, to)]));
    return out;
  };

describe('applyEdits', () => {
  const f = sourceFromString('a.conf', 'listen 80;\nserver_name x;\n');

  it('applies edits in offset order whatever order they come in', () => {
    expect(applyEdits(f, [edit(f, 23, 24, 'y'), edit(f, 7, 9, '8080')])).toBe('listen 8080;\nserver_name y;\n');
  });

  it('applies an identical duplicate once', () => {
    expect(applyEdits(f, [edit(f, 7, 9, '81'), edit(f, 7, 9, '81')])).toBe('listen 81;\nserver_name x;\n');
    expect(applyEdits(f, [edit(f, 0, 0, '# a\n'), edit(f, 0, 0, '# a\n')])).toBe('# a\nlisten 80;\nserver_name x;\n');
  });

  it('keeps insertions at one offset in the order given, before a replacement starting there', () => {
    expect(applyEdits(f, [edit(f, 11, 11, 'B;\n'), edit(f, 11, 11, 'A;\n')])).toBe('listen 80;\nB;\nA;\nserver_name x;\n');
    expect(applyEdits(f, [edit(f, 7, 9, '81'), edit(f, 7, 7, '[::]:')])).toBe('listen [::]:81;\nserver_name x;\n');
    expect(applyEdits(f, [edit(f, 7, 9, '81'), edit(f, 9, 9, ' default_server')])).toBe('listen 81 default_server;\nserver_name x;\n');
  });

  it('refuses overlapping edits and spans outside the text', () => {
    expect(() => applyEdits(f, [edit(f, 0, 6, 'x'), edit(f, 3, 9, 'y')])).toThrow(EditError);
    expect(() => applyEdits(f, [edit(f, 0, 6, 'x'), edit(f, 3, 3, 'y')])).toThrow(/overlapping edits in a\.conf at 1:4/);
    expect(() => applyEdits(f, [edit(f, 5, 4, 'x')])).toThrow(EditError);
    expect(() => applyEdits(f, [edit(f, 0, f.text.length + 1, 'x')])).toThrow(/outside a\.conf/);
  });

  it('leaves every byte outside the edits as it was: CRLF, Latin-1', () => {
    const crlf = sourceFromString('c.conf', 'a 1;\r\nb 2;\r\n');
    expect(applyEdits(crlf, [edit(crlf, 8, 9, '3')])).toBe('a 1;\r\nb 3;\r\n');
    const bytes = Buffer.from('# caf\xe9\nx = 1\n', 'latin1');
    const l1 = decodeSource('l.py', bytes);
    expect(l1.encoding).toBe('latin1');
    const out = applyEdits(l1, [edit(l1, l1.text.indexOf('1'), l1.text.indexOf('1') + 1, '2')]);
    expect(encodeSource(l1, out)).toEqual(Buffer.from('# caf\xe9\nx = 2\n', 'latin1'));
  });

  it('with no edits returns the text unchanged', () => {
    expect(applyEdits(f, [])).toBe(f.text);
  });
});

describe('planFixes', () => {
  const a = sourceFromString('a.conf', 'one two three four\n');
  const b = sourceFromString('b.conf', 'alpha beta\n');

  it('takes non-overlapping fixes in several files', () => {
    const d1 = diag(a, 'r1', [edit(a, 0, 3, '1')]);
    const d2 = diag(a, 'r2', [edit(a, 4, 7, '2')]);
    const d3 = diag(b, 'r3', [edit(b, 0, 5, 'A')]);
    const plan = planFixes([d1, d2, d3]);
    expect(plan.applied).toEqual([d1, d2, d3]);
    expect(plan.deferred).toEqual([]);
    expect(applyEdits(a, plan.byFile.get('a.conf')!.edits)).toBe('1 2 three four\n');
    expect(applyEdits(b, plan.byFile.get('b.conf')!.edits)).toBe('A beta\n');
  });

  it('defers a fix that overlaps or touches an accepted one, and ignores diagnostics without a fix', () => {
    const first = diag(a, 'r1', [edit(a, 4, 7, 'TWO')]);
    const overlapping = diag(a, 'r2', [edit(a, 6, 9, 'x')]);
    const sameInsertion = diag(a, 'r3', [edit(a, 4, 4, 'zero ')]);
    const unfixable = diag(a, 'r4', null);
    const plan = planFixes([first, overlapping, sameInsertion, unfixable]);
    expect(plan.applied).toEqual([first]);
    expect(plan.deferred).toEqual([overlapping, sameInsertion]);
    expect(plan.byFile.get('a.conf')!.edits).toEqual([first.fix!.edits[0]]);
  });

  it('never half-applies a fix: all its edits, in every file, or none', () => {
    const taken = diag(b, 'r1', [edit(b, 6, 10, 'BETA')]);
    const twoFiles = diag(a, 'r2', [edit(a, 0, 3, 'ONE'), edit(b, 8, 8, '!')]);
    const plan = planFixes([taken, twoFiles]);
    expect(plan.applied).toEqual([taken]);
    expect(plan.deferred).toEqual([twoFiles]);
    expect(plan.byFile.has('a.conf')).toBe(false);
    expect(plan.byFile.get('b.conf')!.edits).toHaveLength(1);
  });

  it('merges fixes with identical edits: both applied, the edit once', () => {
    const d1 = diag(a, 'r1', [edit(a, 0, 0, '# header\n')]);
    const d2 = diag(a, 'r2', [edit(a, 0, 0, '# header\n')]);
    const plan = planFixes([d1, d2]);
    expect(plan.applied).toEqual([d1, d2]);
    expect(plan.byFile.get('a.conf')!.edits).toHaveLength(1);
    expect(applyEdits(a, plan.byFile.get('a.conf')!.edits)).toBe('# header\none two three four\n');
  });

  it('shares an edit two fixes have in common and adds the rest', () => {
    const d1 = diag(a, 'r1', [edit(a, 0, 3, 'ONE')]);
    const d2 = diag(a, 'r2', [edit(a, 0, 3, 'ONE'), edit(a, 14, 18, 'FOUR')]);
    const plan = planFixes([d1, d2]);
    expect(plan.applied).toEqual([d1, d2]);
    expect(applyEdits(a, plan.byFile.get('a.conf')!.edits)).toBe('ONE two three FOUR\n');
  });

  it('skips fixes that can never apply: bad spans, overlap inside, stale text, no edits, Latin-1 cannot hold the text', () => {
    const bad = diag(a, 'r1', [edit(a, 10, 500, 'x')]);
    const inner = diag(a, 'r2', [edit(a, 0, 5, 'x'), edit(a, 2, 3, 'y')]);
    const stale = sourceFromString('a.conf', 'something else\n');
    const good = diag(a, 'r3', [edit(a, 0, 3, 'ONE')]);
    const staleFix = diag(stale, 'r4', [edit(stale, 15, 15, '#')]);
    const empty: Diagnostic = { ...diag(a, 'r5', null), fix: { description: 'nothing', edits: [] } };
    const l1 = decodeSource('l.conf', Buffer.from([0x23, 0xe9, 0x0a]));
    const euro = diag(l1, 'r6', [edit(l1, 0, 0, '€')]);
    const latin = diag(l1, 'r7', [edit(l1, 0, 0, 'é')]);
    const plan = planFixes([bad, inner, good, staleFix, empty, euro, latin]);
    expect(plan.applied).toEqual([good, latin]);
    expect(plan.deferred).toEqual([]);
    expect(plan.skipped.map((s) => s.diagnostic.rule)).toEqual(['r1', 'r2', 'r4', 'r5', 'r6']);
    expect(plan.skipped.find((s) => s.diagnostic.rule === 'r4')!.reason).toMatch(/another version/);
    expect(plan.skipped.find((s) => s.diagnostic.rule === 'r6')!.reason).toMatch(/Latin-1/);
  });

  it('groups edits by the key it is given (one file named by two paths)', () => {
    const x = sourceFromString('./a.conf', a.text);
    const d1 = diag(a, 'r1', [edit(a, 0, 3, 'ONE')]);
    const d2 = diag(x, 'r2', [edit(x, 2, 5, 'X')]);
    const byPath = planFixes([d1, d2]);
    expect(byPath.applied).toHaveLength(2);
    const byReal = planFixes([d1, d2], { keyOf: (f) => f.path.replace(/^\.\//, '') });
    expect(byReal.applied).toEqual([d1]);
    expect(byReal.deferred).toEqual([d2]);
  });

  it('decides as a plain pairwise check would, for fixes in any order (accepted edits are kept sorted, not scanned)', () => {
    const text = 'abcdefghijklmnopqrstuvwxyz0123\n';
    const f = sourceFromString('p.conf', text);
    const span = fc.tuple(fc.nat(text.length), fc.nat(4)).map(([s, n]) => ({ start: s, end: Math.min(text.length, s + n) }));
    const fixArb = fc.array(fc.tuple(span, fc.constantFrom('', 'x', 'yz')), { minLength: 1, maxLength: 3 });
    /** the definition: a fix waits when one of its edits overlaps or touches an accepted edit that is not identical */
    const reference = (ds: Diagnostic[]) => {
      const accepted: { start: number; end: number; key: string }[] = [];
      const applied: Diagnostic[] = [];
      const deferred: Diagnostic[] = [];
      for (const d of ds) {
        const ivs = d.fix!.edits.map((e) => ({ start: e.span.start, end: e.span.end, key: `${e.span.start}:${e.span.end}:${e.text}` }));
        const sorted = [...new Map(ivs.map((iv) => [iv.key, iv])).values()].sort((x, y) => x.start - y.start || x.end - y.end);
        if (sorted.some((iv, i) => i > 0 && iv.start < sorted[i - 1]!.end)) continue; // overlapping inside: skipped
        if (ivs.some((iv) => accepted.some((a) => a.key !== iv.key && a.start <= iv.end && iv.start <= a.end))) {
          deferred.push(d);
          continue;
        }
        for (const iv of ivs) if (!accepted.some((a) => a.key === iv.key)) accepted.push(iv);
        applied.push(d);
      }
      return { applied, deferred };
    };
    fc.assert(
      fc.property(fc.array(fixArb, { maxLength: 12 }), (fixes) => {
        const ds = fixes.map((es, i) => diag(f, `r${i}`, es.map(([sp, t]) => edit(f, sp.start, sp.end, t))));
        const plan = planFixes(ds);
        const want = reference(ds);
        expect(plan.applied).toEqual(want.applied);
        expect(plan.deferred).toEqual(want.deferred);
      }),
      { numRuns: 500 },
    );
  });
});

describe('overlayFileSystem', () => {
  it('serves replacements by realpath and keeps everything else from the base', () => {
    const base = memoryFileSystem({ '/etc/app/a.conf': 'old\n', '/etc/app/b.conf': 'b\n' });
    const fs = overlayFileSystem(base, new Map([['/etc/app/a.conf', Buffer.from('new content\n')]]));
    expect(Buffer.from(fs.readFile('/etc/app/../app/a.conf')).toString()).toBe('new content\n');
    expect(fs.stat('/etc/app/a.conf')!.size).toBe(12);
    expect(Buffer.from(fs.readFile('/etc/app/b.conf')).toString()).toBe('b\n');
    expect(fs.readdir('/etc/app').sort()).toEqual(['a.conf', 'b.conf']);
    expect(fs.realpath('/etc/./app/a.conf')).toBe('/etc/app/a.conf');
    expect(fs.stat('/etc/app/none')).toBeNull();
  });
});

describe('fixUntilStable', () => {
  it('applies every fix, lints the fixed text, and reports what remains', () => {
    const base = memoryFileSystem({ '/a.conf': 'foo foo keep\n' });
    const { run, runs } = runner(['/a.conf'], [replaceAll('r', 'foo', 'bar'), (f) => (f.text.includes('keep') ? [diag(f, 'warn-keep', null, 'warning')] : [])]);
    const out = fixUntilStable(run, base);
    expect(out.files.get('/a.conf')!.text).toBe('bar bar keep\n');
    expect(out.files.get('/a.conf')!.original.text).toBe('foo foo keep\n');
    expect(out.passes).toBe(1);
    expect(runs()).toBe(2);
    expect(out.appliedFixes.map((d) => d.rule)).toEqual(['r', 'r']);
    expect(out.converged).toBe(true);
    // severity and exit code come from what remains: one warning
    expect(out.result.diagnostics.map((d) => [d.rule, d.severity])).toEqual([['warn-keep', 'warning']]);
    expect(exitCodeFor(buildReport(out.result))).toBe(0);
    // the base file system is never written
    expect(Buffer.from(base.readFile('/a.conf')).toString()).toBe('foo foo keep\n');
  });

  it('tries an overlapping fix again on the fixed text, and follows chains of fixes', () => {
    const base = memoryFileSystem({ '/a.conf': 'a\n' });
    const rules = [replaceAll('a-to-b', 'a', 'b'), replaceAll('a-to-z', 'a', 'z'), replaceAll('b-to-c', 'b', 'c')];
    const out = fixUntilStable(runner(['/a.conf'], rules).run, base);
    // pass 1: a→b (a→z overlaps it and waits; on the fixed text it no longer applies); pass 2: b→c
    expect(out.files.get('/a.conf')!.text).toBe('c\n');
    expect(out.passes).toBe(2);
    expect(out.appliedFixes.map((d) => d.rule)).toEqual(['a-to-b', 'b-to-c']);
    expect(out.result.diagnostics).toEqual([]);
  });

  it('applies a fix that spans two files in full', () => {
    const base = memoryFileSystem({ '/x.conf': 'port 1\n', '/y.conf': 'port 1\n' });
    const both: TextRule = (f) => {
      if (f.path !== '/x.conf' || !f.text.includes('1')) return [];
      const y = decodeSource('/y.conf', Buffer.from('port 1\n'));
      return [diag(f, 'both', [edit(f, 5, 6, '2'), edit(y, 5, 6, '2')])];
    };
    const out = fixUntilStable(runner(['/x.conf', '/y.conf'], [both]).run, base);
    expect([...out.files.keys()].sort()).toEqual(['/x.conf', '/y.conf']);
    expect(out.files.get('/x.conf')!.text).toBe('port 2\n');
    expect(out.files.get('/y.conf')!.text).toBe('port 2\n');
  });

  it('is idempotent: fixing the fixed tree changes nothing', () => {
    const rules = [replaceAll('r', 'foo', 'bar')];
    const first = fixUntilStable(runner(['/a.conf'], rules).run, memoryFileSystem({ '/a.conf': 'foo\n' }));
    const fixed = first.files.get('/a.conf')!.text;
    const second = fixUntilStable(runner(['/a.conf'], rules).run, memoryFileSystem({ '/a.conf': fixed }));
    expect(second.files.size).toBe(0);
    expect(second.passes).toBe(0);
    expect(second.appliedFixes).toEqual([]);
  });

  it('stops, and reports, a fix that comes back unchanged after being applied', () => {
    // inserts a header without looking whether it is there: never converges
    const always: TextRule = (f) => [diag(f, 'header', [edit(f, 0, 0, '# managed\n')])];
    const { run, runs } = runner(['/a.conf'], [always, replaceAll('r', 'foo', 'bar')]);
    const out = fixUntilStable(run, memoryFileSystem({ '/a.conf': 'foo\n' }));
    expect(out.files.get('/a.conf')!.text).toBe('# managed\nbar\n');
    // pass 1: the header (foo→bar touches it and waits); pass 2: foo→bar, the header again is refused
    expect(out.passes).toBe(2);
    expect(runs()).toBe(3);
    expect(out.appliedFixes.map((d) => d.rule)).toEqual(['header', 'r']);
    expect(out.nonConverging.map((d) => d.rule)).toEqual(['header']);
  });

  it('stops a cycle of fixes undoing each other', () => {
    const rules = [replaceAll('on-off', 'on', 'off'), replaceAll('off-on', 'off', 'on')];
    const out = fixUntilStable(runner(['/a.conf'], rules).run, memoryFileSystem({ '/a.conf': 'x on\n' }));
    expect(out.passes).toBe(1);
    expect(out.files.get('/a.conf')!.text).toBe('x off\n');
    expect(out.nonConverging.map((d) => d.rule)).toEqual(['off-on']);
  });

  it('gives up after maxPasses and says it did not converge', () => {
    const bump: TextRule = (f) => {
      const m = /n=(\d+)/.exec(f.text)!;
      return [diag(f, 'bump', [edit(f, m.index + 2, m.index + m[0].length, String(Number(m[1]) + 1))])];
    };
    const out = fixUntilStable(runner(['/a.conf'], [bump]).run, memoryFileSystem({ '/a.conf': 'n=1\n' }), 3);
    expect(out.passes).toBe(3);
    expect(out.converged).toBe(false);
    expect(out.files.get('/a.conf')!.text).toBe('n=4\n');
    expect(out.result.diagnostics.map((d) => d.rule)).toEqual(['bump']);
  });

  it('refuses a pass that would bring a file back to its original text', () => {
    // pass 1: "ab" → "b" (drop a); pass 2: "b" → "ab" would be the original state again: a cycle
    const rules = [replaceAll('drop', 'ab', 'b'), (f: SourceFile) => (f.text === 'b' ? [diag(f, 'add', [edit(f, 0, 0, 'a')])] : [])];
    const out = fixUntilStable(runner(['/a.conf'], rules).run, memoryFileSystem({ '/a.conf': 'ab' }));
    expect(out.files.get('/a.conf')!.text).toBe('b');
    expect(out.nonConverging.map((d) => d.rule)).toEqual(['add']);
  });

  it('fixes nothing when a file fails to parse', () => {
    const syntax: TextRule = (f) => (f.text.includes('{') ? [diag(f, 'nginx-syntax', null)] : []);
    const out = fixUntilStable(runner(['/a.conf', '/b.conf'], [syntax, replaceAll('r', 'foo', 'bar')]).run, memoryFileSystem({ '/a.conf': 'foo\n', '/b.conf': 'x {\n' }));
    expect(out.failedBeforeFixing).toBe(true);
    expect(out.parseFailures.map((d) => d.rule)).toEqual(['nginx-syntax']);
    expect(out.files.size).toBe(0);
    expect(out.passes).toBe(0);
  });

  it('stops when a fix makes a file unparsable, and says so', () => {
    const breaks = replaceAll('r', ';', '{');
    const syntax: TextRule = (f) => (f.text.includes('{') ? [diag(f, 'ini-syntax', null)] : []);
    const out = fixUntilStable(runner(['/a.conf'], [breaks, syntax]).run, memoryFileSystem({ '/a.conf': 'a;\n' }));
    expect(out.failedBeforeFixing).toBe(false);
    expect(out.parseFailures.map((d) => d.rule)).toEqual(['ini-syntax']);
    expect(out.files.get('/a.conf')!.text).toBe('a{\n');
  });

  it('follows the run’s hostPath: files named inside an image root are held and written at their place on this machine', () => {
    const base = memoryFileSystem({ '/img/etc/app.conf': 'foo\n' });
    // a run that reads image paths under /img, as `--root /img` does
    const run = (fs: FileSystem): LintResult => {
      const f = decodeSource('/etc/app.conf', fs.readFile('/img/etc/app.conf'));
      return { ...resultOf(replaceAll('r', 'foo', 'bar')(f), [f]), hostPath: (p: string) => '/img' + p };
    };
    const out = fixUntilStable(run, base);
    expect(out.nonConverging).toEqual([]);
    expect(out.passes).toBe(1);
    expect(out.result.diagnostics).toEqual([]);
    expect(out.files.get('/etc/app.conf')).toMatchObject({ text: 'bar\n', hostPath: '/img/etc/app.conf' });
  });

  it("says which errors of the programs' own checks the fixes add (the fixed files must not be written)", () => {
    // a fix that writes a second `a;`, and nginx's duplicate check; one duplicate was there before
    const dup: TextRule = (f) => {
      const n = f.text.split('a;').length - 1;
      return Array.from({ length: Math.max(0, n - 1) }, () => ({ rule: 'nginx-duplicate-directive', severity: 'error' as const, message: '"a" directive is duplicate', file: f, span: { start: 0, end: 0 } }));
    };
    const adds = replaceAll('r', 'b;', 'a;');
    const out = fixUntilStable(runner(['/x.conf'], [adds, dup]).run, memoryFileSystem({ '/x.conf': 'a;\na;\nb;\n' }));
    expect(out.passes).toBe(1);
    expect(out.introducedErrors.map((d) => d.rule)).toEqual(['nginx-duplicate-directive', 'nginx-duplicate-directive']);
    // errors of nginx-lint's own rules, and fewer program errors than before, are not in it
    const removes = replaceAll('r', 'a;', 'c;');
    expect(fixUntilStable(runner(['/x.conf'], [removes, dup]).run, memoryFileSystem({ '/x.conf': 'a;\na;\n' })).introducedErrors).toEqual([]);
    const own = replaceAll('upstream-buffers', 'b;', 'x;');
    expect(fixUntilStable(runner(['/x.conf'], [own, replaceAll('keepalive-wrong-module', 'x', 'x')]).run, memoryFileSystem({ '/x.conf': 'b;\n' })).introducedErrors).toEqual([]);
  });

  it('parseFailures picks the three syntax rules only', () => {
    const f = sourceFromString('x', '');
    const r = resultOf(['nginx-syntax', 'ini-syntax', 'gunicorn-syntax', 'nginx-include', 'gunicorn-invalid-value'].map((rule) => diag(f, rule, null)), [f]);
    expect(parseFailures(r).map((d) => d.rule)).toEqual(['nginx-syntax', 'ini-syntax', 'gunicorn-syntax']);
  });
});

describe('fixUntilStable with the real linter', () => {
  const conf = '# app server\nworkers = 4\npreload_app = "yes"\ndaemon = 1\ntimeout = -1\nloglevel = 10\n';

  it('fixes gunicorn values and leaves the unfixable error as what remains', () => {
    const base = memoryFileSystem({ '/srv/app/gunicorn.conf.py': conf });
    const out = fixUntilStable((fs) => lint(['/srv/app'], { fs }), base);
    expect(out.files.get('/srv/app/gunicorn.conf.py')!.text).toBe("# app server\nworkers = 4\npreload_app = True\ndaemon = True\ntimeout = -1\nloglevel = '10'\n");
    expect(out.appliedFixes).toHaveLength(3);
    expect(out.result.diagnostics.map((d) => d.message)).toEqual(['Invalid value for timeout: -1: Value must be positive: -1']);
    expect(exitCodeFor(buildReport(out.result))).toBe(1);
    const again = fixUntilStable((fs) => lint(['/srv/app'], { fs }), memoryFileSystem({ '/srv/app/gunicorn.conf.py': out.files.get('/srv/app/gunicorn.conf.py')!.text }));
    expect(again.files.size).toBe(0);
  });

  it('keeps a Latin-1 file Latin-1 and CRLF line ends as they are', () => {
    const bytes = Buffer.from('# r\xe9glages\r\ndaemon = 1\r\n', 'latin1');
    const out = fixUntilStable((fs) => lint(['/srv/gunicorn.conf.py'], { fs }), memoryFileSystem({ '/srv/gunicorn.conf.py': bytes }));
    const f = out.files.get('/srv/gunicorn.conf.py')!;
    expect(f.original.encoding).toBe('latin1');
    expect(encodeSource(f.original, f.text)).toEqual(Buffer.from('# r\xe9glages\r\ndaemon = True\r\n', 'latin1'));
  });
});
