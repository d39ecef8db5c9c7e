/**
 * Linting an image-style root (`--root /`, `--root ./rootfs`): paths inside
 * the run are the paths the programs see (`/etc/nginx/nginx.conf`), read
 * through a file system that maps them under the root, so absolute includes
 * and `--config /opt/app/gunicorn.py` resolve inside the image. Reports and
 * fixes map them back to where they are on this machine.
 */
import * as path from 'node:path';
import type { FileSystem } from '../fs.js';
import type { FileKind } from '../stack/kind.js';
import type { TypedPath } from './collect.js';

export interface Rooted {
  fs: FileSystem;
  /** the path on this machine of a path inside the image */
  hostPath(p: string): string;
  /** what the view assumed, in words (for --print-stack) */
  notes: string[];
}

/** Debian's enabled-sites folders: when a copied tree lacks one (its symlinks were not copied), the sites it links to stand in. */
const SITES = [['/etc/nginx/sites-enabled', '/etc/nginx/sites-available']] as const;

export function rootedFileSystem(base: FileSystem, root: string): Rooted {
  const abs = path.resolve(root);
  if (abs === '/') return { fs: base, hostPath: (p) => p, notes: [] };
  const plain = (p: string) => path.join(root, path.resolve('/', p));
  const aliases: [string, string][] = [];
  const notes: string[] = [];
  for (const [enabled, available] of SITES) {
    if (!base.stat(plain(enabled)) && base.stat(plain(available))?.isDirectory) {
      aliases.push([enabled, available]);
      notes.push(`${enabled} is missing under the root (symlinks not copied?): the sites in ${available} are read as enabled`);
    }
  }
  const host = (p: string) => {
    const inImage = path.resolve('/', p);
    for (const [from, to] of aliases) if (inImage === from || inImage.startsWith(from + '/')) return plain(to + inImage.slice(from.length));
    return plain(inImage);
  };
  return {
    hostPath: host,
    notes,
    fs: {
      readFile: (p) => base.readFile(host(p)),
      stat: (p) => base.stat(host(p)),
      readdir: (p) => base.readdir(host(p)),
      realpath(p) {
        // symlinks inside an image may be absolute: resolve them within the root
        const real = base.realpath(host(p));
        return real.startsWith(abs + '/') ? real.slice(abs.length) : real === abs ? '/' : p;
      },
    },
  };
}

/** The nginx main file: the first of these that exists (Debian/RHEL/Alpine, source builds, Homebrew-style). */
const NGINX_MAIN = ['/etc/nginx/nginx.conf', '/usr/local/nginx/conf/nginx.conf', '/usr/local/etc/nginx/nginx.conf', '/opt/nginx/conf/nginx.conf'];
/** php-fpm main files (they include their pools); a glob segment `*` matches every PHP version. */
const FPM_MAIN = ['/etc/php/*/fpm/php-fpm.conf', '/etc/php-fpm.conf', '/usr/local/etc/php-fpm.conf', '/etc/php*/php-fpm.conf', '/etc/opt/remi/*/php-fpm.conf'];
/** pool directories: read on their own when no main file includes them (a copied tree without php-fpm.conf) */
const FPM_POOLS = ['/etc/php/*/fpm/pool.d', '/etc/php-fpm.d', '/usr/local/etc/php-fpm.d', '/etc/php*/php-fpm.d'];
/** php.ini files and scan directories of the FPM SAPI. */
const PHP_INI = ['/etc/php/*/fpm/php.ini', '/etc/php/*/fpm/conf.d', '/etc/php.ini', '/etc/php.d', '/usr/local/etc/php/php.ini', '/usr/local/etc/php/conf.d', '/etc/php*/php.ini', '/etc/php*/conf.d'];
/** systemd units that may start gunicorn (or hand it a socket). */
const UNIT_DIRS = ['/etc/systemd/system', '/lib/systemd/system', '/usr/lib/systemd/system'];

function expand(fs: FileSystem, pattern: string): string[] {
  let paths = ['/'];
  for (const seg of pattern.split('/').filter(Boolean)) {
    const next: string[] = [];
    for (const p of paths) {
      if (!seg.includes('*')) {
        next.push(path.join(p, seg));
        continue;
      }
      const re = new RegExp(`^${seg.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
      let names: string[];
      try {
        names = fs.stat(p)?.isDirectory ? fs.readdir(p).sort() : [];
      } catch {
        names = [];
      }
      for (const n of names) if (re.test(n)) next.push(path.join(p, n));
    }
    paths = next;
  }
  return paths.filter((p) => fs.stat(p));
}

/** What an image root holds, as files with their kinds, in image paths. */
export function discoverRoot(fs: FileSystem): TypedPath[] {
  const out: TypedPath[] = [];
  const add = (p: string, kind: FileKind) => {
    if (!out.some((t) => t.path === p)) out.push({ path: p, kind });
  };
  const nginx = NGINX_MAIN.find((p) => fs.stat(p)?.isFile);
  if (nginx) add(nginx, 'nginx');
  for (const pattern of FPM_MAIN) for (const p of expand(fs, pattern)) if (fs.stat(p)?.isFile) add(p, 'fpm');
  for (const pattern of FPM_POOLS) for (const dir of expand(fs, pattern)) if (fs.stat(dir)?.isDirectory) for (const n of fs.readdir(dir).sort()) if (n.endsWith('.conf') && fs.stat(path.join(dir, n))?.isFile) add(path.join(dir, n), 'fpm');
  for (const pattern of PHP_INI) {
    for (const p of expand(fs, pattern)) {
      const st = fs.stat(p);
      if (st?.isFile) add(p, 'php-ini');
      else if (st?.isDirectory) for (const n of fs.readdir(p).sort()) if (n.endsWith('.ini') && fs.stat(path.join(p, n))?.isFile) add(path.join(p, n), 'php-ini');
    }
  }
  for (const dir of UNIT_DIRS) {
    if (!fs.stat(dir)?.isDirectory) continue;
    for (const n of fs.readdir(dir).sort()) {
      const p = path.join(dir, n);
      if (!/\.(service|socket)$/.test(n) || !fs.stat(p)?.isFile) continue;
      const text = Buffer.from(fs.readFile(p)).toString('utf8');
      // services that run gunicorn; sockets are cheap and only matter when a service pairs with one
      if (n.endsWith('.socket') || /gunicorn/.test(text)) add(p, 'gunicorn');
    }
  }
  for (const p of expand(fs, '/etc/gunicorn*')) if (fs.stat(p)?.isFile) add(p, 'gunicorn');
  return out;
}
