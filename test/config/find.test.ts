import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONFIG_FILE_NAMES, findConfigFile } from '../../src/config/find.js';

let work: string;
beforeAll(() => {
  work = fs.realpathSync(fs.mkdtempSync(path.join(tmpdir(), 'nl-find-')));
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

function tree(files: string[]): string {
  const dir = fs.mkdtempSync(path.join(work, 't-'));
  for (const f of files) {
    fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    if (!f.endsWith('/')) fs.writeFileSync(path.join(dir, f), '{}\n');
  }
  return dir;
}

describe('findConfigFile', () => {
  it('looks in the directory itself, then each parent, and takes the nearest', () => {
    const dir = tree(['.nginx-lint.json', 'a/b/c/', 'a/nginx-lint.config.json']);
    expect(findConfigFile(dir)).toBe(path.join(dir, '.nginx-lint.json'));
    expect(findConfigFile(path.join(dir, 'a/b/c'))).toBe(path.join(dir, 'a/nginx-lint.config.json'));
    expect(findConfigFile(path.join(dir, 'a'))).toBe(path.join(dir, 'a/nginx-lint.config.json'));
  });

  it('returns null when no directory up to the root has one', () => {
    const dir = tree(['x/']);
    // the temp directory's parents have none (the suite's premise; checked, not assumed)
    for (let d = dir; ; d = path.dirname(d)) {
      for (const n of CONFIG_FILE_NAMES) expect(fs.existsSync(path.join(d, n)), path.join(d, n)).toBe(false);
      if (path.dirname(d) === d) break;
    }
    expect(findConfigFile(path.join(dir, 'x'))).toBeNull();
  });

  it('a directory named like a config file is not one', () => {
    const dir = tree(['sub/.nginx-lint.json/', '.nginx-lint.json']);
    expect(findConfigFile(path.join(dir, 'sub'))).toBe(path.join(dir, '.nginx-lint.json'));
  });

  it('both names in one directory is an error naming both', () => {
    const dir = tree(['.nginx-lint.json', 'nginx-lint.config.json', 'deep/']);
    expect(() => findConfigFile(path.join(dir, 'deep'))).toThrow(`two config files in ${dir}: .nginx-lint.json and nginx-lint.config.json; keep one`);
  });
});
