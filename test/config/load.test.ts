/** Config problems as users read them: every problem, at its key, in file order. */
import { describe, expect, it } from 'vitest';
import { loadConfig, parseConfig } from '../../src/config/load.js';
import { resolveConfig } from '../../src/config/resolve.js';
import { ConfigError } from '../../src/config/problems.js';
import { sourceFromString } from '../../src/syntax/source.js';

function problems(text: string): string[] {
  try {
    resolveConfig(parseConfig(sourceFromString('/p/.nginx-lint.json', text), 'c.json'), [], '/p');
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

const rules = (body: string) => `{\n  "rules": {\n${body}\n  }\n}\n`;

describe('config problems', () => {
  it('a valid file has none', () => {
    expect(problems(rules('    "fpm-listen-open": "off",\n    "gunicorn-timeout-order": ["warning", { "margin": 2 }],\n    "nginx-unknown-directive": ["info"]'))).toEqual([]);
    expect(problems('{}')).toEqual([]);
  });

  it.each([
    ['"gunicorn-timeout-order": ["error", { "margin": -1 }]', 'c.json:3:43: /rules/gunicorn-timeout-order/1/margin: must be >= 0'],
    ['"gunicorn-timeout-order": ["error", { "margin": 1.5 }]', 'c.json:3:43: /rules/gunicorn-timeout-order/1/margin: must be integer'],
    ['"gunicorn-timeout-order": ["error", { "margn": 1 }]', 'c.json:3:43: /rules/gunicorn-timeout-order/1/margn: unknown key "margn" (did you mean margin?)'],
    ['"fpm-listen-open": ["warning", {}]', 'c.json:3:5: /rules/fpm-listen-open: this rule takes no options: give the severity alone'],
    ['"nginx-syntax": ["warning", {}]', 'c.json:3:5: /rules/nginx-syntax: a parser check takes no options: give the severity alone'],
    ['"fpm-listen-open": ["warning", {}, 1]', 'c.json:3:5: /rules/fpm-listen-open: expected [severity, options], not 3 items'],
    ['"fpm-listen-open": []', 'c.json:3:5: /rules/fpm-listen-open: must NOT have fewer than 1 items'],
    ['"fpm-listen-open": ["warn"]', 'c.json:3:25: /rules/fpm-listen-open/0: must be equal to one of the allowed values (off, info, warning, error)'],
    ['"fpm-listen-open": true', 'c.json:3:5: /rules/fpm-listen-open: must be a string (off, info, warning, error) or an array'],
    ['"fpm-listen-open": ["warning", 5]', 'c.json:3:36: /rules/fpm-listen-open/1: must be object'],
    ['"Fpm-Listen-Open": "off"', 'c.json:3:5: /rules/Fpm-Listen-Open: unknown rule "Fpm-Listen-Open": no such rule or check (did you mean fpm-listen-open?)'],
    ['"totally-different": "off"', 'c.json:3:5: /rules/totally-different: unknown rule "totally-different": no such rule or check'],
    ['"ini-syntax": "off"', 'c.json:3:5: /rules/ini-syntax: ini-syntax cannot be turned off: a file that does not parse is neither linted nor fixed (lower it to "warning" or "info" instead)'],
  ])('%s', (entry, expected) => {
    expect(problems(rules(`    ${entry}`))).toEqual([expected]);
  });

  it('the document itself, and its other keys', () => {
    expect(problems('[]')).toEqual(['c.json:1:1: must be object']);
    expect(problems('{"rule": {}}')).toEqual(['c.json:1:2: /rule: unknown key "rule" (did you mean rules?)']);
    expect(problems('{"stack": {"paths": "etc"}}')).toEqual(['c.json:1:12: /stack/paths: must be array']);
    expect(problems('{"stack": {"fixStrategy": "app"}}')).toEqual(['c.json:1:12: /stack/fixStrategy: must be equal to one of the allowed values (upstream, nginx)']);
    expect(problems('{"plugins": [""]}')).toEqual(['c.json:1:14: /plugins/0: must NOT have fewer than 1 characters']);
    expect(problems('{"rules": {}, "rules": {}}')).toEqual(['c.json:1:15: invalid JSON: duplicate key "rules"']);
  });

  it('all at once, in the order they stand in the file, schema and rule problems together', () => {
    expect(problems('{\n  "ignore": ["{x"],\n  "rules": { "no-such-rule": "off", "fpm-listen-open": "of" },\n  "stack": { "root": 1 }\n}\n')).toEqual([
      'c.json:2:14: /ignore/0: "{x": "{" is never closed (for the character itself, escape it: "\\\\{" in the JSON file)',
      'c.json:3:14: /rules/no-such-rule: unknown rule "no-such-rule": no such rule or check',
      'c.json:3:37: /rules/fpm-listen-open: must be equal to one of the allowed values (off, info, warning, error)',
      'c.json:4:14: /stack/root: must be string',
    ]);
  });

  it('a file that cannot be read', () => {
    expect(() => loadConfig('/nonexistent/.nginx-lint.json', '/tmp')).toThrow('cannot read config file "/nonexistent/.nginx-lint.json": No such file or directory');
  });

  it('fills option defaults into what a rule gets', () => {
    const c = resolveConfig(parseConfig(sourceFromString('/p/.nginx-lint.json', '{"rules": {"gunicorn-timeout-order": ["warning", {}]}}')), [], '/p');
    expect(c.ruleSettings.get('gunicorn-timeout-order')).toEqual({ severity: 'warning', options: { margin: 0 } });
  });
});
