import * as net from 'node:net';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { freePort } from './harness.js';

const ephemeralLow = (() => {
  try {
    return Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
  } catch {
    return 32768;
  }
})();

describe('freePort (ports for stacks under test)', () => {
  it('never hands out a port twice, and stays below the range the kernel picks from', async () => {
    const ports: number[] = [];
    for (let i = 0; i < 60; i++) ports.push(await freePort());
    expect(new Set(ports).size).toBe(ports.length);
    for (const p of ports) expect(p).toBeLessThan(Math.min(ephemeralLow, 32768));
  });

  it('skips a port another program holds', async () => {
    const next = await freePort();
    // hold the port the allocator would give after `next`, then ask again
    const held = net.createServer();
    await new Promise<void>((resolve) => held.listen(next + 1, '127.0.0.1', () => resolve()));
    try {
      const got = await freePort();
      expect(got).not.toBe(next + 1);
      expect(got).toBe(next + 2);
    } finally {
      await new Promise<void>((resolve) => held.close(() => resolve()));
    }
  });
});
