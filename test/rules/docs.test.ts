/** Every rule is documented beside its module and listed in the README, and ids are unique. */
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { RULES } from '../../rules/index.js';

const root = path.resolve(import.meta.dirname, '../..');
const readme = readFileSync(path.join(root, 'README.md'), 'utf8');

describe('rule documentation', () => {
  it('ids are unique', () => {
    const ids = RULES.map((r) => r.meta.id);
    expect(new Set(ids).size).toBe(ids.length);
  });
  for (const rule of RULES) {
    const id = rule.meta.id;
    it(`${id}: rules/${id}.md explains why, shows bad and good, says what the fix does`, () => {
      const doc = path.join(root, 'rules', `${id}.md`);
      expect(existsSync(doc), doc).toBe(true);
      const text = readFileSync(doc, 'utf8');
      expect(text.startsWith(`# ${id}\n`)).toBe(true);
      for (const heading of ['## Why it matters', '## Bad', '## Good', '## Fix']) expect(text, `${id}.md lacks "${heading}"`).toContain(heading);
      expect(readme, `README does not list ${id}`).toContain(`[\`${id}\`](rules/${id}.md)`);
    });
  }
});
