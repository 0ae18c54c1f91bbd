/**
 * Smooths drift measurements with a mean over the last few samples.
 *
 * While a player runs at a corrected rate, browsers report currentTime in
 * steps (Chromium's time-stretched audio moves it in chunks), so single
 * samples scatter by several ms around the true drift. Judging one sample
 * would end a correction on a lucky low reading and leave the player parked
 * off the clock; the mean of a short window is steady, and lags by only half
 * the window.
 */
export class DriftFilter {
  private samples: number[] = [];

  constructor(private readonly size: number) {}

  /** Adds a measurement (ms) and returns the smoothed drift. */
  add(driftMs: number): number {
    this.samples.push(driftMs);
    if (this.samples.length > this.size) this.samples.shift();
    return this.value!;
  }

  /** The smoothed drift, or null before the first sample. */
  get value(): number | null {
    if (this.samples.length === 0) return null;
    let sum = 0;
    for (const s of this.samples) sum += s;
    return sum / this.samples.length;
  }

  /** Forgets everything, after a jump (a seek, a new clock) that makes old samples meaningless. */
  reset(): void {
    this.samples = [];
  }
}
