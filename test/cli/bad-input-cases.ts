/**
 * What the CLI does with input it cannot use, one row per case: the table
 * test/cli/bad-input.test.ts checks, and that scripts/fuzz/bad-input-table.ts
 * prints for the README's "Reliability" section (from the CLI's actual
 * output, so the two cannot drift apart).
 *
 * The rule: a file nginx-lint cannot read — named on the command line, the
 * config file, standard input — stops the run: exit 2, one line
 * `nginx-lint: <reason>` on stderr. A problem inside a file it read — bad
 * syntax, an include that cannot be opened, a limit reached — is a finding at
 * file:line:col (exit 1), reported with every other finding, as `nginx -t`
 * reports an include it cannot open.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface Invocation {
  args: string[];
  /** bytes for standard input */
  stdin?: Buffer;
  /** run as an unprivileged user (root reads any file: permissions mean nothing to it) */
  unprivileged?: boolean;
}

export interface Finding {
  /** path:line:col as the JSON output gives it */
  at: string;
  rule: string;
  message: string;
}

export interface BadInput {
  /** the README's words for the input */
  input: string;
  /** builds the input in `dir` (the current directory of the run) and says how to run the CLI */
  setup(dir: string): Invocation;
  code: 1 | 2;
  /** exit 2: the whole of stderr, after `nginx-lint: ` */
  stderr?: string;
  /** exit 1: the finding that must be reported (the run is made with --format json) */
  finding?: Finding;
  /** findings that must not appear (what reading a file outside the root would produce) */
  never?: RegExp;
  /** what must hold on disk afterwards: the problems, [] when all is well */
  after?(dir: string): string[];
}

const write = (dir: string, rel: string, content: string | Buffer, mode?: number) => {
  const p = path.join(dir, rel);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, content);
  if (mode !== undefined) fs.chmodSync(p, mode);
  return p;
};

function chownTree(p: string, uid: number, gid: number): void {
  fs.chownSync(p, uid, gid);
  if (fs.statSync(p).isDirectory()) for (const n of fs.readdirSync(p)) chownTree(path.join(p, n), uid, gid);
}

/** 100,000 files under conf.d, made once per directory (they take a few seconds) */
export function manyFiles(dir: string, n = 100_000): void {
  const d = path.join(dir, 'conf.d');
  fs.mkdirSync(d, { recursive: true });
  for (let i = 0; i < n; i++) fs.writeFileSync(path.join(d, `f${String(i).padStart(6, '0')}.conf`), '');
}

const MAIN = 'events {}\n';

export const BAD_INPUTS: BadInput[] = [
  {
    input: 'missing file',
    setup: () => ({ args: ['missing.conf'] }),
    code: 2,
    stderr: 'cannot read "missing.conf": No such file or directory',
  },
  {
    input: 'directory where a file is expected (`--nginx DIR`)',
    setup: (dir) => {
      fs.mkdirSync(path.join(dir, 'conf.d'));
      return { args: ['--nginx', 'conf.d'] };
    },
    code: 2,
    stderr: 'cannot read "conf.d": Is a directory',
  },
  {
    input: 'directory as the config file (`--config DIR`)',
    setup: (dir) => {
      fs.mkdirSync(path.join(dir, 'cfg'));
      write(dir, 'nginx.conf', MAIN);
      return { args: ['--config', 'cfg', 'nginx.conf'] };
    },
    code: 2,
    stderr: 'cannot read config file "cfg": Is a directory',
  },
  {
    input: '`--root` that is a file',
    setup: (dir) => {
      write(dir, 'nginx.conf', MAIN);
      return { args: ['--root', 'nginx.conf'] };
    },
    code: 2,
    stderr: '--root "nginx.conf" is not a directory',
  },
  {
    input: 'permission denied (a named file, as a user who may not read it)',
    setup: (dir) => {
      write(dir, 'secret.conf', MAIN, 0o600);
      return { args: ['secret.conf'], unprivileged: true };
    },
    code: 2,
    stderr: 'cannot read "secret.conf": Permission denied',
  },
  {
    input: 'permission denied (a directory to walk)',
    setup: (dir) => {
      write(dir, 'locked/nginx.conf', MAIN);
      fs.chmodSync(path.join(dir, 'locked'), 0o700);
      return { args: ['locked'], unprivileged: true };
    },
    code: 2,
    stderr: 'cannot read directory "locked": Permission denied',
  },
  {
    input: 'permission denied (an included file)',
    setup: (dir) => {
      write(dir, 'nginx.conf', `${MAIN}http {\n    include secret.conf;\n}\n`, 0o644);
      write(dir, 'secret.conf', 'server_tokens off;\n', 0o600);
      return { args: ['nginx.conf'], unprivileged: true };
    },
    code: 1,
    finding: { at: 'nginx.conf:3:5', rule: 'nginx-include', message: 'open() "secret.conf" failed (13: Permission denied)' },
  },
  {
    input: 'binary file',
    setup: (dir) => {
      // the same bytes every run: a PNG header, NULs and high bytes
      const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52, 0xff, 0xfe, 0x7b, 0x3b, 0x00, 0x22]);
      write(dir, 'image.conf', bytes);
      return { args: ['image.conf'] };
    },
    code: 1,
    finding: { at: 'image.conf:3:12', rule: 'nginx-syntax', message: 'unexpected ";"' },
  },
  {
    input: 'non-UTF-8 bytes (a Latin-1 file: read byte for byte, columns in characters; `--fix` keeps every other byte, see test/cli/fix.test.ts)',
    setup: (dir) => {
      write(dir, 'nginx.conf', Buffer.from(`${MAIN}# r\xe9glages\nhttp {\n    server_name caf\xe9;\n}\n`, 'latin1'));
      return { args: ['nginx.conf'] };
    },
    code: 1,
    finding: { at: 'nginx.conf:4:5', rule: 'nginx-directive-context', message: '"server_name" directive is not allowed here' },
  },
  {
    input: 'empty file',
    setup: (dir) => {
      write(dir, 'nginx.conf', '');
      return { args: ['nginx.conf'] };
    },
    code: 1,
    finding: { at: 'nginx.conf:1:1', rule: 'nginx-missing-events', message: 'no "events" section in configuration' },
  },
  {
    input: 'a 100 MB file',
    setup: (dir) => {
      const p = write(dir, 'huge.conf', MAIN);
      fs.truncateSync(p, 100 * 1024 * 1024);
      return { args: ['huge.conf'] };
    },
    code: 2,
    stderr: 'cannot read "huge.conf": File too large (nginx-lint reads files of up to 64 MiB)',
  },
  {
    input: '10,000-deep nesting',
    setup: (dir) => {
      write(dir, 'nginx.conf', `${MAIN}http {\n    server {\n${'location / {'.repeat(10_000)}${'}'.repeat(10_000)}\n    }\n}\n`);
      return { args: ['nginx.conf'] };
    },
    code: 1,
    finding: { at: 'nginx.conf:4:1188', rule: 'nginx-syntax', message: 'blocks nested deeper than 100 levels: nginx-lint does not read inside this one' },
  },
  {
    input: 'include cycle',
    setup: (dir) => {
      write(dir, 'nginx.conf', `${MAIN}http {\n    include conf.d/a.conf;\n}\n`);
      write(dir, 'conf.d/a.conf', 'include conf.d/b.conf;\n');
      write(dir, 'conf.d/b.conf', 'include conf.d/a.conf;\n');
      return { args: ['nginx.conf'] };
    },
    code: 1,
    finding: { at: 'conf.d/b.conf:1:1', rule: 'nginx-include', message: 'include cycle: "conf.d/a.conf" is already being included (not followed)' },
  },
  {
    input: 'an include glob matching 100,000 files',
    setup: (dir) => {
      manyFiles(dir);
      write(dir, 'nginx.conf', `${MAIN}http {\n    include conf.d/*.conf;\n}\n`);
      return { args: ['nginx.conf'] };
    },
    code: 1,
    finding: { at: 'nginx.conf:3:5', rule: 'nginx-include', message: 'more than 10000 files included: 90001 files matched by "conf.d/*.conf" not loaded (the first: "conf.d/f009999.conf")' },
  },
  {
    input: 'a directory of more than 100,000 configuration files',
    setup: (dir) => {
      manyFiles(dir, 100_001);
      return { args: ['conf.d'] };
    },
    code: 2,
    stderr: 'more than 100000 files under "conf.d"; name the stack\'s files or a smaller directory',
  },
  {
    input: 'includes reaching outside `--root` (an absolute path, `../..`, a symlink to a host path)',
    setup: (dir) => {
      // a file outside the root that would be reported if it were ever read
      write(dir, 'host/outside.conf', 'read_outside_the_root on;\n');
      const host = path.join(dir, 'host/outside.conf');
      write(dir, 'rootfs/etc/nginx/nginx.conf', `${MAIN}http {\n    include ${host};\n    include ../../../../../../../../..${host};\n    include conf.d/*.conf;\n}\n`);
      fs.mkdirSync(path.join(dir, 'rootfs/etc/nginx/conf.d'));
      fs.symlinkSync(host, path.join(dir, 'rootfs/etc/nginx/conf.d/link.conf'));
      return { args: ['--root', 'rootfs'] };
    },
    code: 1,
    finding: { at: 'rootfs/etc/nginx/nginx.conf:3:5', rule: 'nginx-include', message: 'open() "DIR/host/outside.conf" failed (2: No such file or directory)' },
    never: /read_outside_the_root/,
  },
  {
    input: 'symlink loop (named)',
    setup: (dir) => {
      fs.symlinkSync('b.conf', path.join(dir, 'a.conf'));
      fs.symlinkSync('a.conf', path.join(dir, 'b.conf'));
      return { args: ['a.conf'] };
    },
    code: 2,
    stderr: 'cannot read "a.conf": Too many levels of symbolic links',
  },
  {
    input: 'symlink loop (included)',
    setup: (dir) => {
      write(dir, 'nginx.conf', `${MAIN}http {\n    include loop.conf;\n}\n`);
      fs.symlinkSync('loop.conf', path.join(dir, 'loop.conf'));
      return { args: ['nginx.conf'] };
    },
    code: 1,
    finding: { at: 'nginx.conf:3:5', rule: 'nginx-include', message: 'open() "loop.conf" failed (40: Too many levels of symbolic links)' },
  },
  {
    input: 'a dangling symlink matched by an include glob (a site removed, its link left in sites-enabled)',
    setup: (dir) => {
      write(dir, 'nginx.conf', `${MAIN}http {\n    include sites-enabled/*;\n}\n`);
      write(dir, 'sites-enabled/shop', 'server {\n    listen 8080;\n}\n');
      fs.symlinkSync('../sites-available/old', path.join(dir, 'sites-enabled/old'));
      return { args: ['nginx.conf'] };
    },
    code: 1,
    finding: { at: 'nginx.conf:3:5', rule: 'nginx-include', message: 'open() "sites-enabled/old" failed (2: No such file or directory)' },
  },
  {
    input: '`--fix` where one of the files to write is in a read-only directory',
    setup: (dir) => {
      const stack = path.join(dir, 'stack');
      fs.cpSync(path.resolve(import.meta.dirname, '../../examples/stack'), stack, { recursive: true });
      // the run is unprivileged: the stack is that user's, but one directory is not writable
      if (process.getuid?.() === 0) chownTree(stack, 65534, 65534);
      fs.chmodSync(path.join(stack, 'etc/php/8.2/fpm/pool.d'), 0o555);
      return { args: ['--fix', 'stack'], unprivileged: true };
    },
    code: 2,
    stderr: 'cannot create a temporary file for "stack/etc/php/8.2/fpm/pool.d/shop.conf": Permission denied; nothing was written',
    // nothing was written: every file as it was, no temp file anywhere
    after: (dir) => {
      const example = path.resolve(import.meta.dirname, '../../examples/stack');
      const problems: string[] = [];
      const walk = (rel: string) => {
        for (const e of fs.readdirSync(path.join(dir, 'stack', rel), { withFileTypes: true })) {
          const r = path.join(rel, e.name);
          if (e.isDirectory()) walk(r);
          else if (!fs.existsSync(path.join(example, r)) || !fs.readFileSync(path.join(dir, 'stack', r)).equals(fs.readFileSync(path.join(example, r)))) problems.push(`${r} differs`);
        }
      };
      walk('');
      return problems;
    },
  },
  {
    input: '`nginx -T` output cut short on standard input',
    setup: () => ({
      args: ['-'],
      stdin: Buffer.from('nginx: the configuration file /etc/nginx/nginx.conf syntax is ok\n# configuration file /etc/nginx/nginx.conf:\nevents {}\nhttp {\n    include /etc/nginx/conf.d/*.conf;\n}\n\n# configuration file /etc/nginx/conf.d/app.conf:\nserver {\n    listen 80;\n    location / {\n        proxy_pass http://127.0.0.1:80'),
    }),
    code: 1,
    finding: { at: '/etc/nginx/conf.d/app.conf:4:39', rule: 'nginx-dump', message: 'the "nginx -T" dump looks truncated: "/etc/nginx/conf.d/app.conf" does not end with the line break nginx writes after each file' },
  },
  {
    input: 'more than 64 MiB on standard input',
    setup: () => ({ args: ['-'], stdin: Buffer.alloc(65 * 1024 * 1024, 0x20) }),
    code: 2,
    stderr: 'cannot read standard input: File too large (nginx-lint reads files of up to 64 MiB)',
  },
];

const isRoot = process.getuid?.() === 0;
export const SETPRIV = ['/usr/bin/setpriv', '/bin/setpriv'].find((p) => fs.existsSync(p));
/** a run that neither ends nor fails within this is a hang */
const HANG_MS = 120_000;

/**
 * Run the CLI bundle `cli` in `cwd` (as `nobody` through setpriv when the
 * invocation asks for an unprivileged user and we are root).
 */
export function runCli(cli: string, inv: Invocation, cwd: string, extra: string[] = ['--format', 'json']): SpawnSyncReturns<string> {
  const argv = [cli, ...inv.args, ...extra];
  if (inv.unprivileged && isRoot && !SETPRIV) throw new Error('setpriv(1) from util-linux is needed to test permissions as root');
  const [cmd, args] = inv.unprivileged && isRoot ? [SETPRIV!, ['--reuid=nobody', '--regid=nogroup', '--clear-groups', process.execPath, ...argv]] : [process.execPath, argv];
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', timeout: HANG_MS, maxBuffer: 1 << 28, ...(inv.stdin ? { input: inv.stdin } : { stdio: ['ignore', 'pipe', 'pipe'] }), env: { ...process.env, NO_COLOR: '1' } });
  // EPIPE: the CLI stopped reading standard input (too much of it) and exited, as it should
  if (r.error && !(inv.stdin && (r.error as { code?: string }).code === 'EPIPE' && r.status !== null)) throw new Error(`the CLI did not finish: ${r.error.message}`);
  return r;
}

/** The findings of a --format json run, with the run's directory written DIR. */
export function findingsOf(stdout: string, plain: (s: string) => string): Finding[] {
  const ds = (JSON.parse(stdout) as { diagnostics: { file: string; line: number; column: number; rule: string; message: string }[] }).diagnostics;
  return ds.map((d) => ({ at: plain(`${d.file}:${d.line}:${d.column}`), rule: d.rule, message: plain(d.message) }));
}

/** `s` with the directory (as given and its real path) written DIR. */
export function plainDir(dir: string): (s: string) => string {
  const real = fs.realpathSync(dir);
  return (s) => s.split(real).join('DIR').split(dir).join('DIR');
}
