/**
 * Users and groups of the machine (or image) the stack runs on, from
 * /etc/passwd and /etc/group: who owns a socket and whether a worker's user
 * is in its group. Read by the engine (rules never read files); null in the
 * model when the run has no such files.
 */
import type { SourceFile } from '../syntax/source.js';

export interface AccountUser {
  name: string;
  uid: number;
  /** primary group id */
  gid: number;
}

export interface AccountGroup {
  name: string;
  gid: number;
  /** supplementary members, as listed in /etc/group */
  members: string[];
}

export interface Accounts {
  passwd: SourceFile | null;
  group: SourceFile | null;
  users: Map<string, AccountUser>;
  groups: Map<string, AccountGroup>;
}

/** `name:x:uid:gid:...` lines; comments, blanks, NIS `+`/`-` lines and malformed lines are skipped. */
function records(text: string, minFields: number): string[][] {
  const out: string[][] = [];
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '' || line.startsWith('#') || /^[+-]/.test(line)) continue;
    const f = line.split(':');
    if (f.length >= minFields && f[0] !== '') out.push(f);
  }
  return out;
}

export function parseAccounts(passwd: SourceFile | null, group: SourceFile | null): Accounts {
  const users = new Map<string, AccountUser>();
  const groups = new Map<string, AccountGroup>();
  for (const f of passwd ? records(passwd.text, 4) : []) {
    const uid = Number(f[2]);
    const gid = Number(f[3]);
    if (!/^\d+$/.test(f[2]!) || !/^\d+$/.test(f[3]!) || users.has(f[0]!)) continue; // getpwnam returns the first entry
    users.set(f[0]!, { name: f[0]!, uid, gid });
  }
  for (const f of group ? records(group.text, 3) : []) {
    if (!/^\d+$/.test(f[2]!) || groups.has(f[0]!)) continue;
    const members = (f[3] ?? '').split(',').map((m) => m.trim()).filter(Boolean);
    groups.set(f[0]!, { name: f[0]!, gid: Number(f[2]), members });
  }
  return { passwd, group, users, groups };
}

/** A user by name or numeric id (php-fpm and nginx accept both). */
export function findUser(a: Accounts, nameOrId: string): AccountUser | null {
  const byName = a.users.get(nameOrId);
  if (byName) return byName;
  if (/^\d+$/.test(nameOrId)) for (const u of a.users.values()) if (u.uid === Number(nameOrId)) return u;
  return null;
}

export function findGroup(a: Accounts, nameOrId: string): AccountGroup | null {
  const byName = a.groups.get(nameOrId);
  if (byName) return byName;
  if (/^\d+$/.test(nameOrId)) for (const g of a.groups.values()) if (g.gid === Number(nameOrId)) return g;
  return null;
}

/**
 * Whether a process that called initgroups(user, gid of `primary`) — what
 * nginx's workers and php-fpm's children do — holds group `group`: the
 * primary group given, or a group that lists the user. null when a name is
 * not in the files.
 */
export function inGroup(a: Accounts, user: string, primary: string, group: string): boolean | null {
  if (group === primary) return true;
  const g = findGroup(a, group);
  const p = findGroup(a, primary);
  if (!g || !p) return null;
  if (g.gid === p.gid) return true;
  const u = findUser(a, user);
  return g.members.includes(user) || (u !== null && g.members.includes(u.name));
}

/**
 * Write permission on a file for a process that is (or is not) its owner and
 * in (or not in) its group, under `mode`; null when it depends on what is
 * unknown. Connecting to a unix socket needs write permission.
 */
export function canWrite(mode: number, isOwner: boolean | null, isMember: boolean | null): boolean | null {
  const ow = (mode & 0o200) !== 0;
  const gw = (mode & 0o020) !== 0;
  const xw = (mode & 0o002) !== 0;
  if (isOwner === true) return ow;
  const notOwner = isMember === true ? gw : isMember === false ? xw : gw === xw ? gw : null;
  if (isOwner === false) return notOwner;
  return notOwner === ow ? ow : null;
}
