export type Route =
  | { page: 'home' }
  | { page: 'room'; roomId: string }
  | { page: 'upload' }
  | { page: 'library' }
  | { page: 'history'; roomId: string }
  | { page: 'not_found' };

const ROOM_PATH = /^\/rooms\/([A-Za-z0-9_-]+)\/?$/;
const HISTORY_PATH = /^\/rooms\/([A-Za-z0-9_-]+)\/history\/?$/;
/** Room ids are 12 characters from [A-Za-z0-9_-] (docs/protocol.md). */
const ROOM_ID = /^[A-Za-z0-9_-]{12}$/;
/** Invite tokens: URL-safe characters; at most 64 (the server refuses longer ones). */
const INVITE = /^[A-Za-z0-9_-]{1,64}$/;

export function matchRoute(pathname: string): Route {
  if (pathname === '/' || pathname === '') return { page: 'home' };
  if (pathname === '/upload') return { page: 'upload' };
  if (pathname === '/library') return { page: 'library' };
  const room = ROOM_PATH.exec(pathname);
  if (room) return { page: 'room', roomId: room[1]! };
  const history = HISTORY_PATH.exec(pathname);
  if (history) return { page: 'history', roomId: history[1]! };
  return { page: 'not_found' };
}

/** `/rooms/{id}`, with `?invite=` for a private room's link. */
export function roomPath(roomId: string, invite?: string | null): string {
  const path = `/rooms/${encodeURIComponent(roomId)}`;
  return invite ? `${path}?invite=${encodeURIComponent(invite)}` : path;
}

export function historyPath(roomId: string, invite?: string | null): string {
  const path = `/rooms/${encodeURIComponent(roomId)}/history`;
  return invite ? `${path}?invite=${encodeURIComponent(invite)}` : path;
}

/** The `invite` of a page's query string, when it looks like one. */
export function inviteFromSearch(search: string): string | null {
  const invite = new URLSearchParams(search).get('invite')?.trim() ?? '';
  return INVITE.test(invite) ? invite : null;
}

export interface RoomLink {
  roomId: string;
  invite: string | null;
}

/**
 * The room (and invite) in what someone pasted into the join box: a room link
 * (from any host, with or without the scheme, so links of another deployment
 * work too), a path `/rooms/{id}`, or a bare id. Null when it is none of these.
 * The result only ever becomes a same-origin path, so a pasted link cannot
 * lead elsewhere.
 */
export function parseRoomLink(input: string): RoomLink | null {
  const text = input.trim();
  if (ROOM_ID.test(text)) return { roomId: text, invite: null };
  if (/^[a-z][a-z0-9+.-]*:/i.test(text) && !/^https?:\/\//i.test(text)) return null;
  const match = /(?:^|\/)rooms\/([A-Za-z0-9_-]+)\/?(\?[^#]*)?(?:#.*)?$/.exec(text);
  if (!match) return null;
  return { roomId: match[1]!, invite: match[2] ? inviteFromSearch(match[2]) : null };
}

/** The room id alone of parseRoomLink(). */
export function parseRoomInput(input: string): string | null {
  return parseRoomLink(input)?.roomId ?? null;
}
