import { describe, expect, it } from 'vitest';
import { ApiError } from '../api';
import { LINK_FAILURE_CODES } from '../protocol';
import { describeError, describeFailure } from './failures';

describe('describeFailure', () => {
  it('has its own heading for every code the resolver sends', () => {
    const titles = LINK_FAILURE_CODES.map((code) => describeFailure({ code, message: '' }).title);
    expect(titles).not.toContain('The link cannot be played');
    // every code reads differently
    expect(new Set(titles).size).toBe(LINK_FAILURE_CODES.length);
  });

  it('says what to do: the server’s sentence when there is one, else the code’s own advice', () => {
    expect(describeFailure({ code: 'drm', message: 'The video is protected by DRM, which Watchroom cannot play.' })).toEqual({
      title: 'Protected by DRM',
      detail: 'The video is protected by DRM, which Watchroom cannot play.',
    });
    expect(describeFailure({ code: 'geo_blocked', message: '  ' })).toEqual({
      title: 'Not available here',
      detail: 'The video is not available in the server’s country.',
    });
  });

  it('reads well for a code it does not know', () => {
    expect(describeFailure({ code: 'some_new_code', message: 'A newer server says why.' })).toEqual({
      title: 'The link cannot be played',
      detail: 'A newer server says why.',
    });
  });
});

describe('describeError', () => {
  it('keeps the code and sentence of an API answer', () => {
    expect(describeError(new ApiError(422, 'private', 'The video is private or needs a login.'))).toEqual({
      code: 'private',
      message: 'The video is private or needs a login.',
    });
    expect(describeError(new ApiError(429, 'rate_limited', 'Slow down.'))).toEqual({ code: 'rate_limited', message: 'Slow down.' });
  });

  it('calls anything else a network failure', () => {
    expect(describeError(new TypeError('Failed to fetch')).code).toBe('network');
  });
});
