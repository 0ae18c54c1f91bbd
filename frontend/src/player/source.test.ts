import { signal } from '@preact/signals';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api';
import type { ResolveResponse, SourceKind } from '../protocol';
import { FakeVideo } from '../testing/fake-video';
import {
  attachResolved,
  engineFor,
  type SourceState,
  type StreamAttacher,
  type StreamFailure,
} from './source';

const LINK = 'https://v.example/watch/1';
const BASE = 'http://node.test:8080/rooms/abc';

function answer(kind: SourceKind, stream: string): ResolveResponse {
  return { kind, url: LINK, title: 'A film', duration: 60, thumbnail: null, stream, qualities: [], proxied: true, live: false };
}

/** An attacher that records what it was asked to attach, and lets the test fail the stream. */
function recordingAttacher() {
  const attached: Array<{ kind: SourceKind; stream: string; fail: (f: StreamFailure) => void; detached: boolean }> = [];
  const attach: StreamAttacher = (video, kind, stream, onFailure) => {
    const entry = { kind, stream, fail: onFailure, detached: false };
    attached.push(entry);
    video.src = stream;
    return {
      qualities: signal([{ index: 0, height: 360, bitrate: 800_000 }]),
      quality: signal(-1),
      setQuality() {},
      detach() {
        entry.detached = true;
      },
    };
  };
  return { attach, attached };
}

function setup(...answers: Array<ResolveResponse | Error>) {
  const video = new FakeVideo();
  const resolve = vi.fn(async (_url: string) => {
    const next = answers.shift();
    if (next === undefined) throw new Error('no more answers');
    if (next instanceof Error) throw next;
    return next;
  });
  const { attach, attached } = recordingAttacher();
  const states: SourceState[] = [];
  const media = attachResolved(video.asElement(), LINK, { resolve, attach, base: BASE }, (s) => states.push(s));
  return { video, resolve, attached, states, media };
}

const settle = () => vi.advanceTimersByTimeAsync(0);

describe('engineFor', () => {
  const mse = { mediaSource: true, nativeHls: false };
  const safari = { mediaSource: false, nativeHls: true };
  const neither = { mediaSource: false, nativeHls: false };

  it('plays files on the element, HLS with hls.js and DASH with dash.js where Media Source Extensions exist', () => {
    expect(engineFor('direct', mse)).toBe('element');
    expect(engineFor('hls', mse)).toBe('hls.js');
    expect(engineFor('dash', mse)).toBe('dash.js');
  });

  it('falls back to the browser’s own HLS, and has nothing for DASH without Media Source Extensions', () => {
    expect(engineFor('hls', safari)).toBe('element');
    expect(engineFor('dash', safari)).toBeNull();
    expect(engineFor('hls', neither)).toBeNull();
    expect(engineFor('direct', neither)).toBe('element');
  });
});

describe('attachResolved', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('resolves the link first, then attaches the stream it was given by its kind', async () => {
    const { resolve, attached, states, media, video } = setup(answer('hls', '/api/proxy/tok1/stream'));
    expect(media.state.value).toEqual({ phase: 'resolving' });
    expect(video.src).toBe('');
    await settle();
    expect(resolve).toHaveBeenCalledWith(LINK);
    // a path on the node is made absolute against the page
    expect(attached.map((a) => [a.kind, a.stream])).toEqual([['hls', 'http://node.test:8080/api/proxy/tok1/stream']]);
    expect(states).toEqual([
      { phase: 'resolving' },
      { phase: 'attached', kind: 'hls', stream: 'http://node.test:8080/api/proxy/tok1/stream' },
    ]);
    expect(media.qualities.value).toHaveLength(1);
  });

  it('attaches a direct file at the address the resolver gave, and DASH by its kind', async () => {
    const direct = setup(answer('direct', 'https://cdn.example/file.mp4'));
    await settle();
    expect(direct.attached.map((a) => [a.kind, a.stream])).toEqual([['direct', 'https://cdn.example/file.mp4']]);
    const dash = setup(answer('dash', '/api/proxy/tok/stream'));
    await settle();
    expect(dash.attached.map((a) => a.kind)).toEqual(['dash']);
  });

  it('fails with the resolver’s code when the link cannot be played', async () => {
    const { attached, media } = setup(new ApiError(422, 'geo_blocked', 'Not in this country.'));
    await settle();
    expect(attached).toEqual([]);
    expect(media.state.value).toEqual({ phase: 'failed', failure: { code: 'geo_blocked', message: 'Not in this country.' } });
  });

  it('resolves once more when the stream stops loading, and attaches the fresh stream', async () => {
    const { resolve, attached, media } = setup(answer('hls', '/api/proxy/old/stream'), answer('hls', '/api/proxy/new/stream'));
    await settle();
    attached[0]!.fail('network');
    expect(attached[0]!.detached).toBe(true);
    expect(media.state.value.phase).toBe('resolving');
    await settle();
    expect(resolve).toHaveBeenCalledTimes(2);
    expect(media.state.value).toEqual({ phase: 'attached', kind: 'hls', stream: 'http://node.test:8080/api/proxy/new/stream' });
  });

  it('gives up after the fresh stream fails too, rather than looping', async () => {
    const { resolve, attached, media } = setup(answer('hls', '/api/proxy/a/stream'), answer('hls', '/api/proxy/b/stream'), answer('hls', '/c'));
    await settle();
    attached[0]!.fail('network');
    await settle();
    attached[1]!.fail('network');
    await settle();
    expect(resolve).toHaveBeenCalledTimes(2);
    expect(media.state.value).toMatchObject({ phase: 'failed', failure: { code: 'stream_failed' } });
    expect(attached[1]!.detached).toBe(true);
  });

  it('earns its second chance back once a fresh stream got to play', async () => {
    const { video, resolve, attached, media } = setup(answer('hls', '/a'), answer('hls', '/b'), answer('hls', '/c'));
    await settle();
    attached[0]!.fail('network');
    await settle();
    video.emit('canplay');
    // hours later the proxy token expires
    attached[1]!.fail('network');
    await settle();
    expect(resolve).toHaveBeenCalledTimes(3);
    expect(media.state.value).toMatchObject({ phase: 'attached', stream: 'http://node.test:8080/c' });
  });

  it('does not resolve again for media the browser cannot play', async () => {
    const { resolve, attached, media } = setup(answer('dash', '/a'), answer('dash', '/b'));
    await settle();
    attached[0]!.fail('media');
    await settle();
    expect(resolve).toHaveBeenCalledTimes(1);
    expect(media.state.value).toMatchObject({ phase: 'failed', failure: { code: 'unplayable' } });
  });

  it('fetches a fresh stream after a network or source error of the element, not after a decode error', async () => {
    const network = setup(answer('direct', 'https://cdn.example/a.mp4?exp=1'), answer('direct', 'https://cdn.example/a.mp4?exp=2'));
    await settle();
    network.media.elementFailed(4);
    await settle();
    expect(network.media.state.value).toMatchObject({ phase: 'attached', stream: 'https://cdn.example/a.mp4?exp=2' });

    const decode = setup(answer('direct', 'https://cdn.example/a.mp4'), answer('direct', 'https://cdn.example/b.mp4'));
    await settle();
    decode.media.elementFailed(3);
    await settle();
    expect(decode.resolve).toHaveBeenCalledTimes(1);
    expect(decode.media.state.value).toMatchObject({ phase: 'failed', failure: { code: 'media_decode' } });
  });

  it('ignores an answer that arrives after it was detached', async () => {
    const { attached, media, states } = setup(answer('hls', '/a'));
    media.detach();
    await settle();
    expect(attached).toEqual([]);
    expect(states).toEqual([{ phase: 'resolving' }]);
  });

  it('ignores failures of a stream it has already replaced', async () => {
    const { resolve, attached, media } = setup(answer('hls', '/a'), answer('hls', '/b'), answer('hls', '/c'));
    await settle();
    attached[0]!.fail('network');
    await settle();
    attached[0]!.fail('network');
    await settle();
    expect(resolve).toHaveBeenCalledTimes(2);
    expect(media.state.value).toMatchObject({ phase: 'attached', stream: 'http://node.test:8080/b' });
  });
});
