import { describe, expect, it } from 'vitest';
import { playableUrl, videoAssets } from './assets';

describe('video assets', () => {
  const origin = 'http://watch.example';

  it('finds the poster and thumbnails of a video published here', () => {
    expect(videoAssets(`${origin}/api/videos/AbC_-1234567/media/master.m3u8`, origin)).toEqual({
      id: 'AbC_-1234567',
      poster: '/api/videos/AbC_-1234567/media/poster.jpg',
      thumbnails: '/api/videos/AbC_-1234567/media/thumbnails.vtt',
    });
  });

  it('has none for other media or other servers', () => {
    expect(videoAssets('https://cdn.example/film.mp4', origin)).toBeNull();
    expect(videoAssets('https://other.example/api/videos/AbC_-1234567/media/master.m3u8', origin)).toBeNull();
    expect(videoAssets(`${origin}/api/videos/AbC_-1234567/media/360p/index.m3u8`, origin)).toBeNull();
    expect(videoAssets('not a url', origin)).toBeNull();
  });

  it('makes the absolute URL a room needs', () => {
    expect(playableUrl('/api/videos/AbC_-1234567/media/master.m3u8', origin)).toBe(
      `${origin}/api/videos/AbC_-1234567/media/master.m3u8`,
    );
  });
});
