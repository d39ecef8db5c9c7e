/**
 * php.ini values against PHP itself: for every fixture in fixtures/ini, our
 * phpIniValues must equal what the live `php` returns from
 * parse_ini_file(FILE, true, INI_SCANNER_NORMAL), byte for byte, with the
 * same environment; a file PHP rejects must be rejected with PHP's message.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { expect, it } from 'vitest';
import { parseIni, phpIniValues, type PhpIniObject, type PhpIniValue } from '../../src/syntax/ini/index.js';
import { decodeSource, encodeSource, type SourceFile } from '../../src/syntax/source.js';
import { describeWithBinaries } from '../support/binaries.js';

const FIXTURES = path.resolve(__dirname, '../../fixtures/ini');
const ENV = { NGINX_LINT_TEST_VAR: 'from-env', NGINX_LINT_TEST_NUM: '6', PATH: '/usr/bin:/bin' };

/** PHP: parse, then every string as hex of its bytes (so Latin-1 and NUL bytes compare exactly), arrays as objects */
const PHP_SCRIPT = `
$r = @parse_ini_file($argv[1], true, INI_SCANNER_NORMAL);
$err = error_get_last();
$hex = function ($v) use (&$hex) {
  if (is_array($v)) { $o = new stdClass; foreach ($v as $k => $x) $o->{bin2hex((string)$k)} = $hex($x); return $o; }
  return bin2hex((string)$v);
};
echo json_encode(['ok' => $r !== false, 'values' => $r === false ? null : $hex($r), 'error' => $err ? $err['message'] : null]);
`;

interface PhpResult {
  ok: boolean;
  values: unknown;
  error: string | null;
}

function hexOf(source: SourceFile, v: PhpIniValue): unknown {
  if (typeof v === 'string') return encodeSource(source, v).toString('hex');
  if ('dynamic' in v && typeof v.dynamic === 'string') return { dynamic: v.dynamic };
  const o: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v as PhpIniObject)) o[encodeSource(source, k).toString('hex')] = hexOf(source, x);
  return o;
}

describeWithBinaries(['php'], 'php.ini fixtures agree with parse_ini_file of the live php', (bins) => {
  const files = readdirSync(FIXTURES)
    .filter((f) => f.endsWith('.ini'))
    .sort();

  it('has the fixtures', () => {
    expect(files.length).toBeGreaterThanOrEqual(30);
  });

  for (const name of files) {
    it(name, () => {
      const full = path.join(FIXTURES, name);
      const out = execFileSync(bins.php, ['-n', '-r', PHP_SCRIPT, full], { env: ENV, encoding: 'utf8' });
      const php = JSON.parse(out) as PhpResult;
      const source = decodeSource(full, readFileSync(full));
      const tree = parseIni(source);
      const ours = phpIniValues(tree, { env: ENV });
      const firstError = tree.diagnostics.find((d) => d.severity === 'error');
      if (!php.ok) {
        expect(ours).toBe(false);
        // PHP: "syntax error, unexpected X in FILE on line N"
        const phpMessage = (php.error ?? '').replace(/ in \S+ on line \d+\s*$/, '');
        expect(firstError?.message).toBe(phpMessage);
        return;
      }
      expect(firstError).toBeUndefined();
      expect(ours).not.toBe(false);
      expect(hexOf(source, ours as PhpIniObject)).toEqual(php.values);
    });
  }

  it('reads ${NAME} from the environment PHP gets, and marks it dynamic without one', () => {
    const full = path.join(FIXTURES, 'variables.ini');
    const tree = parseIni(decodeSource(full, readFileSync(full)));
    const dynamic = phpIniValues(tree) as PhpIniObject;
    expect(dynamic.plain).toEqual({ dynamic: '${NGINX_LINT_TEST_VAR}' });
    expect(dynamic.in_quotes).toEqual({ dynamic: '"pre-${NGINX_LINT_TEST_VAR}-post"' });
    // a reference to one of the file's own keys: parse_ini_file does not see them
    expect(dynamic.ref_to_key).toBe('');
  });
});
