/**
 * The part of HTMLVideoElement that PlaybackFollower uses, with a media clock
 * that runs on Date.now() (which vitest's fake timers control): while playing,
 * currentTime advances at playbackRate.
 */
export class FakeVideo {
  src = '';
  seeking = false;
  readyState = 0;
  duration = Number.NaN;
  muted = false;
  ended = false;
  error: MediaError | null = null;
  paused = true;
  /** Every position seeked to, in order. */
  seekLog: number[] = [];
  playCalls = 0;
  /** How long play() takes before the media starts moving, ms (real elements: tens of ms). */
  startDelayMs = 0;
  /** 'unmuted-refused': autoplay only when muted; 'refused': no autoplay at all. */
  autoplay: 'allowed' | 'unmuted-refused' | 'refused' = 'allowed';

  private base = 0;
  private since = Date.now();
  private rate = 1;
  private readonly listeners = new Map<string, Set<() => void>>();

  get currentTime(): number {
    if (this.paused || this.seeking) return this.base;
    return this.base + (Math.max(0, Date.now() - this.since) / 1000) * this.rate;
  }

  /** Assigning is a seek, as on the real element: it finishes with finishSeek(). */
  set currentTime(value: number) {
    this.base = value;
    this.since = Date.now();
    this.seeking = true;
    this.ended = false;
    this.seekLog.push(value);
  }

  get playbackRate(): number {
    return this.rate;
  }

  set playbackRate(value: number) {
    this.rebase();
    this.rate = value;
  }

  play(): Promise<void> {
    this.playCalls += 1;
    if (this.autoplay === 'refused' || (this.autoplay === 'unmuted-refused' && !this.muted)) {
      return Promise.reject(new DOMException('play() is not allowed', 'NotAllowedError'));
    }
    this.rebase();
    this.paused = false;
    this.since = Date.now() + this.startDelayMs;
    return Promise.resolve();
  }

  pause(): void {
    this.rebase();
    this.paused = true;
  }

  load(): void {}

  removeAttribute(name: string): void {
    if (name === 'src') this.src = '';
  }

  addEventListener(type: string, listener: () => void): void {
    let set = this.listeners.get(type);
    if (set === undefined) this.listeners.set(type, (set = new Set()));
    set.add(listener);
  }

  removeEventListener(type: string, listener: () => void): void {
    this.listeners.get(type)?.delete(listener);
  }

  // ---- test controls ----

  emit(type: string): void {
    for (const listener of this.listeners.get(type) ?? []) listener();
  }

  /** Metadata and enough data to play arrived. */
  loaded(duration: number): void {
    this.duration = duration;
    this.readyState = 4;
    this.emit('loadedmetadata');
    this.emit('canplay');
  }

  finishSeek(): void {
    this.seeking = false;
    this.since = Date.now();
    this.emit('seeked');
  }

  /** Puts the media at a position without a seek (as if it had played there). */
  setPosition(seconds: number): void {
    this.base = seconds;
    this.since = Date.now();
  }

  asElement(): HTMLVideoElement {
    return this as unknown as HTMLVideoElement;
  }

  private rebase(): void {
    this.base = this.currentTime;
    // a player still starting (see startDelayMs) keeps its start time
    this.since = Math.max(this.since, Date.now());
  }
}
