import { NAME_MAX } from './protocol';

const STORAGE_KEY = 'watchroom.name';

type NameStorage = Pick<Storage, 'getItem' | 'setItem'>;

export function generateGuestName(random: () => number = Math.random): string {
  return `Guest ${1000 + Math.floor(random() * 9000)}`;
}

/**
 * The name this browser joins rooms with: the one it used last, or a new guest
 * name that is remembered from now on, so nobody is asked for a name before
 * watching and the same browser keeps its name.
 */
export function loadGuestName(storage: NameStorage | null = browserStorage(), random?: () => number): string {
  const saved = read(storage)?.trim();
  if (saved && saved.length <= NAME_MAX) return saved;
  const name = generateGuestName(random);
  saveGuestName(name, storage);
  return name;
}

export function saveGuestName(name: string, storage: NameStorage | null = browserStorage()): void {
  try {
    storage?.setItem(STORAGE_KEY, name);
  } catch {
    // storage full or disabled: the name lasts for this page only
  }
}

function read(storage: NameStorage | null): string | null {
  try {
    return storage?.getItem(STORAGE_KEY) ?? null;
  } catch {
    return null;
  }
}

function browserStorage(): NameStorage | null {
  try {
    return typeof localStorage !== 'undefined' ? localStorage : null;
  } catch {
    // some privacy modes throw on the mere access
    return null;
  }
}
