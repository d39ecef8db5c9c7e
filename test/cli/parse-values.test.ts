import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Ajv } from 'ajv';
import { afterAll, describe, expect, it } from 'vitest';
import { describeWithBinaries } from '../support/binaries.js';
import { buildPrivateCli } from '../support/private-cli.js';

const root = path.resolve(import.meta.dirname, '../..');
// the bundle users run, built privately (never racing another suite over dist/)
const built = buildPrivateCli();
const cli = built.cli;
afterAll(() => built.dispose());
const run = (args: string[]) => spawnSync(process.execPath, [cli, ...args], { cwd: root, encoding: 'utf8' });


const phpIni = 'examples/stack/etc/php/8.2/fpm/php.ini';

describe('nginx-lint parse on PHP and gunicorn files', () => {
  it('prints the php.ini statement tree, valid against schemas/parse-ini.schema.json', () => {
    const r = run(['parse', phpIni]);
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    const validate = new Ajv().compile(JSON.parse(readFileSync(path.join(root, 'schemas/parse-ini.schema.json'), 'utf8')));
    expect(validate(out), JSON.stringify(validate.errors)).toBe(true);
    expect(out.nodes.slice(0, 3)).toEqual([
      { type: 'section', line: 1, column: 1, name: 'PHP' },
      { type: 'entry', line: 2, column: 1, key: 'engine', offset: null, value: 'On' },
      { type: 'entry', line: 3, column: 1, key: 'max_execution_time', offset: null, value: '30' },
    ]);
  });

  it('prints FPM pools after $pool substitution', () => {
    const r = run(['parse', '--values', 'examples/stack/etc/php/8.2/fpm/pool.d/shop.conf']);
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.pools.shop).toMatchObject({ listen: '/run/php/php8.2-fpm-shop.sock', 'listen.mode': '0660', request_terminate_timeout: '60s', 'php_admin_value[memory_limit]': '256M' });
  });

  it('prints gunicorn settings as gunicorn holds them, dynamic where it cannot know', () => {
    const r = run(['parse', '--values', 'examples/stack/srv/app/gunicorn.conf.py']);
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ bind: ['127.0.0.1:8000'], timeout: 30, keepalive: 2, worker_class: 'sync' });
    // `worker` is a typo gunicorn ignores, so `workers` keeps gunicorn's default, which reads WEB_CONCURRENCY
    expect(out.workers).toEqual({ dynamic: "int(os.environ.get('WEB_CONCURRENCY', 1))", default: 1 });
  });

  it('--kind overrides detection', () => {
    const r = run(['parse', '--values', '--kind', 'php-ini', 'examples/stack/etc/php/8.2/fpm/pool.d/shop.conf']);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).shop.listen).toBe('/run/php/php8.2-fpm-shop.sock');
  });
});

describeWithBinaries(['php'], 'parse --values equals PHP parse_ini_file', (bins) => {
  // latin1.ini: json_encode cannot print non-UTF-8 bytes; variables.ini needs a set environment.
  // Both are compared byte for byte, with an environment, by test/ini/php-live.test.ts.
  const skip = new Set(['latin1.ini', 'variables.ini']);
  const files = [phpIni, ...readdirSync(path.join(root, 'fixtures/ini')).filter((f) => f.endsWith('.ini') && !skip.has(f)).map((f) => `fixtures/ini/${f}`)];
  it.each(files)('%s', (file) => {
    const ours = JSON.parse(run(['parse', '--values', '--kind', 'php-ini', file]).stdout);
    const php = JSON.parse(
      execFileSync(bins.php, ['-n', '-d', 'display_errors=stderr', '-r', 'echo json_encode(parse_ini_file($argv[1], true, INI_SCANNER_NORMAL), JSON_FORCE_OBJECT);', path.join(root, file)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }),
    );
    expect(ours).toEqual(php);
  });
});
