import { ROLES, type AssignableRole, type Member, type Permission, type QueueItem, type Role, type Room } from '../protocol';

/**
 * What the viewer's role allows, read from the room's permission matrix. Used
 * to hide or disable controls only: the server decides, and a refused action
 * comes back as an `error` (forbidden) that the page shows.
 */

export function roleRank(role: Role): number {
  return ROLES.indexOf(role);
}

export function atLeast(role: Role, lowest: Role): boolean {
  return roleRank(role) >= roleRank(lowest);
}

/** The lowest role allowed a permission, as the room's matrix says. */
export function requiredRole(room: Room, permission: Permission): Role {
  return room.settings.permissions[permission] ?? 'owner';
}

/** Whether `role` may do what `permission` governs in this room. */
export function may(room: Room, role: Role, permission: Permission): boolean {
  return atLeast(role, requiredRole(room, permission));
}

/** Anyone may remove an item they added; others' items need `queue_remove`. */
export function mayRemoveItem(room: Room, you: Member, item: QueueItem): boolean {
  return item.addedBy === you.id || may(room, you.role, 'queue_remove');
}

/** Reordering by hand: `queue_reorder`, and never in vote mode (votes order the queue). */
export function mayReorder(room: Room, role: Role): boolean {
  return room.settings.queueMode !== 'vote' && may(room, role, 'queue_reorder');
}

/** `queue_play_now` needs both `queue_reorder` and `skip`. */
export function mayPlayNow(room: Room, role: Role): boolean {
  return may(room, role, 'queue_reorder') && may(room, role, 'skip');
}

/** Moderation reaches only downwards: a moderator acts on members and guests, the owner on everyone else. */
export function outranks(actor: Role, target: Role): boolean {
  return roleRank(actor) > roleRank(target) && atLeast(actor, 'moderator');
}

export interface ModerationOptions {
  kick: boolean;
  ban: boolean;
  /** Roles `set_role` could give this member, other than the one they have. */
  roles: AssignableRole[];
}

/**
 * What `you` could do to `target` from the member menu: nothing to yourself or
 * to anyone not below you; roles only below your own.
 */
export function moderationOptions(room: Room, you: Member, target: Member): ModerationOptions {
  const none: ModerationOptions = { kick: false, ban: false, roles: [] };
  if (target.id === you.id || !outranks(you.role, target.role)) return none;
  const assignable: AssignableRole[] = ['guest', 'member', 'moderator'];
  return {
    kick: may(room, you.role, 'kick'),
    ban: may(room, you.role, 'ban'),
    roles: may(room, you.role, 'manage_roles')
      ? assignable.filter((role) => role !== target.role && roleRank(role) < roleRank(you.role))
      : [],
  };
}

export function hasModerationOptions(options: ModerationOptions): boolean {
  return options.kick || options.ban || options.roles.length > 0;
}
