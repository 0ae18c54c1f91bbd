import { describe, expect, it } from 'vitest';
import { DriftFilter } from './drift-filter';

describe('DriftFilter', () => {
  it('averages the last samples of its window', () => {
    const filter = new DriftFilter(4);
    expect(filter.value).toBeNull();
    expect(filter.add(-6)).toBe(-6);
    expect(filter.add(-12)).toBe(-9);
    filter.add(-6);
    expect(filter.add(-12)).toBe(-9);
    expect(filter.add(0)).toBe(-7.5); // the first -6 has left the window
  });

  it('steadies readings that alternate around the true drift', () => {
    const filter = new DriftFilter(5);
    const readings = [-5.8, -11.4, -6.0, -11.6, -5.9, -11.5, -6.1, -11.3];
    const smoothed = readings.map((r) => filter.add(r));
    for (const s of smoothed.slice(4)) expect(Math.abs(s + 8.7)).toBeLessThan(1.5);
  });

  it('starts over after reset', () => {
    const filter = new DriftFilter(3);
    filter.add(500);
    filter.reset();
    expect(filter.value).toBeNull();
    expect(filter.add(2)).toBe(2);
  });
});
