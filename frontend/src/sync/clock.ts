import { SYNC_CONFIG, type SyncConfig } from './config';

/** One answered time probe. All values are milliseconds. */
export interface ClockSample {
  /** Client clock when the probe was sent. */
  t0: number;
  /** Server clock when it answered. */
  t1: number;
  /** Client clock when the answer arrived. */
  t3: number;
  /** server clock - client clock, assuming the two legs of the trip took equally long. */
  offsetMs: number;
  rttMs: number;
}

/** Builds a sample from a probe round trip: offset = t1 - (t0 + t3) / 2, rtt = t3 - t0. */
export function clockSample(t0: number, t1: number, t3: number): ClockSample {
  return { t0, t1, t3, offsetMs: t1 - (t0 + t3) / 2, rttMs: t3 - t0 };
}

/**
 * Estimates the server's clock from NTP-style probes.
 *
 * The error of one sample is at most half its round trip (the asymmetry of the
 * two legs), so the sample with the smallest RTT in a sliding window is the most
 * trustworthy; the window lets the estimate follow slow changes and forget a
 * server the client is no longer connected to.
 */
export class ClockEstimator {
  private samples: ClockSample[] = [];
  private best: ClockSample | null = null;
  /** Used only while there is no sample: a rough offset from the welcome, or the previous connection's. */
  private fallbackOffset: number | null = null;

  constructor(
    /** The client's high-resolution clock, epoch ms (performance.timeOrigin + performance.now()). */
    readonly now: () => number,
    private readonly windowSize: number = SYNC_CONFIG.clockWindow,
  ) {}

  /** Adds an answered probe; returns the sample, or null when it is impossible (negative or non-finite RTT). */
  addSample(t0: number, t1: number, t3: number): ClockSample | null {
    if (![t0, t1, t3].every(Number.isFinite) || t3 < t0) return null;
    const sample = clockSample(t0, t1, t3);
    this.samples.push(sample);
    if (this.samples.length > this.windowSize) this.samples.shift();
    this.best = pickBest(this.samples);
    return sample;
  }

  /**
   * A one-way hint such as the welcome's serverTime: off by the one-way delay,
   * so used only when nothing better is known, until the first probe answers.
   */
  seed(serverTime: number, receivedAt: number): void {
    if (this.best === null && this.fallbackOffset === null && Number.isFinite(serverTime)) {
      this.fallbackOffset = serverTime - receivedAt;
    }
  }

  /**
   * Forgets the window, for a new connection (possibly to another node). The
   * last estimate stays as a fallback until the new connection's probes answer.
   */
  reset(): void {
    if (this.best !== null) this.fallbackOffset = this.best.offsetMs;
    this.samples = [];
    this.best = null;
  }

  get sampleCount(): number {
    return this.samples.length;
  }

  /** server clock - client clock in ms, or null while nothing is known. */
  get offsetMs(): number | null {
    return this.best !== null ? this.best.offsetMs : this.fallbackOffset;
  }

  /** RTT of the sample the estimate rests on, or null before the first probe answered. */
  get rttMs(): number | null {
    return this.best !== null ? this.best.rttMs : null;
  }

  /** The estimated server clock now, or null while nothing is known. */
  serverNow(): number | null {
    const offset = this.offsetMs;
    return offset === null ? null : this.now() + offset;
  }
}

/** Minimum RTT wins; among equal RTTs the newest, as it reflects the current clocks best. */
function pickBest(samples: readonly ClockSample[]): ClockSample | null {
  let best: ClockSample | null = null;
  for (const s of samples) {
    if (best === null || s.rttMs <= best.rttMs) best = s;
  }
  return best;
}

/**
 * Delay before probe number `index + 1`, counting from 0 at connect: a quick
 * burst first so the estimate is good within a second, then a steady trickle
 * that keeps the window fresh without loading the server.
 */
export function probeDelayMs(index: number, config: Readonly<SyncConfig> = SYNC_CONFIG): number {
  return index < config.probeBurstCount - 1 ? config.probeBurstIntervalMs : config.probeIntervalMs;
}
