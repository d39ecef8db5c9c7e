/** --explain RULE and --list-rules through the bundled CLI. */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RULES } from '../../rules/index.js';
import { CHECKS } from '../../src/engine/checks.js';
import { buildPrivateCli } from '../support/private-cli.js';

const root = path.resolve(import.meta.dirname, '../..');
let build: ReturnType<typeof buildPrivateCli>;
let work: string;

beforeAll(() => {
  build = buildPrivateCli();
  work = fs.mkdtempSync(path.join(tmpdir(), 'nl-explain-'));
});
afterAll(() => {
  build.dispose();
  fs.rmSync(work, { recursive: true, force: true });
});

function run(args: string[], cwd = work) {
  const r = spawnSync(process.execPath, [build.cli, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('--explain', () => {
  it("prints a built-in rule's page, rules/<id>.md, as it is", () => {
    for (const id of ['fpm-listen-open', 'gunicorn-timeout-order']) {
      const r = run(['--explain', id]);
      expect(r.code).toBe(0);
      expect(r.stdout).toBe(fs.readFileSync(path.join(root, 'rules', `${id}.md`), 'utf8'));
    }
  });

  it("prints a parser check's description", () => {
    const r = run(['--explain', 'nginx-unknown-directive']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      '# nginx-unknown-directive\n\na directive nginx does not know (in the target version and modules)\n\nnginx\'s own check, made while parsing (default severity: error). Configure it like a rule: "nginx-unknown-directive": "warning", or "off".\n',
    );
  });

  it('adds what the config file sets', () => {
    const dir = fs.mkdtempSync(path.join(work, 'cfg-'));
    fs.writeFileSync(path.join(dir, '.nginx-lint.json'), '{ "rules": { "nginx-unknown-directive": "warning" } }\n');
    expect(run(['--explain', 'nginx-unknown-directive'], dir).stdout).toMatch(/\nConfigured: warning \(\.nginx-lint\.json\)\.\n$/);
  });

  it('an unknown id: exit 2 with a suggestion', () => {
    const r = run(['--explain', 'fpm-listen-opn']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('nginx-lint: unknown rule "fpm-listen-opn" (did you mean fpm-listen-open?); nginx-lint --list-rules lists them\n');
    const none = run(['--explain']);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/^nginx-lint: Not enough arguments following: explain/);
  });
});

describe('--list-rules', () => {
  it('lists every rule and check: id, family or program, default and effective severity, fixability', () => {
    const r = run(['--list-rules']);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(/^rule +family\/program +default +effective +fixable$/);
    const rows = new Map(lines.slice(1).filter((l) => /^\S+\s{2,}/.test(l)).map((l) => [l.split(/\s+/)[0]!, l.split(/\s{2,}/)]));
    for (const rule of RULES) expect(rows.get(rule.meta.id), rule.meta.id).toEqual([rule.meta.id, rule.meta.family, rule.meta.severity, rule.meta.severity, rule.meta.fixable ? 'yes' : 'no']);
    for (const check of CHECKS) expect(rows.get(check.id), check.id).toEqual([check.id, `${check.program} (check)`, check.severity, check.severity, 'no']);
    expect(rows.size).toBe(RULES.length + CHECKS.length);
    expect(lines.at(-2)).toBe(`${RULES.length} rules and ${CHECKS.length} checks; nginx-lint --explain RULE for one rule's page`);
  });

  it('shows the effective severity under the config file', () => {
    const dir = fs.mkdtempSync(path.join(work, 'cfg-'));
    fs.writeFileSync(path.join(dir, '.nginx-lint.json'), '{ "rules": { "fpm-listen-open": "off", "nginx-unknown-directive": "info" } }\n');
    const r = run(['--list-rules', '--format', 'json'], dir);
    const rows = JSON.parse(r.stdout) as { id: string; default: string; severity: string }[];
    expect(rows.find((x) => x.id === 'fpm-listen-open')).toMatchObject({ default: 'warning', severity: 'off' });
    expect(rows.find((x) => x.id === 'nginx-unknown-directive')).toMatchObject({ kind: 'check', default: 'error', severity: 'info' });
    expect(rows.filter((x) => x.default !== x.severity)).toHaveLength(2);
    expect(run(['--list-rules'], dir).stdout).toMatch(/\(2 changed by \.nginx-lint\.json\); nginx-lint --explain RULE/);
  });
});
