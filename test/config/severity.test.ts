/** Rule settings applied in lint(): "off" rules never run, severities replace defaults, parser checks graded after parsing. */
import { describe, expect, it } from 'vitest';
import type { Severity } from '../../src/diagnostic.js';
import { toReported } from '../../src/diagnostic.js';
import { memoryFileSystem } from '../../src/fs.js';
import { lint } from '../../src/engine/lint.js';
import type { Rule } from '../../src/engine/rule.js';
import { effectiveSeverity, type RuleSetting } from '../../src/engine/rule-settings.js';
import { RULES } from '../../rules/index.js';

const rows = (r: ReturnType<typeof lint>) => r.diagnostics.map(toReported).map((d) => `${d.file}:${d.line} ${d.severity} ${d.rule}`);
const settings = (o: Record<string, RuleSetting>) => new Map(Object.entries(o));

describe('effectiveSeverity', () => {
  it.each<[Severity, Severity, Severity, Severity]>([
    // found, rule default, configured → reported
    ['error', 'error', 'warning', 'warning'],
    ['error', 'error', 'info', 'info'],
    ['warning', 'warning', 'error', 'error'],
    // a finding the rule lowered itself ("cannot tell") is never raised ...
    ['info', 'error', 'error', 'info'],
    ['info', 'error', 'warning', 'info'],
    ['warning', 'error', 'error', 'warning'],
    // ... but lowered with the rule
    ['warning', 'error', 'info', 'info'],
  ])('%s of a %s rule configured %s: %s', (found, def, configured, expected) => {
    expect(effectiveSeverity(found, def, configured)).toBe(expected);
  });
});

describe('lint() with ruleSettings', () => {
  const files = {
    '/etc/nginx/nginx.conf': 'events {}\nhttp {\n    server {\n        listen 80;\n        pagespeed on;\n        location ~ \\.php$ {\n            fastcgi_pass 127.0.0.1:9000;\n        }\n    }\n}\n',
    '/etc/php/8.2/fpm/pool.d/www.conf': '[www]\nlisten = 9000\npm = static\npm.max_children = 2\n',
  };
  const run = (s?: Record<string, RuleSetting>) => lint(['/etc'], { fs: memoryFileSystem(files), ...(s ? { ruleSettings: settings(s) } : {}) });

  it('baseline: the findings at their defaults', () => {
    expect(rows(run())).toEqual(['/etc/nginx/nginx.conf:5 error nginx-unknown-directive', '/etc/nginx/nginx.conf:7 error fastcgi-script-filename', '/etc/php/8.2/fpm/pool.d/www.conf:2 warning fpm-listen-open']);
  });

  it('"off" drops a parser check (a custom module) and a rule; other severities replace the defaults', () => {
    const r = run({ 'nginx-unknown-directive': { severity: 'off' }, 'fpm-listen-open': { severity: 'error' }, 'fastcgi-script-filename': { severity: 'warning' } });
    expect(rows(r)).toEqual(['/etc/nginx/nginx.conf:7 warning fastcgi-script-filename', '/etc/php/8.2/fpm/pool.d/www.conf:2 error fpm-listen-open']);
    expect(r.rules.map((x) => x.meta.id)).toContain('fpm-listen-open');
  });

  it('an "off" rule is not run at all (not run and filtered)', () => {
    let ran = 0;
    const probe: Rule = { meta: { id: 'probe', family: 'links', description: 'counts its runs', severity: 'error', fixable: false }, check: () => void ran++ };
    lint(['/etc'], { fs: memoryFileSystem(files), rules: [probe], ruleSettings: settings({ probe: { severity: 'off' } }) });
    expect(ran).toBe(0);
    const r = lint(['/etc'], { fs: memoryFileSystem(files), rules: [probe], ruleSettings: settings({ 'fpm-listen-open': { severity: 'off' } }) });
    expect(ran).toBe(1);
    expect(r.rules).toEqual([probe]);
    expect(lint(['/etc'], { fs: memoryFileSystem(files), ruleSettings: settings({ 'fpm-listen-open': { severity: 'off' } }) }).rules).toHaveLength(RULES.length - 1);
  });

  it('passes each rule its options, with the schema defaults filled in', () => {
    const seen: unknown[] = [];
    const probe: Rule = {
      meta: { id: 'probe', family: 'links', description: 'records its options', severity: 'error', fixable: false, options: { type: 'object', properties: { a: { type: 'integer', default: 1 }, b: { type: 'string', default: 'x' } } } },
      check: ({ config }) => void seen.push(config),
    };
    lint(['/etc'], { fs: memoryFileSystem(files), rules: [probe] });
    lint(['/etc'], { fs: memoryFileSystem(files), rules: [probe], ruleSettings: settings({ probe: { options: { a: 5 } } }) });
    expect(seen).toEqual([{ a: 1, b: 'x' }, { a: 5, b: 'x' }]);
    expect(Object.isFrozen(seen[0])).toBe(true);
  });
});
