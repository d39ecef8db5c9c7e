/**
 * nginx's worker user cannot connect to a gunicorn app's unix socket.
 * gunicorn (sock.py UnixSocket.bind) binds under os.umask(umask) — default
 * 0, a world-writable socket — and chowns it to its `user` / `group`
 * settings (default: the user it runs as, e.g. systemd User=). A systemd
 * .socket unit creates it instead: SocketUser / SocketGroup (default root),
 * SocketMode (default 0666). Reported only when decidable.
 */
import type { Rule } from '../src/engine/rule.js';
import type { EffectiveSetting } from '../src/syntax/gunicorn/index.js';
import { canWrite, findUser, inGroup } from '../src/stack/accounts.js';
import { formatEndpoint } from '../src/stack/address.js';
import { appLabel } from '../src/stack/describe.js';
import type { GunicornApp } from '../src/stack/model.js';
import type { SourceFile, Span } from '../src/syntax/source.js';
import { appsReachedByWorker, type NginxUser, nginxUserRelated } from './support/nginx.js';

const octal = (m: number) => `0${m.toString(8).padStart(3, '0')}`;

/** A user/group setting as a name or id; undefined when gunicorn's default (the running user) applies, null when unknown. */
function idSetting(s: EffectiveSetting | undefined): string | null | undefined {
  if (!s || s.source.kind === 'default') return undefined;
  if (s.value.kind === 'known') return typeof s.value.value === 'number' ? String(s.value.value) : null;
  if (s.value.kind !== 'dynamic') return null;
  const m = /get(?:pw|gr)nam\('([^']+)'\)/.exec(s.value.expression);
  return m ? m[1]! : null;
}

interface SocketOwner {
  owner: string | null;
  group: string | null;
  mode: number;
  file: SourceFile;
  span: Span;
  how: string;
}

export const gunicornSocketPermissions: Rule = {
  meta: { id: 'gunicorn-socket-permissions', family: 'sockets', description: "nginx's worker user cannot connect to a gunicorn app's unix socket", severity: 'warning', fixable: false },
  check({ model, options, report }) {
    const accounts = model.accounts;
    for (const { app, nu } of appsReachedByWorker(model, options.nginxUser, 'gunicorn-app')) {
      const l = app.listeners.find((x) => x.endpoint.kind === 'unix');
      const s = l ? socketOf(app, l.file, l.span) : null;
      if (l && s) decide(app, nu, s, formatEndpoint(l.endpoint));
    }

    /** the user's primary group (systemd and gunicorn take it when no group is given) */
    function primaryGroup(user: string): string | null {
      const u = accounts ? findUser(accounts, user) : null;
      return (u && [...accounts!.groups.values()].find((x) => x.gid === u.gid)?.name) ?? null;
    }

    function socketOf(app: GunicornApp, file: SourceFile, span: Span): SocketOwner | null {
      const sock = app.socketUnit?.socket;
      if (app.socketUnit && sock) {
        const modeText = sock.socketMode?.value ?? '0666';
        if (!/^[0-7]{1,4}$/.test(modeText)) return null;
        const at = sock.socketMode ?? sock.socketGroup ?? sock.socketUser;
        return { owner: sock.socketUser?.value ?? 'root', group: sock.socketGroup?.value ?? (sock.socketUser ? primaryGroup(sock.socketUser.value) : 'root'), mode: parseInt(modeText, 8), file: app.socketUnit.file, span: at?.span ?? span, how: `created by ${app.socketUnit.file.path}` };
      }
      const umaskS = app.gunicorn.settings.get('umask');
      if (!umaskS || umaskS.value.kind !== 'known' || typeof umaskS.value.value !== 'number') return null;
      const mode = 0o777 & ~umaskS.value.value;
      // without gunicorn's own user / group, the process runs as systemd's User= / Group= (already read with the command line)
      const inv = app.gunicorn.invocation;
      let owner = idSetting(app.gunicorn.settings.get('user'));
      let group = idSetting(app.gunicorn.settings.get('group'));
      // supervisor's user= switches to the user and its primary group (below)
      if (owner === undefined) owner = inv?.source === 'systemd' || inv?.source === 'supervisor' ? (inv.user?.value ?? null) : null;
      if (group === undefined) group = inv?.source === 'systemd' ? (inv.group?.value ?? null) : null;
      if (group === null && owner) group = primaryGroup(owner);
      const src = umaskS.source;
      const at = src.kind === 'config-file' || src.kind === 'command-line' ? { file: src.file, span: src.span } : { file, span };
      return { owner, group, mode, ...at, how: `bound by gunicorn with umask ${octal(umaskS.value.value)}` };
    }

    function decide(app: GunicornApp, nu: NginxUser, s: SocketOwner, sock: string): void {
      const isOwner = s.owner === null ? null : s.owner === nu.user ? true : accounts ? (findUser(accounts, s.owner) && findUser(accounts, nu.user) ? findUser(accounts, s.owner)!.uid === findUser(accounts, nu.user)!.uid : null) : /^\d+$/.test(s.owner) ? null : false;
      const isMember = s.group === null ? null : s.group === nu.group ? true : accounts ? inGroup(accounts, nu.user, nu.group, s.group) : null;
      if (canWrite(s.mode, isOwner, isMember) !== false) return;
      report({
        file: s.file,
        span: s.span,
        message: `nginx's user ${nu.user} (${nu.where}) cannot connect to ${sock} of ${appLabel(app)}: the socket is ${s.owner ?? '?'}:${s.group ?? '?'} mode ${octal(s.mode)} (${s.how}); nginx answers 502 (connect() failed (13: Permission denied))`,
        related: nginxUserRelated(nu),
      });
    }
  },
};
