/**
 * Boots real stacks for the integration suite: Debian's nginx, php-fpm8.2 and
 * gunicorn on 127.0.0.1 ports chosen at run time and unix sockets in a
 * temporary directory. Every process started is stopped by pid in
 * `stopProcesses()` (and on process exit as a backstop), and so is every
 * in-process server `startCountingServer()` opened; nothing is written outside the
 * temporary directory; requests are bounded in count and time.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, cpSync, existsSync, mkdtempSync, openSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync, writeSync, chmodSync } from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

const live = new Set<ChildProcess>();
process.on('exit', () => {
  for (const p of live) if (p.exitCode === null) p.kill('SIGKILL');
});

/**
 * Ports for the stacks under test. `listen(0)` and closing again is racy: the
 * port is free only until someone else binds it, and a stack binds its ports
 * seconds after asking (the fixed copy of a scenario only after the broken
 * one ran), while concurrent tests, other test files' workers and the
 * kernel's own choice of ports for outgoing connections all draw from the
 * same ephemeral range. So ports come from below that range, where the kernel
 * never picks on its own, each vitest worker has its own block
 * (VITEST_POOL_ID), and within a worker no port is handed out twice until
 * the block wraps. A bind probe skips a port another program holds.
 */
const PORT_BLOCK = 500;
const PORT_BASE = 20_000; // blocks end below 32768, where Linux's default ephemeral range starts
const PORT_BLOCKS = 24;
const poolId = Number(process.env.VITEST_POOL_ID ?? process.pid) || 0;
const blockStart = PORT_BASE + (poolId % PORT_BLOCKS) * PORT_BLOCK;
let nextInBlock = 0;

function canBind(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.unref();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

export async function freePort(): Promise<number> {
  for (let tries = 0; tries < PORT_BLOCK; tries++) {
    const port = blockStart + (nextInBlock++ % PORT_BLOCK);
    if (await canBind(port)) return port;
  }
  throw new Error(`no free port in ${blockStart}-${blockStart + PORT_BLOCK - 1}`);
}

export async function waitFor(what: string, probe: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await probe()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

export function canConnect(target: { port: number } | { socket: string }): Promise<boolean> {
  return new Promise((resolve) => {
    const c = 'port' in target ? net.connect(target.port, '127.0.0.1') : net.connect(target.socket);
    c.setTimeout(500);
    c.once('connect', () => {
      c.destroy();
      resolve(true);
    });
    c.once('error', () => resolve(false));
    c.once('timeout', () => {
      c.destroy();
      resolve(false);
    });
  });
}

export interface HttpResult {
  status: number;
  body: string;
  headers: http.IncomingHttpHeaders;
}

/** One request with a hard time limit; `status` 0 when the connection failed. */
export function request(port: number, opts: { path?: string; method?: string; host?: string; body?: string | Buffer; headers?: Record<string, string>; timeoutMs?: number } = {}): Promise<HttpResult> {
  return new Promise((resolve) => {
    const body = opts.body === undefined ? undefined : Buffer.from(opts.body);
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path: opts.path ?? '/',
        method: opts.method ?? 'GET',
        agent: false,
        headers: { Host: opts.host ?? 'localhost', ...(body ? { 'Content-Length': String(body.length) } : {}), ...opts.headers },
        timeout: opts.timeoutMs ?? 15_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), headers: res.headers }));
        res.on('error', () => resolve({ status: res.statusCode ?? 0, body: '', headers: res.headers }));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve({ status: 0, body: '', headers: {} }));
    if (body) req.write(body);
    req.end();
  });
}

/**
 * A stack under test: a copy of a fixture directory in a fresh temporary
 * directory, with `{{NAME}}` placeholders filled in (TMP, and the ports asked
 * for). Line numbers are unchanged by the substitution, so findings on the
 * copy point at the fixture's lines.
 */
export class Stack {
  readonly dir: string;
  readonly vars: Record<string, string>;
  private procs: ChildProcess[] = [];
  /** Each started process's log: closed once its output has ended, or when the stack stops it. */
  private logClosers: (() => void)[] = [];
  private servers: http.Server[] = [];

  private constructor(dir: string, vars: Record<string, string>) {
    this.dir = dir;
    this.vars = vars;
  }

  static async create(fixtureDir: string, ports: string[] = []): Promise<Stack> {
    const dir = mkdtempSync(path.join(tmpdir(), 'nginx-lint-stack-'));
    chmodSync(dir, 0o755); // workers running as www-data/nobody must reach sockets in here
    const vars: Record<string, string> = { TMP: dir };
    for (const p of ports) vars[p] = String(await freePort());
    cpSync(fixtureDir, dir, { recursive: true });
    const fill = (d: string) => {
      for (const name of readdirSync(d)) {
        const p = path.join(d, name);
        if (statSync(p).isDirectory()) fill(p);
        else writeFileSync(p, readFileSync(p, 'utf8').replace(/\{\{([A-Z_]+)\}\}/g, (m, k: string) => vars[k] ?? m));
      }
    };
    fill(dir);
    return new Stack(dir, vars);
  }

  path(...parts: string[]): string {
    return path.join(this.dir, ...parts);
  }

  read(rel: string): string {
    return readFileSync(this.path(rel), 'utf8');
  }

  /** Start a process of the stack; its stdout and stderr go to `<cmd>-<n>.out` in the stack. */
  start(cmd: string, args: string[], env: NodeJS.ProcessEnv = {}): ChildProcess {
    const logName = `${path.basename(cmd)}-${this.procs.length}.out`;
    // one descriptor for the log's life: output that arrives after the process has exited (its
    // pipes drain later than 'exit', and a daemon's children may hold them) never reopens the
    // path, which may be gone once the stack is disposed
    const fd = openSync(this.path(logName), 'w');
    let open = true;
    const closeLog = () => {
      if (open) closeSync(fd);
      open = false;
    };
    const child = spawn(cmd, args, { cwd: this.dir, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const append = (c: Buffer) => {
      if (open) writeSync(fd, c);
    };
    child.stdout?.on('data', append);
    child.stderr?.on('data', append);
    child.once('close', closeLog);
    this.logClosers.push(() => {
      child.stdout?.destroy();
      child.stderr?.destroy();
      closeLog();
    });
    this.procs.push(child);
    live.add(child);
    child.once('exit', () => live.delete(child));
    return child;
  }

  /** nginx in the foreground (master as root, workers as the config's `user`). */
  async startNginx(conf: string, waitPort: string): Promise<void> {
    const child = this.start('/usr/sbin/nginx', ['-p', this.dir, '-e', this.path('nginx-startup.log'), '-c', this.path(conf), '-g', 'daemon off;']);
    // a listener on the port is not proof that it is this nginx's: one that could not bind says so in its log, and retries
    await this.ready('nginx', child, () => {
      if (readFileSync(this.path('nginx-startup.log'), { encoding: 'utf8', flag: 'a+' }).includes('bind() to')) throw new Error(`nginx could not bind its port:\n${this.logs()}`);
      return canConnect({ port: Number(this.vars[waitPort]) });
    });
  }

  /** `nginx -t` on a config of the stack: ok plus nginx's own message. */
  async nginxTest(conf: string): Promise<{ ok: boolean; output: string }> {
    return this.runToEnd('/usr/sbin/nginx', ['-t', '-p', this.dir, '-e', this.path('nginx-startup.log'), '-c', this.path(conf)]);
  }

  async startFpm(conf: string, socket: string): Promise<void> {
    const child = this.start('/usr/sbin/php-fpm8.2', ['-n', '-F', '-O', '-R', '-y', this.path(conf), '-g', this.path('php-fpm.pid')]);
    await this.ready('php-fpm', child, () => existsSync(this.path(socket)));
  }

  async fpmTest(conf: string): Promise<{ ok: boolean; output: string }> {
    return this.runToEnd('/usr/sbin/php-fpm8.2', ['-n', '-t', '-R', '-y', this.path(conf), '-g', this.path('php-fpm-test.pid')]);
  }

  /** gunicorn from Debian's package, run by Debian's python3 (which has it). */
  async startGunicorn(args: string[], ready: { port: string } | { socket: string }): Promise<void> {
    const child = this.start('/usr/bin/python3', ['-m', 'gunicorn', ...args], { PYTHONPATH: this.dir, PYTHONDONTWRITEBYTECODE: '1' });
    await this.ready('gunicorn', child, () => ('port' in ready ? canConnect({ port: Number(this.vars[ready.port]) }) : existsSync(this.path(ready.socket))));
  }

  /**
   * An HTTP server in this test process on 127.0.0.1:<port of `portVar`> that
   * answers every request with 200 "upstream ok" and counts the TCP
   * connections it accepts (it honours HTTP/1.0 and `Connection: close`, as
   * any backend does). Closed by `stopProcesses()`.
   */
  async startCountingServer(portVar: string): Promise<{ connections: () => number; requests: () => number }> {
    let connections = 0;
    let requests = 0;
    const server = http.createServer((req, res) => {
      requests++;
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': '12' });
        res.end('upstream ok\n');
      });
    });
    server.keepAliveTimeout = 30_000;
    server.on('connection', () => connections++);
    this.servers.push(server);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(Number(this.vars[portVar]), '127.0.0.1', () => resolve());
    });
    return { connections: () => connections, requests: () => requests };
  }

  private async ready(name: string, child: ChildProcess, probe: () => boolean | Promise<boolean>): Promise<void> {
    let exited = false;
    child.once('exit', () => (exited = true));
    await waitFor(name, async () => {
      if (exited) throw new Error(`${name} exited at start-up:\n${this.logs()}`);
      return probe();
    });
  }

  private runToEnd(cmd: string, args: string[]): Promise<{ ok: boolean; output: string }> {
    return new Promise((resolve) => {
      const child = spawn(cmd, args, { cwd: this.dir, stdio: ['ignore', 'pipe', 'pipe'] });
      let output = '';
      child.stdout.on('data', (c: Buffer) => (output += c.toString()));
      child.stderr.on('data', (c: Buffer) => (output += c.toString()));
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      child.on('close', (code) => {
        clearTimeout(timer);
        resolve({ ok: code === 0, output });
      });
    });
  }

  /** Every process's output and every *.log file in the stack, for assertions and failure messages. */
  logs(): string {
    const parts: string[] = [];
    const walk = (d: string) => {
      for (const name of readdirSync(d)) {
        const p = path.join(d, name);
        const st = statSync(p);
        if (st.isDirectory()) walk(p);
        else if (/\.(log|out)$/.test(name)) parts.push(`--- ${path.relative(this.dir, p)}\n${readFileSync(p, 'utf8')}`);
      }
    };
    walk(this.dir);
    return parts.join('\n');
  }

  /** Stop every process this stack started (TERM, then KILL), and wait for them. */
  async stopProcesses(): Promise<void> {
    await Promise.all(
      this.procs.map(
        (p) =>
          new Promise<void>((resolve) => {
            if (p.exitCode !== null || p.signalCode !== null) return resolve();
            const kill = setTimeout(() => p.kill('SIGKILL'), 3000);
            p.once('exit', () => {
              clearTimeout(kill);
              resolve();
            });
            p.kill('SIGTERM');
          }),
      ),
    );
    this.procs = [];
    for (const close of this.logClosers) close();
    this.logClosers = [];
    await Promise.all(
      this.servers.map(
        (s) =>
          new Promise<void>((resolve) => {
            s.closeAllConnections();
            s.close(() => resolve());
          }),
      ),
    );
    this.servers = [];
  }

  async dispose(): Promise<void> {
    await this.stopProcesses();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
