export interface BackoffConfig {
  /** Delay before the first retry. */
  initialMs: number;
  /** The delay doubles per failed attempt up to this. */
  maxMs: number;
  /**
   * Fraction of the delay that is random: the delay is drawn from
   * [base * (1 - jitter), base]. Spreads out the reconnects of a whole room
   * after a node restarts, instead of all clients arriving at once.
   */
  jitter: number;
}

export const RECONNECT_BACKOFF: Readonly<BackoffConfig> = Object.freeze({
  initialMs: 250,
  maxMs: 10_000,
  jitter: 0.5,
});

/** Delay before reconnect attempt number `attempt` (0 for the first retry). */
export function backoffDelayMs(
  attempt: number,
  config: Readonly<BackoffConfig> = RECONNECT_BACKOFF,
  random: () => number = Math.random,
): number {
  const base = Math.min(config.maxMs, config.initialMs * 2 ** Math.max(0, attempt));
  return base * (1 - config.jitter * random());
}
