import { signal } from '@preact/signals';
import { useEffect, useMemo } from 'preact/hooks';
import { inviteFromSearch, matchRoute } from './routes';
import type { ThemeController } from './theme';
import { AppCtx } from './ui/context';
import { HistoryPage } from './ui/HistoryPage';
import { Home } from './ui/Home';
import { LibraryPage } from './ui/LibraryPage';
import { UploadPage } from './ui/UploadPage';
import { RoomPage } from './ui/RoomPage';

const location$ = signal({ pathname: location.pathname, search: location.search });

function navigate(path: string): void {
  if (path === location.pathname + location.search) return;
  history.pushState(null, '', path);
  location$.value = { pathname: location.pathname, search: location.search };
  window.scrollTo(0, 0);
}

/** Routes by location.pathname: `/`, `/rooms/{id}` and `/rooms/{id}/history`, `/upload`, `/library`; the server serves this page for them. */
export function App({ theme }: { theme: ThemeController }) {
  useEffect(() => {
    const onPopState = () => (location$.value = { pathname: location.pathname, search: location.search });
    window.addEventListener('popstate', onPopState);
    return () => window.removeEventListener('popstate', onPopState);
  }, []);

  const context = useMemo(() => ({ theme, navigate }), [theme]);
  const { pathname, search } = location$.value;
  const route = matchRoute(pathname);
  const invite = inviteFromSearch(search);
  let page;
  switch (route.page) {
    case 'home':
      page = <Home />;
      break;
    case 'room':
      // keyed: another room (or invite) is another page, with its own connection
      page = <RoomPage key={`${route.roomId}:${invite ?? ''}`} roomId={route.roomId} invite={invite} />;
      break;
    case 'history':
      page = <HistoryPage key={route.roomId} roomId={route.roomId} invite={invite} />;
      break;
    case 'upload':
      page = <UploadPage navigate={navigate} />;
      break;
    case 'library':
      page = <LibraryPage navigate={navigate} />;
      break;
    case 'not_found':
      page = (
        <div class="page">
          <main class="home-card">
            <h1>Page not found</h1>
            <a
              href="/"
              class="button"
              onClick={(event) => {
                event.preventDefault();
                navigate('/');
              }}
            >
              Back to the start page
            </a>
          </main>
        </div>
      );
  }
  return <AppCtx.Provider value={context}>{page}</AppCtx.Provider>;
}
