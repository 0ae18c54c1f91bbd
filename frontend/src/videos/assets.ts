/**
 * The files that come with a video published by this server, found from its
 * master playlist URL (`/api/videos/{id}/media/master.m3u8`, docs/videos.md):
 * the poster and the trick-play thumbnails. Other media have none.
 */
export interface VideoAssets {
  id: string;
  poster: string;
  thumbnails: string;
}

const MASTER = /^\/api\/videos\/([A-Za-z0-9_-]{12})\/media\/master\.m3u8$/;

export function videoAssets(url: string, origin: string): VideoAssets | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.origin !== origin) return null;
  const match = MASTER.exec(parsed.pathname);
  if (!match) return null;
  const base = `/api/videos/${match[1]}/media/`;
  return { id: match[1]!, poster: `${base}poster.jpg`, thumbnails: `${base}thumbnails.vtt` };
}

/** The absolute URL a room is given to play a published video. */
export function playableUrl(master: string, origin: string): string {
  return new URL(master, origin).toString();
}
