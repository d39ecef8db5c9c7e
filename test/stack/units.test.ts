import { describe, expect, it } from 'vitest';
import { formatNginxSize, formatNginxTime, parseNginxSize, parseNginxTime } from '../../src/stack/units.js';

describe('nginx time (ngx_parse_time)', () => {
  it.each([
    ['60', 60_000],
    ['60s', 60_000],
    ['1m30s', 90_000],
    ['1h 30m', 5_400_000],
    ['500ms', 500],
    ['2d', 172_800_000],
    ['1w', 604_800_000],
    ['1M', 2_592_000_000],
    ['1y', 31_536_000_000],
  ])('%s = %d ms', (text, ms) => expect(parseNginxTime(text)).toBe(ms));

  it.each(['', 's', '1x', '30m1h', '1.5s', '-1s'])('rejects %j', (text) => expect(parseNginxTime(text)).toBeNull());

  it('formats the way people write it', () => {
    expect(formatNginxTime(90_000)).toBe('90s');
    expect(formatNginxTime(120_000)).toBe('2m');
    expect(formatNginxTime(7_200_000)).toBe('2h');
    expect(formatNginxTime(1500)).toBe('1500ms');
  });
});

describe('nginx size (ngx_parse_size)', () => {
  it.each([
    ['512', 512],
    ['16k', 16_384],
    ['16K', 16_384],
    ['8m', 8_388_608],
    ['1g', 1_073_741_824],
  ])('%s = %d bytes', (text, n) => expect(parseNginxSize(text)).toBe(n));

  it.each(['', 'k', '1.5m', '16kb', '-1'])('rejects %j', (text) => expect(parseNginxSize(text)).toBeNull());

  it('formats in the largest whole unit', () => {
    expect(formatNginxSize(16_384)).toBe('16k');
    expect(formatNginxSize(64 * 1024 * 1024)).toBe('64m');
    expect(formatNginxSize(1000)).toBe('1000');
  });
});
