import type { Member, QueueItem, Room } from '../protocol';

/**
 * Where `queue_move` should put the dragged item when it is dropped on
 * `targetId`: the target's index, which the server reads as the index the item
 * ends up at (it takes the item out, then inserts it there). So dropping onto a
 * later item lands just after it, onto an earlier one just before it, as in
 * any sortable list. Null when nothing would move.
 */
export function moveTarget(items: readonly QueueItem[], draggedId: string, targetId: string | null): number | null {
  const from = items.findIndex((item) => item.id === draggedId);
  if (from < 0) return null;
  // dropped past the last item (the list's own drop zone): to the end
  const to = targetId === null ? items.length - 1 : items.findIndex((item) => item.id === targetId);
  if (to < 0 || to === from) return null;
  return to;
}

/** The index one step up or down (for the keyboard and touch buttons), or null at the edge. */
export function stepTarget(items: readonly QueueItem[], id: string, step: -1 | 1): number | null {
  const from = items.findIndex((item) => item.id === id);
  const to = from + step;
  if (from < 0 || to < 0 || to >= items.length) return null;
  return to;
}

/** The queue as the server will have it after a move: for tests and optimistic previews. */
export function applyMove(items: readonly QueueItem[], id: string, to: number): QueueItem[] {
  const from = items.findIndex((item) => item.id === id);
  if (from < 0) return items.slice();
  const next = items.slice();
  const [item] = next.splice(from, 1);
  next.splice(Math.min(Math.max(to, 0), next.length), 0, item!);
  return next;
}

export function hasVoted(item: QueueItem, userId: string | null | undefined): boolean {
  return userId != null && item.voters.includes(userId);
}

/**
 * A member's display name by id. Someone who left is no longer in the room:
 * `known` (names seen earlier, e.g. RoomSession.names) still names them.
 */
export function memberName(
  room: Room | null,
  id: string | null | undefined,
  fallback = 'someone',
  known?: ReadonlyMap<string, string>,
): string {
  if (id == null) return fallback;
  const member: Member | undefined = room?.members.find((m) => m.id === id);
  return member?.name ?? known?.get(id) ?? fallback;
}

/** Total known duration of the upcoming items, and whether some are unknown. */
export function queueDuration(items: readonly QueueItem[]): { seconds: number; unknown: number } {
  let seconds = 0;
  let unknown = 0;
  for (const item of items) {
    if (item.duration === null) unknown += 1;
    else seconds += item.duration;
  }
  return { seconds, unknown };
}
