/**
 * The library as another project imports it: `import { lint, … } from
 * 'nginx-lint'` through package.json's "exports", with the bundle and the
 * declaration files the build produces. A consumer written in strict
 * TypeScript is type-checked against dist/types, then run on a stack held in
 * memory (no files): what an editor or another tool embedding nginx-lint does.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');

const CONSUMER = `import { lint, memoryFileSystem, buildReport, loadFormatter, parseNginx, sourceFromString, RULES, type Rule, type ReportedDiagnostic } from 'nginx-lint';

const fs = memoryFileSystem({
  '/etc/nginx/nginx.conf': 'events {}\\nhttp {\\n  server {\\n    listen 80;\\n    location / { proxy_pass http://127.0.0.1:8000; proxy_read_timeout 90s; }\\n  }\\n}\\n',
  '/srv/app/gunicorn.conf.py': 'bind = "127.0.0.1:8000"\\ntimeout = 30\\n',
});

// a rule of the consumer's own, through the same API as the built-in rules
const noListen80: Rule = {
  meta: { id: 'acme/no-plain-http', family: 'links', description: 'servers must not listen on port 80', severity: 'warning', fixable: false },
  check(ctx) {
    for (const tree of ctx.model.trees) {
      for (const f of tree.config.files.values()) {
        const at = f.source.text.indexOf('listen 80;');
        if (at >= 0) ctx.report({ file: f.source, span: { start: at, end: at + 'listen 80'.length }, message: 'plain HTTP listener' });
      }
    }
  },
};

const result = lint(['/etc/nginx/nginx.conf', '/srv/app/gunicorn.conf.py'], { fs, nginxVersion: '1.22.1', rules: [...RULES, noListen80] });
const report = buildReport(result);
const found: ReportedDiagnostic[] = report.diagnostics;
const json = await loadFormatter('json');
const tree = parseNginx(sourceFromString('x.conf', 'worker_processes 2;'));
process.stdout.write(JSON.stringify({
  rules: found.map((d) => \`\${d.rule}@\${d.file}:\${d.line}\`),
  jsonHasDiagnostics: JSON.parse(json(report, { color: false })).diagnostics.length,
  parsed: tree.children.length,
}));
`;

describe('the library through package.json exports (bundle + declarations)', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(tmpdir(), 'nl-lib-'));
    // the package: what the build produces (JS bundle + .d.ts), beside package.json
    const pkg = path.join(dir, 'pkg');
    fs.mkdirSync(pkg);
    for (const name of ['src', 'rules', 'package.json', 'node_modules', 'schemas']) fs.symlinkSync(path.join(root, name), path.join(pkg, name));
    execFileSync(process.execPath, [path.join(root, 'scripts/build.mjs')], { cwd: pkg });
    execFileSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', path.join(root, 'tsconfig.build.json'), '--outDir', path.join(pkg, 'dist/types')], { cwd: root });
    // the consumer: its own package, nginx-lint in its node_modules
    const consumer = path.join(dir, 'consumer');
    fs.mkdirSync(path.join(consumer, 'node_modules/@types'), { recursive: true });
    fs.symlinkSync(pkg, path.join(consumer, 'node_modules/nginx-lint'));
    fs.symlinkSync(path.join(root, 'node_modules/@types/node'), path.join(consumer, 'node_modules/@types/node'));
    fs.writeFileSync(path.join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', type: 'module', private: true }));
    fs.writeFileSync(
      path.join(consumer, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: false, outDir: 'out', skipLibCheck: false, types: ['node'] }, include: ['index.ts'] }),
    );
    fs.writeFileSync(path.join(consumer, 'index.ts'), CONSUMER);
  }, 120_000);
  afterAll(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a strict TypeScript consumer type-checks against the published declarations and runs on an in-memory stack', () => {
    const consumer = path.join(dir, 'consumer');
    // type-check and compile with the package's declarations (skipLibCheck off: the .d.ts files themselves must be sound)
    execFileSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', consumer], { cwd: consumer, encoding: 'utf8' });
    const out = JSON.parse(execFileSync(process.execPath, [path.join(consumer, 'out/index.js')], { cwd: consumer, encoding: 'utf8' }));
    expect(out.rules).toContain('gunicorn-timeout-order@/srv/app/gunicorn.conf.py:2');
    expect(out.rules).toContain('acme/no-plain-http@/etc/nginx/nginx.conf:4');
    expect(out.jsonHasDiagnostics).toBe(out.rules.length);
    expect(out.parsed).toBe(1);
  }, 120_000);

  it('a type error in the consumer is caught by the declarations (they are not `any`)', () => {
    const consumer = path.join(dir, 'consumer');
    fs.writeFileSync(path.join(consumer, 'index.ts'), `import { lint } from 'nginx-lint';\nconst n: number = lint(['x']).diagnostics;\nexport { n };\n`);
    let failure = '';
    try {
      execFileSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', consumer, '--noEmit'], { cwd: consumer, encoding: 'utf8' });
    } catch (err) {
      failure = String((err as { stdout?: string }).stdout ?? err);
    }
    fs.writeFileSync(path.join(consumer, 'index.ts'), CONSUMER);
    expect(failure).toMatch(/index\.ts\(2,7\): error TS2322: Type 'Diagnostic\[\]' is not assignable to type 'number'/);
  }, 120_000);
});
