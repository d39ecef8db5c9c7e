/** The config's `ignore` in lint(): walks skip, includes still read, findings and fixes in ignored files dropped. */
import { describe, expect, it } from 'vitest';
import { toReported } from '../../src/diagnostic.js';
import { memoryFileSystem } from '../../src/fs.js';
import { lint } from '../../src/engine/lint.js';
import { ignoreMatcher } from '../../src/config/ignore.js';
import type { Rule } from '../../src/engine/rule.js';

const rows = (r: ReturnType<typeof lint>) => r.diagnostics.map(toReported).map((d) => `${d.file}:${d.line} ${d.rule}${d.fixable ? ' (fixable)' : ''}`);

const files = {
  '/p/etc/nginx/nginx.conf': 'events {}\nhttp {\n    include conf.d/*.conf;\n}\n',
  '/p/etc/nginx/conf.d/site.conf': 'server {\n    listen 80;\n    location / {\n        proxy_pass http://127.0.0.1:8000;\n    }\n}\n',
  '/p/etc/nginx/conf.d/legacy.conf': 'legacy_switch on;\n',
  '/p/etc/nginx/nginx.conf.dpkg-old': 'events {}\nhttp {\n',
  '/p/app/gunicorn.conf.py': 'bind = "127.0.0.1:8000"\ntimeout = 30\n',
};

describe('ignore', () => {
  it('without it, everything is linted', () => {
    expect(rows(lint(['/p'], { fs: memoryFileSystem(files) }))).toEqual([
      '/p/app/gunicorn.conf.py:2 gunicorn-timeout-order (fixable)',
      '/p/etc/nginx/conf.d/legacy.conf:1 nginx-unknown-directive',
      '/p/etc/nginx/nginx.conf.dpkg-old:3 nginx-syntax',
    ]);
  });

  it('a walked file that matches is not read; an included one is read (the stack needs it) but its findings are dropped', () => {
    const ignore = ignoreMatcher(['**/*.dpkg-old', 'etc/nginx/conf.d/legacy.conf'], '/p', '/');
    const r = lint(['/p'], { fs: memoryFileSystem(files), ignore });
    expect(rows(r)).toEqual(['/p/app/gunicorn.conf.py:2 gunicorn-timeout-order (fixable)']);
    const read = r.files.map((f) => f.path);
    expect(read).not.toContain('/p/etc/nginx/nginx.conf.dpkg-old');
    expect(read).toContain('/p/etc/nginx/conf.d/legacy.conf');
  });

  it('a walked file that matches takes no part in the stack at all (its app is not linked)', () => {
    const ignore = ignoreMatcher(['app/**'], '/p', '/');
    const r = lint(['/p'], { fs: memoryFileSystem(files), ignore });
    expect(rows(r)).toEqual(['/p/etc/nginx/conf.d/legacy.conf:1 nginx-unknown-directive', '/p/etc/nginx/nginx.conf.dpkg-old:3 nginx-syntax']);
    expect(r.model.apps).toEqual([]);
  });

  it('a finding in a linted file stays, without a fix that would edit an ignored file', () => {
    // a rule that reports in site.conf and fixes in legacy.conf (read through the include, but ignored)
    const probe: Rule = {
      meta: { id: 'probe', family: 'links', description: 'reports in one file, edits another', severity: 'warning', fixable: true },
      check({ model, report }) {
        const files = new Map(model.trees.flatMap((t) => [...t.config.files.values()].map((f) => [f.source.path, f.source] as const)));
        const site = files.get('/p/etc/nginx/conf.d/site.conf')!;
        const legacy = files.get('/p/etc/nginx/conf.d/legacy.conf')!;
        report({ file: site, span: { start: 0, end: 6 }, message: 'here', fix: { description: 'there', edits: [{ file: legacy, span: { start: 0, end: 0 }, text: '# x\n' }] } });
        report({ file: site, span: { start: 0, end: 6 }, message: 'here too', fix: { description: 'here', edits: [{ file: site, span: { start: 0, end: 0 }, text: '# x\n' }] } });
        report({ file: legacy, span: { start: 0, end: 6 }, message: 'in the ignored file' });
      },
    };
    const ignore = ignoreMatcher(['etc/nginx/conf.d/legacy.conf'], '/p', '/');
    const r = lint(['/p'], { fs: memoryFileSystem(files), ignore, rules: [probe] });
    expect(r.diagnostics.filter((d) => d.rule === 'probe').map((d) => `${d.file.path} ${d.message} ${d.fix ? 'fix' : 'no fix'}`)).toEqual(['/p/etc/nginx/conf.d/site.conf here no fix', '/p/etc/nginx/conf.d/site.conf here too fix']);
  });

  it('files named explicitly are linted even when a glob matches them', () => {
    const ignore = ignoreMatcher(['**/*.dpkg-old'], '/p', '/');
    expect(rows(lint(['/p/etc/nginx/nginx.conf.dpkg-old'], { fs: memoryFileSystem(files), ignore }))).toEqual(['/p/etc/nginx/nginx.conf.dpkg-old:3 nginx-syntax']);
  });

  it('under --root, discovery skips ignored files (matched by their path on this machine)', () => {
    const rooted = {
      '/img/etc/nginx/nginx.conf': 'events {}\nhttp {\n    server {\n        listen 80;\n        legacy_switch on;\n    }\n}\n',
      '/img/etc/php/8.2/fpm/pool.d/www.conf': '[www]\nlisten = 9000\npm = static\npm.max_children = 2\n',
    };
    const all = lint([], { fs: memoryFileSystem(rooted), root: '/img' });
    expect(rows(all)).toEqual(['/etc/nginx/nginx.conf:5 nginx-unknown-directive', '/etc/php/8.2/fpm/pool.d/www.conf:2 fpm-listen-open']);
    const ignore = ignoreMatcher(['img/etc/php/**'], '/', '/');
    const r = lint([], { fs: memoryFileSystem(rooted), root: '/img', ignore });
    expect(rows(r)).toEqual(['/etc/nginx/nginx.conf:5 nginx-unknown-directive']);
    expect(r.files.map((f) => f.path)).toEqual(['/etc/nginx/nginx.conf']);
  });
});
