/**
 * The bundled CLI for the integration suite, built by the project's own build
 * script into a private temporary directory (as test/cli/fix.test.ts does),
 * so this suite never races another suite's rebuild of dist/.
 */
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');

export interface Finding {
  rule: string;
  severity: string;
  message: string;
  /** relative to the linted stack directory */
  file: string;
  line: number;
  column: number;
  fixable: boolean;
}

export interface LintRun {
  code: number | null;
  stdout: string;
  stderr: string;
  findings: Finding[];
}

export class PrivateCli {
  private constructor(
    readonly buildDir: string,
    readonly cli: string,
  ) {}

  static build(): PrivateCli {
    const buildDir = fs.mkdtempSync(path.join(tmpdir(), 'nl-int-build-'));
    fs.symlinkSync(path.join(root, 'src'), path.join(buildDir, 'src'));
    execFileSync(process.execPath, [path.join(root, 'scripts/build.mjs')], { cwd: buildDir });
    return new PrivateCli(buildDir, path.join(buildDir, 'dist/cli.js'));
  }

  dispose(): void {
    fs.rmSync(this.buildDir, { recursive: true, force: true });
  }

  /** `nginx-lint <dir> --format json --nginx-version 1.22.1 [extra...]`, findings with paths relative to `dir`. */
  run(dir: string, extra: string[] = []): Promise<LintRun> {
    return new Promise((resolve) => {
      const child = spawn(process.execPath, [this.cli, dir, '--format', 'json', '--nginx-version', '1.22.1', ...extra], { cwd: dir, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      child.on('close', (code) => {
        clearTimeout(timer);
        let findings: Finding[] = [];
        try {
          const out = JSON.parse(stdout) as { diagnostics: (Finding & { file: string })[] };
          findings = out.diagnostics.map((d) => ({ ...d, file: path.isAbsolute(d.file) ? path.relative(dir, d.file) : d.file }));
        } catch {
          // left empty: the caller's assertions show stdout and stderr
        }
        resolve({ code, stdout, stderr, findings });
      });
    });
  }

  lint(dir: string): Promise<LintRun> {
    return this.run(dir);
  }

  fix(dir: string): Promise<LintRun> {
    return this.run(dir, ['--fix']);
  }
}
