import type { ChatMessage, Member, Permission, QueueItem, Role, Room, RoomSettings } from '../protocol';

/** The default permission matrix of docs/protocol.md. */
export const DEFAULT_PERMISSIONS: Record<Permission, Role> = {
  ban: 'moderator',
  change_rate: 'guest',
  change_settings: 'moderator',
  chat: 'guest',
  control_playback: 'guest',
  kick: 'moderator',
  manage_roles: 'owner',
  queue_add: 'guest',
  queue_remove: 'guest',
  queue_reorder: 'guest',
  skip: 'guest',
  undo: 'moderator',
  vote: 'guest',
};

export function settings(over: Partial<RoomSettings> = {}): RoomSettings {
  return {
    title: 'Friday film club',
    description: '',
    visibility: 'unlisted',
    temporary: false,
    playbackMode: 'free',
    queueMode: 'manual',
    voteSkipRatio: 0.5,
    permissions: { ...DEFAULT_PERMISSIONS },
    invite: null,
    ...over,
  };
}

export function member(id: string, name: string, over: Partial<Member> = {}): Member {
  return {
    id,
    name,
    joinedAt: 1,
    guest: id.startsWith('g-'),
    role: 'guest',
    status: { player: 'ready', typing: false },
    ...over,
  };
}

export function item(id: string, over: Partial<QueueItem> = {}): QueueItem {
  return {
    id,
    url: `https://media.example.org/${id}.webm`,
    title: `${id}.webm`,
    duration: null,
    thumbnail: null,
    addedBy: 'g-1',
    addedAt: 1,
    voters: [],
    ...over,
  };
}

export function chatMessage(id: number, over: Partial<ChatMessage> = {}): ChatMessage {
  return {
    id,
    authorId: 'g-1',
    authorName: 'Bob',
    text: `message ${id}`,
    at: 1000 + id,
    videoTime: null,
    reactions: {},
    ...over,
  };
}

export function room(over: Partial<Room> = {}): Room {
  const s = over.settings ?? settings(over.title !== undefined ? { title: over.title } : {});
  return {
    id: 'k3J9xQ2mW7pZ',
    title: s.title,
    ownerId: 'a-owner',
    createdAt: 0,
    settings: s,
    media: null,
    playback: { playing: false, position: 0, anchor: 0, rate: 1 },
    queue: [],
    canUndo: false,
    members: [],
    chat: [],
    skipVotes: { votes: 0, needed: 1 },
    viewerRole: 'guest',
    serverTime: 10,
    ...over,
  };
}
