import { describe, expect, it } from 'vitest';
import type { Playback } from '../protocol';
import { expectedPosition, isScheduledStart, msUntilStart } from './expected';

const playing = (over: Partial<Playback> = {}): Playback => ({
  playing: true,
  position: 10,
  anchor: 1_000_000,
  rate: 1,
  ...over,
});

describe('expectedPosition', () => {
  it('advances with server time while playing', () => {
    expect(expectedPosition(playing(), 1_000_000, null)).toBe(10);
    expect(expectedPosition(playing(), 1_002_500, null)).toBeCloseTo(12.5, 9);
  });

  it('stands still while paused', () => {
    expect(expectedPosition(playing({ playing: false }), 1_009_000, null)).toBe(10);
  });

  it('scales elapsed time by the rate', () => {
    expect(expectedPosition(playing({ rate: 2 }), 1_001_000, null)).toBeCloseTo(12, 9);
    expect(expectedPosition(playing({ rate: 0.25 }), 1_004_000, null)).toBeCloseTo(11, 9);
  });

  it('clamps to the duration when known', () => {
    expect(expectedPosition(playing(), 1_100_000, 60)).toBe(60);
    expect(expectedPosition(playing({ playing: false, position: 75 }), 1_000_000, 60)).toBe(60);
  });

  it('does not clamp above when the duration is unknown', () => {
    expect(expectedPosition(playing(), 1_100_000, null)).toBeCloseTo(110, 9);
    expect(expectedPosition(playing(), 1_100_000, undefined)).toBeCloseTo(110, 9);
  });

  it('never goes below zero', () => {
    // a client clock estimate slightly before the anchor
    expect(expectedPosition(playing({ position: 0 }), 999_990, 60)).toBe(0);
  });

  it('holds a scheduled start at its position until the anchor, then runs from there', () => {
    const scheduled = playing({ position: 42, anchor: 1_002_000 });
    expect(expectedPosition(scheduled, 1_000_000, 60)).toBe(42);
    expect(expectedPosition(scheduled, 1_001_999.9, 60)).toBe(42);
    expect(expectedPosition(scheduled, 1_002_000, 60)).toBe(42);
    expect(expectedPosition(scheduled, 1_002_500, 60)).toBeCloseTo(42.5, 9);
    expect(expectedPosition({ ...scheduled, rate: 2 }, 1_002_500, 60)).toBeCloseTo(43, 9);
  });

  it('tells a scheduled start and how long until it begins', () => {
    const scheduled = playing({ anchor: 1_002_000 });
    expect(isScheduledStart(scheduled, 1_000_000)).toBe(true);
    expect(msUntilStart(scheduled, 1_000_000)).toBe(2_000);
    expect(isScheduledStart(scheduled, 1_002_000)).toBe(false);
    expect(msUntilStart(scheduled, 1_003_000)).toBe(0);
    expect(isScheduledStart({ ...scheduled, playing: false }, 1_000_000)).toBe(false);
  });
});
