import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../api';
import type { CatalogItem } from '../protocol';
import type { Notice } from '../room/session';
import { listVideos } from '../videos/api';
import { addToRoom, watchInNewRoom } from '../videos/watch';
import { formatTime } from './format';
import { AppHeader } from './AppHeader';
import { Toast } from './Toast';

const PAGE = 24;

/** Published videos, newest first, searchable by title; any can be watched in a new room. */
export function LibraryPage({ navigate }: { navigate: (path: string) => void }) {
  const [query, setQuery] = useState('');
  const [items, setItems] = useState<CatalogItem[]>([]);
  const [total, setTotal] = useState(0);
  const [loading, setLoading] = useState(false);
  const [notice, setNotice] = useState<Notice | null>(null);

  const tell = (error: unknown) =>
    setNotice({ id: Date.now(), code: 'library', message: error instanceof ApiError ? error.message : 'The library could not be loaded.' });

  useEffect(() => {
    document.title = 'Library · Watchroom';
    let live = true;
    // wait for a pause in typing before asking
    const timer = setTimeout(() => {
      setLoading(true);
      listVideos(query, 0, PAGE)
        .then((page) => {
          if (!live) return;
          setItems(page.items);
          setTotal(page.total);
        })
        .catch((error) => live && tell(error))
        .finally(() => live && setLoading(false));
    }, 250);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [query]);

  const more = () => {
    setLoading(true);
    listVideos(query, items.length, PAGE)
      .then((page) => {
        setItems([...items, ...page.items]);
        setTotal(page.total);
      })
      .catch(tell)
      .finally(() => setLoading(false));
  };

  return (
    <div class="page library">
      <AppHeader />
      <main class="library-main">
        <header class="library-header">
          <h1>Video library</h1>
          <a href="/upload" class="button" onClick={(event) => (event.preventDefault(), navigate('/upload'))}>
            Upload
          </a>
        </header>
        <input
          type="search"
          class="library-search"
          data-testid="library-search"
          placeholder="Search by title"
          maxLength={200}
          value={query}
          onInput={(event) => setQuery(event.currentTarget.value)}
        />
        {!loading && items.length === 0 && <p data-testid="library-empty">No videos{query.trim() ? ' match this search' : ' yet'}.</p>}
        <ul class="library-grid">
          {items.map((item) => (
            <li key={item.id} class="library-item" data-testid="library-item">
              {item.poster && <img src={item.poster} alt="" loading="lazy" />}
              <div class="library-info">
                <span class="library-title">{item.title}</span>
                <span class="library-meta">
                  {formatTime(item.duration)} · {item.height ?? '?'}p
                </span>
              </div>
              <button
                type="button"
                data-testid="library-watch"
                onClick={() => watchInNewRoom(navigate, item.master, item.title).catch(tell)}
              >
                Watch in a new room
              </button>
              <AddToRoom onAdd={(link) => addToRoom(navigate, link, item.master, item.title)} />
            </li>
          ))}
        </ul>
        {items.length < total && (
          <button type="button" data-testid="library-more" disabled={loading} onClick={more}>
            More
          </button>
        )}
      </main>
      <Toast notice={notice} onDismiss={() => setNotice(null)} />
    </div>
  );
}

/** Adds a video to another room's queue: paste the room's link (or id). */
function AddToRoom({ onAdd }: { onAdd(link: string): boolean }) {
  const [link, setLink] = useState('');
  const [bad, setBad] = useState(false);
  return (
    <form
      class="row library-add"
      onSubmit={(event) => {
        event.preventDefault();
        setBad(!onAdd(link));
      }}
    >
      <input
        type="text"
        data-testid="library-room-link"
        placeholder="Room link"
        aria-label="Room link"
        aria-invalid={bad}
        value={link}
        onInput={(event) => setLink(event.currentTarget.value)}
      />
      <button type="submit" data-testid="library-add">
        Add to queue
      </button>
    </form>
  );
}
