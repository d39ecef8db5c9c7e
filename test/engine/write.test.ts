import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { UsageError } from '../../src/engine/errors.js';
import { isFixTempFile, writeFilesAtomically } from '../../src/engine/write.js';
import { decodeSource, encodeSource } from '../../src/syntax/source.js';

const isRoot = process.getuid?.() === 0;
let dir: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(tmpdir(), 'nl-write-'));
});
afterEach(() => {
  vi.restoreAllMocks();
  fs.rmSync(dir, { recursive: true, force: true });
});

const file = (name: string, content: string | Buffer, mode = 0o644) => {
  const p = path.join(dir, name);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, content);
  fs.chmodSync(p, mode);
  return p;
};
const read = (p: string) => fs.readFileSync(p, 'utf8');
/** names in the directory that are not the given files: temp files left behind */
const leftovers = (d: string, keep: string[]) => fs.readdirSync(d).filter((n) => !keep.includes(n));

function codeError(code: string): Error {
  return Object.assign(new Error(`${code}: injected`), { code });
}

describe('writeFilesAtomically', () => {
  it('replaces every file and leaves no temp file behind', () => {
    const a = file('a.conf', 'old a\n');
    const b = file('sub/b.conf', 'old b\n');
    const written = writeFilesAtomically([
      { path: a, bytes: Buffer.from('new a\n') },
      { path: b, bytes: Buffer.from('new b\n') },
    ]);
    expect(written.map((w) => w.path)).toEqual([a, b]);
    expect(read(a)).toBe('new a\n');
    expect(read(b)).toBe('new b\n');
    expect(leftovers(dir, ['a.conf', 'sub'])).toEqual([]);
    expect(leftovers(path.join(dir, 'sub'), ['b.conf'])).toEqual([]);
  });

  it('writes through a symlink: the target changes, the link stays a link', () => {
    const target = file('sites-available/site.conf', 'old\n');
    fs.mkdirSync(path.join(dir, 'sites-enabled'));
    const link = path.join(dir, 'sites-enabled/site.conf');
    fs.symlinkSync('../sites-available/site.conf', link);
    const [w] = writeFilesAtomically([{ path: link, bytes: Buffer.from('new\n') }]);
    expect(w!.target).toBe(fs.realpathSync(target));
    expect(fs.lstatSync(link).isSymbolicLink()).toBe(true);
    expect(fs.readlinkSync(link)).toBe('../sites-available/site.conf');
    expect(read(target)).toBe('new\n');
    expect(leftovers(path.join(dir, 'sites-enabled'), ['site.conf'])).toEqual([]);
    expect(leftovers(path.join(dir, 'sites-available'), ['site.conf'])).toEqual([]);
  });

  it('keeps the mode, set-group-ID bit included', () => {
    const p = file('php.ini', 'x\n', 0o640);
    const q = file('pool.conf', 'y\n', 0o2750);
    writeFilesAtomically([
      { path: p, bytes: Buffer.from('x2\n') },
      { path: q, bytes: Buffer.from('y2\n') },
    ]);
    expect(fs.statSync(p).mode & 0o7777).toBe(0o640);
    expect(fs.statSync(q).mode & 0o7777).toBe(0o2750);
  });

  it.runIf(isRoot)('keeps the owner and group (as root)', () => {
    const p = file('nginx.conf', 'events {}\n', 0o600);
    fs.chownSync(p, 1234, 2345);
    writeFilesAtomically([{ path: p, bytes: Buffer.from('events { }\n') }]);
    const st = fs.statSync(p);
    expect([st.uid, st.gid]).toEqual([1234, 2345]);
    expect(st.mode & 0o7777).toBe(0o600);
    expect(read(p)).toBe('events { }\n');
  });

  it('as a user who may not chown, ignores EPERM and writes; as root, EPERM is a failure', () => {
    const p = file('a.conf', 'old\n');
    const eperm = () => {
      throw codeError('EPERM');
    };
    vi.spyOn(process, 'getuid').mockReturnValue(1000);
    writeFilesAtomically([{ path: p, bytes: Buffer.from('new\n') }], { fchownSync: eperm });
    expect(read(p)).toBe('new\n');
    vi.spyOn(process, 'getuid').mockReturnValue(0);
    expect(() => writeFilesAtomically([{ path: p, bytes: Buffer.from('newer\n') }], { fchownSync: eperm })).toThrow(/cannot keep the owner of ".*a\.conf": Permission denied; nothing was written/);
    expect(read(p)).toBe('new\n');
    expect(leftovers(dir, ['a.conf'])).toEqual([]);
  });

  it('writes nothing when a step fails for a later file, and removes every temp file', () => {
    const a = file('a.conf', 'old a\n');
    const b = file('b.conf', 'old b\n');
    let syncs = 0;
    const failing = (fd: number) => {
      // the first file syncs twice (data, then metadata); fail on the second file's first sync
      if (++syncs === 3) throw codeError('EIO');
      fs.fsyncSync(fd);
    };
    let err: unknown;
    try {
      writeFilesAtomically(
        [
          { path: a, bytes: Buffer.from('new a\n') },
          { path: b, bytes: Buffer.from('new b\n') },
        ],
        { fsyncSync: failing },
      );
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UsageError);
    expect((err as Error).message).toBe(`cannot write "${b}": EIO: injected; nothing was written`);
    expect(read(a)).toBe('old a\n');
    expect(read(b)).toBe('old b\n');
    expect(leftovers(dir, ['a.conf', 'b.conf'])).toEqual([]);
  });

  it('writes nothing when one target is a directory', () => {
    const a = file('a.conf', 'old a\n');
    const d = path.join(dir, 'conf.d');
    fs.mkdirSync(d);
    expect(() =>
      writeFilesAtomically([
        { path: a, bytes: Buffer.from('new a\n') },
        { path: d, bytes: Buffer.from('x') },
      ]),
    ).toThrow(new UsageError(`cannot write "${d}": not a regular file; nothing was written`));
    expect(read(a)).toBe('old a\n');
    expect(leftovers(dir, ['a.conf', 'conf.d'])).toEqual([]);
  });

  it('writes nothing when one target is missing', () => {
    const a = file('a.conf', 'old a\n');
    const gone = path.join(dir, 'gone.conf');
    expect(() =>
      writeFilesAtomically([
        { path: a, bytes: Buffer.from('new a\n') },
        { path: gone, bytes: Buffer.from('x') },
      ]),
    ).toThrow(`cannot read "${gone}": No such file or directory; nothing was written`);
    expect(read(a)).toBe('old a\n');
    expect(leftovers(dir, ['a.conf'])).toEqual([]);
  });

  it('writes nothing when a file changed since it was read', () => {
    const a = file('a.conf', 'old a\n');
    const b = file('b.conf', 'edited meanwhile\n');
    expect(() =>
      writeFilesAtomically([
        { path: a, bytes: Buffer.from('new a\n'), expected: Buffer.from('old a\n') },
        { path: b, bytes: Buffer.from('new b\n'), expected: Buffer.from('old b\n') },
      ]),
    ).toThrow(`cannot write "${b}": it changed since it was read; nothing was written`);
    expect(read(a)).toBe('old a\n');
    expect(leftovers(dir, ['a.conf', 'b.conf'])).toEqual([]);
  });

  it('refuses two changes of one file (a path and a symlink to it)', () => {
    const a = file('a.conf', 'old\n');
    const link = path.join(dir, 'link.conf');
    fs.symlinkSync('a.conf', link);
    expect(() =>
      writeFilesAtomically([
        { path: a, bytes: Buffer.from('one\n') },
        { path: link, bytes: Buffer.from('two\n') },
      ]),
    ).toThrow(/it is the same file as/);
    expect(read(a)).toBe('old\n');
    expect(leftovers(dir, ['a.conf', 'link.conf'])).toEqual([]);
  });

  it('a rename failing after others succeeded says which files were written', () => {
    const a = file('a.conf', 'old a\n');
    const b = file('b.conf', 'old b\n');
    let renames = 0;
    const rename = (from: string, to: string) => {
      if (++renames === 2) throw codeError('EIO');
      fs.renameSync(from, to);
    };
    expect(() =>
      writeFilesAtomically(
        [
          { path: a, bytes: Buffer.from('new a\n') },
          { path: b, bytes: Buffer.from('new b\n') },
        ],
        { renameSync: rename },
      ),
    ).toThrow(`cannot replace "${b}": EIO: injected; written: "${a}"; not written: "${b}"`);
    expect(read(a)).toBe('new a\n');
    expect(read(b)).toBe('old b\n');
    expect(leftovers(dir, ['a.conf', 'b.conf'])).toEqual([]);
  });

  it('keeps bytes exactly: Latin-1 stays Latin-1, CRLF stays CRLF', () => {
    const bytes = Buffer.from('; r\xe9glages\r\nmemory_limit = 64M\r\n', 'latin1');
    const p = file('php.ini', bytes);
    const src = decodeSource(p, fs.readFileSync(p));
    expect(src.encoding).toBe('latin1');
    const text = src.text.replace('64M', '256M');
    writeFilesAtomically([{ path: p, bytes: encodeSource(src, text), expected: encodeSource(src) }]);
    expect(fs.readFileSync(p)).toEqual(Buffer.from('; r\xe9glages\r\nmemory_limit = 256M\r\n', 'latin1'));
  });

  it('with no changes does nothing', () => {
    expect(writeFilesAtomically([])).toEqual([]);
  });
});

describe('writeFilesAtomically: the edges of a killed or raced run', () => {
  it('names its temp files recognisably, and removes the ones a killed run left (its process gone), not a live one', () => {
    const a = file('a.conf', 'old\n');
    // a pid that is not running: far above any pid_max
    const stale = path.join(dir, '.a.conf.nginx-lint-999999999-0123456789ab.tmp');
    const live = path.join(dir, `.a.conf.nginx-lint-${process.ppid}-0123456789ab.tmp`);
    fs.writeFileSync(stale, 'half a fi');
    fs.writeFileSync(live, 'being written');
    expect([stale, live].map((p) => isFixTempFile(path.basename(p)))).toEqual([true, true]);
    expect(isFixTempFile('a.conf')).toBe(false);
    writeFilesAtomically([{ path: a, bytes: Buffer.from('new\n') }]);
    expect(read(a)).toBe('new\n');
    expect(fs.existsSync(stale)).toBe(false);
    expect(fs.existsSync(live)).toBe(true);
  });

  it('writes nothing when a file changes after the temp files are ready (checked again right before the renames)', () => {
    const a = file('a.conf', 'old a\n');
    const b = file('b.conf', 'old b\n');
    let closes = 0;
    const close = (fd: number) => {
      fs.closeSync(fd);
      // the second temp file is complete: an editor saves a.conf now
      if (++closes === 2) fs.writeFileSync(a, 'edited\n');
    };
    expect(() =>
      writeFilesAtomically(
        [
          { path: a, bytes: Buffer.from('new a\n'), expected: Buffer.from('old a\n') },
          { path: b, bytes: Buffer.from('new b\n'), expected: Buffer.from('old b\n') },
        ],
        { closeSync: close },
      ),
    ).toThrow(`cannot write "${a}": it changed since it was read; nothing was written`);
    expect(read(a)).toBe('edited\n');
    expect(read(b)).toBe('old b\n');
    expect(leftovers(dir, ['a.conf', 'b.conf'])).toEqual([]);
  });

  it('with `within`, refuses a target whose real path leads out of that directory, and writes nothing', () => {
    const root = path.join(dir, 'rootfs');
    const inside = file('rootfs/etc/nginx/nginx.conf', 'events {}\n');
    const outside = file('host/site.conf', 'server {}\n');
    const link = path.join(root, 'etc/nginx/site.conf');
    fs.symlinkSync(outside, link);
    expect(() =>
      writeFilesAtomically(
        [
          { path: inside, bytes: Buffer.from('events { }\n') },
          { path: link, bytes: Buffer.from('server { }\n') },
        ],
        {},
        { within: root },
      ),
    ).toThrow(`cannot write "${link}": it is "${fs.realpathSync(outside)}", outside the root "${root}"; nothing was written`);
    expect(read(inside)).toBe('events {}\n');
    expect(read(outside)).toBe('server {}\n');
    writeFilesAtomically([{ path: inside, bytes: Buffer.from('events { }\n') }], {}, { within: root });
    expect(read(inside)).toBe('events { }\n');
  });

  it('a full disk while the temp files are written: nothing written, no temp file left', () => {
    const [a, b] = ['a.conf', 'b.conf'].map((n) => file(n, `old ${n}\n`));
    let writes = 0;
    const write = (fd: number, buffer: Uint8Array, offset: number, length: number) => {
      if (++writes === 2) throw codeError('ENOSPC');
      return fs.writeSync(fd, buffer, offset, length);
    };
    expect(() => writeFilesAtomically([a!, b!].map((p) => ({ path: p, bytes: Buffer.from('new\n') })), { writeSync: write })).toThrow(`cannot write "${b}": No space left on device; nothing was written`);
    expect([a!, b!].map(read)).toEqual(['old a.conf\n', 'old b.conf\n']);
    expect(leftovers(dir, ['a.conf', 'b.conf'])).toEqual([]);
  });

  it('a rename failing midway says which files were written and which were not', () => {
    const [a, b, c] = ['a.conf', 'b.conf', 'c.conf'].map((n) => file(n, `old ${n}\n`));
    let renames = 0;
    const rename = (from: string, to: string) => {
      if (++renames === 2) throw codeError('EROFS');
      fs.renameSync(from, to);
    };
    expect(() => writeFilesAtomically([a!, b!, c!].map((p) => ({ path: p, bytes: Buffer.from('new\n') })), { renameSync: rename })).toThrow(
      `cannot replace "${b}": Read-only file system; written: "${a}"; not written: "${b}", "${c}"`,
    );
    expect([a!, b!, c!].map(read)).toEqual(['new\n', 'old b.conf\n', 'old c.conf\n']);
    expect(leftovers(dir, ['a.conf', 'b.conf', 'c.conf'])).toEqual([]);
  });
});
