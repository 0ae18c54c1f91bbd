import type { RoomSession } from '../room/session';
import { LinkBox } from './LinkBox';

/** Plays a link (or a search hit) for everyone at once, in place of what plays. */
export function MediaForm({ session }: { session: RoomSession }) {
  return (
    <LinkBox
      session={session}
      action="set_media"
      class="media-form"
      ids={{ input: 'media-url', submit: 'media-submit' }}
      label="Video URL to play now, or words to search for"
      placeholder="Paste a video link (or search) to play it now"
      submitLabel="Play for everyone"
    />
  );
}
