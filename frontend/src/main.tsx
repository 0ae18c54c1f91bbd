import { render } from 'preact';
import { App } from './app';
import { credentials } from './services';
import { installWatchroomHooks } from './test-hooks';
import { ThemeController } from './theme';
import './styles.css';

// applied before the first render, so the page never flashes the other theme
const theme = new ThemeController(
  document.documentElement,
  (() => {
    try {
      return localStorage;
    } catch {
      return null;
    }
  })(),
  window.matchMedia?.('(prefers-color-scheme: dark)') ?? null,
);

installWatchroomHooks(window, () => credentials.token());
render(<App theme={theme} />, document.getElementById('app')!);
