/** lint() reports each finding once, in file and position order, however often the analysis or a rule met it. */
import { describe, expect, it } from 'vitest';
import { toReported } from '../../src/diagnostic.js';
import { memoryFileSystem } from '../../src/fs.js';
import { lint } from '../../src/engine/lint.js';
import type { Rule } from '../../src/engine/rule.js';

const rows = (r: ReturnType<typeof lint>) => r.diagnostics.map(toReported).map((d) => `${d.file}:${d.line}:${d.column}-${d.endColumn} ${d.rule} ${d.message}`);

describe('findings, each once and in order', () => {
  const nginx = 'events {}\nhttp {\n    server { include snippets/x.conf; }\n    server { include snippets/x.conf; }\n}\n';
  const files = { '/etc/nginx/nginx.conf': nginx, '/etc/nginx/snippets/x.conf': 'pagespeed on;\nfoo_bar on;\n' };

  it('a snippet included twice: its unknown directives once each', () => {
    expect(rows(lint(['/etc/nginx/nginx.conf'], { fs: memoryFileSystem(files) }))).toEqual([
      '/etc/nginx/snippets/x.conf:1:1-10 nginx-unknown-directive unknown directive "pagespeed"',
      '/etc/nginx/snippets/x.conf:2:1-8 nginx-unknown-directive unknown directive "foo_bar"',
    ]);
  });

  it('a rule that reports a finding twice: once; the same place with another message or end: both, in the order reported', () => {
    const rule: Rule = {
      meta: { id: 'repeat', family: 'links', description: 'reports repeats', severity: 'warning', fixable: false },
      check({ model, report }) {
        const file = model.trees[0]!.config.root.source;
        const at = (start: number, end: number, message: string) => report({ file, span: { start, end }, message });
        at(10, 14, 'b');
        at(0, 6, 'a');
        at(10, 14, 'b');
        at(10, 12, 'b');
        at(10, 14, 'c');
        at(0, 6, 'a');
        at(10, 14, 'b');
      },
    };
    const r = lint(['/etc/nginx/nginx.conf'], { fs: memoryFileSystem({ '/etc/nginx/nginx.conf': 'events {}\nhttp {}\n' }), rules: [rule] });
    expect(rows(r)).toEqual([
      '/etc/nginx/nginx.conf:1:1-7 repeat a',
      '/etc/nginx/nginx.conf:2:1-5 repeat b',
      '/etc/nginx/nginx.conf:2:1-3 repeat b',
      '/etc/nginx/nginx.conf:2:1-5 repeat c',
    ]);
  });
});
