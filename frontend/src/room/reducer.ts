import type { ChatMessage, Member, MediaMessage, QueueItem, Room, ServerMessage } from '../protocol';

/** Chat messages kept in the room state; older ones are dropped (and can be loaded again). */
export const CHAT_KEEP = 500;

/** What this client knows about its room: the room, who we are in it, and who it waits for. */
export interface RoomState {
  room: Room;
  you: Member;
  /** Ids of the members a wait-for-everyone room paused for (from the latest `playback`). */
  waitingFor: readonly string[];
}

/**
 * The room as the server last described it, updated by one server message.
 * Pure: returns a new object when something changed, the same one otherwise,
 * and keeps the untouched parts (e.g. `room.playback`) identical, so observers
 * can tell what changed by identity.
 *
 * `welcome` replaces the state whole, also when it comes again on the same
 * connection (the room moved to another node: a resync). Messages before the
 * first welcome have no room to apply to and are ignored.
 */
export function reduceRoom(state: RoomState | null, message: ServerMessage): RoomState | null {
  if (message.type === 'welcome') return { room: message.room, you: message.you, waitingFor: [] };
  if (state === null) return null;
  const { room, you } = state;
  switch (message.type) {
    case 'playback': {
      const { playing, position, anchor, rate, waitingFor } = message;
      return { ...state, room: { ...room, playback: { playing, position, anchor, rate } }, waitingFor: waitingFor ?? [] };
    }
    case 'media':
      return { ...state, room: { ...room, media: mediaFrom(room, message) } };
    case 'queue':
      return { ...state, room: { ...room, queue: message.items, canUndo: message.canUndo } };
    case 'member_joined':
    case 'member_renamed':
    case 'member_role':
      return withMember(state, message.member);
    case 'member_left': {
      const members = room.members.filter((m) => m.id !== message.member.id);
      if (members.length === room.members.length) return state;
      return { ...state, room: { ...room, members }, waitingFor: state.waitingFor.filter((id) => id !== message.member.id) };
    }
    case 'presence': {
      const index = room.members.findIndex((m) => m.id === message.member);
      const members = room.members.slice();
      if (index >= 0) members[index] = { ...members[index]!, status: message.status };
      return {
        ...state,
        room: index >= 0 ? { ...room, members } : room,
        you: you.id === message.member ? { ...you, status: message.status } : you,
      };
    }
    case 'chat':
      return { ...state, room: { ...room, chat: upsertChat(room.chat, message.message, CHAT_KEEP) } };
    case 'settings': {
      // the invite is left out of `settings`; the one we know stays until an `invite` replaces it
      const settings = { ...message.settings, invite: message.settings.invite ?? room.settings.invite };
      return { ...state, room: { ...room, settings, title: settings.title } };
    }
    case 'invite':
      return { ...state, room: { ...room, settings: { ...room.settings, invite: message.token } } };
    case 'skip_votes':
      return { ...state, room: { ...room, skipVotes: { votes: message.votes, needed: message.needed, voters: message.voters ?? [] } } };
    case 'time':
    case 'error':
    case 'removed':
    case 'closed':
    case 'reconnect':
      return state;
  }
}

/**
 * The member messages carry a `status` that is not current (`presence` carries
 * that), so a known member keeps the status we have.
 */
function withMember(state: RoomState, incoming: Member): RoomState {
  const { room, you } = state;
  const index = room.members.findIndex((m) => m.id === incoming.id);
  const known = index >= 0 ? room.members[index]! : null;
  const member = known !== null ? { ...incoming, status: known.status } : incoming;
  const members = room.members.slice();
  if (index >= 0) members[index] = member;
  else members.push(member);
  const isYou = incoming.id === you.id;
  return {
    ...state,
    room: { ...room, members, viewerRole: isYou ? incoming.role : room.viewerRole },
    you: isYou ? { ...incoming, status: you.status } : you,
  };
}

/**
 * The item a `media` message names. It carries no `addedAt` or `voters`: they
 * come from the item as we knew it (the same current item, or the queued item
 * that now plays).
 */
function mediaFrom(room: Room, message: MediaMessage): QueueItem | null {
  if (message.id === null || message.url === null) return null;
  const known =
    room.media?.id === message.id ? room.media : (room.queue.find((item) => item.id === message.id) ?? null);
  return {
    id: message.id,
    url: message.url,
    title: message.title ?? known?.title ?? message.url,
    duration: message.duration,
    thumbnail: message.thumbnail,
    addedBy: message.addedBy ?? known?.addedBy ?? '',
    addedAt: known?.addedAt ?? 0,
    voters: known?.voters ?? [],
  };
}

/** Replaces the message with the same id, or inserts it in id order; keeps at most `keep` (the newest). */
export function upsertChat(chat: readonly ChatMessage[], message: ChatMessage, keep = Infinity): ChatMessage[] {
  const index = chat.findIndex((m) => m.id === message.id);
  let next: ChatMessage[];
  if (index >= 0) {
    next = chat.slice();
    next[index] = message;
  } else if (chat.length === 0 || chat[chat.length - 1]!.id < message.id) {
    next = [...chat, message];
  } else {
    next = [...chat, message].sort((a, b) => a.id - b.id);
  }
  return next.length > keep ? next.slice(next.length - keep) : next;
}
