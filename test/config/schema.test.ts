/** schemas/config.schema.json: a valid, strict, documented, published schema whose rules section matches the rules. */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { RULES } from '../../rules/index.js';
import { CHECKS } from '../../src/engine/checks.js';
import { ruleProperties } from '../../src/config/schema-rules.js';

const root = path.resolve(import.meta.dirname, '../..');
const schema = JSON.parse(readFileSync(path.join(root, 'schemas/config.schema.json'), 'utf8'));

/** Every property schema under `properties` (recursively, through anyOf / items / additionalProperties), with its path. */
function properties(s: Record<string, unknown>, at: string, out: [string, Record<string, unknown>][] = []): [string, Record<string, unknown>][] {
  for (const [k, v] of Object.entries((s.properties as Record<string, Record<string, unknown>>) ?? {})) {
    out.push([`${at}/${k}`, v]);
    properties(v, `${at}/${k}`, out);
    for (const branch of (v.anyOf as Record<string, unknown>[]) ?? []) {
      properties(branch, `${at}/${k}`, out);
      for (const item of (Array.isArray(branch.items) ? branch.items : []) as Record<string, unknown>[]) properties(item, `${at}/${k}`, out);
    }
  }
  return out;
}

describe('schemas/config.schema.json', () => {
  it('compiles in ajv strict mode', () => {
    // strictTuples asks every tuple to have all its items; [severity, options] has optional options by design
    const ajv = new Ajv({ strict: true, strictTuples: false, allErrors: true });
    expect(() => ajv.compile(schema)).not.toThrow();
  });

  it('is published: draft-07 (what editors support best), an $id, a title', () => {
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
    expect(schema.$id).toBe('https://nginx-lint.dev/schemas/config.schema.json');
    expect(schema.title).toBeTruthy();
  });

  it('describes every property, so editors explain what they complete', () => {
    const all = properties(schema, '');
    expect(all.length).toBeGreaterThan(60);
    for (const [at, p] of all) expect(typeof p.description === 'string' && p.description.length > 10, `${at} has no description`).toBe(true);
  });

  it('lists every built-in rule and check with its description and options (npm run config-schema writes it)', () => {
    expect(schema.properties.rules.properties).toEqual(ruleProperties(RULES.map((r) => r.meta), CHECKS));
  });

  it('accepts the documented example and a "$schema" key', () => {
    const validate = new Ajv({ allErrors: true }).compile(schema);
    const example = {
      $schema: './node_modules/nginx-lint/schemas/config.schema.json',
      rules: { 'fpm-listen-open': 'off', 'upstream-buffers': 'warning', 'gunicorn-timeout-order': ['error', { margin: 1 }], 'nginx-unknown-directive': ['info'], 'acme/no-autoindex': ['error', { allow: ['/pub/'] }] },
      stack: { paths: ['etc'], root: 'rootfs', nginx: ['etc/nginx/nginx.conf'], fpm: [], phpIni: [], gunicorn: [], nginxVersion: '1.22.1', nginxUser: 'www-data', pageSize: 4096, fixStrategy: 'upstream' },
      ignore: ['**/*.dpkg-old'],
      plugins: ['./lint-plugins/my-rules.js', 'nginx-lint-plugin-acme'],
      baseline: '.nginx-lint-baseline.json',
    };
    expect(validate(example), JSON.stringify(validate.errors)).toBe(true);
    for (const bad of [{ rules: { 'fpm-listen-open': 'of' } }, { rules: { 'fpm-listen-open': ['warning', {}] } }, { rules: { 'gunicorn-timeout-order': ['error', { margin: -1 }] } }, { stack: { nginxUser: '$user' } }, { stack: { pageSize: 4000 } }, { extra: 1 }]) {
      expect(validate(bad), JSON.stringify(bad)).toBe(false);
    }
  });
});
