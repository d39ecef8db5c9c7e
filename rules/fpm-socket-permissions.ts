/**
 * nginx's worker user must be able to write to (connect to) a pool's unix
 * socket, or every request gets "connect() to unix:... failed (13:
 * Permission denied)" and a 502.
 *
 * php-fpm (fpm_unix.c) creates the socket as the master process's user with
 * mode listen.mode (0660), then chowns it to listen.owner (and that user's
 * primary group) and listen.group when they are set; listen.acl_users /
 * listen.acl_groups, when set, add POSIX ACL entries instead and
 * listen.owner / listen.group are ignored. nginx's workers run as the `user`
 * directive's user, with its group (default: the group named like the user)
 * and the groups /etc/group lists the user in (initgroups).
 */
import type { Rule } from '../src/engine/rule.js';
import { fpmSetting, type FpmSetting } from '../src/syntax/ini/fpm.js';
import { parseOctalMode } from '../src/syntax/ini/readers.js';
import { canWrite, findGroup, findUser, inGroup, type Accounts } from '../src/stack/accounts.js';
import { formatEndpoint } from '../src/stack/address.js';
import { appLabel } from '../src/stack/describe.js';
import { setFpmPoolValue } from '../src/stack/edits.js';
import type { FpmPoolApp } from '../src/stack/model.js';
import { lineRef } from '../src/syntax/source.js';
import { appsReachedByWorker, type NginxUser, nginxUserRelated } from './support/nginx.js';

/** A plain (static) string value of a pool setting. */
function text(s: FpmSetting | undefined): string | null {
  return s && typeof s.value === 'string' && s.value.trim() !== '' ? s.value.trim() : null;
}

function list(s: FpmSetting | undefined): string[] {
  const t = text(s);
  return t ? t.split(',').map((x) => x.trim()).filter(Boolean) : [];
}

function sameUser(accounts: Accounts | null, a: string, b: string): boolean | null {
  if (a === b) return true;
  if (!accounts) return /^\d+$/.test(a) || /^\d+$/.test(b) ? null : false;
  const ua = findUser(accounts, a);
  const ub = findUser(accounts, b);
  return ua && ub ? ua.uid === ub.uid : null;
}

const octal = (m: number) => `0${m.toString(8).padStart(3, '0')}`;

export const fpmSocketPermissions: Rule = {
  meta: { id: 'fpm-socket-permissions', family: 'sockets', description: "nginx's worker user cannot connect to a PHP-FPM pool's unix socket", severity: 'error', fixable: true },
  check({ model, options, report }) {
    const accounts = model.accounts;
    for (const { app, nu } of appsReachedByWorker(model, options.nginxUser, 'fpm-pool')) {
      const listener = app.listeners[0];
      if (listener && listener.endpoint.kind === 'unix' && app.listen) check1(app, nu);
    }

    function check1(app: FpmPoolApp, nu: NginxUser): void {
      const pool = app.pool;
      const listen = app.listen!;
      const sock = formatEndpoint(app.listeners[0]!.endpoint);
      const modeSetting = fpmSetting(pool, 'listen.mode');
      const modeText = text(modeSetting);
      const parsed = modeText === null ? null : parseOctalMode(modeText);
      if (parsed && !parsed.ok) return; // fpm-invalid-value's business
      const mode = parsed?.value ?? 0o660;
      const ownerS = fpmSetting(pool, 'listen.owner');
      const groupS = fpmSetting(pool, 'listen.group');
      const aclUsersS = fpmSetting(pool, 'listen.acl_users');
      const aclGroupsS = fpmSetting(pool, 'listen.acl_groups');
      for (const s of [ownerS, groupS, aclUsersS, aclGroupsS, modeSetting]) if (s && typeof s.value !== 'string') return; // dynamic: not guessed
      const who = `nginx's user ${nu.user}${nu.group !== nu.user ? ` (group ${nu.group})` : ''} (${nu.where})`;
      const related = nginxUserRelated(nu);
      const info = (at: FpmSetting, why: string) =>
        report({ file: at.file.source, span: at.entry.span, severity: 'info', message: `cannot tell whether ${who} can connect to ${sock} of ${appLabel(app)}: ${why}`, related });

      const unknownNames: string[] = [];
      const member = (group: string): boolean | null => {
        if (group === nu.group) return true;
        if (!accounts) return null;
        const r = inGroup(accounts, nu.user, nu.group, group);
        if (r === null) {
          if (!findGroup(accounts, group)) unknownNames.push(`group ${group}`);
          if (!findGroup(accounts, nu.group)) unknownNames.push(`group ${nu.group}`);
        }
        return r;
      };
      const hint = (group: string) =>
        unknownNames.length > 0 ? `${[...new Set(unknownNames)].join(' and ')} ${unknownNames.length > 1 ? 'are' : 'is'} not in ${accounts?.group?.path ?? '/etc/group'}` : `cannot tell whether ${nu.user} is in group ${group}; pass --root to read /etc/group`;

      const aclUsers = list(aclUsersS);
      const aclGroups = list(aclGroupsS);
      if (aclUsers.length > 0 || aclGroups.length > 0) {
        if (aclUsers.some((u) => sameUser(accounts, u, nu.user) === true)) return;
        const memberships = aclGroups.map(member);
        if (memberships.some((m) => m === true)) return;
        if ((mode & 0o002) !== 0) return;
        const at = aclUsersS ?? aclGroupsS!;
        if (memberships.some((m) => m === null)) return info(at, hint(aclGroups.find((_, i) => memberships[i] === null)!));
        const value = [...aclUsers, nu.user].join(',');
        const edit = setFpmPoolValue(pool, 'listen.acl_users', value);
        report({
          file: at.file.source,
          span: at.entry.span,
          message: `${who} is not in listen.acl_users / listen.acl_groups of ${appLabel(app)} (${lineRef(at.file.source, at.entry.span.start)}) and the socket ${sock} is mode ${octal(mode)}: nginx answers 502 (connect() failed (13: Permission denied))`,
          related,
          ...(edit ? { fix: { description: `set listen.acl_users = ${value}`, edits: [edit] } } : {}),
        });
        return;
      }

      const owner = text(ownerS);
      let group = text(groupS);
      if (group === null && owner !== null && accounts) {
        const u = findUser(accounts, owner);
        const g = u ? [...accounts.groups.values()].find((x) => x.gid === u.gid) : undefined;
        if (g) group = g.name;
      }
      if (owner === null && group === null) {
        if (canWrite(mode, null, null) === true) return;
        return info(listen, `listen.owner and listen.group are not set, so the socket belongs to the user php-fpm is started as (root under systemd) with mode ${octal(mode)}; set listen.owner / listen.group to ${nu.user}`);
      }
      const isOwner = owner === null ? null : sameUser(accounts, owner, nu.user);
      const isMember = group === null ? null : member(group);
      const ok = canWrite(mode, isOwner, isMember);
      if (ok === true) return;
      const at = groupS ?? ownerS ?? listen;
      if (ok === null) {
        if (owner !== null && accounts && !findUser(accounts, owner)) return info(at, `user ${owner} (listen.owner) is not in ${accounts.passwd?.path ?? '/etc/passwd'}`);
        if (group === null) return info(at, `listen.group is not set and the primary group of ${owner ?? 'the user php-fpm is started as'} is not known; pass --root to read /etc/passwd`);
        if (owner === null && isMember !== true) return info(at, `listen.owner is not set, so the socket belongs to the user php-fpm is started as (root under systemd)`);
        return info(at, hint(group));
      }
      const desc = `${owner ?? '(php-fpm\'s user)'}:${group ?? "(php-fpm's group)"} mode ${octal(mode)}`;
      // the fix: give nginx's group the socket (and group write), keeping the owner
      const edits = [];
      const changes: string[] = [];
      if (isOwner !== true && group !== nu.group) {
        const e = setFpmPoolValue(pool, 'listen.group', nu.group);
        if (e) edits.push(e);
        changes.push(`listen.group = ${nu.group}`);
      }
      const needed = isOwner === true ? 0o200 : 0o020;
      if ((mode & needed) === 0) {
        const m = mode | (isOwner === true ? 0o600 : 0o660);
        const e = setFpmPoolValue(pool, 'listen.mode', octal(m));
        if (e) edits.push(e);
        changes.push(`listen.mode = ${octal(m)}`);
      }
      // two lines added at the end of the pool: one insertion
      const merged = edits.length === 2 && edits[0]!.span.start === edits[0]!.span.end && edits[1]!.span.start === edits[0]!.span.start && edits[1]!.file === edits[0]!.file ? [{ ...edits[0]!, text: edits[0]!.text + edits[1]!.text.replace(/^\r?\n/, '') }] : edits;
      const where = changes.length === 1 && changes[0]!.startsWith('listen.mode') ? (modeSetting ?? listen) : (groupS ?? ownerS ?? modeSetting ?? listen);
      report({
        file: where.file.source,
        span: where.entry.span,
        message: `${who} cannot connect to ${sock} of ${appLabel(app)}: the socket is ${desc} (${lineRef(where.file.source, where.entry.span.start)}); nginx answers 502 (connect() failed (13: Permission denied))`,
        related,
        ...(edits.length === changes.length && edits.length > 0 ? { fix: { description: `set ${changes.join(', ')}`, edits: merged } } : {}),
      });
    }
  },
};
