import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../api';
import {
  nowPlayingTitle,
  ROOM_TITLE_MAX,
  type DirectoryRoom,
  type OwnedRoom,
  type Visibility,
} from '../protocol';
import type { Notice } from '../room/session';
import { parseRoomLink, roomPath } from '../routes';
import { api, credentials } from '../services';
import { AppHeader } from './AppHeader';
import { useApp } from './context';
import { formatAgo } from './format';
import { Link } from './Link';
import { Toast } from './Toast';

const DIRECTORY_REFRESH_MS = 10_000;

const VISIBILITY_HINTS: Record<Visibility, string> = {
  public: 'Listed on this page for everyone',
  unlisted: 'Anyone with the link can join',
  private: 'Only with the invite link',
};

export function Home() {
  const [notice, setNotice] = useState<Notice | null>(null);
  const tell = (code: string, message: string) => setNotice({ id: Date.now(), code, message });
  const user = credentials.user.value;

  useEffect(() => {
    document.title = 'Watchroom';
    // a session for this browser, so creating a room does not wait for one
    credentials.ensure().catch(() => {});
  }, []);

  return (
    <div class="page home">
      <AppHeader />
      <main class="home-main">
        <section class="home-card intro">
          <h1 class="brand-title">Watchroom</h1>
          <p class="tagline">Watch videos together, in sync.</p>
          <CreateRoomForm tell={tell} />
          <JoinForm tell={tell} />
          <nav class="home-links">
            <Link href="/upload" data-testid="nav-upload">
              Upload a video
            </Link>
            <Link href="/library" data-testid="nav-library">
              Video library
            </Link>
          </nav>
        </section>
        {user?.kind === 'account' && <MyRooms key={user.id} />}
        <Directory />
      </main>
      <Toast notice={notice} onDismiss={() => setNotice(null)} />
    </div>
  );
}

function CreateRoomForm({ tell }: { tell(code: string, message: string): void }) {
  const { navigate } = useApp();
  const [title, setTitle] = useState('');
  const [visibility, setVisibility] = useState<Visibility>('unlisted');
  const [temporary, setTemporary] = useState(false);
  const [busy, setBusy] = useState(false);

  const create = async (event: Event) => {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    try {
      const trimmed = title.trim();
      const { id } = await api.createRoom({ ...(trimmed ? { title: trimmed } : {}), visibility, temporary });
      navigate(roomPath(id));
    } catch (error) {
      if (error instanceof ApiError) tell(error.code, error.message);
      else tell('unexpected', 'The room could not be created. Please try again.');
      setBusy(false);
    }
  };

  return (
    <form class="create-form" onSubmit={create}>
      <label for="room-title-input">Room title (optional)</label>
      <input
        id="room-title-input"
        data-testid="room-title-input"
        type="text"
        maxLength={ROOM_TITLE_MAX}
        placeholder="Friday film club"
        value={title}
        onInput={(event) => setTitle(event.currentTarget.value)}
      />
      <div class="row wrap">
        <label class="inline" for="room-visibility">
          Who can join
        </label>
        <select
          id="room-visibility"
          data-testid="room-visibility"
          value={visibility}
          onChange={(event) => setVisibility(event.currentTarget.value as Visibility)}
        >
          <option value="public">Public</option>
          <option value="unlisted">Unlisted</option>
          <option value="private">Private</option>
        </select>
        <label class="checkbox">
          <input
            type="checkbox"
            data-testid="room-temporary"
            checked={temporary}
            onChange={(event) => setTemporary(event.currentTarget.checked)}
          />
          Temporary
        </label>
      </div>
      <p class="hint">
        {VISIBILITY_HINTS[visibility]}
        {temporary ? '; forgotten once it has been empty for a while.' : '.'}
      </p>
      <button type="submit" class="primary" data-testid="create-room" disabled={busy}>
        {busy ? 'Creating…' : 'Create room'}
      </button>
    </form>
  );
}

function JoinForm({ tell }: { tell(code: string, message: string): void }) {
  const { navigate } = useApp();
  const [link, setLink] = useState('');
  const join = (event: Event) => {
    event.preventDefault();
    const parsed = parseRoomLink(link);
    if (parsed === null) tell('invalid', 'That is not a room link or id.');
    else navigate(roomPath(parsed.roomId, parsed.invite));
  };
  return (
    <form class="join-form" onSubmit={join}>
      <label for="join-input">Have a link? Join a room</label>
      <div class="row">
        <input
          id="join-input"
          data-testid="join-input"
          type="text"
          placeholder="Room link or id"
          value={link}
          onInput={(event) => setLink(event.currentTarget.value)}
        />
        <button type="submit" data-testid="join-submit">
          Join
        </button>
      </div>
    </form>
  );
}

/** The public rooms, most members online first, refreshed every 10 s. */
function Directory() {
  const [rooms, setRooms] = useState<DirectoryRoom[] | null>(null);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    let alive = true;
    const load = () =>
      api.directory(50, 0).then(
        (answer) => {
          if (!alive) return;
          setRooms(answer.rooms ?? []);
          setFailed(false);
        },
        () => alive && setFailed(true),
      );
    void load();
    const id = setInterval(() => {
      if (document.visibilityState !== 'hidden') void load();
    }, DIRECTORY_REFRESH_MS);
    return () => {
      alive = false;
      clearInterval(id);
    };
  }, []);

  return (
    <section class="panel directory" aria-labelledby="directory-heading">
      <h2 id="directory-heading">Public rooms</h2>
      {failed && rooms === null && <p class="hint">The room list cannot be loaded right now.</p>}
      {rooms === null && !failed && <p class="hint">Loading…</p>}
      {rooms !== null && rooms.length === 0 && <p class="hint">No public rooms right now. Create one!</p>}
      <ul class="room-list" data-testid="room-directory">
        {(rooms ?? []).map((room) => {
          const playing = nowPlayingTitle(room.nowPlaying);
          return (
            <li key={room.id} data-testid="directory-room" data-room-id={room.id}>
              <Link href={roomPath(room.id)} class="room-link-card">
                <span class="room-card-title">{room.title || 'Untitled room'}</span>
                {room.description && <span class="room-card-description">{room.description}</span>}
                <span class="room-card-meta">
                  <span data-testid="directory-members">{room.membersOnline} watching</span>
                  {playing && <span class="now-playing">▶ {playing}</span>}
                  <span>active {formatAgo(room.lastActivity)}</span>
                </span>
              </Link>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

/** The rooms this account owns (GET /api/me), refreshed like the directory. */
function MyRooms() {
  const [rooms, setRooms] = useState<OwnedRoom[] | null>(null);
  useEffect(() => {
    let alive = true;
    const load = () =>
      api.me().then(
        (answer) => alive && setRooms(answer.rooms ?? []),
        () => alive && setRooms((old) => old ?? []),
      );
    void load();
    const id = setInterval(() => {
      if (document.visibilityState !== 'hidden') void load();
    }, DIRECTORY_REFRESH_MS);
    return () => {
      alive = false;
      clearInterval(id);
    };
  }, []);
  return (
    <section class="panel my-rooms" aria-labelledby="my-rooms-heading">
      <h2 id="my-rooms-heading">My rooms</h2>
      {rooms === null && <p class="hint">Loading…</p>}
      {rooms !== null && rooms.length === 0 && <p class="hint">Rooms you create show up here.</p>}
      <ul class="room-list" data-testid="my-rooms">
        {(rooms ?? []).map((room) => {
          const playing = nowPlayingTitle(room.nowPlaying);
          return (
            <li key={room.id} data-testid="my-room" data-room-id={room.id}>
              <Link href={roomPath(room.id)} class="room-link-card">
                <span class="room-card-title">{room.title || 'Untitled room'}</span>
                <span class="room-card-meta">
                  <span class={`badge visibility-${room.visibility}`}>{room.visibility}</span>
                  <span>{room.membersOnline} watching</span>
                  {playing && <span class="now-playing">▶ {playing}</span>}
                  <span>active {formatAgo(room.lastActivity)}</span>
                </span>
              </Link>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
