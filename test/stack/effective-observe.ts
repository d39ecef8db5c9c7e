/**
 * Observing what a real nginx does, for the differential test of the
 * effective-value model (effective-differential.test.ts):
 *
 * - an echo upstream (node:http on 127.0.0.1, a port chosen at run time) that
 *   answers every request with what it received (request line version,
 *   headers, body length, which connection it came on), after `?delay=ms`,
 *   with `?status=N`, extra response headers `?hdr=Name:Value` and a large
 *   header `?big=bytes` on request;
 * - nginx started on a fixture in its own temporary directory (pid, logs and
 *   temp paths inside it), stopped by pid, workers included;
 * - one HTTP request with a hard time limit that keeps an early answer
 *   (nginx's 413 comes before the body is sent).
 *
 * Nothing is written outside the temporary directories, and no fixed port is used.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync, chmodSync } from 'node:fs';
import * as http from 'node:http';
import type * as net from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { canConnect, freePort, waitFor } from '../integration/harness.js';

/** What the echo upstream saw of one request. */
export interface EchoRecord {
  echo: true;
  method: string;
  url: string;
  httpVersion: string;
  /** header names lowercased; repeated headers joined with ", " */
  headers: Record<string, string>;
  bodyLength: number;
  /** a number per upstream connection, unique for the echo server's life */
  connection: number;
}

export interface Echo {
  port: number;
  close(): Promise<void>;
}

/** Lowercased name → value, repeated names joined with ", " (as the echo reports them). */
export function headerRecord(raw: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const k = raw[i]!.toLowerCase();
    out[k] = k in out ? `${out[k]}, ${raw[i + 1]}` : raw[i + 1]!;
  }
  return out;
}

export async function startEcho(): Promise<Echo> {
  const port = await freePort();
  let nextConnection = 0;
  const ids = new WeakMap<net.Socket, number>();
  const sockets = new Set<net.Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const server = http.createServer((req, res) => {
    let bodyLength = 0;
    req.on('data', (c: Buffer) => (bodyLength += c.length));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://echo');
      const record: EchoRecord = {
        echo: true,
        method: req.method ?? '',
        url: req.url ?? '',
        httpVersion: req.httpVersion,
        headers: headerRecord(req.rawHeaders),
        bodyLength,
        connection: ids.get(req.socket) ?? -1,
      };
      const answer = () => {
        timers.delete(timer);
        if (res.destroyed) return;
        const body = JSON.stringify(record);
        const headers: Record<string, string | string[]> = { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(body)) };
        for (const h of url.searchParams.getAll('hdr')) {
          const i = h.indexOf(':');
          if (i > 0) headers[h.slice(0, i)] = h.slice(i + 1);
        }
        const big = Number(url.searchParams.get('big') ?? 0);
        if (big > 0) headers['X-Big'] = 'b'.repeat(big);
        res.writeHead(Number(url.searchParams.get('status') ?? 200), headers);
        res.end(body);
      };
      const timer = setTimeout(answer, Number(url.searchParams.get('delay') ?? 0));
      timers.add(timer);
    });
  });
  server.on('connection', (s: net.Socket) => {
    ids.set(s, nextConnection++);
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const t of timers) clearTimeout(t);
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

export interface Reply {
  /** 0 when no answer came */
  status: number;
  /** response header names lowercased, in order, repeated names kept */
  rawHeaders: Array<[string, string]>;
  body: string;
  /** from sending the request to the end of the answer */
  elapsedMs: number;
}

/** One request with a hard time limit; keeps an answer that comes before the body is sent. */
export function send(port: number, opts: { method: string; path: string; headers: Array<[string, string]>; body?: Buffer; timeoutMs?: number }): Promise<Reply> {
  return new Promise((resolve) => {
    const started = Date.now();
    let done = false;
    const finish = (r: Omit<Reply, 'elapsedMs'>) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve({ ...r, elapsedMs: Date.now() - started });
    };
    const headers: Record<string, string | string[]> = {};
    for (const [k, v] of opts.headers) headers[k] = v;
    const req = http.request({ host: '127.0.0.1', port, method: opts.method, path: opts.path, agent: false, setHost: false, headers }, (res) => {
      const chunks: Buffer[] = [];
      const raw: Array<[string, string]> = [];
      for (let i = 0; i + 1 < res.rawHeaders.length; i += 2) raw.push([res.rawHeaders[i]!.toLowerCase(), res.rawHeaders[i + 1]!]);
      res.on('data', (c: Buffer) => chunks.push(c));
      const end = () => finish({ status: res.statusCode ?? 0, rawHeaders: raw, body: Buffer.concat(chunks).toString('utf8') });
      res.on('end', end);
      res.on('error', end);
      res.on('aborted', end);
    });
    const timer = setTimeout(() => {
      req.destroy();
      finish({ status: 0, rawHeaders: [], body: '' });
    }, opts.timeoutMs ?? 15_000);
    req.on('error', () => {
      // an early answer (413) can be followed by a reset while the body is still being sent
      setTimeout(() => finish({ status: 0, rawHeaders: [], body: '' }), 200);
    });
    if (opts.body) req.end(opts.body);
    else req.end();
  });
}

/** The echo record in a reply body, or null when the body is not one (nginx's own page, or nothing). */
export function echoOf(reply: Reply): EchoRecord | null {
  try {
    const v = JSON.parse(reply.body) as EchoRecord;
    return v && v.echo === true ? v : null;
  } catch {
    return null;
  }
}

/** Processes whose parent is `pid` (nginx's workers and cache processes), from /proc. */
function childrenOf(pid: number): number[] {
  const out: number[] = [];
  if (!existsSync('/proc')) return out;
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) out.push(Number(name));
    } catch {
      // the process ended meanwhile
    }
  }
  return out;
}

const live = new Set<RunningNginx>();
process.on('exit', () => {
  for (const n of live) n.killNow();
});

/** A copy of a fixture with its placeholders filled, in a fresh temporary directory. */
export interface Prepared {
  dir: string;
  conf: string;
  vars: Record<string, string>;
}

/**
 * Copy `fixture` (a .conf file) to <tmp>/nginx.conf and `includesDir` (if any)
 * to <tmp>/<its name>, replacing {{NAME}} with vars (TMP is the directory).
 */
export function prepare(fixture: string, includesDir: string | null, vars: Record<string, string>): Prepared {
  const dir = mkdtempSync(path.join(tmpdir(), 'nginx-lint-effective-'));
  chmodSync(dir, 0o755);
  const all: Record<string, string> = { ...vars, TMP: dir };
  const fill = (text: string) => text.replace(/\{\{([A-Z_]+)\}\}/g, (m, k: string) => all[k] ?? m);
  const conf = path.join(dir, 'nginx.conf');
  writeFileSync(conf, fill(readFileSync(fixture, 'utf8')));
  if (includesDir && existsSync(includesDir)) {
    const target = path.join(dir, path.basename(includesDir));
    cpSync(includesDir, target, { recursive: true });
    const walk = (d: string) => {
      for (const name of readdirSync(d)) {
        const p = path.join(d, name);
        if (statSync(p).isDirectory()) walk(p);
        else writeFileSync(p, fill(readFileSync(p, 'utf8')));
      }
    };
    walk(target);
  }
  return { dir, conf, vars: all };
}

export class RunningNginx {
  private constructor(
    readonly prepared: Prepared,
    readonly port: number,
    private readonly child: ChildProcess,
    private output: string[],
  ) {}

  /** Start nginx in the foreground on a prepared config; resolves once `port` accepts connections. */
  static async start(nginx: string, prepared: Prepared, port: number): Promise<RunningNginx> {
    const { dir, conf } = prepared;
    const output: string[] = [];
    const child = spawn(nginx, ['-p', dir, '-c', conf, '-e', path.join(dir, 'error.log'), '-g', 'daemon off;'], {
      cwd: dir,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/bin' },
    });
    child.stdout?.on('data', (c: Buffer) => output.push(c.toString()));
    child.stderr?.on('data', (c: Buffer) => output.push(c.toString()));
    const running = new RunningNginx(prepared, port, child, output);
    live.add(running);
    let exited = false;
    child.once('exit', () => (exited = true));
    try {
      await waitFor('nginx', async () => {
        if (exited) throw new Error(`nginx exited at start-up:\n${running.logs()}`);
        return canConnect({ port });
      });
    } catch (e) {
      await running.stop();
      throw e;
    }
    return running;
  }

  logs(): string {
    const log = path.join(this.prepared.dir, 'error.log');
    return `${this.output.join('')}${existsSync(log) ? readFileSync(log, 'utf8') : ''}`;
  }

  /** SIGKILL the master and whatever it started (exit-time backstop). */
  killNow(): void {
    const pid = this.child.pid;
    if (pid === undefined) return;
    for (const c of childrenOf(pid)) {
      try {
        process.kill(c, 'SIGKILL');
      } catch {
        // gone already
      }
    }
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }

  /** TERM the master (it stops its workers), KILL after 3 s; then any worker left; then remove the directory. */
  async stop(): Promise<void> {
    const pid = this.child.pid;
    const workers = pid === undefined ? [] : childrenOf(pid);
    if (this.child.exitCode === null && this.child.signalCode === null) {
      await new Promise<void>((resolve) => {
        const kill = setTimeout(() => this.child.kill('SIGKILL'), 3000);
        this.child.once('exit', () => {
          clearTimeout(kill);
          resolve();
        });
        this.child.kill('SIGTERM');
      });
    }
    for (const w of workers) {
      try {
        // still the nginx worker we started (not a reused pid)?
        if (readFileSync(`/proc/${w}/cmdline`, 'utf8').includes('nginx')) process.kill(w, 'SIGKILL');
      } catch {
        // ended with its master
      }
    }
    live.delete(this);
    rmSync(this.prepared.dir, { recursive: true, force: true });
  }
}

/** Run `fn` over `items` with at most `limit` at a time. */
export async function pool<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
