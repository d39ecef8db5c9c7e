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

/** version literals of the code ("1.29.7"), parsed once: atLeast runs for every default the model looks up */
const literals = new Map<string, NginxVersion>();

/** true when v >= "x.y.z" */
export function atLeast(v: NginxVersion, text: string): boolean {
  let o = literals.get(text);
  if (!o) {
    const parsed = parseNginxVersion(text);
    if (!parsed) throw new Error(`bad version literal ${text}`);
    literals.set(text, (o = parsed));
  }
  return compareVersions(v, o) >= 0;
}

export function formatVersion(v: NginxVersion): string {
  return `${v.major}.${v.minor}.${v.patch}`;
}
