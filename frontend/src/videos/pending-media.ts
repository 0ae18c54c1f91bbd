import { effect } from '@preact/signals';
import type { RoomSession } from '../room/session';

/**
 * "Watch in a new room" and "Add to a room" from the upload and library pages:
 * the page leaves the video's URL here and opens the room, and the room page
 * adds it to the room's queue once it has joined (queue_add: in a room where
 * nothing plays it becomes the current item at once).
 */
const KEY = 'watchroom.pendingMedia';

export function leavePendingMedia(roomId: string, url: string, title: string, storage: Storage = sessionStorage): void {
  storage.setItem(KEY, JSON.stringify({ roomId, url, title }));
}

export function playPendingMedia(session: RoomSession, roomId: string, storage: Storage = sessionStorage): () => void {
  return effect(() => {
    if (session.state.value === null) return;
    const raw = storage.getItem(KEY);
    if (raw === null) return;
    const pending = JSON.parse(raw) as { roomId: string; url: string; title: string };
    if (pending.roomId !== roomId) return;
    storage.removeItem(KEY);
    session.queueAdd(pending.url, pending.title);
  });
}
