import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { ThemeController } from '../theme';

export interface AppContext {
  theme: ThemeController | null;
  /** Client-side navigation to a same-origin path (with its query string). */
  navigate(path: string): void;
}

export const AppCtx = createContext<AppContext>({ theme: null, navigate: (path) => location.assign(path) });

export function useApp(): AppContext {
  return useContext(AppCtx);
}
