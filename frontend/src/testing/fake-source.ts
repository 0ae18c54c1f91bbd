import { signal } from '@preact/signals';
import { attachStream, elementFailure, type SourceLoader, type SourceState } from '../player/source';

/**
 * A source loader for tests of the follower: the link goes on the element at
 * once, as a file, with no resolver in between; an element error fails it.
 */
export const playAsIs: SourceLoader = (video, url, onState) => {
  const attached = attachStream(video, 'direct', url, () => {});
  const state = signal<SourceState>({ phase: 'attached', kind: 'direct', stream: url });
  return {
    url,
    state,
    qualities: attached.qualities,
    quality: attached.quality,
    setQuality: attached.setQuality,
    elementFailed(code: number) {
      state.value = { phase: 'failed', failure: elementFailure(code) };
      onState(state.value);
    },
    detach: attached.detach,
  };
};
