/**
 * When to send `typing`: `true` when typing starts and then at most every
 * `intervalMs` while it goes on (the server fades a `true` that is not
 * repeated within 6 s), `false` once when it stops (message sent, field left,
 * or emptied). Pure: the caller passes the clock and sends what it answers.
 */
export class TypingThrottle {
  private lastSentAt: number | null = null;

  constructor(private readonly intervalMs = 3000) {}

  /** Whether we told the room we are typing (and have not taken it back). */
  get active(): boolean {
    return this.lastSentAt !== null;
  }

  /** A keystroke at `now`: answers true when `typing: true` should go out. */
  input(now: number): boolean {
    if (this.lastSentAt !== null && now - this.lastSentAt < this.intervalMs) return false;
    this.lastSentAt = now;
    return true;
  }

  /** Typing stopped: answers true when `typing: false` should go out. */
  stop(): boolean {
    if (this.lastSentAt === null) return false;
    this.lastSentAt = null;
    return true;
  }

  /** A new connection: the room knows nothing of our typing. */
  reset(): void {
    this.lastSentAt = null;
  }
}
