import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import {
  cAtoi,
  formatPhpSize,
  parseFpmBoolean,
  parseFpmDuration,
  parseFpmInteger,
  parseFpmLogLevel,
  parseFpmPm,
  parseFpmRlimit,
  parseOctalMode,
  parsePhpBool,
  parsePhpSize,
  parseSyslogFacility,
  phpConstant,
} from '../../src/syntax/ini/index.js';
import { BUILD_DEPENDENT_CONSTANTS, PHP_CONSTANTS } from '../../src/syntax/ini/constants.js';
import { describeWithBinaries } from '../support/binaries.js';

describe('PHP sizes', () => {
  it('reads the shorthand', () => {
    expect(parsePhpSize('128M')).toEqual({ ok: true, value: 128 * 1024 * 1024 });
    expect(parsePhpSize('1G')).toEqual({ ok: true, value: 1024 ** 3 });
    expect(parsePhpSize('512k')).toEqual({ ok: true, value: 512 * 1024 });
    expect(parsePhpSize('-1')).toEqual({ ok: true, value: -1 });
    expect(parsePhpSize('0x10M')).toEqual({ ok: true, value: 16 * 1024 * 1024 });
    expect(parsePhpSize('1.5M')).toMatchObject({ ok: false, value: 1024 * 1024 });
    expect(formatPhpSize(134217728)).toBe('128M');
    expect(formatPhpSize(1000)).toBe('1000');
  });
});

describe('php-fpm readers', () => {
  it('reads durations like fpm_conf_set_time', () => {
    expect(parseFpmDuration('30s')).toEqual({ ok: true, value: 30 });
    expect(parseFpmDuration('5m')).toEqual({ ok: true, value: 300 });
    expect(parseFpmDuration('1h')).toEqual({ ok: true, value: 3600 });
    expect(parseFpmDuration('1d')).toEqual({ ok: true, value: 86400 });
    expect(parseFpmDuration('45')).toEqual({ ok: true, value: 45 });
    expect(parseFpmDuration('1.5')).toEqual({ ok: true, value: 1 });
    expect(parseFpmDuration('5M')).toEqual({ ok: false, error: 'unknown suffix used in time value' });
    expect(parseFpmDuration('')).toEqual({ ok: false, error: 'invalid time value' });
  });
  it('reads integers, booleans, pm, log levels, rlimits, facilities', () => {
    expect(parseFpmInteger('-5')).toEqual({ ok: true, value: -5 });
    expect(parseFpmInteger('')).toEqual({ ok: true, value: 0 });
    expect(parseFpmInteger('5a').ok).toBe(false);
    expect(parseFpmBoolean('1')).toEqual({ ok: true, value: true });
    expect(parseFpmBoolean('')).toEqual({ ok: true, value: false });
    expect(parseFpmBoolean('yes')).toEqual({ ok: true, value: true });
    expect(parseFpmBoolean('YES')).toEqual({ ok: false, error: 'invalid boolean value' });
    expect(parseFpmPm('OnDemand')).toEqual({ ok: true, value: 'ondemand' });
    expect(parseFpmLogLevel('warn')).toEqual({ ok: true, value: 'warning' });
    expect(parseFpmRlimit('unlimited')).toEqual({ ok: true, value: -1 });
    expect(parseFpmRlimit('-2')).toEqual({ ok: false, error: "must be greater than zero or 'unlimited'" });
    expect(parseSyslogFacility('local3')).toEqual({ ok: true, value: 'LOCAL3' });
  });
  it('reads octal modes and PHP booleans', () => {
    expect(parseOctalMode('0660')).toEqual({ ok: true, value: 0o660 });
    expect(parseOctalMode('660')).toEqual({ ok: true, value: 0o660 });
    expect(parseOctalMode('0999').ok).toBe(false);
    expect(parsePhpBool('On')).toBe(true);
    expect(parsePhpBool('0')).toBe(false);
    expect(parsePhpBool('2')).toBe(true);
  });
  it('wraps integers like C', () => {
    expect(cAtoi('4294967296')).toBe(0);
    expect(cAtoi('  -12abc')).toBe(-12);
    expect(cAtoi('x')).toBe(0);
  });
});

describeWithBinaries(['php'], 'readers and constants agree with the live php', (bins) => {
  it('parsePhpSize = ini_parse_quantity', () => {
    const inputs = ['128M', '1G', '0x10M', '0o17', '010', '0b11K', '5k', '-1', '1.5M', ' 12 ', '12 M', 'abc', '12x', '', '1T', '0', '2g', '+7', '-0x1K', '00'];
    const out = execFileSync(bins.php, ['-n', '-r', 'foreach (array_slice($argv, 1) as $v) { $r = @ini_parse_quantity($v); $e = error_get_last(); error_clear_last(); echo json_encode([$r, $e ? $e["message"] : null]), "\\n"; }', '--', ...inputs], {
      encoding: 'utf8',
    });
    const php = out.trim().split('\n').map((l) => JSON.parse(l) as [number, string | null]);
    inputs.forEach((input, i) => {
      const [value, warning] = php[i]!;
      const ours = parsePhpSize(input);
      expect({ input, value: ours.value, warning: ours.ok ? null : ours.error }).toEqual({ input, value, warning });
    });
  });

  it('the constant table is what php -n defines', () => {
    const out = execFileSync(bins.php, ['-n', '-r', 'echo json_encode(array_map(fn($v) => is_bool($v) ? ($v ? "1" : "") : (is_scalar($v) || $v === null ? (string)$v : null), get_defined_constants()));'], {
      encoding: 'utf8',
      maxBuffer: 1 << 24,
    });
    const php = JSON.parse(out) as Record<string, string | null>;
    for (const [name, value] of Object.entries(PHP_CONSTANTS)) {
      if (BUILD_DEPENDENT_CONSTANTS.has(name)) continue;
      expect(`${name}=${php[name]}`).toBe(`${name}=${value}`);
    }
    expect(phpConstant('E_ALL')).toBe(php.E_ALL);
    expect(phpConstant('PHP_VERSION')).toBeNull();
    expect(phpConstant('NOT_A_CONSTANT')).toBeUndefined();
  });
});
