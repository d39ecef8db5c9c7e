/**
 * Units, once: nginx times and sizes, PHP sizes, FPM durations. Each parser
 * returns null for text it would reject, so callers can report it.
 */

const NGINX_TIME_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000, M: 2_592_000_000, y: 31_536_000_000 };

/**
 * nginx time (ngx_parse_time): `30`, `30s`, `1m30s`, `500ms`, `1h 30m`.
 * A bare number means seconds. Returns milliseconds.
 */
export function parseNginxTime(text: string): number | null {
  const t = text.trim();
  if (t === '') return null;
  if (/^\d+$/.test(t)) return Number(t) * 1000;
  const re = /(\d+)\s*(ms|[smhdwMy])\s*/y;
  let total = 0;
  let pos = 0;
  let lastRank = Infinity;
  const rank = ['ms', 's', 'm', 'h', 'd', 'w', 'M', 'y'];
  while (pos < t.length) {
    re.lastIndex = pos;
    const m = re.exec(t);
    if (!m) return null;
    const r = rank.indexOf(m[2]!);
    if (r >= lastRank) return null; // nginx requires decreasing units: 1h30m, not 30m1h
    lastRank = r;
    total += Number(m[1]) * NGINX_TIME_UNITS[m[2]!]!;
    pos = re.lastIndex;
  }
  return total;
}

/** nginx size (ngx_parse_size): `512`, `16k`, `16K`, `8m`, `1g` (offsets allow g). Returns bytes. */
export function parseNginxSize(text: string): number | null {
  const m = /^(\d+)([kKmMgG]?)$/.exec(text.trim());
  if (!m) return null;
  const n = Number(m[1]);
  switch (m[2]) {
    case 'k':
    case 'K':
      return n * 1024;
    case 'm':
    case 'M':
      return n * 1024 * 1024;
    case 'g':
    case 'G':
      return n * 1024 * 1024 * 1024;
    default:
      return n;
  }
}

/** Milliseconds as nginx would write them: 90000 → "90s", 5400000 → "90m", 1500 → "1500ms". */
export function formatNginxTime(ms: number): string {
  if (ms % 1000 !== 0) return `${ms}ms`;
  const s = ms / 1000;
  if (s % 3600 === 0 && s >= 3600) return `${s / 3600}h`;
  if (s % 60 === 0 && s >= 60 && s % 3600 !== 0) return `${s / 60}m`;
  return `${s}s`;
}

/** Bytes as nginx would write them: 16384 → "16k". */
export function formatNginxSize(bytes: number): string {
  if (bytes % (1024 * 1024) === 0 && bytes > 0) return `${bytes / (1024 * 1024)}m`;
  if (bytes % 1024 === 0 && bytes > 0) return `${bytes / 1024}k`;
  return String(bytes);
}
