import { computed, signal, type ReadonlySignal } from '@preact/signals';
import type { MediaPlayerClass, MediaPlayerErrorEvent } from 'dashjs';
import type Hls from 'hls.js';
import type { ResolveResponse, SourceKind } from '../protocol';
import { describeError, type LinkFailure } from '../links/failures';

/** One rung of an adaptive stream, as the quality menu offers it. */
export interface Quality {
  /** Index in the player's list, passed back to setQuality(). */
  index: number;
  height: number;
  bitrate: number;
}

/** The rungs of a stream and the choice among them; empty and -1 for single files. */
interface QualityChoice {
  /** The rungs an adaptive stream offers, tallest first; empty for single files. */
  readonly qualities: ReadonlySignal<readonly Quality[]>;
  /** The chosen rung's index, or -1 for automatic choice. */
  readonly quality: ReadonlySignal<number>;
  setQuality(index: number): void;
}

/** A stream put on the element by one engine; detach() before attaching the next. */
export interface StreamAttachment extends QualityChoice {
  detach(): void;
}

/**
 * The stream stopped loading and its engine gave up: a network failure (the
 * proxy's token expired, the upstream URL changed), which a fresh stream from
 * the resolver may fix, or media the browser cannot play, which it will not.
 */
export type StreamFailure = 'network' | 'media';

/** Attaches a stream of a kind: attachStream, or a fake in tests. */
export type StreamAttacher = (
  video: HTMLVideoElement,
  kind: SourceKind,
  stream: string,
  onFailure: (failure: StreamFailure) => void,
) => StreamAttachment;

/** Where the source of the room's media is: being resolved, on the element, or not playable. */
export type SourceState =
  | { phase: 'resolving' }
  | { phase: 'attached'; kind: SourceKind; stream: string }
  | { phase: 'failed'; failure: LinkFailure };

/** The room's media on the element, whatever stream it took to get there. */
export interface MediaAttachment extends QualityChoice {
  /** The room's media URL (the link, not the stream). */
  readonly url: string;
  readonly state: ReadonlySignal<SourceState>;
  /**
   * The element reported error `code` (MediaError.code): a fresh stream is
   * fetched when that may help and the link has its second chance; otherwise
   * the source fails (state `failed`).
   */
  elementFailed(code: number): void;
  detach(): void;
}

/** What a player tells about its source as it changes (the follower resets its corrections on a new stream). */
export type SourceLoader = (
  video: HTMLVideoElement,
  url: string,
  onState: (state: SourceState) => void,
) => MediaAttachment;

// ---- choosing an engine ----

export type Engine = 'element' | 'hls.js' | 'dash.js';

export interface PlaybackSupport {
  /** Media Source Extensions: hls.js and dash.js work. */
  mediaSource: boolean;
  /** The element plays HLS itself (Safari). */
  nativeHls: boolean;
}

/**
 * The engine that plays a kind of stream here: the element plays files;
 * HLS goes through hls.js wherever Media Source Extensions exist (which also
 * gives the quality menu) and through the browser's own HLS where they do
 * not; DASH needs dash.js, so Media Source Extensions. Null: not playable here.
 */
export function engineFor(kind: SourceKind, support: PlaybackSupport): Engine | null {
  switch (kind) {
    case 'direct':
      return 'element';
    case 'hls':
      return support.mediaSource ? 'hls.js' : support.nativeHls ? 'element' : null;
    case 'dash':
      return support.mediaSource ? 'dash.js' : null;
  }
}

export function browserSupport(video: HTMLVideoElement): PlaybackSupport {
  return {
    mediaSource: mediaSourceWorks(),
    nativeHls: video.canPlayType('application/vnd.apple.mpegurl') !== '',
  };
}

/**
 * Whether Media Source Extensions can play H.264 and AAC in fMP4, which is what
 * hls.js and dash.js need (hls.js asks the same before it plays). Asked here so
 * that neither player has to be loaded to find out.
 */
function mediaSourceWorks(): boolean {
  const source =
    (globalThis as { ManagedMediaSource?: typeof MediaSource }).ManagedMediaSource ??
    (typeof MediaSource === 'undefined' ? undefined : MediaSource);
  return (
    typeof source === 'function' &&
    typeof source.isTypeSupported === 'function' &&
    source.isTypeSupported('video/mp4; codecs="avc1.42E01E,mp4a.40.2"')
  );
}

/** The absolute URL of a stream the server gave as a path on this node. */
export function streamUrl(stream: string, base: string): string {
  return new URL(stream, base).toString();
}

/**
 * Puts a stream on the element with the engine for its kind. Every source
 * goes through here. A stream no engine here plays fails as `media`.
 */
export const attachStream: StreamAttacher = (video, kind, stream, onFailure) => {
  if (kind === 'direct') return attachElement(video, stream);
  switch (engineFor(kind, browserSupport(video))) {
    case 'hls.js':
      return attachHls(video, stream, onFailure);
    case 'dash.js':
      return attachDash(video, stream, onFailure);
    case 'element':
      return attachElement(video, stream);
    case null:
      queueMicrotask(() => onFailure('media'));
      return attachElement(video, null);
  }
};

/** Removing src and reloading releases the network connection and decoder. */
function clearElement(video: HTMLVideoElement): void {
  video.removeAttribute('src');
  video.load();
}

/** The element plays the stream itself; its failures arrive as its own `error` event. */
function attachElement(video: HTMLVideoElement, stream: string | null): StreamAttachment {
  if (stream !== null) video.src = stream;
  return {
    qualities: signal([]),
    quality: signal(-1),
    setQuality() {},
    detach: () => clearElement(video),
  };
}

function byHeight(a: Quality, b: Quality): number {
  return b.height - a.height || b.bitrate - a.bitrate;
}

/**
 * Loads a player's code (its own chunk, fetched on first use) and starts it,
 * unless the stream was detached meanwhile. Code that cannot be loaded is as
 * good as a network failure.
 */
function whenLoaded<M>(
  load: () => Promise<M>,
  detached: () => boolean,
  onFailure: (failure: StreamFailure) => void,
  start: (module: M) => void,
): void {
  load().then(
    (module) => {
      if (!detached()) start(module);
    },
    () => {
      if (!detached()) onFailure('network');
    },
  );
}

/**
 * HLS through hls.js, loaded when the first HLS stream comes rather than with
 * the page (it is most of the player's weight). Its levels are the quality menu.
 */
function attachHls(video: HTMLVideoElement, url: string, onFailure: (failure: StreamFailure) => void): StreamAttachment {
  const qualities = signal<readonly Quality[]>([]);
  const quality = signal(-1);
  let hls: Hls | null = null;
  let detached = false;
  let recoveries = 0;
  whenLoaded(
    () => import('hls.js'),
    () => detached,
    onFailure,
    ({ default: HlsPlayer }) => {
      const player = new HlsPlayer({ capLevelToPlayerSize: false, startLevel: -1 });
      hls = player;
      player.on(HlsPlayer.Events.MANIFEST_PARSED, (_event, data) => {
        qualities.value = data.levels
          .map((level, index) => ({ index, height: level.height, bitrate: level.bitrate }))
          .sort(byHeight);
      });
      player.on(HlsPlayer.Events.ERROR, (_event, data) => {
        if (!data.fatal) return;
        // hls.js has retried the request by its own policy before calling it fatal
        if (data.type === HlsPlayer.ErrorTypes.NETWORK_ERROR) {
          onFailure('network');
        } else if (data.type === HlsPlayer.ErrorTypes.MEDIA_ERROR && recoveries < 2) {
          recoveries += 1;
          player.recoverMediaError();
        } else {
          onFailure('media');
        }
      });
      player.loadSource(url);
      player.attachMedia(video);
    },
  );
  return {
    qualities,
    quality,
    setQuality(index: number) {
      if (hls === null) return;
      // nextLevel switches at the next segment, without a visible stall
      hls.nextLevel = index;
      if (index === -1) hls.currentLevel = -1;
      quality.value = index;
    },
    detach() {
      detached = true;
      hls?.destroy();
      hls = null;
      clearElement(video);
    },
  };
}

/** dash.js errors that mean the stream could not be fetched (rather than played). */
const DASH_DOWNLOAD_ERRORS: ReadonlySet<number> = new Set([11, 17, 25, 26, 27, 28]);

/**
 * DASH through dash.js, loaded only when a DASH stream comes (it is large).
 * Its representations are the quality menu; choosing one turns its automatic
 * switching off, Auto turns it back on.
 */
function attachDash(video: HTMLVideoElement, url: string, onFailure: (failure: StreamFailure) => void): StreamAttachment {
  const qualities = signal<readonly Quality[]>([]);
  const quality = signal(-1);
  let ids: string[] = [];
  let player: MediaPlayerClass | null = null;
  let detached = false;
  whenLoaded(
    () => import('dashjs'),
    () => detached,
    onFailure,
    (dashjs) => {
      const p = dashjs.MediaPlayer().create();
      player = p;
      p.on(dashjs.MediaPlayer.events.STREAM_INITIALIZED, () => {
        const reps = p.getRepresentationsByType('video');
        ids = reps.map((r) => r.id);
        qualities.value = reps
          .map((r, index) => ({ index, height: r.height, bitrate: r.bandwidth }))
          .sort(byHeight);
      });
      p.on(dashjs.MediaPlayer.events.ERROR, (event: MediaPlayerErrorEvent) => {
        const code = typeof event.error === 'object' && event.error !== null ? Number(event.error.code) : NaN;
        onFailure(DASH_DOWNLOAD_ERRORS.has(code) ? 'network' : 'media');
      });
      p.initialize(video, url, false);
    },
  );
  return {
    qualities,
    quality,
    setQuality(index: number) {
      const id = ids[index];
      if (player === null || (index !== -1 && id === undefined)) return;
      player.updateSettings({ streaming: { abr: { autoSwitchBitrate: { video: index === -1 } } } });
      if (id !== undefined) player.setRepresentationForTypeById('video', id);
      quality.value = index;
    },
    detach() {
      detached = true;
      player?.reset();
      player = null;
      clearElement(video);
    },
  };
}

// ---- the room's media: resolve, then attach ----

/** MediaError codes after which a fresh stream may help: the network, or a source the browser refused (a 403 looks like that). */
const RECOVERABLE_ELEMENT_ERRORS: ReadonlySet<number> = new Set([2, 4]);

export interface ResolvedSourceOptions {
  /** POST /api/resolve for the link. */
  resolve(url: string): Promise<ResolveResponse>;
  attach?: StreamAttacher;
  /** What node-relative streams are relative to. */
  base: string;
}

/**
 * The room's media on the element, through the resolver: the player never
 * plays a link itself but the stream POST /api/resolve gives for it (proxy
 * tokens and video sites' stream URLs expire). When the stream stops loading,
 * the link is resolved once more and the fresh stream attached; that second
 * chance comes back only after a stream got to play, so a link that keeps
 * failing ends as `failed` rather than in a loop.
 */
export function attachResolved(
  video: HTMLVideoElement,
  url: string,
  options: ResolvedSourceOptions,
  onState: (state: SourceState) => void = () => {},
): MediaAttachment {
  const attach = options.attach ?? attachStream;
  const state = signal<SourceState>({ phase: 'resolving' });
  const current = signal<StreamAttachment | null>(null);
  let detached = false;
  let secondChance = true;
  // answers and failures of an older stream of this link are stale
  let generation = 0;

  const setState = (next: SourceState) => {
    state.value = next;
    onState(next);
  };
  const dropStream = () => {
    current.peek()?.detach();
    current.value = null;
  };
  const fail = (failure: LinkFailure) => {
    dropStream();
    setState({ phase: 'failed', failure });
  };
  /** Tries a fresh stream if this link still has its second chance. */
  const retry = (): boolean => {
    if (!secondChance) return false;
    secondChance = false;
    resolve();
    return true;
  };
  const resolve = () => {
    const which = ++generation;
    dropStream();
    setState({ phase: 'resolving' });
    options.resolve(url).then(
      (answer) => {
        if (detached || which !== generation) return;
        const stream = streamUrl(answer.stream, options.base);
        current.value = attach(video, answer.kind, stream, (failure) => {
          if (detached || which !== generation) return;
          if (failure === 'media' || !retry()) fail(failure === 'network' ? STREAM_FAILED : UNPLAYABLE);
        });
        setState({ phase: 'attached', kind: answer.kind, stream });
      },
      (error: unknown) => {
        if (!detached && which === generation) fail(describeError(error));
      },
    );
  };
  const restoreChance = () => {
    secondChance = true;
  };

  video.addEventListener('canplay', restoreChance);
  resolve();

  return {
    url,
    state,
    qualities: computed(() => current.value?.qualities.value ?? []),
    quality: computed(() => current.value?.quality.value ?? -1),
    setQuality: (index) => current.peek()?.setQuality(index),
    elementFailed(code: number): void {
      // an error of a stream already let go says nothing
      if (detached || state.peek().phase !== 'attached') return;
      if (!RECOVERABLE_ELEMENT_ERRORS.has(code) || !retry()) fail(elementFailure(code));
    },
    detach() {
      detached = true;
      video.removeEventListener('canplay', restoreChance);
      dropStream();
    },
  };
}

/** The fresh stream failed too. */
export const STREAM_FAILED: LinkFailure = {
  code: 'stream_failed',
  message: 'The video stopped loading from its source, also after its link was read again.',
};

/** No engine here plays it, or the browser cannot decode it. */
export const UNPLAYABLE: LinkFailure = {
  code: 'unplayable',
  message: 'This browser cannot play this video’s format.',
};

/** What a MediaError code means for the person watching. */
export function elementFailure(code: number): LinkFailure {
  switch (code) {
    case 1:
      return { code: 'media_aborted', message: 'Loading the video was stopped.' };
    case 2:
      return STREAM_FAILED;
    case 3:
      return { code: 'media_decode', message: 'The video could not be decoded.' };
    default:
      return UNPLAYABLE;
  }
}
