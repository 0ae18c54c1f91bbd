import type { PlayerState } from '../protocol';

/** HTMLMediaElement.readyState: enough data to play on. */
export const HAVE_FUTURE_DATA = 3;

/**
 * The `status` a player reports after one of its media events, or the current
 * one when the event says nothing new:
 *
 * - `waiting`: playback stopped for want of data: buffering;
 * - `stalled`: the download stalls; buffering only if the element cannot play on;
 * - `playing`, `canplay`, `seeked`: ready, when the element can play;
 * - `error`: error.
 */
export function playerStateAfter(
  event: string,
  readyState: number,
  current: PlayerState,
): PlayerState {
  switch (event) {
    case 'waiting':
      return 'buffering';
    case 'stalled':
      return readyState < HAVE_FUTURE_DATA ? 'buffering' : current;
    case 'playing':
    case 'canplay':
    case 'canplaythrough':
    case 'seeked':
      return readyState >= HAVE_FUTURE_DATA ? 'ready' : current;
    case 'error':
      return 'error';
    default:
      return current;
  }
}

/** The media events playerStateAfter() reads. */
export const STATUS_EVENTS: readonly string[] = ['waiting', 'stalled', 'playing', 'canplay', 'canplaythrough', 'seeked', 'error'];
