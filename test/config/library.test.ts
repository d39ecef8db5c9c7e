/** The config API as the library exports it (src/index.ts): what an editor or another tool embeds. */
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ConfigError,
  configLintOptions,
  defaultConfig,
  effectiveConfig,
  findConfigFile,
  lint,
  loadConfigFile,
  parseConfig,
  resolveConfig,
  sourceFromString,
  toReported,
  UsageError,
  RULES,
} from '../../src/index.js';

const root = path.resolve(import.meta.dirname, '../..');
let work: string;
beforeAll(() => {
  work = fs.realpathSync(fs.mkdtempSync(path.join(tmpdir(), 'nl-lib-')));
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

describe('config API', () => {
  it('find, load (with plugins), and lint with configLintOptions: the same findings as the CLI', async () => {
    const dir = path.join(work, 'local');
    fs.cpSync(path.join(root, 'fixtures/plugins/local'), dir, { recursive: true });
    const file = findConfigFile(path.join(dir, 'etc/nginx'));
    expect(file).toBe(path.join(dir, '.nginx-lint.json'));
    const config = await loadConfigFile(file!, dir);
    expect(config.plugins.map((p) => [p.name, p.rules.map((r) => r.meta.id)])).toEqual([['house', ['house/server-tokens']]]);
    expect(config.stack).toEqual({ paths: ['etc'] });
    const result = lint(config.stack.paths!.map((p) => path.join(dir, p)), configLintOptions(config, dir));
    expect(result.diagnostics.map(toReported).map((d) => `${path.relative(dir, d.file)}:${d.line} ${d.severity} ${d.rule}`)).toEqual(['etc/nginx/nginx.conf:3 error house/server-tokens', 'etc/nginx/nginx.conf:6 error house/server-tokens']);
  });

  it('parseConfig validates text that is not a file; problems come as a ConfigError (a UsageError: exit 2)', () => {
    const src = sourceFromString('/virtual/.nginx-lint.json', '{\n  "rules": { "fpm-listen-open": "warn" },\n  "ignore": [1]\n}\n');
    let err: unknown;
    try {
      parseConfig(src, '.nginx-lint.json');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect(err).toBeInstanceOf(UsageError);
    expect((err as ConfigError).problems).toEqual([
      '.nginx-lint.json:2:14: /rules/fpm-listen-open: must be equal to one of the allowed values (off, info, warning, error)',
      '.nginx-lint.json:3:14: /ignore/0: must be string',
    ]);
  });

  it('resolveConfig makes the stack relative to the current directory and keeps absolute paths', () => {
    const loaded = parseConfig(sourceFromString('/proj/conf/.nginx-lint.json', JSON.stringify({ stack: { paths: ['..', '/srv/etc'], nginx: ['../etc/nginx/nginx.conf'], root: '.' }, baseline: 'b.json' })));
    const c = resolveConfig(loaded, [], '/proj');
    expect(c.stack).toEqual({ paths: ['.', '/srv/etc'], nginx: ['etc/nginx/nginx.conf'], root: 'conf' });
    expect(c.baseline).toBe('conf/b.json');
    expect(c.dir).toBe('/proj/conf');
  });

  it('defaultConfig and effectiveConfig: every rule at its default', () => {
    const e = effectiveConfig(defaultConfig('/x'));
    expect(e.configFile).toBeNull();
    expect(Object.keys(e.rules).length).toBeGreaterThan(RULES.length);
    expect(e.rules['fpm-listen-open']).toMatchObject({ default: 'warning', severity: 'warning' });
  });
});
