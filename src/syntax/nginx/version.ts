/** nginx versions: the target version decides directive availability and defaults. */
export interface NginxVersion {
  major: number;
  minor: number;
  patch: number;
}

/**
 * Assumed when neither --nginx-version nor the config file names one: the
 * latest stable branch. Recorded in the output so the assumption is visible.
 */
export const DEFAULT_NGINX_VERSION: NginxVersion = { major: 1, minor: 30, patch: 1 };

export function parseNginxVersion(text: string): NginxVersion | null {
  const m = /^(?:nginx\/)?(\d+)\.(\d+)(?:\.(\d+))?$/.exec(text.trim());
  if (!m) return null;
  return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3] ?? 0) };
}

export function compareVersions(a: NginxVersion, b: NginxVersion): number {
  return a.major - b.major || a.minor - b.minor || a.patch - b.patch;
}

/** true when v >= "x.y.z" */
export function atLeast(v: NginxVersion, text: string): boolean {
  const o = parseNginxVersion(text);
  if (!o) throw new Error(`bad version literal ${text}`);
  return compareVersions(v, o) >= 0;
}

export function formatVersion(v: NginxVersion): string {
  return `${v.major}.${v.minor}.${v.patch}`;
}
