import { parseRoomLink, roomPath } from '../routes';
import { api } from '../services';
import { playableUrl } from './assets';
import { leavePendingMedia } from './pending-media';

/** Creates a room for a published video and opens it; the room page then plays the video. */
export async function watchInNewRoom(navigate: (path: string) => void, master: string, title: string): Promise<void> {
  const { id } = await api.createRoom({ title: title.slice(0, 120), visibility: 'unlisted' });
  leavePendingMedia(id, playableUrl(master, location.origin), title);
  navigate(roomPath(id));
}

/**
 * Opens the room behind a pasted room link (or id) and adds the video to its
 * queue there. False when the text is no room link.
 */
export function addToRoom(navigate: (path: string) => void, roomLink: string, master: string, title: string): boolean {
  const link = parseRoomLink(roomLink);
  if (link === null) return false;
  leavePendingMedia(link.roomId, playableUrl(master, location.origin), title);
  navigate(roomPath(link.roomId, link.invite));
  return true;
}
