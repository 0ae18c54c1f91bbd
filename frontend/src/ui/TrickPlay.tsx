import { useEffect, useState } from 'preact/hooks';
import { videoAssets } from '../videos/assets';
import { cueAt, parseThumbnails, type ThumbnailCue } from '../videos/thumbnails';
import { formatTime } from './format';

/** The trick-play cues of the room's media, when it is a video published here; else empty. */
export function useThumbnails(mediaUrl: string | null): readonly ThumbnailCue[] {
  const [cues, setCues] = useState<readonly ThumbnailCue[]>([]);
  useEffect(() => {
    setCues([]);
    const assets = mediaUrl === null ? null : videoAssets(mediaUrl, location.origin);
    if (assets === null) return;
    let live = true;
    const vttUrl = new URL(assets.thumbnails, location.origin).toString();
    fetch(vttUrl)
      .then((response) => (response.ok ? response.text() : ''))
      .then((text) => live && setCues(parseThumbnails(text, vttUrl)))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [mediaUrl]);
  return cues;
}

/**
 * The thumbnail of the moment under the pointer (or the dragged handle), drawn
 * from its sprite sheet, above the seek bar at `fraction` of its width.
 */
export function TrickPlayPreview({ cues, time, fraction }: { cues: readonly ThumbnailCue[]; time: number; fraction: number }) {
  const cue = cueAt(cues, time);
  if (cue === null) return null;
  return (
    <div class="trickplay" data-testid="trickplay" style={{ left: `${Math.min(100, Math.max(0, fraction * 100))}%` }}>
      <div
        class="trickplay-thumb"
        data-testid="trickplay-thumb"
        style={{
          width: `${cue.w}px`,
          height: `${cue.h}px`,
          backgroundImage: `url("${cue.sheet}")`,
          backgroundPosition: `-${cue.x}px -${cue.y}px`,
        }}
      />
      <span class="trickplay-time" data-testid="trickplay-time">{formatTime(time)}</span>
    </div>
  );
}
