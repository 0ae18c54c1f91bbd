import { SYNC_CONFIG, type SyncConfig } from './config';
import { clampPosition } from './expected';

export interface CorrectionInput {
  /** The player's media time, seconds. */
  currentS: number;
  /** Where the room clock says it should be, seconds. */
  expectedS: number;
  /**
   * The drift to judge by, in ms, when the caller smooths its measurements
   * (DriftFilter); (currentS - expectedS) * 1000 otherwise.
   */
  smoothedDriftMs?: number;
  /** The room's playback rate. */
  roomRate: number;
  /** Whether the room is playing. */
  playing: boolean;
  /**
   * The player cannot be judged right now: a seek is under way or just
   * finished, or playback is starting. Nothing is corrected, so a pending seek
   * is never doubled by another.
   */
  seekPending: boolean;
  /** Learned time a seek costs while playing, wall-clock ms (see SeekLead). */
  seekLeadMs?: number;
  /** Known media duration, to keep a seek target inside the media. */
  durationS?: number | null;
}

/** What the correction loop remembers between two decisions. */
export interface CorrectionState {
  /** A rate correction is under way: keep it up until the drift is inside the settle band. */
  correcting: boolean;
}

export const IDLE: CorrectionState = Object.freeze({ correcting: false });

export type CorrectionAction = 'none' | 'rate' | 'seek';

export interface Correction {
  action: CorrectionAction;
  /** The rate to run the player at from now on (the room rate unless action is 'rate'). */
  playbackRate: number;
  /** Where to seek, seconds; only for action 'seek'. */
  seekTo?: number;
  /** The drift judged, in ms: positive when the player is ahead. */
  driftMs: number;
  /** The state for the next decision. */
  next: CorrectionState;
}

/**
 * Decides how to steer the player toward the room clock. Pure: same input,
 * same answer.
 *
 * - paused room: seek to the exact position if the player is anywhere else;
 * - |drift| > seekThresholdMs: hard seek to the expected position, aimed
 *   ahead by the learned seek latency so the player lands where the clock will be;
 * - |drift| inside the dead band (or, once correcting, the tighter settle
 *   band): run at the room rate, no correction;
 * - otherwise: change playbackRate in proportion to the drift, enough to close
 *   it within correctionHorizonS, never more than maxRateAdjust of the room rate.
 *   Ahead -> slower, behind -> faster.
 */
export function decideCorrection(
  input: CorrectionInput,
  state: CorrectionState,
  config: Readonly<SyncConfig> = SYNC_CONFIG,
): Correction {
  const rate = input.roomRate;
  const driftMs = input.smoothedDriftMs ?? (input.currentS - input.expectedS) * 1000;
  const magnitude = Math.abs(driftMs);
  const none = (): Correction => ({ action: 'none', playbackRate: rate, driftMs, next: IDLE });

  if (input.seekPending) return none();

  if (!input.playing) {
    if (magnitude <= config.pausedToleranceMs) return none();
    return {
      action: 'seek',
      playbackRate: rate,
      seekTo: clampPosition(input.expectedS, input.durationS),
      driftMs,
      next: IDLE,
    };
  }

  if (magnitude > config.seekThresholdMs) {
    const leadS = ((input.seekLeadMs ?? 0) / 1000) * rate;
    return {
      action: 'seek',
      playbackRate: rate,
      seekTo: clampPosition(input.expectedS + leadS, input.durationS),
      driftMs,
      next: IDLE,
    };
  }

  const band = state.correcting ? config.settleBandMs : config.deadBandMs;
  if (magnitude <= band) return none();

  // Running at rate + a for h seconds moves the player a * h seconds relative to
  // the clock, so a = -drift / h closes the drift in h seconds.
  const limit = config.maxRateAdjust * rate;
  const adjust = clamp(-driftMs / 1000 / config.correctionHorizonS, -limit, limit);
  return { action: 'rate', playbackRate: rate + adjust, driftMs, next: { correcting: true } };
}

/**
 * Learns how far ahead of the clock a seek made while playing has to aim.
 *
 * A seek stalls the player while it buffers and restarts, so a player seeked
 * exactly to the expected position lands behind it. After each such seek the
 * drift measured once playback settled tells how much the lead missed by; the
 * lead moves toward the value that would have hit, smoothed so one odd seek
 * does not throw it off.
 */
export class SeekLead {
  private value: number;

  constructor(private readonly config: Readonly<SyncConfig> = SYNC_CONFIG) {
    this.value = config.initialSeekLeadMs;
  }

  /** Current lead, wall-clock ms. */
  get ms(): number {
    return this.value;
  }

  /**
   * @param leadUsedMs the lead the seek was aimed with
   * @param driftAfterMs the drift once playback settled after the seek (media ms)
   * @param rate the room rate during the seek
   */
  observe(leadUsedMs: number, driftAfterMs: number, rate: number): void {
    if (!Number.isFinite(driftAfterMs) || Math.abs(driftAfterMs) > this.config.seekThresholdMs) return;
    const ideal = leadUsedMs - driftAfterMs / (rate > 0 ? rate : 1);
    const k = this.config.seekLeadSmoothing;
    this.value = clamp(this.value + k * (ideal - this.value), 0, this.config.maxSeekLeadMs);
  }
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(Math.max(value, min), max);
}
