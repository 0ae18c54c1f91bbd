import { describe, expect, it } from 'vitest';
import { formatAgo, formatMs, formatTime } from './format';

describe('formatTime', () => {
  it('shows minutes and seconds, and hours when needed', () => {
    expect(formatTime(0)).toBe('0:00');
    expect(formatTime(75.9)).toBe('1:15');
    expect(formatTime(3723)).toBe('1:02:03');
  });

  it('shows a placeholder for unknown values', () => {
    expect(formatTime(null)).toBe('--:--');
    expect(formatTime(Number.NaN)).toBe('--:--');
    expect(formatTime(Number.POSITIVE_INFINITY)).toBe('--:--');
  });
});

describe('formatMs', () => {
  it('uses one decimal and an optional sign', () => {
    expect(formatMs(12.345)).toBe('12.3');
    expect(formatMs(12.345, true)).toBe('+12.3');
    expect(formatMs(-3, true)).toBe('-3.0');
    expect(formatMs(null)).toBe('–');
  });
});

describe('formatAgo', () => {
  it('says how long ago, roughly', () => {
    const now = 1_000_000_000;
    expect(formatAgo(now - 5_000, now)).toBe('just now');
    expect(formatAgo(now - 5 * 60_000, now)).toBe('5 min ago');
    expect(formatAgo(now - 3 * 3_600_000, now)).toBe('3 h ago');
    expect(formatAgo(now - 30 * 3_600_000, now)).toBe('yesterday');
    expect(formatAgo(now - 5 * 86_400_000, now)).toBe('5 days ago');
    expect(formatAgo(null, now)).toBe('a while ago');
  });
});
