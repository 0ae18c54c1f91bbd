import { useEffect, useRef, useState } from 'preact/hooks';
import { REASON_MAX, type AssignableRole, type Member, type Room } from '../protocol';
import { hasModerationOptions, moderationOptions, roleRank } from '../room/permissions';
import type { RoomSession } from '../room/session';

const ROLE_LABELS: Record<string, string> = {
  owner: 'Owner',
  moderator: 'Moderator',
  member: 'Member',
  guest: 'Guest',
};

const STATUS_LABELS: Record<string, string> = {
  ready: 'Ready',
  buffering: 'Buffering',
  error: 'Player error',
};

interface Props {
  session: RoomSession;
  room: Room | null;
  me: Member | null;
}

/** Who is here, their role, how their player does, and (for those above them) a moderation menu. */
export function MemberList({ session, room, me }: Props) {
  const members = room?.members ?? [];
  const [menuFor, setMenuFor] = useState<string | null>(null);

  return (
    <section class="panel members" aria-labelledby="members-heading">
      <h2 id="members-heading">
        Watching <span class="count">{members.length}</span>
      </h2>
      <ul>
        {members.map((member) => {
          const you = member.id === me?.id;
          const options = room !== null && me !== null ? moderationOptions(room, me, member) : null;
          const player = member.status?.player ?? 'ready';
          return (
            <li
              key={member.id}
              class="member"
              data-testid="member"
              data-member-id={member.id}
              data-role={member.role}
              data-status={player}
              data-typing={member.status?.typing ? 'true' : undefined}
              data-you={you ? 'true' : undefined}
            >
              <span class={`status-dot status-${player}`} title={STATUS_LABELS[player] ?? player} aria-label={STATUS_LABELS[player] ?? player} role="img" />
              <span class="member-name">{member.name}</span>
              {you && <span class="you"> (you)</span>}
              {member.status?.typing && !you && <span class="member-typing">typing…</span>}
              <span class={`badge role-${member.role}`} data-testid="member-role">
                {ROLE_LABELS[member.role] ?? member.role}
              </span>
              {options !== null && hasModerationOptions(options) && (
                <span class="member-menu-anchor">
                  <button
                    type="button"
                    class="icon-button"
                    data-testid="member-menu"
                    aria-haspopup="menu"
                    aria-expanded={menuFor === member.id}
                    aria-label={`Actions for ${member.name}`}
                    onClick={() => setMenuFor(menuFor === member.id ? null : member.id)}
                  >
                    ⋯
                  </button>
                  {menuFor === member.id && (
                    <MemberMenu
                      member={member}
                      kick={options.kick}
                      ban={options.ban}
                      roles={options.roles}
                      onClose={() => setMenuFor(null)}
                      onRole={(role) => session.setRole(member.id, role)}
                      onKick={() => session.kick(member.id)}
                      onBan={(reason) => session.ban(member.id, reason)}
                    />
                  )}
                </span>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

/** The test id of a role button: promote to moderator, demote one step, or set a role. */
function roleTestId(target: Member, role: AssignableRole): string {
  if (role === 'moderator') return 'member-promote';
  if (roleRank(role) === roleRank(target.role) - 1) return 'member-demote';
  return `member-role-${role}`;
}

function MemberMenu({
  member,
  kick,
  ban,
  roles,
  onClose,
  onRole,
  onKick,
  onBan,
}: {
  member: Member;
  kick: boolean;
  ban: boolean;
  roles: AssignableRole[];
  onClose(): void;
  onRole(role: AssignableRole): void;
  onKick(): void;
  onBan(reason: string): void;
}) {
  const [banning, setBanning] = useState(false);
  const [reason, setReason] = useState('');
  const ref = useRef<HTMLDivElement>(null);
  const reasonRef = useRef<HTMLInputElement>(null);

  // a click elsewhere or Escape closes the menu
  useEffect(() => {
    const onPointer = (event: PointerEvent) => {
      const target = event.target as Node | null;
      if (ref.current !== null && target !== null && !ref.current.contains(target) && !(target as Element).closest?.('[data-testid="member-menu"]')) onClose();
    };
    const onKey = (event: KeyboardEvent) => event.key === 'Escape' && onClose();
    document.addEventListener('pointerdown', onPointer);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('pointerdown', onPointer);
      document.removeEventListener('keydown', onKey);
    };
  }, [onClose]);

  useEffect(() => {
    if (banning) reasonRef.current?.focus();
  }, [banning]);

  return (
    <div class="popover member-menu" role="menu" ref={ref} data-testid="member-menu-panel">
      {roles.map((role) => (
        <button
          key={role}
          type="button"
          role="menuitem"
          data-testid={roleTestId(member, role)}
          data-role={role}
          onClick={() => {
            onRole(role);
            onClose();
          }}
        >
          Make {ROLE_LABELS[role]?.toLowerCase() ?? role}
        </button>
      ))}
      {kick && (
        <button
          type="button"
          role="menuitem"
          data-testid="member-kick"
          onClick={() => {
            onKick();
            onClose();
          }}
        >
          Kick {member.name}
        </button>
      )}
      {ban && !banning && (
        <button type="button" role="menuitem" class="danger" data-testid="member-ban" onClick={() => setBanning(true)}>
          Ban {member.name}…
        </button>
      )}
      {ban && banning && (
        <form
          class="ban-form"
          onSubmit={(event) => {
            event.preventDefault();
            onBan(reason);
            onClose();
          }}
        >
          <label for={`ban-reason-${member.id}`}>Reason (optional, shown to them)</label>
          <input
            id={`ban-reason-${member.id}`}
            ref={reasonRef}
            type="text"
            data-testid="ban-reason"
            maxLength={REASON_MAX}
            value={reason}
            onInput={(event) => setReason(event.currentTarget.value)}
          />
          <div class="row">
            <button type="submit" class="danger" data-testid="ban-confirm">
              Ban
            </button>
            <button type="button" data-testid="ban-cancel" onClick={() => setBanning(false)}>
              Cancel
            </button>
          </div>
        </form>
      )}
    </div>
  );
}
