import { effect, signal, untracked } from '@preact/signals';
import type { Playback, PlayerState, Room } from '../protocol';
import type { PlayerHost, PlayerSample } from '../room/session';
import { SYNC_CONFIG, type SyncConfig } from '../sync/config';
import { decideCorrection, IDLE, SeekLead, type CorrectionState } from '../sync/correction';
import { DriftFilter } from '../sync/drift-filter';
import { expectedPosition, isScheduledStart } from '../sync/expected';
import type { MediaAttachment, SourceLoader, SourceState } from './source';
import { HAVE_FUTURE_DATA, playerStateAfter, STATUS_EVENTS } from './status';

// HTMLMediaElement.readyState value
const HAVE_METADATA = 1;

/** A scheduled start whose aim moved by more than this (a better clock estimate) is re-aimed. */
const REAIM_MS = 2;

/**
 * A paused seek to the same target is not repeated sooner than this: a source
 * that cannot seek (a server without Range support) would otherwise be seeked
 * again at every media event.
 */
const PAUSED_RESEEK_MS = 1000;

/** A player this close to the end of the media counts as at the end. */
const END_EPSILON_S = 0.05;

/** Playback rates browsers accept (Chromium: 1/16..16); outside them playbackRate throws. */
const MIN_ELEMENT_RATE = 0.0625;
const MAX_ELEMENT_RATE = 16;

interface PendingSeek {
  issuedAt: number;
  leadMs: number;
  rate: number;
  /** The player was playing when the seek started: its landing error teaches the seek lead. */
  learn: boolean;
}

/** A start timed to a future anchor (a scheduled start). */
interface ScheduledStart {
  playback: Playback;
  timer: ReturnType<typeof setTimeout> | null;
  /** When play() is (or was) called, on the follower's clock. */
  at: number;
  /** play() has been called for it. */
  issued: boolean;
}

/**
 * Makes a <video> follow the room clock. This is the only code that changes
 * the element's playback state: user controls send actions to the server, and
 * the element follows when the resulting `playback` arrives.
 *
 * Every sampleIntervalMs (and at once on every room change) it compares the
 * element's currentTime with the expected position and applies the decision
 * of the pure decideCorrection(): nothing, a playbackRate nudge, or a seek.
 * It never seeks while a seek is pending or just finished, and never judges a
 * player that is starting, stalled or buffering.
 *
 * A playing clock whose anchor is still ahead (a scheduled start) is held:
 * the element waits paused at `position`, and play() is timed so that the
 * media starts moving at the anchor instant. The time play() takes to get the
 * media moving is learned like the seek lead, from the drift measured once the
 * start has settled.
 *
 * It also tells the room how the player is doing (`ready`, `buffering`,
 * `error`) from the element's media events and its source: `buffering`
 * while the link is being resolved, `error` when it cannot be played.
 *
 * Sources come from the loader it is given (attachResolved in the page), so
 * this class never decides how a link is played.
 */
export class PlaybackFollower {
  private attachment: MediaAttachment | null = null;
  /** The room item the attachment was made for. */
  private itemId: string | null = null;
  /** The attached source, for the quality menu. */
  readonly source = signal<MediaAttachment | null>(null);
  private correction: CorrectionState = IDLE;
  private readonly filter: DriftFilter;
  private lastPlayback: Playback | null = null;
  private readonly lead: SeekLead;
  private readonly startLead: SeekLead;
  private scheduled: ScheduledStart | null = null;
  private startCheck: { at: number; leadMs: number; rate: number } | null = null;
  private status: PlayerState = 'ready';
  private seeks = 0;
  private pendingSeek: PendingSeek | null = null;
  private settleUntil = 0;
  private leadCheck: { at: number; leadMs: number; rate: number } | null = null;
  private pausedSeek: { target: number; at: number } | null = null;
  private playPending = false;
  /** Playback was refused even muted: wait for a click (resume()). */
  private blocked = false;
  private timer: ReturnType<typeof setInterval> | null = null;
  private stopEffect: (() => void) | null = null;
  private readonly listeners: Array<[string, () => void]> = [];

  constructor(
    private readonly video: HTMLVideoElement,
    private readonly host: PlayerHost,
    private readonly loadSource: SourceLoader,
    private readonly config: Readonly<SyncConfig> = SYNC_CONFIG,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.lead = new SeekLead(config);
    this.startLead = new SeekLead({ ...config, initialSeekLeadMs: config.initialStartLeadMs });
    this.filter = new DriftFilter(config.driftWindow);
  }

  start(): void {
    this.listen('loadedmetadata', () => {
      this.reportDuration();
      this.tick();
    });
    this.listen('durationchange', () => this.reportDuration());
    this.listen('seeked', () => this.onSeeked());
    this.listen('canplay', () => this.tick());
    this.listen('error', () => this.onMediaError());
    for (const type of STATUS_EVENTS) this.listen(type, () => this.onStatusEvent(type));
    this.stopEffect = effect(() => {
      const room = this.host.room.value;
      untracked(() => this.onRoom(room));
    });
    this.timer = setInterval(() => this.tick(), this.config.sampleIntervalMs);
  }

  dispose(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    this.stopEffect?.();
    this.stopEffect = null;
    this.cancelScheduledStart();
    for (const [type, listener] of this.listeners) this.video.removeEventListener(type, listener);
    this.listeners.length = 0;
    this.attachment?.detach();
    this.attachment = null;
  }

  /**
   * Called from a click: unmutes after a muted autoplay, or starts playback the
   * browser refused to start without a user gesture.
   */
  resume(): void {
    this.video.muted = false;
    this.blocked = false;
    this.host.setAutoplay('ok');
    const room = this.host.room.peek();
    if (room?.playback.playing && this.video.paused) this.startPlayback();
  }

  sample(): PlayerSample {
    const v = this.video;
    return {
      position: v.currentTime,
      playing: !v.paused,
      readyState: v.readyState,
      seeks: this.seeks,
      seekLeadMs: this.lead.ms,
      startLeadMs: this.startLead.ms,
      durationS: Number.isFinite(v.duration) && v.duration > 0 ? v.duration : null,
    };
  }

  private listen(type: string, listener: () => void): void {
    this.video.addEventListener(type, listener);
    this.listeners.push([type, listener]);
  }

  private onRoom(room: Room | null): void {
    const url = room?.media?.url ?? null;
    const itemId = room?.media?.id ?? null;
    // the same link again as a new item gets another try when it failed
    const retry = this.attachment?.state.peek().phase === 'failed' && itemId !== this.itemId;
    if (url !== (this.attachment?.url ?? null) || retry) this.load(url);
    this.itemId = itemId;
    if (room?.media != null && room.media.duration === null) this.reportDuration();
    if (room?.playback !== this.lastPlayback) {
      // a new clock (play, pause, seek, rate) starts a fresh correction
      this.lastPlayback = room?.playback ?? null;
      this.correction = IDLE;
      this.filter.reset();
      if (this.scheduled !== null && this.scheduled.playback !== this.lastPlayback) this.cancelScheduledStart();
    }
    // and is acted on at once, not at the next sample
    this.tick();
  }

  private load(url: string | null): void {
    this.attachment?.detach();
    this.attachment = null;
    this.resetCorrections();
    // a new item starts with a clean slate; its source and media events tell how it does
    if (url === null) this.setStatus('ready');
    let attachment: MediaAttachment | null = null;
    attachment = url !== null ? this.loadSource(this.video, url, (state) => this.onSourceState(attachment, state)) : null;
    this.attachment = attachment;
    this.source.value = attachment;
    if (attachment !== null) this.onSourceState(attachment, attachment.state.peek());
  }

  /** The source of `attachment` moved on: while a new stream is fetched, the corrections start afresh. */
  private onSourceState(attachment: MediaAttachment | null, state: SourceState): void {
    // the loader may report before it has returned the attachment
    if (attachment === null || attachment !== this.attachment) return;
    switch (state.phase) {
      case 'resolving':
        this.resetCorrections();
        this.setStatus('buffering');
        break;
      case 'attached':
        // loading until the element can play (playerStateAfter turns it ready)
        if (this.video.readyState < HAVE_FUTURE_DATA) this.setStatus('buffering');
        break;
      case 'failed':
        this.setStatus('error');
        break;
    }
  }

  private resetCorrections(): void {
    this.pendingSeek = null;
    this.leadCheck = null;
    this.settleUntil = 0;
    this.pausedSeek = null;
    this.playPending = false;
    this.correction = IDLE;
    this.filter.reset();
    this.cancelScheduledStart();
    this.startCheck = null;
    this.host.reportDrift(null);
  }

  private reportDuration(): void {
    const d = this.video.duration;
    if (this.attachment !== null && this.video.readyState >= HAVE_METADATA && Number.isFinite(d) && d > 0) {
      this.host.reportDuration(this.attachment.url, d);
    }
  }

  private tick(): void {
    const room = this.host.room.peek();
    const media = room?.media ?? null;
    const v = this.video;
    if (room === null || media === null || this.attachment?.url !== media.url || v.readyState < HAVE_METADATA) {
      return;
    }
    // no stream on the element yet (or any more): nothing to steer
    if (this.attachment.state.peek().phase !== 'attached') return;
    // a broken source was reported once (onMediaError); retrying play() on it would only fail again
    if (v.error !== null) return;
    const serverNow = this.host.serverNow();
    if (serverNow === null) return;

    const t = this.now();
    if (this.pendingSeek !== null && t - this.pendingSeek.issuedAt > this.config.seekTimeoutMs) {
      this.pendingSeek = null;
    }
    const playback = room.playback;
    const duration = media.duration ?? (Number.isFinite(v.duration) && v.duration > 0 ? v.duration : null);
    const expected = expectedPosition(playback, serverNow, duration);
    const current = v.currentTime;
    const atEnd = duration !== null && expected >= duration - END_EPSILON_S;
    const seekBusy = v.seeking || this.pendingSeek !== null;

    if (!playback.playing) {
      this.park(playback, current, expected, seekBusy);
      return;
    }
    if (isScheduledStart(playback, serverNow)) {
      this.hold(playback, current, expected, seekBusy, serverNow);
      return;
    }
    this.pausedSeek = null;

    if (v.paused) {
      this.host.reportDrift(null);
      if (v.ended && atEnd) return; // done; the room pauses at the end by itself
      if (this.playPending || this.blocked) return;
      // the scheduled start is late (its timer has not fired yet): start now
      this.cancelScheduledStart();
      // play() on an ended element would restart from 0, and a paused player far
      // from the clock should start from the right place: seek first
      if (!seekBusy && (v.ended || Math.abs(current - expected) * 1000 > this.config.seekThresholdMs)) {
        this.seek(expected + ((this.lead.ms / 1000) * playback.rate), this.lead.ms, playback.rate, duration);
      }
      this.startPlayback();
      return;
    }

    const unsettled =
      seekBusy || t < this.settleUntil || this.playPending || v.readyState < HAVE_FUTURE_DATA || (v.ended && atEnd);
    const driftMs = (current - expected) * 1000;
    if (this.leadCheck !== null && !unsettled && t >= this.leadCheck.at) {
      this.lead.observe(this.leadCheck.leadMs, driftMs, this.leadCheck.rate);
      this.leadCheck = null;
    }
    if (this.startCheck !== null && !unsettled && t >= this.startCheck.at) {
      this.startLead.observe(this.startCheck.leadMs, driftMs, this.startCheck.rate);
      this.startCheck = null;
    }
    // samples taken while the player jumps or starts say nothing about the steady drift
    if (unsettled) this.filter.reset();
    const decision = decideCorrection(
      {
        currentS: current,
        expectedS: expected,
        smoothedDriftMs: unsettled ? undefined : this.filter.add(driftMs),
        roomRate: playback.rate,
        playing: true,
        seekPending: unsettled,
        seekLeadMs: this.lead.ms,
        durationS: duration,
      },
      this.correction,
      this.config,
    );
    this.correction = decision.next;
    if (decision.action === 'seek' && decision.seekTo !== undefined) {
      this.seek(decision.seekTo, this.lead.ms, playback.rate);
    }
    this.setRate(decision.playbackRate);
    this.host.reportDrift(unsettled ? null : decision.driftMs);
  }

  /** A paused room: the element waits, paused, exactly at the position. */
  private park(playback: Playback, current: number, expected: number, seekBusy: boolean): void {
    const v = this.video;
    this.filter.reset();
    if (!v.paused) v.pause();
    this.setRate(playback.rate);
    const decision = decideCorrection(
      { currentS: current, expectedS: expected, roomRate: playback.rate, playing: false, seekPending: seekBusy },
      IDLE,
      this.config,
    );
    // Some browsers land a paused seek on a frame boundary, and some sources cannot seek at all:
    // don't seek to the same place again and again.
    const t = this.now();
    const sameTarget =
      this.pausedSeek !== null && decision.seekTo !== undefined && Math.abs(decision.seekTo - this.pausedSeek.target) < 0.001;
    const repeated =
      sameTarget && (Math.abs(current - decision.seekTo!) < 0.05 || t - this.pausedSeek!.at < PAUSED_RESEEK_MS);
    if (decision.action === 'seek' && decision.seekTo !== undefined && !repeated) {
      this.pausedSeek = { target: decision.seekTo, at: t };
      this.seek(decision.seekTo, 0, playback.rate);
    }
    this.host.reportDrift(decision.driftMs);
  }

  /**
   * A scheduled start: park at the position until shortly before the anchor,
   * then call play() early by the learned start lead, so the media starts
   * moving on the anchor instant. Once play() has been called the element is
   * left alone until the start has settled.
   */
  private hold(playback: Playback, current: number, expected: number, seekBusy: boolean, serverNow: number): void {
    const scheduled = this.scheduled;
    if (scheduled !== null && scheduled.playback === playback && scheduled.issued) {
      this.host.reportDrift(null);
      return;
    }
    this.park(playback, current, expected, seekBusy);
    const t = this.now();
    const at = t + (playback.anchor - serverNow) - this.startLead.ms;
    // already aimed, and the clock estimate has not moved since: keep the timer
    if (scheduled !== null && scheduled.playback === playback && Math.abs(scheduled.at - at) <= REAIM_MS) return;
    this.cancelScheduledStart();
    const start: ScheduledStart = { playback, timer: null, at, issued: false };
    this.scheduled = start;
    if (at <= t) this.beginScheduledStart(start);
    else start.timer = setTimeout(() => this.beginScheduledStart(start), at - t);
  }

  private beginScheduledStart(start: ScheduledStart): void {
    start.timer = null;
    const v = this.video;
    const room = this.host.room.peek();
    // the clock changed meanwhile, or the element cannot start yet: the next tick decides
    if (this.scheduled !== start || room?.playback !== start.playback) return;
    if (v.readyState < HAVE_METADATA || v.error !== null || this.blocked || this.playPending || !v.paused) return;
    start.issued = true;
    const leadMs = this.startLead.ms;
    // the media should start moving at the anchor, leadMs from now; judge it only once that has settled
    this.settleUntil = this.now() + leadMs + this.config.startSettleMs;
    this.startCheck = { at: this.settleUntil, leadMs, rate: start.playback.rate };
    this.filter.reset();
    this.startPlayback();
  }

  private cancelScheduledStart(): void {
    if (this.scheduled?.timer != null) clearTimeout(this.scheduled.timer);
    this.scheduled = null;
  }

  private onStatusEvent(type: string): void {
    // errors are the source's to judge (onMediaError)
    if (this.attachment === null || type === 'error') return;
    if (this.attachment.state.peek().phase !== 'attached') return;
    this.setStatus(playerStateAfter(type, this.video.readyState, this.status));
  }

  private setStatus(state: PlayerState): void {
    if (state === this.status) return;
    this.status = state;
    this.host.reportStatus(state);
  }

  private seek(target: number, leadMs: number, rate: number, duration?: number | null): void {
    const v = this.video;
    const clamped = duration != null ? Math.min(Math.max(target, 0), duration) : Math.max(target, 0);
    this.pendingSeek = { issuedAt: this.now(), leadMs, rate, learn: !v.paused };
    this.leadCheck = null;
    this.startCheck = null;
    this.filter.reset();
    this.seeks += 1;
    v.currentTime = clamped;
  }

  private onSeeked(): void {
    const seek = this.pendingSeek;
    if (seek === null) return;
    this.pendingSeek = null;
    const t = this.now();
    this.settleUntil = t + this.config.postSeekSettleMs;
    if (seek.learn && !this.video.paused) {
      this.leadCheck = { at: this.settleUntil, leadMs: seek.leadMs, rate: seek.rate };
    }
  }

  private startPlayback(): void {
    const v = this.video;
    this.playPending = true;
    let started: Promise<void>;
    try {
      started = v.play();
    } catch (error) {
      // very old browsers return nothing or throw synchronously
      started = Promise.reject(error);
    }
    Promise.resolve(started).then(
      () => {
        this.playPending = false;
        if (!v.muted) this.host.setAutoplay('ok');
      },
      (error: unknown) => {
        this.playPending = false;
        if (error instanceof DOMException && error.name === 'NotAllowedError') {
          if (!v.muted) {
            // Browsers allow muted autoplay; the page offers an Unmute button.
            v.muted = true;
            this.host.setAutoplay('muted');
            this.tick();
          } else {
            this.blocked = true;
            this.host.setAutoplay('blocked');
          }
        }
        // AbortError: a pause() or a new source interrupted the start; the next tick decides again
      },
    );
  }

  private setRate(rate: number): void {
    const r = Math.min(Math.max(rate, MIN_ELEMENT_RATE), MAX_ELEMENT_RATE);
    if (Math.abs(this.video.playbackRate - r) > 1e-6) this.video.playbackRate = r;
  }

  private onMediaError(): void {
    const error = this.video.error;
    // the source tries a fresh stream or fails (and onSourceState reports it)
    if (error !== null) this.attachment?.elementFailed(error.code);
  }
}
