import { useApp } from './context';

export function ThemeToggle() {
  const { theme } = useApp();
  if (theme === null) return null;
  const current = theme.theme.value;
  const next = current === 'dark' ? 'light' : 'dark';
  return (
    <button
      type="button"
      class="icon-button theme-toggle"
      data-testid="theme-toggle"
      data-theme={current}
      aria-label={`Switch to the ${next} theme`}
      title={`Switch to the ${next} theme`}
      onClick={() => theme.toggle()}
    >
      <span aria-hidden="true">{current === 'dark' ? '☀' : '☾'}</span>
    </button>
  );
}
