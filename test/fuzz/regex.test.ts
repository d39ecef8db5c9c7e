/**
 * Configuration text is never compiled into a JavaScript RegExp: a location
 * regex such as `(a+)+$` is data to nginx-lint, looked at with fixed
 * expressions of our own. The audit below lists every `RegExp(` in src/ and
 * rules/ and what it is built from; a new one fails this test until it is
 * checked and added. Then a stack full of catastrophic patterns (and long
 * runs of the characters they backtrack on) is linted whole. (The `ignore`
 * globs of nginx-lint's own config file do become RegExps, in picomatch,
 * under wildcard limits tested in test/config/ignore.test.ts.)
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lint } from '../../src/engine/lint.js';
import { memoryFileSystem } from '../../src/fs.js';
import { REPO } from './support/corpus.js';

/** file → the lines that construct a RegExp, and what each is built from (never configuration text) */
const AUDITED: Record<string, string[]> = {
  // discoverRoot's directory patterns: the constant lists FPM_MAIN, FPM_POOLS, PHP_INI (`*` → `.*`, the rest escaped)
  'src/engine/root.ts': ["const re = new RegExp(`^${seg.replace(/[.+?^${}()|[\\]\\\\]/g, '\\\\$&').replace(/\\*/g, '.*')}$`);"],
  // a Python \x / \u / \U escape: the length is a number (2, 4 or 8)
  'src/syntax/gunicorn/pyast.ts': ['if (!new RegExp(`^[0-9a-fA-F]{${len}}$`).test(h)) return null;'],
};

function sources(dir: string, out: string[] = []): string[] {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) sources(p, out);
    else if (/\.[cm]?[jt]s$/.test(e.name)) out.push(p);
  }
  return out;
}

describe('no configuration text becomes a RegExp', () => {
  it('every RegExp construction in src/ and rules/ is one of the audited ones', () => {
    const found: Record<string, string[]> = {};
    for (const file of [...sources(path.join(REPO, 'src')), ...sources(path.join(REPO, 'rules'))]) {
      const text = fs.readFileSync(file, 'utf8');
      const calls = text.split('\n').filter((line) => /(?<![\w.])RegExp\(/.test(line)).map((line) => line.trim());
      if (calls.length) found[path.relative(REPO, file)] = calls;
    }
    expect(found).toEqual(AUDITED);
  });

  it('a stack whose locations, maps and if conditions hold catastrophic patterns lints in one go', () => {
    const evil = ['(a+)+$', '^(a|a)*$', '(x+x+)+y', '^(([a-z])+.)+[A-Z]([a-z])+$', '(.*a){25}'];
    const long = 'a'.repeat(50_000);
    const nginx = [
      'events {}',
      'http {',
      `  map $uri $m { ${evil.map((e, i) => `"~${e}" ${i};`).join(' ')} default ${long}; }`,
      '  server {',
      `    server_name ~${evil[0]} ${long}.example.com;`,
      ...evil.map((e) => `    location ~ "${e}" { fastcgi_pass unix:/run/php/www.sock; include fastcgi_params; if ($request_uri ~* "${e}") { return 404; } }`),
      `    location ~* ${evil[1]} { proxy_pass http://127.0.0.1:8000; }`,
      `    location /${long} { try_files $uri =404; }`,
      '  }',
      '}',
    ].join('\n');
    const fs = memoryFileSystem({
      '/s/etc/nginx/nginx.conf': nginx,
      '/s/etc/nginx/fastcgi_params': `fastcgi_param SCRIPT_FILENAME $document_root$fastcgi_script_name;\nfastcgi_param X "${long}";\n`,
      '/s/etc/php/8.2/fpm/pool.d/www.conf': `[www]\nlisten = /run/php/www.sock\npm = static\npm.max_children = 2\nsecurity.limit_extensions = .php .${long}\n`,
      '/s/srv/app/gunicorn.conf.py': `bind = "127.0.0.1:8000"\nimport re\npattern = re.compile(r"${evil[0]}")\nx = re.match(r"${evil[0]}", "${long}!")\n`,
    });
    const result = lint(['/s'], { fs });
    // what ran: the nginx tree, the pool and the app, linked
    expect(result.files.map((f) => f.path).sort()).toEqual(['/s/etc/nginx/fastcgi_params', '/s/etc/nginx/nginx.conf', '/s/etc/php/8.2/fpm/pool.d/www.conf', '/s/srv/app/gunicorn.conf.py']);
    expect(result.model.passes.length).toBeGreaterThanOrEqual(evil.length + 1);
  });
});
