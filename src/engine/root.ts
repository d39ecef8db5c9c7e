/**
 * Linting an image-style root (`--root /`, `--root ./rootfs`): paths inside
 * the run are the paths the programs see (`/etc/nginx/nginx.conf`), read
 * through a file system that maps them under the root, so absolute includes
 * and `--config /opt/app/gunicorn.py` resolve inside the image. Reports and
 * fixes map them back to where they are on this machine.
 */
import * as nodeFs from 'node:fs';
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

/**
 * The components of an image path below the root, with every symlink on the
 * way resolved as inside a chroot: an absolute link starts again at the root,
 * `..` stops at it. So a link in the image (`sites-enabled/x -> /etc/nginx/sites-available/x`)
 * reads the image's file, never this machine's, and nothing a link says
 * leads out of the root. null: more than 40 links (ELOOP).
 */
function resolveInRoot(root: string, imagePath: string, links: Map<string, string | null>): string[] | null {
  const todo = imagePath.split('/').filter(Boolean);
  const done: string[] = [];
  let followed = 0;
  while (todo.length) {
    const c = todo.shift()!;
    if (c === '.') continue;
    if (c === '..') {
      done.pop();
      continue;
    }
    done.push(c);
    const key = done.join('/');
    let target = links.get(key);
    if (target === undefined) {
      target = null;
      try {
        const host = path.join(root, key);
        if (nodeFs.lstatSync(host, { throwIfNoEntry: false })?.isSymbolicLink()) target = nodeFs.readlinkSync(host);
      } catch {
        // missing (or not on this disk: a memory file system): taken as written
      }
      links.set(key, target);
    }
    if (target === null) continue;
    done.pop();
    if (++followed > 40) return null;
    if (target.startsWith('/')) done.length = 0;
    todo.unshift(...target.split('/').filter(Boolean));
  }
  return done;
}

const eloop = (p: string) => Object.assign(new Error(`ELOOP: too many symbolic links encountered, '${p}'`), { code: 'ELOOP' });

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
  const resolved = new Map<string, string[] | null>();
  /** components() and resolve() by the path as asked (each file is asked for several times: stat, realpath, read) */
  const componentsOf = new Map<string, string[] | null>();
  const hostOf = new Map<string, string | null>();
  /** each path inside the root (relative, resolved so far) → its symlink's target, or null: one lstat per directory and file, not one per path through it */
  const links = new Map<string, string | null>();
  /** the components of an image path with its symlinks resolved inside the root; null for a link loop */
  const components = (p: string): string[] | null => {
    const known = componentsOf.get(p);
    if (known !== undefined) return known;
    let inImage = path.resolve('/', p);
    for (const [from, to] of aliases) if (inImage === from || inImage.startsWith(from + '/')) inImage = to + inImage.slice(from.length);
    let r = resolved.get(inImage);
    if (r === undefined) {
      r = resolveInRoot(root, inImage, links);
      resolved.set(inImage, r);
    }
    componentsOf.set(p, r);
    return r;
  };
  /** where an image path is on this machine (a path under the root as it was given); null for a link loop */
  const resolve = (p: string): string | null => {
    let h = hostOf.get(p);
    if (h === undefined) {
      const c = components(p);
      h = c === null ? null : path.join(root, ...c);
      hostOf.set(p, h);
    }
    return h;
  };
  const host = (p: string) => resolve(p) ?? plain(p);
  return {
    hostPath: host,
    notes,
    fs: {
      readFile(p) {
        const h = resolve(p);
        if (h === null) throw eloop(p);
        return base.readFile(h);
      },
      stat(p) {
        const h = resolve(p);
        return h === null ? null : base.stat(h);
      },
      readdir(p) {
        const h = resolve(p);
        if (h === null) throw eloop(p);
        return base.readdir(h);
      },
      realpath(p) {
        const c = components(p);
        return c === null ? p : '/' + c.join('/');
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
/** supervisord's main file and program files (Debian, RHEL): read when they start gunicorn. */
const SUPERVISOR = ['/etc/supervisord.conf', '/etc/supervisor/supervisord.conf', '/etc/supervisor/conf.d/*.conf', '/etc/supervisord.d/*.ini', '/etc/supervisord.d/*.conf'];
/** systemd units that may start gunicorn (or hand it a socket). */
const UNIT_DIRS = ['/etc/systemd/system', '/lib/systemd/system', '/usr/lib/systemd/system'];

function expand(fs: FileSystem, pattern: string): string[] {
  let paths = ['/'];
  for (const seg of pattern.split('/').filter(Boolean)) {
    const next: string[] = [];
    for (const p of paths) {
      if (!seg.includes('*')) {
        next.push(p === '/' ? `/${seg}` : `${p}/${seg}`);
        continue;
      }
      const re = new RegExp(`^${seg.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
      let names: string[];
      try {
        names = fs.stat(p)?.isDirectory ? fs.readdir(p).sort() : [];
      } catch {
        names = [];
      }
      for (const n of names) if (re.test(n)) next.push(p === '/' ? `/${n}` : `${p}/${n}`);
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
  for (const pattern of SUPERVISOR) {
    for (const p of expand(fs, pattern)) if (fs.stat(p)?.isFile && /gunicorn/.test(Buffer.from(fs.readFile(p)).toString('utf8'))) add(p, 'supervisor');
  }
  return out;
}
