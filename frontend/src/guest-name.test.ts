import { describe, expect, it } from 'vitest';
import { generateGuestName, loadGuestName, saveGuestName } from './guest-name';

function memoryStorage() {
  const map = new Map<string, string>();
  return {
    map,
    getItem: (key: string) => map.get(key) ?? null,
    setItem: (key: string, value: string) => void map.set(key, value),
  };
}

describe('guest names', () => {
  it('look like "Guest 1234"', () => {
    expect(generateGuestName(() => 0)).toBe('Guest 1000');
    expect(generateGuestName(() => 0.999999)).toBe('Guest 9999');
    expect(generateGuestName()).toMatch(/^Guest [1-9]\d{3}$/);
  });

  it('are generated once and then remembered', () => {
    const storage = memoryStorage();
    const first = loadGuestName(storage, () => 0.5);
    expect(first).toBe('Guest 5500');
    expect(loadGuestName(storage, () => 0.1)).toBe(first);
  });

  it('give way to a name the user chose', () => {
    const storage = memoryStorage();
    saveGuestName('Ada', storage);
    expect(loadGuestName(storage)).toBe('Ada');
  });

  it('survive a storage that throws', () => {
    const broken = {
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => {
        throw new Error('denied');
      },
    };
    expect(loadGuestName(broken, () => 0)).toBe('Guest 1000');
    expect(loadGuestName(null, () => 0)).toBe('Guest 1000');
  });
});
