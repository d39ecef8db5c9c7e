import { describe, expect, it } from 'vitest';
import { memoryFileSystem } from '../../src/fs.js';
import { loadNginxConfig } from '../../src/syntax/nginx/index.js';
import { allScopes, buildScopes, scopesWriting } from '../../src/stack/nginx-scopes.js';

const conf = `http {
  proxy_buffer_size 8k;
  server {
    include snippets/proxy.conf;
    location /a { proxy_pass http://a; location /a/b { proxy_pass http://b; } proxy_buffers 4 8k; }
    location /c { root /srv; }
  }
}
`;

function tree() {
  const config = loadNginxConfig('/etc/nginx/nginx.conf', { fs: memoryFileSystem({ '/etc/nginx/nginx.conf': conf, '/etc/nginx/snippets/proxy.conf': 'proxy_busy_buffers_size 16k;\nlocation /s { proxy_pass http://s; }\n' }) });
  return buildScopes(config);
}

const labels = (set: ReadonlySet<{ kind: string; block: { args: { value: string }[] } | null }>) => [...set].map((s) => `${s.kind} ${s.block?.args[0]?.value ?? ''}`.trim()).sort();

describe('scopesWriting', () => {
  it('finds the scopes that write a name recorded while the tree is built, includes expanded, each once', () => {
    const root = tree();
    expect(labels(scopesWriting(root, ['proxy_pass']))).toEqual(['location /a', 'location /a/b', 'location /s']);
    expect(labels(scopesWriting(root, ['proxy_buffer_size', 'proxy_buffers', 'proxy_busy_buffers_size']))).toEqual(['http', 'location /a', 'server']);
  });

  it('finds any other name by walking the scopes, with the same answer as a scan', () => {
    const root = tree();
    const scan = allScopes(root).filter((s) => s.directives.some((d) => d.name.value === 'root'));
    expect([...scopesWriting(root, ['root'])]).toEqual(scan);
    expect(scopesWriting(root, ['no_such_directive']).size).toBe(0);
  });
});
