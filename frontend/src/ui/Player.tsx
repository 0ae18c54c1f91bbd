import { useEffect, useRef, useState } from 'preact/hooks';
import { PlaybackFollower } from '../player/follower';
import { attachResolved, type MediaAttachment, type SourceLoader } from '../player/source';
import { api } from '../services';
import { videoAssets } from '../videos/assets';
import type { Media } from '../protocol';
import type { AutoplayState, RoomSession } from '../room/session';
import { LinkFailureNote } from './LinkFailureNote';

/** The room's media is played from the stream the resolver gives for it now (streams expire). */
const resolvedSource: SourceLoader = (video, url, onState) =>
  attachResolved(video, url, { resolve: (link) => api.resolve(link), base: location.href }, onState);

/**
 * The <video> and the follower that steers it. The element has no native
 * controls: every control goes through the room. `data-kind` and
 * `data-stream` tell what is on the element (for browser tests).
 */
export function Player({ session, media, autoplay }: { session: RoomSession; media: Media | null; autoplay: AutoplayState }) {
  const videoRef = useRef<HTMLVideoElement>(null);
  const followerRef = useRef<PlaybackFollower | null>(null);
  const [follower, setFollower] = useState<PlaybackFollower | null>(null);
  // a video published here has a poster, shown until playback starts
  const poster = media === null ? undefined : videoAssets(media.url, location.origin)?.poster;

  useEffect(() => {
    const video = videoRef.current;
    if (video === null) return;
    const follower = new PlaybackFollower(video, session, resolvedSource);
    followerRef.current = follower;
    setFollower(follower);
    follower.start();
    const detach = session.attachPlayer(() => follower.sample());
    return () => {
      detach();
      follower.dispose();
      followerRef.current = null;
      setFollower(null);
    };
  }, [session]);

  const source = follower?.source.value ?? null;
  const state = media !== null ? (source?.state.value ?? null) : null;
  const attached = state?.phase === 'attached' ? state : null;

  return (
    <div class="player" data-source={state?.phase ?? 'none'}>
      <video
        ref={videoRef}
        data-testid="player"
        data-kind={attached?.kind}
        data-stream={attached?.stream}
        playsInline
        preload="auto"
        poster={poster}
      />
      <QualitySelect source={source} />
      {media === null && (
        <div class="player-empty">
          <p>No video yet.</p>
          <p>Paste a link below and everyone here watches it together.</p>
        </div>
      )}
      {state?.phase === 'resolving' && (
        <p class="player-pending" data-testid="player-pending" role="status">
          Reading the link…
        </p>
      )}
      {state?.phase === 'failed' && (
        <div class="player-error">
          <LinkFailureNote failure={state.failure} testId="player-error" />
        </div>
      )}
      {media !== null && autoplay !== 'ok' && state?.phase !== 'failed' && (
        <button type="button" class="unmute" data-testid="unmute" onClick={() => followerRef.current?.resume()}>
          {autoplay === 'muted' ? 'Unmute' : 'Start playback'}
        </button>
      )}
    </div>
  );
}

/** Quality across an adaptive stream's ladder: automatic, or one rung. Local to this viewer. */
function QualitySelect({ source }: { source: MediaAttachment | null }) {
  const qualities = source?.qualities.value ?? [];
  if (source === null || qualities.length === 0) return null;
  return (
    <select
      class="quality-select"
      data-testid="quality-select"
      aria-label="Quality"
      value={String(source.quality.value)}
      onChange={(event) => source.setQuality(Number(event.currentTarget.value))}
    >
      <option value="-1">Auto</option>
      {qualities.map((q) => (
        <option key={q.index} value={String(q.index)}>
          {q.height}p
        </option>
      ))}
    </select>
  );
}
