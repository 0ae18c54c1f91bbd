import { describe, expect, it } from 'vitest';
import { cueAt, parseThumbnails, parseTimestamp } from './thumbnails';

const VTT = `WEBVTT

00:00:00.000 --> 00:00:02.000
sprites/sheet_001.jpg#xywh=0,0,160,90

00:00:02.000 --> 00:00:04.000
sprites/sheet_001.jpg#xywh=160,0,160,90

not a cue
00:00:04.000 --> 00:00:03.000
sprites/sheet_001.jpg#xywh=320,0,160,90

00:00:04.000 --> 00:00:06.500
sprites/sheet_002.jpg#xywh=0,90,160,90
`;

const URL_BASE = 'http://host/api/videos/abcdefghijkl/media/thumbnails.vtt';

describe('trick-play thumbnails', () => {
  it('reads timestamps', () => {
    expect(parseTimestamp('00:01:02.500')).toBe(62.5);
    expect(parseTimestamp('01:02.5')).toBe(62.5);
    expect(parseTimestamp('1:2:3:4')).toBeNaN();
    expect(parseTimestamp('x')).toBeNaN();
  });

  it('parses cues with their tile, resolving sheets against the index', () => {
    const cues = parseThumbnails(VTT, URL_BASE);
    expect(cues).toHaveLength(3);
    expect(cues[1]).toEqual({
      start: 2,
      end: 4,
      sheet: 'http://host/api/videos/abcdefghijkl/media/sprites/sheet_001.jpg',
      x: 160,
      y: 0,
      w: 160,
      h: 90,
    });
    expect(cues[2]!.sheet.endsWith('sheet_002.jpg')).toBe(true);
  });

  it('refuses what is not WebVTT', () => {
    expect(parseThumbnails('<html>', URL_BASE)).toEqual([]);
  });

  it('finds the cue at a time', () => {
    const cues = parseThumbnails(VTT, URL_BASE);
    expect(cueAt(cues, 0)?.x).toBe(0);
    expect(cueAt(cues, 3.99)?.x).toBe(160);
    expect(cueAt(cues, 4)?.y).toBe(90);
    expect(cueAt(cues, 100)?.y).toBe(90);
    expect(cueAt([], 1)).toBeNull();
  });
});
