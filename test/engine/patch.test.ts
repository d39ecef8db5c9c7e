import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { patchRoot, quotePatchName, unifiedDiff, unifiedDiffBytes, type FileChange } from '../../src/engine/patch.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(tmpdir(), 'nl-patch-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function sh(cmd: string, args: string[], cwd: string, input?: Buffer) {
  const r = spawnSync(cmd, args, { cwd, input, encoding: 'utf8', env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', HOME: dir, LC_ALL: 'C' } });
  if (r.error) throw r.error;
  return { code: r.status, out: r.stdout + r.stderr };
}

const lines = (n: number, end = '\n') => Array.from({ length: n }, (_, i) => `line ${i + 1};${end}`).join('');

describe('unifiedDiff: the text', () => {
  it('writes ---/+++ headers, a/ and b/ paths relative to cwd, three lines of context', () => {
    const oldText = lines(10);
    const newText = oldText.replace('line 5;', 'line five;');
    expect(unifiedDiff([{ path: 'conf/site.conf', oldText, newText }], '/work')).toBe(
      [
        '--- a/conf/site.conf',
        '+++ b/conf/site.conf',
        '@@ -2,7 +2,7 @@',
        ' line 2;',
        ' line 3;',
        ' line 4;',
        '-line 5;',
        '+line five;',
        ' line 6;',
        ' line 7;',
        ' line 8;',
        '',
      ].join('\n'),
    );
  });

  it('makes absolute paths inside cwd relative, and leaves unchanged files out', () => {
    const out = unifiedDiff(
      [
        { path: '/work/a.conf', oldText: 'a\n', newText: 'b\n' },
        { path: 'same.conf', oldText: 'x\n', newText: 'x\n' },
      ],
      '/work',
    );
    expect(out).toBe('--- a/a.conf\n+++ b/a.conf\n@@ -1 +1 @@\n-a\n+b\n');
    expect(unifiedDiff([], '/work')).toBe('');
  });

  it('roots every path at / when any file is outside cwd', () => {
    const changes = [
      { path: '/etc/nginx/nginx.conf', oldText: 'a\n', newText: 'b\n' },
      { path: 'local.conf', oldText: 'a\n', newText: 'b\n' },
    ];
    expect(patchRoot(changes, '/work/x')).toBe('/');
    expect(patchRoot([changes[1]!], '/work/x')).toBe('/work/x');
    const out = unifiedDiff(changes, '/work/x');
    expect(out).toContain('--- a/etc/nginx/nginx.conf\n+++ b/etc/nginx/nginx.conf\n');
    expect(out).toContain('--- a/work/x/local.conf\n+++ b/work/x/local.conf\n');
    expect(patchRoot([{ path: '../sibling.conf' }], '/work/x')).toBe('/');
  });

  it('marks a last line without a newline, on either side', () => {
    expect(unifiedDiff([{ path: 'a', oldText: 'x\ny', newText: 'x\nz' }], '/w')).toContain('@@ -1,2 +1,2 @@\n x\n-y\n\\ No newline at end of file\n+z\n\\ No newline at end of file\n');
    expect(unifiedDiff([{ path: 'a', oldText: 'x\ny', newText: 'x\ny\n' }], '/w')).toContain('@@ -1,2 +1,2 @@\n x\n-y\n\\ No newline at end of file\n+y\n');
    expect(unifiedDiff([{ path: 'a', oldText: 'x\n', newText: 'x\ny' }], '/w')).toContain('@@ -1 +1,2 @@\n x\n+y\n\\ No newline at end of file\n');
  });

  it('writes an empty side as git does (start before the change, length 0)', () => {
    expect(unifiedDiff([{ path: 'a', oldText: '', newText: 'x\n' }], '/w')).toContain('@@ -0,0 +1 @@\n+x\n');
    expect(unifiedDiff([{ path: 'a', oldText: 'x\n', newText: '' }], '/w')).toContain('@@ -1 +0,0 @@\n-x\n');
  });

  it('keeps CRLF in the lines', () => {
    expect(unifiedDiff([{ path: 'a', oldText: 'a\r\nb\r\n', newText: 'a\r\nc\r\n' }], '/w')).toContain('@@ -1,2 +1,2 @@\n a\r\n-b\r\n+c\r\n');
  });

  it('quotes names the way git does', () => {
    expect(quotePatchName('a/plain name.conf')).toBe('a/plain name.conf');
    expect(quotePatchName('a/caf\u00e9.conf')).toBe('"a/caf\\303\\251.conf"');
    expect(quotePatchName('a/tab\there"q\\')).toBe('"a/tab\\there\\"q\\\\"');
    expect(unifiedDiff([{ path: 'my site.conf', oldText: 'a\n', newText: 'b\n' }], '/w')).toContain('--- a/my site.conf\t\n+++ b/my site.conf\t\n');
  });

  it('encodes a Latin-1 file’s part as Latin-1 bytes', () => {
    const change: FileChange = { path: 'php.ini', oldText: '; r\u00e9glages\nx = 1\n', newText: '; r\u00e9glages\nx = 2\n', encoding: 'latin1' };
    const bytes = unifiedDiffBytes([change, { path: 'u.conf', oldText: '\u00e9 1\n', newText: '\u00e9 2\n' }], '/w');
    expect(bytes.includes(Buffer.from('; r\xe9glages\n', 'latin1'))).toBe(true);
    expect(bytes.includes(Buffer.from(' r\u00e9glages', 'utf8'))).toBe(false);
    expect(bytes.includes(Buffer.from('-\u00e9 1\n', 'utf8'))).toBe(true);
    expect(unifiedDiff([change], '/w')).toContain('; r\u00e9glages');
  });
});

describe('unifiedDiff: git apply and patch -p1 accept it', () => {
  interface Case {
    name: string;
    old: Buffer;
    new: Buffer;
    encoding: 'utf8' | 'latin1';
  }
  const cases: Case[] = [
    { name: 'conf/crlf.conf', old: Buffer.from(lines(12, '\r\n')), new: Buffer.from(lines(12, '\r\n').replace('line 2;', 'line two;').replace('line 11;\r\n', 'line 11;\r\nadded;\r\n')), encoding: 'utf8' },
    { name: 'conf/no-eol.conf', old: Buffer.from('events {}\nhttp {}'), new: Buffer.from('events {}\nhttp { }'), encoding: 'utf8' },
    { name: 'conf/gains-eol.conf', old: Buffer.from('a\nb'), new: Buffer.from('a\nb\nc\n'), encoding: 'utf8' },
    { name: 'php.ini', old: Buffer.from('; r\xe9glages \xe0 la main\nmemory_limit = 64M\n', 'latin1'), new: Buffer.from('; r\xe9glages \xe0 la main\nmemory_limit = 256M\n', 'latin1'), encoding: 'latin1' },
    { name: 'utf8 \u00e9t\u00e9.conf', old: Buffer.from('# \u00e9t\u00e9\nworkers = 1\n'), new: Buffer.from('# \u00e9t\u00e9\nworkers = 2\n'), encoding: 'utf8' },
    { name: 'unchanged.conf', old: Buffer.from('same\n'), new: Buffer.from('same\n'), encoding: 'utf8' },
  ];

  /** a tree holding the old contents; returns the patch bytes for it (paths relative to root) */
  function setup(root: string, cwd = root): Buffer {
    for (const c of cases) {
      fs.mkdirSync(path.dirname(path.join(root, c.name)), { recursive: true });
      fs.writeFileSync(path.join(root, c.name), c.old);
    }
    return unifiedDiffBytes(
      cases.map((c) => ({ path: path.relative(cwd, path.join(root, c.name)), oldText: c.old.toString(c.encoding), newText: c.new.toString(c.encoding), encoding: c.encoding })),
      cwd,
    );
  }
  const expectNew = (root: string) => {
    for (const c of cases) expect(fs.readFileSync(path.join(root, c.name)), c.name).toEqual(c.new);
  };

  it('patch -p1 --dry-run accepts it, and patch -p1 produces the new bytes', () => {
    const root = path.join(dir, 'p');
    const diff = setup(root);
    const dry = sh('patch', ['-p1', '--dry-run', '--batch'], root, diff);
    expect(dry.out).not.toMatch(/FAILED|fuzz|offset|malformed|Reversed/i);
    expect(dry.code, dry.out).toBe(0);
    const real = sh('patch', ['-p1', '--batch', '--no-backup-if-mismatch'], root, diff);
    expect(real.code, real.out).toBe(0);
    expectNew(root);
  });

  it('git apply --check accepts it outside a repository, and git apply produces the new bytes', () => {
    const root = path.join(dir, 'g');
    const diff = setup(root);
    fs.writeFileSync(path.join(dir, 'fix.patch'), diff);
    const check = sh('git', ['apply', '--check', '-v', path.join(dir, 'fix.patch')], root);
    expect(check.code, check.out).toBe(0);
    const real = sh('git', ['apply', path.join(dir, 'fix.patch')], root);
    expect(real.code, real.out).toBe(0);
    expectNew(root);
  });

  it('git apply accepts it inside a repository, from a subdirectory too', () => {
    const repo = path.join(dir, 'repo');
    const root = path.join(repo, 'etc');
    const diff = setup(root);
    expect(sh('git', ['init', '-q'], repo).code).toBe(0);
    const check = sh('git', ['apply', '--check', '-'], root, diff);
    expect(check.code, check.out).toBe(0);
    expect(sh('git', ['apply', '-'], root, diff).code).toBe(0);
    expectNew(root);
  });

  it('a patch rooted at / applies with patch -p1 -d / and from / with git apply', () => {
    const root = path.join(dir, 'abs');
    const elsewhere = path.join(dir, 'cwd');
    fs.mkdirSync(elsewhere);
    const diff = setup(root, elsewhere);
    expect(diff.toString('latin1')).toContain(`--- a${root}/php.ini`);
    const dry = sh('patch', ['-p1', '-d', '/', '--dry-run', '--batch'], elsewhere, diff);
    expect(dry.code, dry.out).toBe(0);
    const git = sh('git', ['apply', '--check', '-'], '/', diff);
    expect(git.code, git.out).toBe(0);
    expect(sh('patch', ['-p1', '-d', '/', '--batch', '--no-backup-if-mismatch'], elsewhere, diff).code).toBe(0);
    expectNew(root);
  });
});
