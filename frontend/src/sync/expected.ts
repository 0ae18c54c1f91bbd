import type { Playback } from '../protocol';

/**
 * Where the room's media should be at server time `serverNow`, in seconds:
 *
 *   playing ? position + max(0, serverNow - anchor) / 1000 * rate : position
 *
 * clamped to [0, duration] (the upper bound only when the duration is known).
 * A playing clock whose anchor is still ahead is a scheduled start: it holds
 * at `position` until the anchor, then runs from there.
 */
export function expectedPosition(
  playback: Playback,
  serverNow: number,
  duration: number | null | undefined,
): number {
  const raw = playback.playing
    ? playback.position + (Math.max(0, serverNow - playback.anchor) / 1000) * playback.rate
    : playback.position;
  return clampPosition(raw, duration);
}

export function clampPosition(seconds: number, duration: number | null | undefined): number {
  const upper = duration != null && Number.isFinite(duration) && duration >= 0 ? duration : Infinity;
  return Math.min(Math.max(seconds, 0), upper);
}

/** A playing clock whose anchor is still ahead of `serverNow`: everyone holds at `position` until then. */
export function isScheduledStart(playback: Playback, serverNow: number): boolean {
  return playback.playing && serverNow < playback.anchor;
}

/** Milliseconds of server time until a scheduled start begins; 0 when it is not ahead. */
export function msUntilStart(playback: Playback, serverNow: number): number {
  return isScheduledStart(playback, serverNow) ? playback.anchor - serverNow : 0;
}
