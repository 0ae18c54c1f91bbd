import { describe, expect, it } from 'vitest';
import { TypingThrottle } from './typing';

describe('TypingThrottle', () => {
  it('says true at the first keystroke and then at most every interval', () => {
    const t = new TypingThrottle(3000);
    expect(t.input(0)).toBe(true);
    expect(t.input(100)).toBe(false);
    expect(t.input(2999)).toBe(false);
    expect(t.input(3000)).toBe(true);
    expect(t.active).toBe(true);
  });

  it('says false once when typing stops, and starts over after', () => {
    const t = new TypingThrottle(3000);
    expect(t.stop()).toBe(false); // never said true
    t.input(0);
    expect(t.stop()).toBe(true);
    expect(t.stop()).toBe(false);
    expect(t.input(10)).toBe(true);
  });

  it('forgets on reset', () => {
    const t = new TypingThrottle(3000);
    t.input(0);
    t.reset();
    expect(t.stop()).toBe(false);
    expect(t.input(1)).toBe(true);
  });
});
