/**
 * The effective-value model against the real nginx.
 *
 * Each fixtures/effective/<name>.conf is a small complete nginx.conf
 * ({{PORT}}, {{UPSTREAM_PORT}}, {{TMP}} filled in at run time; shared
 * snippets in fixtures/effective/includes/). Inside the block whose settings
 * a request ends up using, a comment names the request and what to compare:
 *
 *     # probe: POST /le X-Go:1 body=2000 delay=2500 wait=1500 -> request,response,content
 *
 * (a request header `Name:value`, `_` in the value standing for a space;
 * `body` bytes sent, the upstream's `delay` before answering, `wait` between
 * the two requests of a keepalive probe; then the families to compare)
 *
 * For every probe the test asks the model (effective(), effectiveProxyHeaders()
 * at that scope, with Debian's nginx version as the target) what nginx will
 * do, asks the running nginx by sending the request, and expects the two to
 * be equal:
 *
 * - request: the HTTP version and the headers the echo upstream received
 *   (proxy_set_header set incl. Host/Connection, passed client headers);
 * - response: the X-* response headers (add_header [always], proxy_hide_header);
 * - content: status and which upstream URL was served (return, proxy_pass,
 *   try_files, error_page to named locations, allow/deny, client_max_body_size,
 *   proxy_buffer_size against a large upstream header);
 * - timeout: 504 after proxy_read_timeout (whole seconds) against an upstream
 *   that waits `delay`, or the upstream's answer when it is longer;
 * - keepalive: whether two requests in a row reach the upstream on one
 *   connection (upstream keepalive, proxy_http_version, Connection header).
 *
 * fixtures/effective/startup/*.conf hold the derived buffer defaults to
 * `nginx -t`: whether nginx accepts the config, and which directive it blames.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadNginxConfig } from '../../src/syntax/nginx/index.js';
import { parseNginxVersion, type NginxVersion } from '../../src/syntax/nginx/version.js';
import { allScopes, buildScopes, type Scope } from '../../src/stack/nginx-scopes.js';
import { bufferUnit, effective, effectiveProxyHeaders, proxyKeepalive } from '../../src/stack/nginx-effective.js';
import { DEFAULT_PLATFORM, type Platform } from '../../src/stack/nginx-defaults.js';
import { parseNginxSize, parseNginxTime } from '../../src/stack/units.js';
import { freePort } from '../integration/harness.js';
import { describeWithBinaries } from '../support/binaries.js';
import { echoOf, pool, prepare, RunningNginx, send, startEcho, type Echo, type Reply } from './effective-observe.js';

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/effective');
const INCLUDES = path.join(FIXTURES, 'includes');
const FAMILIES = ['request', 'response', 'content', 'timeout', 'keepalive'] as const;
type Family = (typeof FAMILIES)[number];

interface ProbeSpec {
  /** the comment text, for test names */
  text: string;
  method: string;
  /** path and query as written */
  path: string;
  headers: Array<[string, string]>;
  body: number;
  delay: number;
  wait: number;
  families: Family[];
}

function parseProbe(text: string): ProbeSpec {
  const m = /^\s*probe:\s*(.*?)\s*->\s*([\w,]+)\s*$/.exec(text);
  if (!m) throw new Error(`bad probe comment: ${text}`);
  const [method, p, ...rest] = m[1]!.split(/\s+/);
  if (!method || !p) throw new Error(`bad probe comment: ${text}`);
  const spec: ProbeSpec = { text: text.trim().replace(/^probe:\s*/, ''), method, path: p, headers: [], body: 0, delay: 0, wait: 0, families: [] };
  for (const t of rest) {
    const opt = /^(body|delay|wait)=(\d+)$/.exec(t);
    if (opt) spec[opt[1] as 'body' | 'delay' | 'wait'] = Number(opt[2]);
    else if (/^[\w-]+:/.test(t)) spec.headers.push([t.slice(0, t.indexOf(':')), t.slice(t.indexOf(':') + 1).replace(/_/g, ' ')]); // `_` stands for a space
    else throw new Error(`bad probe option ${t} in: ${text}`);
  }
  for (const f of m[2]!.split(',')) {
    if (!(FAMILIES as readonly string[]).includes(f)) throw new Error(`unknown family ${f} in: ${text}`);
    spec.families.push(f as Family);
  }
  return spec;
}

/** Probe comments of a fixture (and the includes it names), from the raw text: known before any port is chosen. */
function probesInText(text: string): ProbeSpec[] {
  return [...text.matchAll(/#(\s*probe:[^\n]*)/g)].map((m) => parseProbe(m[1]!));
}

function fixtureProbes(file: string): ProbeSpec[] {
  const text = readFileSync(path.join(FIXTURES, file), 'utf8');
  const probes = probesInText(text);
  for (const m of text.matchAll(/include\s+includes\/([\w.-]+);/g)) probes.push(...probesInText(readFileSync(path.join(INCLUDES, m[1]!), 'utf8')));
  return probes;
}

/** The request as sent: the path with `delay` added to the query, and every header. */
function requestOf(spec: ProbeSpec): { path: string; headers: Array<[string, string]>; body?: Buffer } {
  const p = spec.delay ? `${spec.path}${spec.path.includes('?') ? '&' : '?'}delay=${spec.delay}` : spec.path;
  const headers: Array<[string, string]> = [['Host', 'localhost'], ['Connection', 'close'], ...spec.headers];
  if (spec.body) headers.push(['Content-Length', String(spec.body)]);
  return { path: p, headers, ...(spec.body ? { body: Buffer.alloc(spec.body, 'a') } : {}) };
}

// ---------------------------------------------------------------------------
// What the model says
// ---------------------------------------------------------------------------

interface Model {
  root: Scope;
  version: NginxVersion;
  platform: Platform;
  /** every scope with the probe comments written directly in its block */
  probeScopes: Map<string, Scope>;
}

function loadModel(conf: string, version: NginxVersion, platform: Platform): Model {
  const config = loadNginxConfig(conf);
  if (config.diagnostics.length) throw new Error(config.diagnostics.map((d) => d.message).join('\n'));
  const root = buildScopes(config);
  const probeScopes = new Map<string, Scope>();
  for (const s of allScopes(root)) {
    for (const n of s.block?.block?.children ?? []) {
      if (n.kind === 'comment' && /^\s*probe:/.test(n.text)) probeScopes.set(parseProbe(n.text).text, s);
    }
  }
  return { root, version, platform, probeScopes };
}

const args = (m: Model, scope: Scope, name: string) => effective(scope, name, m.version, m.platform).args;

function serverOf(scope: Scope): Scope {
  for (let s: Scope | null = scope; s; s = s.parent) if (s.kind === 'server') return s;
  throw new Error('no server around the probe');
}

function namedLocation(scope: Scope, name: string): Scope {
  const found = serverOf(scope).children.find((c) => c.kind === 'location' && c.block?.args[0]?.value === name);
  if (!found) throw new Error(`no location ${name}`);
  return found;
}

/** host[:port] of proxy_pass http://host[:port] (a URI part is not used by the fixtures). */
function proxyTarget(pass: string): string {
  const m = /^https?:\/\/([^/]+)$/.exec(pass);
  if (!m) throw new Error(`fixture proxy_pass with a URI part is not modelled here: ${pass}`);
  return m[1]!;
}

interface Outcome {
  /** the scope whose settings produced the response */
  scope: Scope;
  status: number;
  /** the URL the upstream answered for (its echo came back), or null */
  upstream: string | null;
}

const SAFE_STATUS = new Set([200, 201, 204, 206, 301, 302, 303, 304, 307, 308]);

/** allow/deny rules at the scope, for a client at 127.0.0.1: the first that matches decides; none → allowed. */
function allowed(m: Model, scope: Scope): boolean {
  for (const d of effective(scope, 'allow', m.version).directives) {
    const who = d.args[0]!.value;
    const [net, bits] = who.split('/');
    const ip = (a: string) => a.split('.').reduce((acc, o) => acc * 256 + Number(o), 0);
    let match = who === 'all';
    if (!match && net && /^\d+\.\d+\.\d+\.\d+$/.test(net)) {
      const n = Number(bits ?? 32);
      const mask = n === 0 ? 0 : 2 ** 32 - 2 ** (32 - n);
      match = (ip(net) & mask) >>> 0 === (ip('127.0.0.1') & mask) >>> 0;
    }
    if (match) return d.name.value === 'allow';
  }
  return true;
}

/** nginx's answer for an error status at a scope: an error_page to a named location, or the status itself. */
function errorStatus(m: Model, scope: Scope, spec: ProbeSpec, code: number, depth: number): Outcome {
  for (const d of effective(scope, 'error_page', m.version).directives) {
    const a = d.args.map((x) => x.value);
    const target = a[a.length - 1]!;
    const override = a.find((x) => x.startsWith('='));
    const codes = a.slice(0, -1).filter((x) => !x.startsWith('='));
    if (!codes.includes(String(code))) continue;
    if (!target.startsWith('@')) throw new Error(`error_page to a URI is not modelled here: ${a.join(' ')}`);
    const out = serve(m, namedLocation(scope, target), spec, depth + 1);
    return { ...out, status: override === undefined ? code : override === '=' ? out.status : Number(override.slice(1)) };
  }
  return { scope, status: code, upstream: null };
}

function returned(m: Model, scope: Scope, spec: ProbeSpec, ret: string[], depth: number): Outcome {
  const code = Number(ret[0]);
  if (Number.isNaN(code)) return { scope, status: 302, upstream: null };
  return ret.length === 1 && code >= 400 ? errorStatus(m, scope, spec, code, depth) : { scope, status: code, upstream: null };
}

/** What nginx does with the request in `scope`, phase by phase, from effective values only. */
function serve(m: Model, scope: Scope, spec: ProbeSpec, depth = 0): Outcome {
  if (depth > 5) throw new Error('redirect loop in the fixture');
  const query = new URL(spec.path, 'http://x').searchParams;
  if (depth === 0) {
    // find_config, once, where the URI matched: the body limit (a named location's own limit never applies to a Content-Length body)
    const limit = parseNginxSize(args(m, scope, 'client_max_body_size')![0]!)!;
    if (spec.body && limit > 0 && spec.body > limit) return errorStatus(m, scope, spec, 413, depth);
    // server rewrite phase: the server level's own return runs before any location is chosen (it is not inherited; it runs first)
    const server = serverOf(scope);
    const serverReturn = server !== scope ? args(m, server, 'return') : null;
    if (serverReturn) return returned(m, server, spec, serverReturn, depth);
  }
  // location rewrite phase: return, and `rewrite regex replacement break` (the only form the fixtures use)
  const ret = args(m, scope, 'return');
  if (ret) return returned(m, scope, spec, ret, depth);
  let uri = requestOf(spec).path;
  for (const d of effective(scope, 'rewrite', m.version).directives) {
    const [re, replacement, flag] = d.args.map((a) => a.value);
    if (flag !== 'break') throw new Error(`rewrite without break is not modelled here: ${d.args.map((a) => a.raw).join(' ')}`);
    const [p, q] = uri.split('?') as [string, string | undefined];
    const hit = new RegExp(re!).exec(p);
    if (!hit) continue;
    uri = replacement!.replace(/\$(\d)/g, (_x, i: string) => hit[Number(i)] ?? '') + (q !== undefined ? `?${q}` : '');
    break;
  }
  // access
  if (!allowed(m, scope)) return errorStatus(m, scope, spec, 403, depth);
  // try_files (the fixtures name files that do not exist)
  const tf = args(m, scope, 'try_files');
  if (tf) {
    const last = tf[tf.length - 1]!;
    if (last.startsWith('@')) return serve(m, namedLocation(scope, last), spec, depth + 1);
    if (last.startsWith('=')) return errorStatus(m, scope, spec, Number(last.slice(1)), depth);
    throw new Error(`try_files to a URI is not modelled here: ${tf.join(' ')}`);
  }
  // content
  const pass = args(m, scope, 'proxy_pass');
  if (!pass) return errorStatus(m, scope, spec, 404, depth); // static: nothing under the default root
  proxyTarget(pass[0]!);
  const big = Number(query.get('big') ?? 0);
  const bufferSize = parseNginxSize(args(m, scope, 'proxy_buffer_size')![0]!)!;
  // status line, X-Big and the echo's own few headers (well under 300 bytes; fixtures stay far from the edge)
  if (big && big + 300 > bufferSize) return errorStatus(m, scope, spec, 502, depth);
  return { scope, status: Number(query.get('status') ?? 200), upstream: uri };
}

/** A proxy_set_header value with the variables the fixtures use. */
function expand(m: Model, scope: Scope, value: string, spec: ProbeSpec): string {
  const client = new Map(requestOf(spec).headers.map(([k, v]) => [k.toLowerCase(), v]));
  return value.replace(/\$(?:\{(\w+)\}|(\w+))/g, (_all, a: string | undefined, b: string | undefined) => {
    const name = (a ?? b)!;
    if (name.startsWith('http_')) return client.get(name.slice(5).replace(/_/g, '-')) ?? '';
    switch (name) {
      case 'proxy_host':
        return proxyTarget(args(m, scope, 'proxy_pass')![0]!);
      case 'host':
        return (client.get('host') ?? '').replace(/:\d+$/, '').toLowerCase();
      case 'remote_addr':
        return '127.0.0.1';
      case 'proxy_add_x_forwarded_for':
        return client.has('x-forwarded-for') ? `${client.get('x-forwarded-for')}, 127.0.0.1` : '127.0.0.1';
      case 'request_method':
        return spec.method;
      case 'scheme':
        return 'http';
      case 'proxy_internal_body_length':
        return spec.body ? String(spec.body) : '';
      case 'proxy_internal_chunked':
      case 'upstream_cache_last_modified':
      case 'upstream_cache_etag':
        return '';
      default:
        throw new Error(`variable $${name} is not modelled here`);
    }
  });
}

/** The upstream request the model predicts: HTTP version and every header (lowercased, repeats joined). */
function predictRequest(m: Model, scope: Scope, spec: ProbeSpec) {
  const headers: Record<string, string> = {};
  const set = effectiveProxyHeaders(scope, m.version);
  for (const [key, h] of set) {
    const values = [h.value, ...(h.duplicates ?? []).map((d) => d.args[1]?.value ?? '')].map((v) => expand(m, scope, v, spec)).filter((v) => v !== '');
    if (values.length) headers[key] = values.join(', ');
  }
  if (args(m, scope, 'proxy_pass_request_headers')?.[0] !== 'off') {
    for (const [k, v] of requestOf(spec).headers) if (!set.has(k.toLowerCase())) headers[k.toLowerCase()] = v;
  }
  return { httpVersion: args(m, scope, 'proxy_http_version')![0]!, headers: sortKeys(headers) };
}

/** Hidden upstream response headers: proxy_hide_header plus nginx's own list, less proxy_pass_header. */
function hidden(m: Model, scope: Scope): Set<string> {
  const out = new Set(['date', 'server', 'x-pad', 'x-accel-expires', 'x-accel-redirect', 'x-accel-limit-rate', 'x-accel-buffering', 'x-accel-charset']);
  for (const d of effective(scope, 'proxy_hide_header', m.version).directives) out.add(d.args[0]!.value.toLowerCase());
  for (const d of effective(scope, 'proxy_pass_header', m.version).directives) out.delete(d.args[0]!.value.toLowerCase());
  return out;
}

/** X-* response headers (X-Big, the large test header, left out): add_header by status and `always`, and the upstream's unhidden ones. */
function predictResponse(m: Model, out: Outcome, spec: ProbeSpec): string[] {
  const list: string[] = [];
  if (out.upstream !== null) {
    const hide = hidden(m, out.scope);
    for (const h of new URL(spec.path, 'http://x').searchParams.getAll('hdr')) {
      const name = h.slice(0, h.indexOf(':')).toLowerCase();
      if (name.startsWith('x-') && !hide.has(name)) list.push(`${name}: ${h.slice(h.indexOf(':') + 1)}`);
    }
  }
  for (const d of effective(out.scope, 'add_header', m.version).directives) {
    const [name, value, always] = d.args.map((a) => a.value);
    if (value === '' || (!SAFE_STATUS.has(out.status) && always !== 'always')) continue;
    if (name!.toLowerCase().startsWith('x-')) list.push(`${name!.toLowerCase()}: ${value}`);
  }
  return list.sort();
}

function observeResponse(reply: Reply): string[] {
  return reply.rawHeaders
    .filter(([k]) => k.startsWith('x-') && k !== 'x-big')
    .map(([k, v]) => `${k}: ${v}`)
    .sort();
}

function sortKeys(r: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(r).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * Whole seconds nginx waited before its 504, from the client's clock: timers
 * fire at most a little early and, on a busy machine, late; the bucket takes
 * 150 ms early to 850 ms late. Fixtures use whole-second timeouts for this.
 */
const waitedSeconds = (ms: number) => Math.floor((ms + 150) / 1000);

/** Whether two requests in a row (with `wait` between) reach the upstream on one connection. */
function predictKeepalive(m: Model, scope: Scope, spec: ProbeSpec): { reused: boolean } {
  const k = proxyKeepalive(scope, m.version);
  if (!k) throw new Error('keepalive probe without proxy_pass');
  const idle = k.idleTimeout?.args ? parseNginxTime(k.idleTimeout.args[0]!)! : 0;
  return { reused: k.reusable && idle > spec.wait };
}

// ---------------------------------------------------------------------------
// What nginx does
// ---------------------------------------------------------------------------

interface Observation {
  request?: { httpVersion: string; headers: Record<string, string> } | null;
  response?: string[];
  content?: { status: number; upstream: string | null };
  timeout?: { status: number; afterSeconds: number | null };
  keepalive?: { reused: boolean | null };
}

async function observe(port: number, spec: ProbeSpec): Promise<Observation> {
  const obs: Observation = {};
  const req = requestOf(spec);
  const one = () => send(port, { method: spec.method, path: req.path, headers: req.headers, ...(req.body ? { body: req.body } : {}), timeoutMs: 15_000 });
  if (spec.families.includes('keepalive')) {
    const first = echoOf(await one());
    if (spec.wait) await new Promise((r) => setTimeout(r, spec.wait));
    const second = echoOf(await one());
    obs.keepalive = { reused: first && second ? first.connection === second.connection : null };
    if (spec.families.length === 1) return obs;
  }
  const reply = await one();
  const echo = echoOf(reply);
  if (spec.families.includes('request')) obs.request = echo ? { httpVersion: echo.httpVersion, headers: sortKeys(echo.headers) } : null;
  if (spec.families.includes('response')) obs.response = observeResponse(reply);
  if (spec.families.includes('content')) obs.content = { status: reply.status, upstream: echo ? echo.url : null };
  if (spec.families.includes('timeout')) obs.timeout = { status: reply.status, afterSeconds: reply.status === 504 ? waitedSeconds(reply.elapsedMs) : null };
  return obs;
}

function predict(m: Model, scope: Scope, spec: ProbeSpec): Observation {
  const out = serve(m, scope, spec);
  const p: Observation = {};
  if (spec.families.includes('keepalive')) p.keepalive = predictKeepalive(m, out.scope, spec);
  if (spec.families.includes('request')) p.request = out.upstream !== null ? predictRequest(m, out.scope, spec) : null;
  if (spec.families.includes('response')) p.response = predictResponse(m, out, spec);
  if (spec.families.includes('content')) p.content = { status: out.status, upstream: out.upstream };
  if (spec.families.includes('timeout')) {
    const t = parseNginxTime(args(m, out.scope, 'proxy_read_timeout')![0]!)!;
    if (t % 1000 !== 0) throw new Error(`timeout fixtures use whole seconds, not ${t} ms`);
    p.timeout = t < spec.delay ? { status: 504, afterSeconds: t / 1000 } : { status: out.status, afterSeconds: null };
  }
  return p;
}

// ---------------------------------------------------------------------------

interface FixtureRun {
  error?: Error;
  model?: Model;
  observed: Map<string, Observation>;
}

function nginxVersion(bin: string): NginxVersion {
  const r = spawnSync(bin, ['-v'], { encoding: 'utf8' });
  const text = `${r.stdout ?? ''}${r.stderr ?? ''}`; // nginx -v prints to stderr
  const v = parseNginxVersion(/nginx\/([\d.]+)/.exec(text)?.[1] ?? '');
  if (!v) throw new Error(`cannot read the version of ${bin}: ${text}`);
  return v;
}

function pageSize(): Platform {
  try {
    return { pageSize: Number(execFileSync('getconf', ['PAGESIZE'], { encoding: 'utf8' }).trim()) || DEFAULT_PLATFORM.pageSize };
  } catch {
    return DEFAULT_PLATFORM;
  }
}

const files = readdirSync(FIXTURES)
  .filter((f) => f.endsWith('.conf'))
  .sort();
const STARTUP = path.join(FIXTURES, 'startup');
const startupFiles = readdirSync(STARTUP)
  .filter((f) => f.endsWith('.conf'))
  .sort();

/**
 * What `nginx -t` says of the buffer settings, from effective values: nginx
 * merges every server and location (never the http level alone) and checks
 * *_busy_buffers_size and *_temp_file_write_size against the buffer sizes.
 */
function predictStartup(m: Model): { ok: boolean; directive: string | null } {
  for (const s of allScopes(m.root)) {
    if (!['server', 'location', 'lif', 'if', 'limit_except'].includes(s.kind)) continue;
    for (const family of ['proxy', 'fastcgi', 'uwsgi', 'scgi']) {
      const unit = bufferUnit(s, family, m.version, m.platform)!;
      const busy = parseNginxSize(args(m, s, `${family}_busy_buffers_size`)![0]!)!;
      const [num, size] = args(m, s, `${family}_buffers`)!;
      if (busy < unit || busy > (Number(num) - 1) * parseNginxSize(size!)!) return { ok: false, directive: `${family}_busy_buffers_size` };
      if (parseNginxSize(args(m, s, `${family}_temp_file_write_size`)![0]!)! < unit) return { ok: false, directive: `${family}_temp_file_write_size` };
    }
  }
  return { ok: true, directive: null };
}

describeWithBinaries(['nginx'], 'effective values agree with the running nginx', (bins) => {
  const runs = new Map<string, FixtureRun>();
  let echo: Echo | null = null;
  let version: NginxVersion;
  let platform: Platform;

  beforeAll(async () => {
    version = nginxVersion(bins.nginx);
    platform = pageSize();
    echo = await startEcho();
    const upstreamPort = echo.port;
    await pool(files, 8, async (file) => {
      const run: FixtureRun = { observed: new Map() };
      runs.set(file, run);
      let nginx: RunningNginx | null = null;
      try {
        const port = await freePort();
        const prepared = prepare(path.join(FIXTURES, file), INCLUDES, { PORT: String(port), UPSTREAM_PORT: String(upstreamPort) });
        try {
          run.model = loadModel(prepared.conf, version, platform);
          nginx = await RunningNginx.start(bins.nginx, prepared, port);
        } catch (e) {
          if (!nginx) rmSync(prepared.dir, { recursive: true, force: true });
          throw e;
        }
        const probes = fixtureProbes(file);
        // keepalive probes alone and in turn: another request could take the cached connection
        const solo = probes.filter((p) => p.families.includes('keepalive'));
        const rest = probes.filter((p) => !p.families.includes('keepalive'));
        const port_ = nginx.port;
        await Promise.all(rest.map(async (p) => run.observed.set(p.text, await observe(port_, p))));
        for (const p of solo) run.observed.set(p.text, await observe(port_, p));
      } catch (e) {
        run.error = e instanceof Error ? e : new Error(String(e));
      } finally {
        await nginx?.stop();
      }
    });
  }, 90_000);

  afterAll(async () => {
    await echo?.close();
  });

  it(`has at least 30 fixtures, each with probes, on nginx's own version`, () => {
    expect(files.length).toBeGreaterThanOrEqual(30);
    for (const f of files) expect(fixtureProbes(f).length, f).toBeGreaterThan(0);
    expect(version.major).toBe(1);
  });

  describe('startup checks of derived buffer defaults (nginx -t)', () => {
    for (const file of startupFiles) {
      it(file.replace(/\.conf$/, ''), async () => {
        const prepared = prepare(path.join(STARTUP, file), null, { PORT: String(await freePort()) });
        try {
          const model = loadModel(prepared.conf, version, platform);
          const r = spawnSync(bins.nginx, ['-t', '-p', prepared.dir, '-c', prepared.conf, '-e', path.join(prepared.dir, 'error.log')], { encoding: 'utf8', timeout: 20_000 });
          const text = `${r.stdout ?? ''}${r.stderr ?? ''}`;
          const observed = { ok: r.status === 0, directive: r.status === 0 ? null : (/\[emerg\] "([\w]+)"/.exec(text)?.[1] ?? text) };
          expect(observed).toEqual(predictStartup(model));
        } finally {
          rmSync(prepared.dir, { recursive: true, force: true });
        }
      });
    }
  });

  for (const file of files) {
    describe(file.replace(/\.conf$/, ''), () => {
      for (const spec of fixtureProbes(file)) {
        it(spec.text, () => {
          const run = runs.get(file);
          if (!run) throw new Error('fixture did not run');
          if (run.error) throw run.error;
          const m = run.model!;
          const scope = m.probeScopes.get(spec.text);
          if (!scope) throw new Error(`probe comment not found in a block: ${spec.text}`);
          const observed = run.observed.get(spec.text);
          if (!observed) throw new Error('probe did not run');
          expect(observed).toEqual(predict(m, scope, spec));
        });
      }
    });
  }
});
