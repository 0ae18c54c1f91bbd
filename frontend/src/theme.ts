import { signal } from '@preact/signals';

export type Theme = 'dark' | 'light';

export const THEME_STORAGE_KEY = 'watchroom.theme';

type ThemeStorage = Pick<Storage, 'getItem' | 'setItem'>;

/** The theme chosen with the toggle, or null to follow the system. */
export function savedTheme(storage: ThemeStorage | null): Theme | null {
  try {
    const value = storage?.getItem(THEME_STORAGE_KEY);
    return value === 'dark' || value === 'light' ? value : null;
  } catch {
    return null;
  }
}

/** What the page shows: the saved choice, or the system's preference. */
export function effectiveTheme(saved: Theme | null, systemPrefersDark: boolean): Theme {
  return saved ?? (systemPrefersDark ? 'dark' : 'light');
}

export function otherTheme(theme: Theme): Theme {
  return theme === 'dark' ? 'light' : 'dark';
}

/**
 * The page's theme as a signal. Until the toggle is used it follows
 * prefers-color-scheme (also when that changes); after, the choice is
 * remembered. `data-theme` on <html> selects the colours in styles.css.
 */
export class ThemeController {
  readonly theme = signal<Theme>('dark');
  private saved: Theme | null;

  constructor(
    private readonly root: HTMLElement,
    private readonly storage: ThemeStorage | null,
    private readonly media: MediaQueryList | null,
  ) {
    this.saved = savedTheme(storage);
    this.apply();
    media?.addEventListener('change', () => this.apply());
  }

  toggle(): void {
    this.saved = otherTheme(this.theme.peek());
    try {
      this.storage?.setItem(THEME_STORAGE_KEY, this.saved);
    } catch {
      // not remembered, but still applied
    }
    this.apply();
  }

  private apply(): void {
    const theme = effectiveTheme(this.saved, this.media?.matches ?? true);
    this.theme.value = theme;
    this.root.dataset.theme = theme;
    this.root.style.colorScheme = theme;
  }
}
