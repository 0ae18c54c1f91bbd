import { describe, expect, it } from 'vitest';
import { effectiveTheme, otherTheme, savedTheme, THEME_STORAGE_KEY, ThemeController } from './theme';

function memoryStorage(initial: Record<string, string> = {}) {
  const map = new Map(Object.entries(initial));
  return { map, getItem: (k: string) => map.get(k) ?? null, setItem: (k: string, v: string) => void map.set(k, v) };
}

function fakeMedia(matches: boolean) {
  const listeners: Array<() => void> = [];
  return {
    matches,
    addEventListener: (_: string, l: () => void) => listeners.push(l),
    change(to: boolean) {
      this.matches = to;
      for (const l of listeners) l();
    },
  };
}

const fakeRoot = () => ({ dataset: {} as Record<string, string>, style: {} as Record<string, string> });

describe('themes', () => {
  it('follow the system until a choice is saved', () => {
    expect(effectiveTheme(null, true)).toBe('dark');
    expect(effectiveTheme(null, false)).toBe('light');
    expect(effectiveTheme('light', true)).toBe('light');
    expect(otherTheme('light')).toBe('dark');
  });

  it('read only valid saved values', () => {
    expect(savedTheme(memoryStorage({ [THEME_STORAGE_KEY]: 'light' }))).toBe('light');
    expect(savedTheme(memoryStorage({ [THEME_STORAGE_KEY]: 'pink' }))).toBeNull();
    expect(savedTheme(null)).toBeNull();
  });

  it('toggle, remember the choice, and stop following the system', () => {
    const storage = memoryStorage();
    const media = fakeMedia(false);
    const root = fakeRoot();
    const controller = new ThemeController(root as never, storage, media as never);
    expect(controller.theme.value).toBe('light');
    media.change(true);
    expect(controller.theme.value).toBe('dark');
    expect(root.dataset.theme).toBe('dark');
    controller.toggle();
    expect(controller.theme.value).toBe('light');
    expect(storage.map.get(THEME_STORAGE_KEY)).toBe('light');
    media.change(false);
    media.change(true);
    expect(controller.theme.value).toBe('light');
  });
});
