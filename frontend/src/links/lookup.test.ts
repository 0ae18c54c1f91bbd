import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api';
import type { ResolveResponse, SearchResponse } from '../protocol';
import { EMPTY_LOOKUP, LinkLookup, LOOKUP_PAUSE_MS, stepLookup, type LookupEvent, type LookupState } from './lookup';

function preview(url: string, over: Partial<ResolveResponse> = {}): ResolveResponse {
  return {
    kind: 'hls',
    url,
    title: 'A film',
    duration: 95,
    thumbnail: 'https://i.example.org/t.jpg',
    stream: '/api/proxy/tok/stream',
    qualities: [],
    proxied: true,
    live: false,
    ...over,
  };
}

/** Runs events through the step function, collecting effects. */
function run(events: LookupEvent[], from: LookupState = EMPTY_LOOKUP) {
  let state = from;
  const effects = [];
  for (const event of events) {
    const step = stepLookup(state, event);
    state = step.state;
    if (step.effect !== null) effects.push(step.effect);
  }
  return { state, effects };
}

describe('stepLookup', () => {
  it('waits for typing to pause, then resolves the link', () => {
    const typed = run([{ type: 'input', text: 'https://v.example/a.m3u8' }]);
    expect(typed.state.phase).toBe('waiting');
    expect(typed.effects).toEqual([{ type: 'wait', seq: 1 }]);
    const paused = run([{ type: 'pause_over', seq: 1 }], typed.state);
    expect(paused.state.phase).toBe('pending');
    expect(paused.effects).toEqual([{ type: 'resolve', seq: 1, url: 'https://v.example/a.m3u8' }]);
    const answered = run([{ type: 'resolved', seq: 1, preview: preview('https://v.example/a.m3u8') }], paused.state);
    expect(answered.state.phase).toBe('done');
    expect(answered.state.preview?.title).toBe('A film');
  });

  it('starts the pause again on every keystroke, and ignores the timers of earlier text', () => {
    const { state, effects } = run([
      { type: 'input', text: 'https://v.example/a' },
      { type: 'input', text: 'https://v.example/ab' },
      { type: 'pause_over', seq: 1 },
    ]);
    expect(effects).toEqual([
      { type: 'wait', seq: 1 },
      { type: 'wait', seq: 2 },
    ]);
    expect(state.phase).toBe('waiting');
  });

  it('drops a late answer for text that has changed since', () => {
    const { state } = run([
      { type: 'input', text: 'https://v.example/a' },
      { type: 'pause_over', seq: 1 },
      { type: 'input', text: 'https://v.example/b' },
      { type: 'resolved', seq: 1, preview: preview('https://v.example/a') },
      { type: 'failed', seq: 1, failure: { code: 'drm', message: '' } },
    ]);
    expect(state.phase).toBe('waiting');
    expect(state.preview).toBeNull();
    expect(state.failure).toBeNull();
  });

  it('keeps the preview when only the spacing around the same link changes', () => {
    const { state, effects } = run([
      { type: 'input', text: 'https://v.example/a' },
      { type: 'pause_over', seq: 1 },
      { type: 'resolved', seq: 1, preview: preview('https://v.example/a') },
      { type: 'input', text: 'https://v.example/a ' },
    ]);
    expect(state.phase).toBe('done');
    expect(state.preview).not.toBeNull();
    expect(effects).toHaveLength(2);
  });

  it('shows the failure code of a link that cannot be played', () => {
    const { state } = run([
      { type: 'input', text: 'https://v.example/a' },
      { type: 'pause_over', seq: 1 },
      { type: 'failed', seq: 1, failure: { code: 'private', message: 'The video is private or needs a login.' } },
    ]);
    expect(state.phase).toBe('failed');
    expect(state.failure?.code).toBe('private');
  });

  it('searches words only when asked, and keeps the hits in view while the words are edited', () => {
    const typed = run([{ type: 'input', text: 'big buck' }]);
    expect(typed.effects).toEqual([]);
    expect(typed.state.phase).toBe('idle');
    const asked = run([{ type: 'search' }], typed.state);
    expect(asked.state.phase).toBe('pending');
    expect(asked.effects).toEqual([{ type: 'search', seq: 1, query: 'big buck' }]);
    const hits = [{ url: 'https://v.example/1', title: 'Big Buck Bunny', duration: 596, thumbnail: null }];
    const found = run([{ type: 'found', seq: 1, query: 'big buck', results: hits }], asked.state);
    expect(found.state).toMatchObject({ phase: 'done', results: hits, resultsFor: 'big buck' });
    const edited = run([{ type: 'input', text: 'big buck bunny' }], found.state);
    expect(edited.state).toMatchObject({ phase: 'idle', results: hits, resultsFor: 'big buck' });
  });

  it('refuses to search for too long a text without asking the server', () => {
    const { state, effects } = run([{ type: 'input', text: 'x'.repeat(201) }, { type: 'search' }]);
    expect(effects).toEqual([]);
    expect(state.failure?.code).toBe('invalid');
  });

  it('does not search for a link, and forgets everything when emptied', () => {
    const link = run([{ type: 'input', text: 'https://v.example/a' }, { type: 'search' }]);
    expect(link.effects).toEqual([{ type: 'wait', seq: 1 }]);
    const cleared = run([{ type: 'input', text: '' }], link.state);
    expect(cleared.state).toMatchObject({ phase: 'idle', text: '', preview: null, results: null });
    // the pending pause of the old text is stale now
    expect(run([{ type: 'pause_over', seq: 1 }], cleared.state).effects).toEqual([]);
  });
});

describe('LinkLookup', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  function lookup() {
    const resolve = vi.fn<(url: string) => Promise<ResolveResponse>>();
    const search = vi.fn<(q: string) => Promise<SearchResponse>>();
    return { resolve, search, lookup: new LinkLookup({ resolve, search }) };
  }

  it('resolves a pasted link once typing pauses, and shows pending until the answer', async () => {
    const { resolve, lookup: l } = lookup();
    let answer!: (r: ResolveResponse) => void;
    resolve.mockReturnValue(new Promise((r) => (answer = r)));
    l.input('https://v.example/a');
    l.input('https://v.example/a.m3u8');
    vi.advanceTimersByTime(LOOKUP_PAUSE_MS - 1);
    expect(resolve).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(resolve).toHaveBeenCalledTimes(1);
    expect(resolve).toHaveBeenCalledWith('https://v.example/a.m3u8');
    expect(l.state.value.phase).toBe('pending');
    answer(preview('https://v.example/a.m3u8'));
    await vi.advanceTimersByTimeAsync(0);
    expect(l.state.value).toMatchObject({ phase: 'done', preview: { title: 'A film' } });
  });

  it('shows the code of a refused link', async () => {
    const { resolve, lookup: l } = lookup();
    resolve.mockRejectedValue(new ApiError(422, 'unsupported_site', 'Watchroom cannot play videos from this page.'));
    l.input('https://shop.example/item');
    await vi.advanceTimersByTimeAsync(LOOKUP_PAUSE_MS);
    expect(l.state.value.failure).toEqual({ code: 'unsupported_site', message: 'Watchroom cannot play videos from this page.' });
  });

  it('searches on request and shows the server’s error when search is unavailable', async () => {
    const { search, lookup: l } = lookup();
    search.mockRejectedValueOnce(new ApiError(422, 'extractor_failed', 'Searching failed.'));
    l.input('big buck bunny');
    await vi.advanceTimersByTimeAsync(LOOKUP_PAUSE_MS * 2);
    expect(search).not.toHaveBeenCalled();
    l.search();
    expect(l.state.value.phase).toBe('pending');
    await vi.advanceTimersByTimeAsync(0);
    expect(search).toHaveBeenCalledWith('big buck bunny');
    expect(l.state.value).toMatchObject({ phase: 'failed', failure: { code: 'extractor_failed' } });
  });

  it('does nothing more once disposed', async () => {
    const { resolve, lookup: l } = lookup();
    l.input('https://v.example/a');
    l.dispose();
    await vi.advanceTimersByTimeAsync(LOOKUP_PAUSE_MS);
    expect(resolve).not.toHaveBeenCalled();
  });
});
