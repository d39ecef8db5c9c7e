/**
 * Tests that run the real programs (nginx, php, php-fpm, gunicorn).
 *
 * When a binary is missing: in CI (CI=true or NGINX_LINT_REQUIRE_BINARIES=1)
 * the suite FAILS, naming the package to install; on a developer machine it is
 * reported as skipped with the install command in its title, never passed.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, it } from 'vitest';

export const binariesRequired = process.env.CI === 'true' || process.env.NGINX_LINT_REQUIRE_BINARIES === '1';

/** Debian packages that provide each binary (what .ci/run installs). */
export const BINARIES = {
  nginx: { paths: ['/usr/sbin/nginx'], pkg: 'nginx' },
  php: { paths: ['/usr/bin/php8.2', '/usr/bin/php'], pkg: 'php8.2-cli' },
  'php-fpm': { paths: ['/usr/sbin/php-fpm8.2'], pkg: 'php8.2-fpm' },
  gunicorn: { paths: ['/usr/bin/gunicorn'], pkg: 'gunicorn' },
  /** Debian's python3, which has the gunicorn package (the first python3 on PATH may not) */
  python3: { paths: ['/usr/bin/python3'], pkg: 'python3' },
  /** Graphviz, to check that `nginx-lint graph --format dot` really parses */
  dot: { paths: ['/usr/bin/dot'], pkg: 'graphviz' },
  /** the pre-commit framework, to run the project's hooks as users install them */
  'pre-commit': { paths: ['/usr/bin/pre-commit'], pkg: 'pre-commit' },
  git: { paths: ['/usr/bin/git'], pkg: 'git' },
  /** script(1), to give the CLI a terminal (a pty) */
  script: { paths: ['/usr/bin/script'], pkg: 'bsdutils' },
} as const;

export type BinaryName = keyof typeof BINARIES;

export function findBinary(name: BinaryName): string | null {
  for (const p of BINARIES[name].paths) if (existsSync(p)) return p;
  try {
    return execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim() || null;
  } catch {
    return null;
  }
}

/** describe() that needs real binaries; see the module comment for what happens without them. */
export function describeWithBinaries(names: BinaryName[], title: string, fn: (bins: Record<BinaryName, string>) => void): void {
  const found = {} as Record<BinaryName, string>;
  const missing: BinaryName[] = [];
  for (const n of names) {
    const p = findBinary(n);
    if (p) found[n] = p;
    else missing.push(n);
  }
  if (missing.length === 0) {
    describe(title, () => fn(found));
    return;
  }
  const install = `apt-get install -y ${missing.map((m) => BINARIES[m].pkg).join(' ')}`;
  if (binariesRequired) {
    describe(title, () => {
      it(`needs ${missing.join(', ')}`, () => {
        throw new Error(`${missing.join(', ')} not found; this suite is required in CI. Install: ${install}`);
      });
    });
  } else {
    describe.skip(`${title} [skipped: ${missing.join(', ')} not found; install: ${install}]`, () => fn(found));
  }
}
