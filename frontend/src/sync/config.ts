/**
 * Every tuning value of the client's clock sync and drift correction, in one
 * place. docs/client-sync.md explains how each was chosen.
 *
 * The goal is a p95 gap below 25 ms between two browsers. Two players parked
 * at opposite edges of the dead band are 2 x deadBandMs apart, so the dead band
 * must stay well below 12.5 ms.
 */
export interface SyncConfig {
  // -- clock offset estimation --
  /** How many recent time probes the offset estimate considers. */
  clockWindow: number;
  /** Probes sent right after connecting, to get a good estimate fast. */
  probeBurstCount: number;
  probeBurstIntervalMs: number;
  /** Probe interval after the burst. */
  probeIntervalMs: number;

  // -- drift correction --
  /** How often the player is compared with the room clock. */
  sampleIntervalMs: number;
  /** Decisions use the mean drift of this many recent samples (see DriftFilter). */
  driftWindow: number;
  /** |drift| at or below this is left alone (player runs at the room rate). */
  deadBandMs: number;
  /** Once correcting, keep correcting until |drift| is at or below this (hysteresis). */
  settleBandMs: number;
  /** |drift| above this is fixed by a hard seek instead of a rate change. */
  seekThresholdMs: number;
  /** Largest rate change, as a fraction of the room rate (0.1 = +/-10 %). */
  maxRateAdjust: number;
  /** A rate correction aims to close the drift within this many seconds. */
  correctionHorizonS: number;
  /** While the room is paused, a player further than this from the position is seeked. */
  pausedToleranceMs: number;
  /** After a seek completes, samples are ignored this long while the pipeline restarts. */
  postSeekSettleMs: number;
  /** A seek that has not reported `seeked` after this long is no longer waited for. */
  seekTimeoutMs: number;

  // -- learned seek latency --
  /** Seeks while playing aim this far ahead of the clock before anything is learned. */
  initialSeekLeadMs: number;
  maxSeekLeadMs: number;
  /** Weight of the newest observation in the seek lead's moving average. */
  seekLeadSmoothing: number;
  // -- scheduled starts --
  /**
   * play() for a scheduled start is called this long before the anchor, until
   * the time the element takes to get moving has been learned (same bounds and
   * smoothing as the seek lead).
   */
  initialStartLeadMs: number;
  /**
   * After a scheduled start begins, samples are ignored this long: Chromium's
   * currentTime moves in a step when the audio output starts, a few hundred ms
   * after play(), and the start lead must learn from the position after it.
   */
  startSettleMs: number;

  // -- reporting --
  /** How often the measured drift is sent to the server while playing. */
  driftReportIntervalMs: number;
}

export const SYNC_CONFIG: Readonly<SyncConfig> = Object.freeze({
  clockWindow: 16,
  probeBurstCount: 6,
  probeBurstIntervalMs: 150,
  probeIntervalMs: 2500,

  sampleIntervalMs: 100,
  driftWindow: 5,
  deadBandMs: 10,
  settleBandMs: 3,
  seekThresholdMs: 500,
  maxRateAdjust: 0.1,
  correctionHorizonS: 1.0,
  pausedToleranceMs: 1,
  postSeekSettleMs: 200,
  seekTimeoutMs: 5000,

  initialSeekLeadMs: 50,
  maxSeekLeadMs: 1000,
  seekLeadSmoothing: 0.5,
  initialStartLeadMs: 50,
  startSettleMs: 600,

  driftReportIntervalMs: 2000,
});
