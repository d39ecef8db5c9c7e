/** gunicorn-timeout-order's `margin` option: detection, message and both fix strategies keep it. */
import { describe, expect, it } from 'vitest';
import { toReported } from '../../src/diagnostic.js';
import { memoryFileSystem } from '../../src/fs.js';
import { fixUntilStable } from '../../src/engine/fix.js';
import { lint, type LintOptions } from '../../src/engine/lint.js';
import { gunicornTimeoutOrder } from '../../rules/gunicorn-timeout-order.js';

const nginx = (location: string) => `events {}\nhttp {\n    server {\n        listen 80;\n        location / {\n            proxy_pass http://127.0.0.1:8000;\n${location}        }\n    }\n}\n`;
const files = (read: string, send = '10s', timeout = 30) => ({
  '/etc/nginx/nginx.conf': nginx(`            proxy_read_timeout ${read};\n            proxy_send_timeout ${send};\n`),
  '/srv/gunicorn.conf.py': `bind = "127.0.0.1:8000"\ntimeout = ${timeout}\n`,
});
const opts = (margin?: number, extra: Partial<LintOptions> = {}): LintOptions => ({ rules: [gunicornTimeoutOrder], ...(margin !== undefined ? { ruleSettings: new Map([['gunicorn-timeout-order', { options: { margin } }]]) } : {}), ...extra });
const found = (f: Record<string, string>, o: LintOptions) => lint(['/'], { ...o, fs: memoryFileSystem(f) }).diagnostics.filter((d) => d.rule === 'gunicorn-timeout-order').map(toReported);

describe('gunicorn-timeout-order option "margin"', () => {
  it('declares it with a schema and a default of 0', () => {
    expect(gunicornTimeoutOrder.meta.options).toMatchObject({ type: 'object', properties: { margin: { type: 'integer', minimum: 0, default: 0 } }, additionalProperties: false });
  });

  it('0 (the default): strictly shorter is enough', () => {
    expect(found(files('29s'), opts())).toEqual([]);
    expect(found(files('29s'), opts(0))).toEqual([]);
    expect(found(files('30s'), opts())).toHaveLength(1);
  });

  it('5: nginx must give up more than 5s before gunicorn', () => {
    expect(found(files('24s'), opts(5))).toHaveLength(0);
    expect(found(files('25s'), opts(5))).toHaveLength(1);
    const [d] = found(files('26s'), opts(5));
    expect(d).toMatchObject({ file: '/srv/gunicorn.conf.py', line: 2, severity: 'error' });
    expect(d!.message).toBe(
      'proxy_read_timeout 26s at /etc/nginx/nginx.conf:7 leaves no more than the 5s margin (option "margin") before gunicorn timeout 30s at /srv/gunicorn.conf.py:2 (gunicorn app gunicorn.conf.py, sync worker): gunicorn kills the worker after 30s and nginx answers 502 (upstream prematurely closed connection) instead of its own 504',
    );
    // a value that outlasts the timeout itself still says so
    expect(found(files('40s'), opts(5))[0]!.message).toMatch(/^proxy_read_timeout 40s at \/etc\/nginx\/nginx.conf:7 outlasts gunicorn timeout 30s/);
    // both directives inside the margin
    expect(found(files('28s', '27s'), opts(5))[0]!.message).toMatch(/^proxy_read_timeout 28s at \S+ and proxy_send_timeout 27s at \S+ leave no more than the 5s margin/);
  });

  it('fixes keep the margin: gunicorn raised to nginx + margin + 1s; nginx lowered to 1s under timeout - margin', () => {
    const fix = (f: Record<string, string>, o: LintOptions) => {
      const out = fixUntilStable((fs) => lint(['/'], { ...o, fs }), memoryFileSystem(f));
      return Object.fromEntries([...out.files.values()].map((x) => [x.original.path, x.text]));
    };
    expect(fix(files('26s'), opts(5))).toEqual({ '/srv/gunicorn.conf.py': 'bind = "127.0.0.1:8000"\ntimeout = 32\n' });
    expect(fix(files('26s'), opts(5, { fixStrategy: 'nginx' }))).toEqual({ '/etc/nginx/nginx.conf': nginx('            proxy_read_timeout 24s;\n            proxy_send_timeout 10s;\n') });
    // a margin that leaves no room under gunicorn's timeout: no nginx fix (nothing sensible to lower to)
    const none = found(files('5s', '1s', 4), opts(5, { fixStrategy: 'nginx' }));
    expect(none).toHaveLength(1);
    expect(none[0]!.fixable).toBe(false);
    // and the upstream fix still works there
    expect(fix(files('5s', '1s', 4), opts(5))).toEqual({ '/srv/gunicorn.conf.py': 'bind = "127.0.0.1:8000"\ntimeout = 11\n' });
  });
});
