/**
 * One fuzz target per reader: how its inputs are made (random bytes, token
 * soup, mutated fixtures) and what must hold for every one of them. Shared by
 * the vitest suites in this folder (a few hundred cases each) and by
 * `npm run fuzz` (scripts/fuzz/run.ts: hundreds of thousands, in workers
 * with a hang timeout).
 *
 * `run` throws when a promise is broken: a parser threw, a span lies outside
 * its file, a position does not map back, a safety net caught an exception,
 * printing did not give the bytes back.
 */
import fc from 'fast-check';
import type { Diagnostic } from '../../src/diagnostic.js';
import { inferRootContext } from '../../src/engine/context.js';
import { fixUntilStable } from '../../src/engine/fix.js';
import { lint } from '../../src/engine/lint.js';
import { buildReport } from '../../src/engine/report.js';
import { memoryFileSystem } from '../../src/fs.js';
import { analyze, singleFileConfig } from '../../src/syntax/nginx/analyze.js';
import type { NginxConfig, Node } from '../../src/syntax/nginx/ast.js';
import { crossplanePayload, loadNginxConfig, parseNginx, parseNginxDump, printNginx } from '../../src/syntax/nginx/index.js';
import { DEFAULT_NGINX_VERSION } from '../../src/syntax/nginx/version.js';
import { fpmValuesView, loadFpmConfig, parseIni, phpIniValues, printIni } from '../../src/syntax/ini/index.js';
import { gunicornValuesView, loadGunicornSource, parseGunicornArgv, shlexSplit, textOf, type GunicornFileKind } from '../../src/syntax/gunicorn/index.js';
import { decodeSource, encodeSource, type SourceFile } from '../../src/syntax/source.js';
import { exampleStack, seedsOf } from './support/corpus.js';
import { assertDiagnostics, assertSpan } from './support/invariants.js';
import { applyMutation, mutatedArb, mutationArb, noise, randomInputArb, type Mutation } from './support/mutate.js';

export interface FuzzTarget<T = unknown> {
  name: string;
  /** what it reads, for the report */
  reads: string;
  /** `big` adds huge tokens and deep nesting (slower cases) */
  arbitrary(big: boolean): fc.Arbitrary<T>;
  run(input: T): void;
  /** a short, printable form of an input (for a failure report) */
  show(input: T): string;
}

const NGINX_TOKENS = ['http {', 'server {', 'location ~ \\.php$ {', '}', 'include ', '*.conf;', 'if ($x) {', 'map $a $b {', 'content_by_lua_block {', '--[[', ']]', '${', '"', "'", '\\', '#', 'events {}', 'upstream u {', 'proxy_pass http://u;', 'fastcgi_pass unix:/run/x.sock;', 'listen 80;', 'types {', 'geo $g {', 'split_clients "$a" $b {', '10% a;'];
const INI_TOKENS = ['[global]\n', '[www]\n', '[PATH=/x]\n', 'include = ', 'pool.d/*.conf', 'listen = ', '/run/php.sock', 'pm = dynamic\n', 'php_admin_value[memory_limit] = ', 'env[X] = ', '$pool', '${A}', '${A:-b}', 'E_ALL & ~E_NOTICE', '"q"', "'r'", ' = ', ';c\n', 'on', 'off', 'null', '128M', '0x1F', '|', '&', '~', '!', '(', ')', '\\'];
const PY_TOKENS = ['(', ')', '[', ']', '{', '}', ':', '=', '"', "'", '"""', "f'", '{x}', '\\', '\n', '    ', 'if ', 'else', 'def f():', 'lambda', 'not ', ' and ', 'import os', 'os.environ.get(', '%', '.format(', '*', '**', '#', ',', 'workers', 'timeout = ', 'bind = ', '0o7', '1e5', 'try:', 'except', 'for x in ', 'while 1:', 'return', 'yield', 'global x', 'del x', '@d', 'class C:', 'await', '...', ';', '-', '~', 'multiprocessing.cpu_count()', 'int(', 'str(', 'range(', 'sys.exit(', '__import__(', 'exec(', 'open(', ' if 1 else ', '[x for x in y]'];
const CMD_TOKENS = ['gunicorn ', '--bind ', '-b ', 'unix:/run/app.sock ', '0.0.0.0:$PORT ', '--workers ', '-w', '--timeout=', '-t ', '--keep-alive ', '-c ', 'gunicorn.conf.py ', 'app:app', ' && ', ' | ', ';', '$(', '`', '"', "'", '\\', '${A:-x}', 'exec ', 'python -m gunicorn ', 'ExecStart=', 'Environment=', '"GUNICORN_CMD_ARGS=', 'EnvironmentFile=-/etc/env', '[Service]\n', '[Socket]\n', 'ListenStream=', 'SocketMode=0660', 'web: ', '\\\n', '%h', '%%', '--', '-'];

// ---------------------------------------------------------------- nginx

/** Every span in a parsed tree inside the file (iteratively: the tree may be deep). */
function checkTree(file: SourceFile, roots: Node[], stray: readonly { start: number; end: number }[] | undefined): void {
  const todo: Node[] = [...roots];
  while (todo.length) {
    const n = todo.pop()!;
    assertSpan(file, n.span, 'node');
    if (n.kind === 'comment') continue;
    assertSpan(file, n.name.span, `name of ${n.name.value}`);
    for (const a of n.args) assertSpan(file, a.span, `argument of ${n.name.value}`);
    assertSpan(file, n.semicolon, 'semicolon');
    if (n.rawBody) for (const s of [n.rawBody.open, n.rawBody.body, n.rawBody.close]) assertSpan(file, s, 'raw body');
    if (n.block) {
      assertSpan(file, n.block.open, 'block open');
      assertSpan(file, n.block.close, 'block close');
      todo.push(...n.block.children);
    }
  }
  for (const s of stray ?? []) assertSpan(file, s, 'stray token');
}

function checkConfig(config: NginxConfig, inputs: string[]): void {
  const all: Diagnostic[] = [...config.diagnostics];
  for (const f of config.files.values()) {
    checkTree(f.source, f.children, f.stray);
    all.push(...f.diagnostics);
    // lossless: printing the tree gives the file's text back
    if (printNginx(f) !== f.source.text) throw new Error(`printNginx(${f.source.path}) differs from the text`);
  }
  const context = inferRootContext(config.root, DEFAULT_NGINX_VERSION);
  all.push(...analyze(config, { context, version: DEFAULT_NGINX_VERSION }));
  crossplanePayload(config, { includeComments: true });
  assertDiagnostics(all, inputs);
}

const nginxBytes = (big: boolean) => fc.oneof({ weight: 1, arbitrary: randomInputArb(NGINX_TOKENS) }, { weight: 3, arbitrary: mutatedArb(seedsOf('nginx'), { tokens: NGINX_TOKENS, big }).map((m) => m.bytes) });

const showBytes = (b: Uint8Array) => JSON.stringify(Buffer.from(b).toString('latin1').slice(0, 2000)) + (b.byteLength > 2000 ? ` … (${b.byteLength} bytes)` : '');

export const nginxTarget: FuzzTarget<Uint8Array> = {
  name: 'nginx',
  reads: 'nginx config (parseNginx, print, crossplane, analyze)',
  arbitrary: nginxBytes,
  run(bytes) {
    const src = decodeSource('fuzz.conf', bytes);
    const tree = parseNginx(src);
    if (!encodeSource(src, printNginx(tree)).equals(Buffer.from(bytes))) throw new Error('printNginx does not give the bytes back');
    checkConfig(singleFileConfig(tree), [src.text]);
  },
  show: showBytes,
};

/** Files of an nginx tree in a memory file system: include lines (cycles, globs, missing, directories, `..`) spliced into mutated seeds. */
interface Tree {
  files: Record<string, Uint8Array>;
}

const INCLUDE_LINES = ['include conf.d/*.conf;', 'include /etc/nginx/nginx.conf;', 'include conf.d/a.conf;', 'include conf.d;', 'include missing.conf;', 'include ../../../../etc/nginx/conf.d/b.conf;', 'include conf.d/[ab].conf;', 'include "conf.d/*";', 'include *;', 'include conf.d/*.conf', 'include;', 'include a b;', 'include conf.d/b.conf;\ninclude conf.d/b.conf;'];

const treeArb = (big: boolean): fc.Arbitrary<Tree> =>
  fc
    .record({
      parts: fc.array(fc.tuple(mutatedArb(seedsOf('nginx'), { tokens: NGINX_TOKENS, big }), fc.array(fc.tuple(fc.constantFrom(...INCLUDE_LINES), fc.nat()), { maxLength: 3 })), { minLength: 1, maxLength: 4 }),
    })
    .map(({ parts }) => {
      const names = ['/etc/nginx/nginx.conf', '/etc/nginx/conf.d/a.conf', '/etc/nginx/conf.d/b.conf', '/etc/nginx/conf.d/c.conf'];
      const files: Record<string, Uint8Array> = {};
      parts.forEach(([m, incs], i) => {
        let text = m.text;
        for (const [line, at] of incs) text = applyMutation(text, { op: 'splice', at, text: `\n${line}\n` });
        files[names[i]!] = Buffer.from(text, 'utf8');
      });
      return { files };
    });

export const nginxIncludeTarget: FuzzTarget<Tree> = {
  name: 'nginx-include',
  reads: 'nginx tree with includes (loadNginxConfig on a memory fs, analyze)',
  arbitrary: treeArb,
  run({ files }) {
    const fs = memoryFileSystem(files);
    const config = loadNginxConfig('/etc/nginx/nginx.conf', { fs });
    checkConfig(config, Object.values(files).map((b) => Buffer.from(b).toString('latin1')));
  },
  show: ({ files }) => JSON.stringify(Object.fromEntries(Object.entries(files).map(([k, v]) => [k, Buffer.from(v).toString('latin1').slice(0, 1000)]))),
};

/** `nginx -T` output: sections of mutated seeds behind headers, then cut or mutated as a whole. */
const dumpArb = (big: boolean): fc.Arbitrary<Uint8Array> =>
  fc
    .record({
      parts: fc.array(fc.tuple(fc.constantFrom('/etc/nginx/nginx.conf', '/etc/nginx/conf.d/a.conf', 'conf.d/b.conf', '/etc/nginx/mime.types', '/x:y', ''), mutatedArb(seedsOf('nginx'), { tokens: NGINX_TOKENS, big })), { minLength: 1, maxLength: 4 }),
      preamble: fc.constantFrom('', 'nginx: the configuration file /etc/nginx/nginx.conf syntax is ok\nnginx: configuration file /etc/nginx/nginx.conf test is successful\n'),
      crlf: fc.boolean(),
      after: fc.array(mutationArb({ tokens: ['# configuration file ', ':\n', '\n'] }), { maxLength: 2 }),
    })
    .map(({ parts, preamble, crlf, after }) => {
      let text = preamble + parts.map(([p, m]) => `# configuration file ${p}:\n${m.text}\n`).join(crlf ? '\r\n' : '\n');
      text = after.reduce<string>((t, m: Mutation) => applyMutation(t, m), text);
      return Buffer.from(text, 'utf8');
    });

export const nginxDumpTarget: FuzzTarget<Uint8Array> = {
  name: 'nginx-dump',
  reads: '`nginx -T` output on standard input (parseNginxDump)',
  arbitrary: (big) => fc.oneof({ weight: 1, arbitrary: randomInputArb(['# configuration file ', ':\n', ...NGINX_TOKENS]) }, { weight: 4, arbitrary: dumpArb(big) }),
  run(bytes) {
    const src = decodeSource('<stdin>', bytes);
    checkConfig(parseNginxDump(src), [src.text]);
  },
  show: showBytes,
};

// ---------------------------------------------------------------- php.ini / FPM

function checkIni(src: SourceFile, dialect: 'php-ini' | 'fpm'): Diagnostic[] {
  const tree = parseIni(src, { dialect });
  if (printIni(tree) !== src.text) throw new Error(`printIni (${dialect}) does not give the text back`);
  for (const t of tree.tokens) assertSpan(src, t.span, `token ${t.type}`);
  if (dialect === 'php-ini') phpIniValues(tree, { env: { A: '1' } });
  return tree.diagnostics;
}

export const phpIniTarget: FuzzTarget<Uint8Array> = {
  name: 'php-ini',
  reads: 'php.ini (parseIni php-ini dialect, parse_ini_file values)',
  arbitrary: (big) => fc.oneof({ weight: 1, arbitrary: randomInputArb(INI_TOKENS) }, { weight: 3, arbitrary: mutatedArb(seedsOf('php-ini', 'fpm'), { tokens: INI_TOKENS, big }).map((m) => m.bytes) }),
  run(bytes) {
    const src = decodeSource('php.ini', bytes);
    assertDiagnostics(checkIni(src, 'php-ini'), [src.text]);
  },
  show: showBytes,
};

/** php-fpm.conf and pool files in a memory file system, with include= lines (globs, cycles, missing). */
const fpmTreeArb = (big: boolean): fc.Arbitrary<Tree> =>
  fc
    .array(fc.tuple(mutatedArb(seedsOf('fpm', 'php-ini'), { tokens: INI_TOKENS, big }), fc.array(fc.tuple(fc.constantFrom('include=/etc/php/fpm/pool.d/*.conf', 'include = pool.d/a.conf', 'include=/etc/php/fpm/php-fpm.conf', 'include=/nope/*.conf', 'include=/etc/php/fpm/pool.d', '[www]', '[global]', 'listen = /run/$pool.sock', 'prefix = /srv/$pool'), fc.nat()), { maxLength: 3 })), {
      minLength: 1,
      maxLength: 3,
    })
    .map((parts) => {
      const names = ['/etc/php/fpm/php-fpm.conf', '/etc/php/fpm/pool.d/a.conf', '/etc/php/fpm/pool.d/b.conf'];
      const files: Record<string, Uint8Array> = {};
      parts.forEach(([m, lines], i) => {
        let text = m.text;
        for (const [line, at] of lines) text = applyMutation(text, { op: 'splice', at, text: `\n${line}\n` });
        files[names[i]!] = Buffer.from(text, 'utf8');
      });
      return { files };
    });

export const fpmTarget: FuzzTarget<Tree> = {
  name: 'php-fpm',
  reads: 'PHP-FPM config with includes (parseIni fpm dialect, loadFpmConfig on a memory fs)',
  arbitrary: fpmTreeArb,
  run({ files }) {
    const fs = memoryFileSystem(files);
    const inputs = Object.values(files).map((b) => Buffer.from(b).toString('latin1'));
    const all: Diagnostic[] = [];
    for (const [p, b] of Object.entries(files)) all.push(...checkIni(decodeSource(p, b), 'fpm'));
    for (const runAsRoot of [false, true]) {
      const config = loadFpmConfig('/etc/php/fpm/php-fpm.conf', { fs, runAsRoot, checkSystem: runAsRoot, ...(runAsRoot ? { env: { A: '1' } } : {}) });
      fpmValuesView(config);
      all.push(...config.diagnostics);
    }
    assertDiagnostics(all, inputs);
  },
  show: nginxIncludeTarget.show,
};

// ---------------------------------------------------------------- gunicorn

function checkGunicorn(file: SourceFile, kind: GunicornFileKind, extra: Record<string, Uint8Array> = {}): void {
  const fs = memoryFileSystem({ '/srv/app/gunicorn.conf.py': 'workers = 2\ntimeout = 30\n', '/etc/default/app': 'GUNICORN_CMD_ARGS="--timeout 5"\n', ...extra });
  const all: Diagnostic[] = [];
  for (const envComplete of [false, true]) {
    const loaded = loadGunicornSource(file, { fs, kind, envComplete, cwd: '/srv/app', ...(envComplete ? { env: { PORT: '8000', A: '1' } } : {}) });
    for (const c of loaded.configs) gunicornValuesView(c);
    all.push(...loaded.diagnostics);
  }
  assertDiagnostics(all, [file.text, ...Object.values(extra).map((b) => Buffer.from(b).toString('latin1'))]);
}

export const gunicornConfigTarget: FuzzTarget<Uint8Array> = {
  name: 'gunicorn-config',
  reads: 'gunicorn.conf.py (Python parser + static evaluator, never executed)',
  arbitrary: (big) => fc.oneof({ weight: 1, arbitrary: randomInputArb(PY_TOKENS) }, { weight: 3, arbitrary: mutatedArb(seedsOf('gunicorn-config'), { tokens: PY_TOKENS, big }).map((m) => m.bytes) }),
  run(bytes) {
    checkGunicorn(decodeSource('/srv/app/gunicorn.conf.py', bytes), 'config');
  },
  show: showBytes,
};

interface CommandInput {
  kind: GunicornFileKind;
  bytes: Uint8Array;
  /** GUNICORN_CMD_ARGS-like words, read on their own as well */
  argv: string;
}

const CMD_KINDS: GunicornFileKind[] = ['systemd-service', 'systemd-socket', 'procfile', 'shell'];

export const commandLineTarget: FuzzTarget<CommandInput> = {
  name: 'gunicorn-command-line',
  reads: 'systemd ExecStart=/Environment=, .socket units, Procfiles, shell scripts, GUNICORN_CMD_ARGS',
  arbitrary: (big) =>
    fc.record({
      kind: fc.constantFrom(...CMD_KINDS),
      bytes: fc.oneof({ weight: 1, arbitrary: randomInputArb(CMD_TOKENS) }, { weight: 3, arbitrary: mutatedArb(seedsOf('systemd', 'procfile', 'shell'), { tokens: CMD_TOKENS, big }).map((m) => m.bytes) }),
      argv: noise(CMD_TOKENS),
    }),
  run({ kind, bytes, argv }) {
    const path = kind === 'procfile' ? '/srv/app/Procfile' : kind === 'shell' ? '/srv/app/start.sh' : kind === 'systemd-socket' ? '/etc/systemd/system/app.socket' : '/etc/systemd/system/app.service';
    // the same bytes also as an EnvironmentFile= the unit reads
    checkGunicorn(decodeSource(path, bytes), kind, { '/etc/default/fuzz': bytes });
    const words = shlexSplit(textOf(argv, 0, argv.length));
    const parsed = parseGunicornArgv(words.words);
    void parsed;
  },
  show: ({ kind, bytes, argv }) => `${kind} ${showBytes(bytes)} argv ${JSON.stringify(argv)}`,
};

// ---------------------------------------------------------------- the whole pipeline

/** The example stack with one to three of its files mutated (and the rest as they are). */
interface StackInput {
  files: Record<string, Uint8Array>;
  /** the mutated files */
  changed: string[];
}

const stackArb = (big: boolean): fc.Arbitrary<StackInput> => {
  const base = exampleStack();
  const names = Object.keys(base).sort();
  return fc
    .array(fc.tuple(fc.constantFrom(...names), fc.array(mutationArb({ tokens: [...NGINX_TOKENS, ...INI_TOKENS, ...PY_TOKENS], big }), { minLength: 1, maxLength: 4 })), { minLength: 1, maxLength: 3 })
    .map((changes) => {
      const files: Record<string, Uint8Array> = { ...base };
      for (const [name, ms] of changes) files[name] = Buffer.from(ms.reduce(applyMutation, Buffer.from(files[name]!).toString('latin1')), 'latin1');
      return { files: Object.fromEntries(Object.entries(files).map(([k, v]) => [`/stack/${k}`, v])), changed: [...new Set(changes.map(([name]) => `/stack/${name}`))] };
    });
};

export const pipelineTarget: FuzzTarget<StackInput> = {
  name: 'lint',
  reads: 'the whole pipeline: lint() + every rule + fixes (adding no program error) + report, over a mutated example stack',
  arbitrary: stackArb,
  run({ files }) {
    const fs = memoryFileSystem(files);
    const outcome = fixUntilStable((f) => lint(['/stack'], { fs: f }), fs);
    const inputs = Object.values(files).map((b) => Buffer.from(b).toString('latin1'));
    assertDiagnostics(outcome.result.diagnostics, inputs);
    assertDiagnostics(outcome.appliedFixes, inputs);
    // no fix may make nginx, php-fpm, PHP or gunicorn refuse what they accepted (--fix would refuse to write)
    if (outcome.introducedErrors.length) {
      const e = outcome.introducedErrors[0]!;
      throw new Error(`the fixes (${[...new Set(outcome.appliedFixes.map((d) => d.rule))].join(', ')}) add ${e.rule}: ${e.message}`);
    }
    buildReport(outcome.result);
    for (const f of outcome.files.values()) encodeSource(f.original, f.text);
  },
  show: ({ files, changed }) => nginxIncludeTarget.show({ files: Object.fromEntries(changed.map((p) => [p, files[p]!])) }),
};

export const TARGETS: FuzzTarget[] = [nginxTarget, nginxIncludeTarget, nginxDumpTarget, phpIniTarget, fpmTarget, gunicornConfigTarget, commandLineTarget, pipelineTarget] as FuzzTarget[];
