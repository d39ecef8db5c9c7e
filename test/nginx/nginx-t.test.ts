/**
 * Differential test: nginx-lint's verdict on each configuration of
 * fixtures/nginx-t/ against the real `nginx -t` (Debian's nginx 1.22).
 *
 * For every top-level `*.conf` there (files under inc/ are only included),
 * nginx runs as `nginx -t -q -p <tmp> -c <fixture> -g 'pid ...; error_log ...;'`
 * (a fixture may set error_log, nginx allows several; it must not set pid:
 * nginx reads -g first, so the fixture's pid is "is duplicate"). nginx stops at
 * its first error; nginx-lint reports them all, so the comparison is:
 *
 * - the verdict: nginx fails exactly when nginx-lint reports an error
 *   (parser, include loader and analyzer diagnostics together);
 * - nginx's error against nginx-lint's first error in nginx's order
 *   (sortInNginxOrder): the same message text, file and line. nginx prints
 *   the line where it was reading, which for a directive is the line of its
 *   `;` or `{` (nginxErrorOffset), not the line of its name.
 *
 * Nothing is hard-coded: the expected result is whatever the installed nginx
 * says. nginx-lint analyses for the binary's version (`nginx -V`) and its
 * statically built modules (moduleFilterFromConfigure), so a directive of a
 * module Debian builds as a dynamic module (stream, mail, geoip, ...) is
 * unknown on both sides.
 *
 * Known differences, compared by verdict only (a fixture says so in a
 * `# nginx-t: verdict-only: <why>` comment):
 * - include cycles: nginx has no cycle check and recurses until open() fails
 *   with EMFILE (run here under `ulimit -n 256`; with a high limit it crashes),
 *   reported at the include that closes the cycle; nginx-lint reports the
 *   cycle itself at that include and does not follow it.
 * Errors nginx prints without a location (`no "events" section in
 * configuration`) are compared by message.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Diagnostic } from '../../src/diagnostic.js';
import { positionAt } from '../../src/syntax/source.js';
import { analyze, nginxErrorOffset, sortInNginxOrder } from '../../src/syntax/nginx/analyze.js';
import { moduleFilterFromConfigure } from '../../src/syntax/nginx/directives.js';
import { loadNginxConfig } from '../../src/syntax/nginx/index.js';
import { parseNginxVersion, type NginxVersion } from '../../src/syntax/nginx/version.js';
import { describeWithBinaries } from '../support/binaries.js';

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/nginx-t');
const fixtures = fs
  .readdirSync(FIXTURES)
  .filter((f) => f.endsWith('.conf'))
  .sort();

interface Verdict {
  ok: boolean;
  message?: string;
  file?: string;
  line?: number;
}

/** nginx's first `[emerg]` (or alert/crit) line: "<message> in <file>:<line>", or a message alone. */
function parseNginxError(stderr: string): Omit<Verdict, 'ok'> | null {
  const m = /\[(?:emerg|alert|crit)\] \d+#\d+: (.*)$/m.exec(stderr) ?? /^nginx: \[(?:emerg|alert|crit)\] (.*)$/m.exec(stderr);
  if (!m) return null;
  const loc = /^(.*) in (\S+):(\d+)$/.exec(m[1]!);
  return loc ? { message: loc[1]!, file: loc[2]!, line: Number(loc[3]) } : { message: m[1]! };
}

function ourVerdict(file: string, version: NginxVersion, modules: (m: string) => boolean): Verdict {
  const config = loadNginxConfig(file);
  const parsed: Diagnostic[] = [];
  for (const f of config.files.values()) parsed.push(...f.diagnostics);
  const all = sortInNginxOrder(config, [...parsed, ...config.diagnostics, ...analyze(config, { version, modules })]).filter((d) => d.severity === 'error');
  const first = all[0];
  if (!first) return { ok: true };
  const at = nginxErrorOffset(first);
  return Number.isFinite(at)
    ? { ok: false, message: first.message, file: first.file.path, line: positionAt(first.file, at).line }
    : { ok: false, message: first.message };
}

describeWithBinaries(['nginx'], 'nginx -t agrees with nginx-lint on fixtures/nginx-t', (bins) => {
  const nginx = bins.nginx;
  let tmp = '';
  let version: NginxVersion;
  let modules: (m: string) => boolean;

  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'nginx-lint-t-'));
    const v = spawnSync(nginx, ['-V'], { encoding: 'utf8' });
    const text = `${v.stdout}${v.stderr}`;
    const parsedVersion = parseNginxVersion(/nginx version: nginx\/(\S+)/.exec(text)?.[1] ?? '');
    if (!parsedVersion) throw new Error(`cannot read the version from nginx -V:\n${text}`);
    version = parsedVersion;
    modules = moduleFilterFromConfigure(text);
  });
  afterAll(() => {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('has at least 60 fixtures, valid and invalid', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(60);
  });

  /** nginx -t on `file` against nginx-lint's first error (see the top of this file); nginx's verdict */
  const compare = (file: string): Verdict => {
    // a low descriptor limit turns nginx's endless include recursion into an error instead of a crash
    const run = spawnSync(
      'sh',
      ['-c', 'ulimit -n 256; exec "$0" "$@"', nginx, '-t', '-q', '-p', `${tmp}/`, '-c', file, '-g', `pid ${tmp}/nginx.pid; error_log ${tmp}/error.log;`],
      { encoding: 'utf8' },
    );
    const theirs: Verdict = run.status === 0 ? { ok: true } : { ok: false, ...(parseNginxError(run.stderr) ?? { message: run.stderr.trim() }) };
    expect(run.status === 0 || run.status === 1, `nginx exited with ${run.status}: ${run.stderr}`).toBe(true);
    const ours = ourVerdict(file, version, modules);

    expect(ours.ok, `nginx says ${JSON.stringify(theirs)}; nginx-lint says ${JSON.stringify(ours)}`).toBe(theirs.ok);
    if (theirs.ok) return theirs;
    const text = fs.readFileSync(file, 'utf8');
    if (/^# nginx-t: verdict-only:/m.test(text)) return theirs;
    if (theirs.file === undefined) {
      expect(ours.message).toBe(theirs.message);
      return theirs;
    }
    expect({ message: ours.message, file: ours.file, line: ours.line }).toEqual({ message: theirs.message, file: theirs.file, line: theirs.line });
    return theirs;
  };

  it.each(fixtures)('%s', (name) => {
    compare(path.join(FIXTURES, name));
  });

  /*
   * What an include glob matches besides files, made in a temporary tree (a
   * repository should not hold dangling links): glob(3) gives a directory's
   * entries as they are, so nginx opens a symlink whose target is gone (a
   * site removed from sites-available, its link left in sites-enabled) and
   * fails, and reads a directory and fails.
   */
  const GLOB_ENTRIES: { name: string; pattern: string; make: (dir: string) => void; nginxFails: boolean }[] = [
    { name: 'a dangling symlink matched by *.conf', pattern: 'sites/*.conf', make: (d) => fs.symlinkSync('../available/gone.conf', path.join(d, 'sites/b.conf')), nginxFails: true },
    {
      name: 'a dangling symlink named after a wildcard directory',
      pattern: '*/site.conf',
      make: (d) => {
        fs.mkdirSync(path.join(d, 'x'));
        fs.symlinkSync('gone.conf', path.join(d, 'x/site.conf'));
      },
      nginxFails: true,
    },
    { name: 'a symlink loop matched by *.conf', pattern: 'sites/*.conf', make: (d) => fs.symlinkSync('loop.conf', path.join(d, 'sites/loop.conf')), nginxFails: true },
    { name: 'a directory matched by *.conf', pattern: 'sites/*.conf', make: (d) => fs.mkdirSync(path.join(d, 'sites/dir.conf')), nginxFails: true },
    { name: 'directories matched by a pattern ending in /', pattern: 'sites/*/', make: (d) => fs.mkdirSync(path.join(d, 'sites/sub')), nginxFails: true },
    { name: 'a dangling symlink the pattern does not match', pattern: 'sites/*.conf', make: (d) => fs.symlinkSync('../available/gone.conf', path.join(d, 'sites/b.conf.disabled')), nginxFails: false },
    {
      name: 'a symlink to a site that exists',
      pattern: 'sites/*.conf',
      make: (d) => {
        fs.writeFileSync(path.join(d, 'available/c.conf'), 'server { listen 127.0.0.1:8082; }\n');
        fs.symlinkSync('../available/c.conf', path.join(d, 'sites/c.conf'));
      },
      nginxFails: false,
    },
  ];
  it.each(GLOB_ENTRIES)('include glob: $name', ({ pattern, make, nginxFails }) => {
    const dir = fs.mkdtempSync(path.join(tmp, 'glob-'));
    fs.mkdirSync(path.join(dir, 'sites'));
    fs.mkdirSync(path.join(dir, 'available'));
    fs.writeFileSync(path.join(dir, 'sites/a.conf'), 'server { listen 127.0.0.1:8081; }\n');
    fs.writeFileSync(path.join(dir, 'nginx.conf'), `events {}\nhttp {\n    include ${path.join(dir, pattern)};\n}\n`);
    make(dir);
    // the case is what it says: nginx itself fails exactly on the entries that are not files
    expect(compare(path.join(dir, 'nginx.conf')).ok).toBe(!nginxFails);
  });
});
