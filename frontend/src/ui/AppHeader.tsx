import type { ComponentChildren } from 'preact';
import { AccountMenu } from './AccountMenu';
import { Link } from './Link';
import { ThemeToggle } from './ThemeToggle';

/** The bar on every page: the brand, the page's own items, the theme toggle and the account. */
export function AppHeader({ children }: { children?: ComponentChildren }) {
  return (
    <header class="app-header">
      <Link href="/" class="brand">
        Watchroom
      </Link>
      <div class="header-main">{children}</div>
      <div class="header-end">
        <ThemeToggle />
        <AccountMenu />
      </div>
    </header>
  );
}
