/**
 * --root: an image's paths resolve inside the root, symlinks included (an
 * absolute link points into the image, not at this machine's /etc), and a
 * link loop is ELOOP, not a hang. The resolver remembers each link it has
 * read, so these also check that what it remembers is right for the paths
 * that go through the same directories.
 */
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeFileSystem } from '../../src/fs.js';
import { rootedFileSystem } from '../../src/engine/root.js';

let root: string;
beforeAll(() => {
  root = fs.mkdtempSync(path.join(tmpdir(), 'nl-root-'));
  fs.mkdirSync(path.join(root, 'etc/nginx/sites-available'), { recursive: true });
  fs.mkdirSync(path.join(root, 'srv/conf'), { recursive: true });
  fs.writeFileSync(path.join(root, 'etc/nginx/sites-available/a.conf'), 'A');
  fs.writeFileSync(path.join(root, 'srv/conf/b.conf'), 'B');
  fs.mkdirSync(path.join(root, 'etc/nginx/sites-enabled'));
  // relative, absolute (into the image), a directory link, a chain and a loop
  fs.symlinkSync('../sites-available/a.conf', path.join(root, 'etc/nginx/sites-enabled/a.conf'));
  fs.symlinkSync('/srv/conf/b.conf', path.join(root, 'etc/nginx/sites-enabled/b.conf'));
  fs.symlinkSync('/srv/conf', path.join(root, 'etc/nginx/snippets'));
  fs.symlinkSync('snippets', path.join(root, 'etc/nginx/more'));
  fs.symlinkSync('loop2', path.join(root, 'etc/nginx/loop1'));
  fs.symlinkSync('loop1', path.join(root, 'etc/nginx/loop2'));
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const text = (bytes: Uint8Array) => Buffer.from(bytes).toString();

describe('rootedFileSystem', () => {
  it('resolves relative, absolute, directory and chained links inside the root, and again from what it remembers', () => {
    const { fs: rooted, hostPath } = rootedFileSystem(nodeFileSystem, root);
    for (let pass = 0; pass < 2; pass++) {
      expect(text(rooted.readFile('/etc/nginx/sites-enabled/a.conf'))).toBe('A');
      expect(text(rooted.readFile('/etc/nginx/sites-enabled/b.conf'))).toBe('B');
      expect(text(rooted.readFile('/etc/nginx/snippets/b.conf'))).toBe('B');
      expect(text(rooted.readFile('/etc/nginx/more/b.conf'))).toBe('B');
      expect(text(rooted.readFile('/etc/nginx/more/../sites-available/a.conf'))).toBe('A');
      expect(rooted.realpath('/etc/nginx/more/b.conf')).toBe('/srv/conf/b.conf');
      expect(rooted.realpath('/etc/nginx/sites-enabled/a.conf')).toBe('/etc/nginx/sites-available/a.conf');
      expect(hostPath('/etc/nginx/snippets/b.conf')).toBe(path.join(root, 'srv/conf/b.conf'));
      expect(rooted.stat('/etc/nginx/snippets/missing.conf')).toBeNull();
    }
  });

  it('a link loop is ELOOP', () => {
    const { fs: rooted } = rootedFileSystem(nodeFileSystem, root);
    expect(() => rooted.readFile('/etc/nginx/loop1/x.conf')).toThrow(expect.objectContaining({ code: 'ELOOP' }));
    expect(rooted.stat('/etc/nginx/loop2')).toBeNull();
  });
});
