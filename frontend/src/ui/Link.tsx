import type { ComponentChildren } from 'preact';
import { useApp } from './context';

interface Props {
  href: string;
  children: ComponentChildren;
  class?: string;
  title?: string;
  'data-testid'?: string;
}

/** A same-origin link that navigates without reloading the page (a modified click still opens a tab). */
export function Link({ href, children, ...rest }: Props) {
  const { navigate } = useApp();
  return (
    <a
      {...rest}
      href={href}
      onClick={(event) => {
        if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
        event.preventDefault();
        navigate(href);
      }}
    >
      {children}
    </a>
  );
}
