import { signal } from '@preact/signals';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Playback, PlayerState, ResolveResponse, Room } from '../protocol';
import type { AutoplayState, PlayerHost } from '../room/session';
import { SYNC_CONFIG, type SyncConfig } from '../sync/config';
import { FakeVideo } from '../testing/fake-video';
import { playAsIs } from '../testing/fake-source';
import { item, room as makeRoom } from '../testing/fixtures';
import { ApiError } from '../api';
import { PlaybackFollower } from './follower';
import { attachResolved, type SourceLoader, type StreamFailure } from './source';

const URL_A = 'https://media.example.org/a.webm';
const T0 = 1_000_000;

function roomWith(playback: Partial<Playback>, duration: number | null = 60): Room {
  return makeRoom({
    media: item('i1', { url: URL_A, title: 'a.webm', duration }),
    playback: { playing: false, position: 0, anchor: T0, rate: 1, ...playback },
    serverTime: T0,
  });
}

function setup(initial: Room, config: Readonly<SyncConfig> = SYNC_CONFIG, load: SourceLoader = playAsIs) {
  const room = signal<Room | null>(initial);
  const reported = {
    durations: [] as Array<[string, number]>,
    drifts: [] as Array<number | null>,
    autoplay: [] as AutoplayState[],
    statuses: [] as PlayerState[],
  };
  const host: PlayerHost = {
    room,
    serverNow: () => Date.now(), // client and server clocks agree in these tests
    reportDuration: (url, d) => reported.durations.push([url, d]),
    reportDrift: (ms) => reported.drifts.push(ms),
    reportStatus: (state) => reported.statuses.push(state),
    setAutoplay: (state) => reported.autoplay.push(state),
  };
  const video = new FakeVideo();
  const follower = new PlaybackFollower(video.asElement(), host, load, config, () => Date.now());
  follower.start();
  return { room, video, follower, reported };
}

/** Lets pending play() promises settle. */
const settle = () => vi.advanceTimersByTimeAsync(0);

/** Loads the media and puts the player on the room clock: the state of a player that has been watching. */
async function inSync(initial: Room) {
  const s = setup(initial);
  /** Puts the player `ms` off the room clock (positive: ahead). */
  const placeOff = (ms: number) => {
    const p = initial.playback;
    s.video.setPosition(p.position + ((Date.now() - p.anchor) / 1000) * p.rate + ms / 1000);
  };
  s.video.loaded(60);
  await settle();
  if (s.video.seeking) s.video.finishSeek();
  placeOff(0);
  vi.advanceTimersByTime(SYNC_CONFIG.postSeekSettleMs + 1_000);
  s.video.seekLog = [];
  return { ...s, placeOff };
}

describe('PlaybackFollower', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(T0);
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('attaches the room media and reports its duration when the room does not know it', () => {
    const { video, reported, follower } = setup(roomWith({}, null));
    expect(video.src).toBe(URL_A);
    video.loaded(61.5);
    expect(reported.durations).toEqual([[URL_A, 61.5]]);
    follower.dispose();
  });

  it('plays when the room plays and pauses at the room position when it pauses', async () => {
    const { room, video, follower } = setup(roomWith({ playing: true, position: 0, anchor: T0 }));
    video.loaded(60);
    await settle();
    expect(video.playCalls).toBe(1);
    expect(video.paused).toBe(false);

    vi.advanceTimersByTime(2_000);
    room.value = roomWith({ playing: false, position: 1.9, anchor: T0 + 2_000 });
    expect(video.paused).toBe(true);
    expect(video.seekLog.at(-1)).toBeCloseTo(1.9, 9);
    follower.dispose();
  });

  it('leaves a player inside the dead band at the room rate', async () => {
    const { video, follower, placeOff } = await inSync(roomWith({ playing: true, position: 10, anchor: T0, rate: 1 }));
    placeOff(4);
    vi.advanceTimersByTime(1_000);
    expect(video.playbackRate).toBe(1);
    expect(video.seekLog).toEqual([]);
    follower.dispose();
  });

  it('slows down a player that is ahead and speeds up one that is behind', async () => {
    const ahead = await inSync(roomWith({ playing: true, position: 10, anchor: T0 }));
    ahead.placeOff(60);
    vi.advanceTimersByTime(SYNC_CONFIG.sampleIntervalMs * 3);
    expect(ahead.video.playbackRate).toBeLessThan(1);
    expect(ahead.video.playbackRate).toBeGreaterThanOrEqual(1 - SYNC_CONFIG.maxRateAdjust);
    ahead.follower.dispose();

    const behind = await inSync(roomWith({ playing: true, position: 10, anchor: Date.now() }));
    behind.placeOff(-60);
    vi.advanceTimersByTime(SYNC_CONFIG.sampleIntervalMs * 3);
    expect(behind.video.playbackRate).toBeGreaterThan(1);
    behind.follower.dispose();
  });

  it('converges and then stops correcting', async () => {
    const { video, reported, follower, placeOff } = await inSync(roomWith({ playing: true, position: 10, anchor: T0 }));
    placeOff(200); // below the seek threshold
    vi.advanceTimersByTime(8_000);
    expect(video.seekLog).toEqual([]);
    expect(Math.abs(reported.drifts.at(-1)!)).toBeLessThanOrEqual(SYNC_CONFIG.deadBandMs);
    expect(video.playbackRate).toBe(1);
    follower.dispose();
  });

  it('seeks once for a large drift and does not seek again while the seek is pending', async () => {
    const { video, follower } = setup(roomWith({ playing: true, position: 30, anchor: T0 }));
    video.loaded(60);
    await settle();
    // the element started from 0: 30 s behind; the first tick already seeked
    expect(video.seekLog).toHaveLength(1);
    // aimed ahead by the initial seek lead
    expect(video.seekLog[0]).toBeCloseTo(30 + SYNC_CONFIG.initialSeekLeadMs / 1000, 6);
    vi.advanceTimersByTime(1_000); // a slow seek
    expect(video.seekLog).toHaveLength(1);

    video.finishSeek();
    vi.advanceTimersByTime(SYNC_CONFIG.postSeekSettleMs + 500);
    // landed 1 s behind the clock (the seek took 1 s): a second, corrective seek
    expect(video.seekLog).toHaveLength(2);
    video.finishSeek();
    vi.advanceTimersByTime(2_000);
    expect(video.seekLog).toHaveLength(2);
    expect(follower.sample().seeks).toBe(2);
    follower.dispose();
  });

  it('plays muted when the browser refuses unmuted autoplay, until resumed', async () => {
    const { video, reported, follower } = setup(roomWith({ playing: true, position: 0, anchor: T0 }));
    video.autoplay = 'unmuted-refused';
    video.loaded(60);
    await settle();
    await settle();
    expect(video.muted).toBe(true);
    expect(video.paused).toBe(false);
    expect(reported.autoplay).toContain('muted');

    follower.resume();
    expect(video.muted).toBe(false);
    expect(reported.autoplay.at(-1)).toBe('ok');
    follower.dispose();
  });

  it('stops trying when playback is refused even muted, and starts on resume', async () => {
    const { video, reported, follower } = setup(roomWith({ playing: true, position: 0, anchor: T0 }));
    video.autoplay = 'refused';
    video.loaded(60);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(reported.autoplay.at(-1)).toBe('blocked');
    const calls = video.playCalls;
    await vi.advanceTimersByTimeAsync(1_000);
    expect(video.playCalls).toBe(calls);

    video.autoplay = 'allowed'; // the click is a user gesture
    follower.resume();
    await settle();
    expect(video.paused).toBe(false);
    follower.dispose();
  });

  it('does not restart a video that ended at the end of the media', async () => {
    const { video, follower } = setup(roomWith({ playing: true, position: 59.99, anchor: T0 - 1_000 }));
    video.setPosition(60);
    video.ended = true;
    video.loaded(60);
    vi.advanceTimersByTime(500);
    expect(video.playCalls).toBe(0);
    follower.dispose();
  });

  it('never changes the element on its own between room updates when in sync', async () => {
    const { video, follower } = setup(roomWith({ playing: false, position: 12, anchor: T0 }));
    video.loaded(60);
    expect(video.seekLog).toEqual([12]);
    video.finishSeek();
    vi.advanceTimersByTime(5_000);
    expect(video.seekLog).toEqual([12]);
    expect(video.playCalls).toBe(0);
    follower.dispose();
  });

  it('does not seek again and again when a paused seek does not take', () => {
    const { video, follower } = setup(roomWith({ playing: false, position: 12, anchor: T0 }));
    video.loaded(60);
    expect(video.seekLog).toEqual([12]);
    // a source that cannot seek: the element ends up back at 0
    video.finishSeek();
    video.setPosition(0);
    for (let i = 0; i < 20; i++) video.emit('canplay');
    vi.advanceTimersByTime(500);
    expect(video.seekLog).toEqual([12]);
    vi.advanceTimersByTime(600);
    expect(video.seekLog).toEqual([12, 12]); // tried again, once, after a while
    follower.dispose();
  });

  describe('a scheduled start (a playing clock with its anchor ahead)', () => {
    const exact: SyncConfig = { ...SYNC_CONFIG, initialStartLeadMs: 0 };

    it('holds the player paused at the position until the anchor, then plays on the instant', async () => {
      const { video, follower } = setup(roomWith({ playing: true, position: 10, anchor: T0 + 3_000 }), exact);
      video.loaded(60);
      expect(video.paused).toBe(true);
      expect(video.seekLog).toEqual([10]); // parked exactly at the position, no lead
      video.finishSeek();

      await vi.advanceTimersByTimeAsync(2_999);
      expect(video.paused).toBe(true);
      expect(video.playCalls).toBe(0);
      expect(video.currentTime).toBe(10);

      await vi.advanceTimersByTimeAsync(1);
      expect(video.playCalls).toBe(1);
      expect(video.paused).toBe(false);

      await vi.advanceTimersByTimeAsync(2_000);
      expect(video.currentTime).toBeCloseTo(12, 6);
      expect(video.seekLog).toEqual([10]); // no corrective seek
      follower.dispose();
    });

    it('calls play() early by the learned start lead, so a slow start still begins on time', async () => {
      const learnFast: SyncConfig = { ...SYNC_CONFIG, initialStartLeadMs: 50, seekLeadSmoothing: 1 };
      const { room, video, follower } = setup(roomWith({ playing: true, position: 10, anchor: T0 + 1_000 }), learnFast);
      video.startDelayMs = 80;
      video.loaded(60);
      video.finishSeek();

      // first start: play() 50 ms early, the media moves 80 ms after it: 30 ms late
      await vi.advanceTimersByTimeAsync(949);
      expect(video.playCalls).toBe(0);
      await vi.advanceTimersByTimeAsync(1);
      expect(video.playCalls).toBe(1);
      await vi.advanceTimersByTimeAsync(50 + SYNC_CONFIG.startSettleMs + 10);
      expect(follower.sample().startLeadMs).toBeCloseTo(80, 0);

      // the room pauses, then schedules the next start: this one lands on time
      room.value = roomWith({ playing: false, position: 20, anchor: Date.now() });
      await vi.advanceTimersByTimeAsync(10);
      video.finishSeek();
      const anchor = Date.now() + 2_000;
      room.value = roomWith({ playing: true, position: 20, anchor });
      await vi.advanceTimersByTimeAsync(2_000 - 80 - 1);
      expect(video.paused).toBe(true);
      await vi.advanceTimersByTimeAsync(1);
      expect(video.paused).toBe(false);
      await vi.advanceTimersByTimeAsync(80 + 500);
      const expected = 20 + (Date.now() - anchor) / 1000;
      expect(Math.abs(video.currentTime - expected) * 1000).toBeLessThan(2);
      follower.dispose();
    });

    it('does not start when the clock changes before the anchor', async () => {
      const { room, video, follower } = setup(roomWith({ playing: true, position: 10, anchor: T0 + 1_000 }), exact);
      video.loaded(60);
      video.finishSeek();
      await vi.advanceTimersByTimeAsync(500);
      room.value = roomWith({ playing: false, position: 10, anchor: T0 + 500 });
      await vi.advanceTimersByTimeAsync(2_000);
      expect(video.playCalls).toBe(0);
      expect(video.paused).toBe(true);
      follower.dispose();
    });

    it('re-aims when the start is moved', async () => {
      const { room, video, follower } = setup(roomWith({ playing: true, position: 10, anchor: T0 + 1_000 }), exact);
      video.loaded(60);
      video.finishSeek();
      room.value = roomWith({ playing: true, position: 10, anchor: T0 + 2_500 });
      await vi.advanceTimersByTimeAsync(2_499);
      expect(video.playCalls).toBe(0);
      await vi.advanceTimersByTimeAsync(1);
      expect(video.playCalls).toBe(1);
      follower.dispose();
    });

    it('starts at once, from the right place, when it learns of the start late', async () => {
      const { video, follower } = setup(roomWith({ playing: true, position: 10, anchor: T0 - 2_000 }), exact);
      video.loaded(60);
      await vi.advanceTimersByTimeAsync(0);
      expect(video.playCalls).toBe(1);
      expect(video.seekLog[0]).toBeCloseTo(12 + SYNC_CONFIG.initialSeekLeadMs / 1000, 6);
      follower.dispose();
    });
  });

  describe('player status', () => {
    it('reports buffering, ready and error from the media events', () => {
      const { video, reported, follower } = setup(roomWith({}));
      // a new source loads: not ready before it can play
      expect(reported.statuses).toEqual(['buffering']);
      video.loaded(60);
      expect(reported.statuses).toEqual(['buffering', 'ready']);
      video.emit('waiting');
      expect(reported.statuses).toEqual(['buffering', 'ready', 'buffering']);
      video.readyState = 2;
      video.emit('canplay'); // not enough data yet
      expect(reported.statuses).toEqual(['buffering', 'ready', 'buffering']);
      video.readyState = 4;
      video.emit('playing');
      expect(reported.statuses).toEqual(['buffering', 'ready', 'buffering', 'ready']);
      video.emit('stalled'); // stalled download, but it can play on
      expect(reported.statuses).toEqual(['buffering', 'ready', 'buffering', 'ready']);
      video.error = { code: 4 } as MediaError;
      video.emit('error');
      expect(reported.statuses).toEqual(['buffering', 'ready', 'buffering', 'ready', 'error']);
      follower.dispose();
    });

    it('starts a new item afresh after an error', () => {
      const { room, video, reported, follower } = setup(roomWith({}));
      video.error = { code: 2 } as MediaError;
      video.emit('error');
      video.error = null;
      room.value = makeRoom({ media: item('i2', { url: 'https://media.example.org/b.webm' }) });
      expect(reported.statuses).toEqual(['buffering', 'error', 'buffering']);
      video.loaded(60);
      expect(reported.statuses).toEqual(['buffering', 'error', 'buffering', 'ready']);
      follower.dispose();
    });

    it('is ready again when nothing plays', () => {
      const { room, reported, follower } = setup(roomWith({}));
      room.value = makeRoom({ media: null });
      expect(reported.statuses).toEqual(['buffering', 'ready']);
      follower.dispose();
    });
  });
  describe('resolved sources', () => {
    /** A loader through attachResolved whose answers the test hands out, and whose streams it can fail. */
    function resolving() {
      const pending: Array<{ url: string; answer(r: ResolveResponse | Error): void }> = [];
      const failStream: Array<(f: StreamFailure) => void> = [];
      const load: SourceLoader = (video, url, onState) =>
        attachResolved(
          video,
          url,
          {
            base: 'http://node.test/',
            resolve: (link) =>
              new Promise((ok, no) =>
                pending.push({ url: link, answer: (r) => (r instanceof Error ? no(r) : ok(r)) }),
              ),
            attach: (v, _kind, stream, onFailure) => {
              v.src = stream;
              failStream.push(onFailure);
              return { qualities: signal([]), quality: signal(-1), setQuality() {}, detach: () => v.removeAttribute('src') };
            },
          },
          onState,
        );
      const hls = (token: string): ResolveResponse => ({
        kind: 'hls', url: URL_A, title: 'a', duration: 60, thumbnail: null,
        stream: `/api/proxy/${token}/stream`, qualities: [], proxied: true, live: false,
      });
      return { load, pending, failStream, hls };
    }

    it('is buffering while the link resolves, and plays the stream it resolved to', async () => {
      const r = resolving();
      const { video, reported, follower } = setup(roomWith({ playing: true, position: 0, anchor: T0 }), SYNC_CONFIG, r.load);
      expect(reported.statuses).toEqual(['buffering']);
      expect(r.pending.map((p) => p.url)).toEqual([URL_A]);
      expect(video.src).toBe('');
      r.pending[0]!.answer(r.hls('t1'));
      await settle();
      expect(video.src).toBe('http://node.test/api/proxy/t1/stream');
      video.loaded(60);
      await settle();
      expect(reported.statuses).toEqual(['buffering', 'ready']);
      expect(video.playCalls).toBe(1);
      follower.dispose();
    });

    it('reports an error, not ready, when the link cannot be played', async () => {
      const r = resolving();
      const { video, reported, follower } = setup(roomWith({}), SYNC_CONFIG, r.load);
      r.pending[0]!.answer(new ApiError(422, 'drm', 'The video is protected by DRM.'));
      await settle();
      expect(reported.statuses).toEqual(['buffering', 'error']);
      expect(follower.source.value?.state.value).toMatchObject({ phase: 'failed', failure: { code: 'drm' } });
      // stray element events do not make it ready
      video.readyState = 4;
      video.emit('canplay');
      expect(reported.statuses).toEqual(['buffering', 'error']);
      follower.dispose();
    });

    it('puts a fresh stream back on the room clock after the old one failed', async () => {
      const r = resolving();
      const { video, reported, follower } = setup(roomWith({ playing: true, position: 0, anchor: T0 }), SYNC_CONFIG, r.load);
      r.pending[0]!.answer(r.hls('t1'));
      await settle();
      video.loaded(60);
      await settle();
      vi.advanceTimersByTime(20_000);
      // the proxy token expired: the stream stops loading
      r.failStream[0]!('network');
      expect(reported.statuses.at(-1)).toBe('buffering');
      expect(r.pending).toHaveLength(2);
      // while the fresh stream is fetched, the element is left alone
      video.seekLog = [];
      video.pause();
      vi.advanceTimersByTime(1_000);
      expect(video.seekLog).toEqual([]);
      expect(video.paused).toBe(true);
      r.pending[1]!.answer(r.hls('t2'));
      await settle();
      expect(video.src).toBe('http://node.test/api/proxy/t2/stream');
      // the new stream starts at 0 and paused: the follower seeks it to the room clock
      video.pause();
      video.setPosition(0);
      video.seekLog = [];
      video.loaded(60);
      await settle();
      expect(video.seekLog).toHaveLength(1);
      expect(video.seekLog[0]).toBeGreaterThan(20);
      expect(reported.statuses.at(-1)).toBe('ready');
      follower.dispose();
    });

    it('tries a link that failed again when it is played again as a new item', async () => {
      const r = resolving();
      const { room, follower } = setup(roomWith({}), SYNC_CONFIG, r.load);
      r.pending[0]!.answer(new ApiError(422, 'probe_timeout', 'Too slow.'));
      await settle();
      room.value = makeRoom({ media: item('i9', { url: URL_A }) });
      expect(r.pending).toHaveLength(2);
      follower.dispose();
    });
  });
});
