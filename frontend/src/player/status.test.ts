import { describe, expect, it } from 'vitest';
import { playerStateAfter } from './status';

describe('playerStateAfter', () => {
  it('buffers on waiting, and on stalled only without data to play on', () => {
    expect(playerStateAfter('waiting', 4, 'ready')).toBe('buffering');
    expect(playerStateAfter('stalled', 2, 'ready')).toBe('buffering');
    expect(playerStateAfter('stalled', 4, 'ready')).toBe('ready');
  });

  it('is ready on playing, canplay and seeked when it can play', () => {
    for (const event of ['playing', 'canplay', 'seeked']) {
      expect(playerStateAfter(event, 3, 'buffering')).toBe('ready');
      expect(playerStateAfter(event, 2, 'buffering')).toBe('buffering');
    }
  });

  it('is in error on error, and unchanged by other events', () => {
    expect(playerStateAfter('error', 0, 'ready')).toBe('error');
    expect(playerStateAfter('timeupdate', 4, 'buffering')).toBe('buffering');
  });
});
