import { useEffect, useState } from 'preact/hooks';
import { RoomSession, type ConnectionView, type Removal } from '../room/session';
import { may } from '../room/permissions';
import { memberName } from '../room/queue';
import { saveGuestName, loadGuestName } from '../guest-name';
import { historyPath, roomPath } from '../routes';
import { api, credentials } from '../services';
import { setActiveSession } from '../test-hooks';
import { playPendingMedia } from '../videos/pending-media';
import { AppHeader } from './AppHeader';
import { ChatPanel } from './ChatPanel';
import { ConnectionBanner } from './ConnectionBanner';
import { Controls } from './Controls';
import { CopyLink } from './CopyLink';
import { Link } from './Link';
import { MediaForm } from './MediaForm';
import { MemberList } from './MemberList';
import { NameField } from './NameField';
import { Player } from './Player';
import { QueuePanel } from './QueuePanel';
import { SettingsDialog } from './SettingsDialog';
import { SyncStatus } from './SyncStatus';
import { Toast } from './Toast';

/** The client's clock for sync: sub-millisecond and monotonic, expressed as epoch ms. */
const highResolutionNow = () => performance.timeOrigin + performance.now();

function roomSocketUrl(roomId: string): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}/api/rooms/${encodeURIComponent(roomId)}/ws`;
}

type Tab = 'queue' | 'chat' | 'members';

export function RoomPage({ roomId, invite }: { roomId: string; invite: string | null }) {
  const [session] = useState(
    () =>
      new RoomSession({
        roomId,
        invite,
        auth: credentials,
        wsUrl: roomSocketUrl(roomId),
        now: highResolutionNow,
        roomExists: (id) => api.roomExists(id, invite),
        loadChat: (id, before) => api.olderChat(id, before, 50, invite),
        guestName: () => loadGuestName(),
        onGuestNameAccepted: (name) => saveGuestName(name),
      }),
  );
  const [tab, setTab] = useState<Tab>('queue');
  const [settingsOpen, setSettingsOpen] = useState(false);

  useEffect(() => {
    session.start();
    setActiveSession(session);
    const stopPending = playPendingMedia(session, roomId);
    const online = () => session.reconnectNow();
    window.addEventListener('online', online);
    return () => {
      window.removeEventListener('online', online);
      stopPending();
      setActiveSession(null);
      session.dispose();
    };
  }, [session]);

  // logging in or out gives a new token: join again with it
  const token = credentials.session.value?.token ?? null;
  useEffect(() => session.tokenChanged(), [token]);

  const room = session.room.value;
  const me = session.me.value;
  const connection = session.connection.value;
  const title = room === null ? '' : room.title?.trim() || 'Untitled room';

  useEffect(() => {
    document.title = title ? `${title} · Watchroom` : 'Watchroom';
  }, [title]);

  if (connection.status !== 'connecting' && connection.status !== 'connected' && connection.status !== 'reconnecting') {
    return <RoomGone connection={connection} removal={session.removal.value} />;
  }

  const role = me?.role ?? room?.viewerRole ?? 'guest';
  const maySettings = room !== null && (may(room, role, 'change_settings') || may(room, role, 'manage_roles'));
  const inviteToken = room?.settings.visibility === 'private' ? (room.settings.invite ?? invite) : null;
  const waitingFor = session.state.value?.waitingFor ?? [];
  const canSetMedia = room === null || (may(room, role, 'queue_add') && may(room, role, 'skip'));

  return (
    <div class="page room" data-tab={tab}>
      <ConnectionBanner connection={connection} />
      <AppHeader>
        <h1 class="room-title" data-testid="room-title">
          {title}
        </h1>
        {room && room.settings.visibility !== 'unlisted' && (
          <span class={`badge visibility-${room.settings.visibility}`} data-testid="room-visibility-badge">
            {room.settings.visibility}
          </span>
        )}
      </AppHeader>
      <div class="room-bar">
        {room?.settings.description && (
          <p class="room-description" data-testid="room-description">
            {room.settings.description}
          </p>
        )}
        <div class="room-actions">
          <CopyLink
            url={`${location.origin}${roomPath(roomId, inviteToken)}`}
            label={inviteToken ? 'Copy invite link' : 'Copy room link'}
          />
          <Link href={historyPath(roomId, invite)} class="button" data-testid="history-link">
            History
          </Link>
          {maySettings && (
            <button type="button" data-testid="settings-open" onClick={() => setSettingsOpen(true)}>
              Settings
            </button>
          )}
        </div>
      </div>
      <div class="room-body">
        <main class="stage">
          <Player session={session} media={room?.media ?? null} autoplay={session.autoplay.value} />
          {room?.media && (
            <p class="media-title" data-testid="media-title" title={room.media.url}>
              {room.media.title}
            </p>
          )}
          <Controls session={session} room={room} role={role} chat={session.chat.value} />
          {waitingFor.length > 0 && (
            <p class="waiting-for" data-testid="waiting-for" role="status">
              Waiting for {waitingFor.map((id) => memberName(room, id, 'someone', session.names)).join(', ')}…
            </p>
          )}
          {canSetMedia && <MediaForm session={session} />}
          <SyncStatus sync={session.sync.value} />
        </main>
        <nav class="room-tabs" role="tablist" aria-label="Room panels">
          {(['queue', 'chat', 'members'] as const).map((t) => (
            <button
              key={t}
              type="button"
              role="tab"
              data-testid={`tab-${t}`}
              aria-selected={tab === t}
              onClick={() => setTab(t)}
            >
              {t === 'queue' ? `Queue${room ? ` (${room.queue.length})` : ''}` : t === 'chat' ? 'Chat' : `People${room ? ` (${room.members.length})` : ''}`}
            </button>
          ))}
        </nav>
        <div class="tab-panel queue-area" data-active={tab === 'queue'}>
          <QueuePanel session={session} room={room} me={me} />
        </div>
        <aside class="side">
          <div class="tab-panel" data-active={tab === 'members'}>
            <NameField name={me?.name ?? null} onRename={(name) => session.rename(name)} />
            <MemberList session={session} room={room} me={me} />
          </div>
          <div class="tab-panel chat-area" data-active={tab === 'chat'}>
            <ChatPanel session={session} room={room} me={me} />
          </div>
        </aside>
      </div>
      {settingsOpen && room !== null && me !== null && (
        <SettingsDialog session={session} room={room} me={me} onClose={() => setSettingsOpen(false)} />
      )}
      <Toast notice={session.notice.value} onDismiss={() => session.dismissNotice()} />
    </div>
  );
}

/** Out of the room for good: it does not exist, is private, was closed, or we were removed. */
function RoomGone({ connection, removal }: { connection: ConnectionView; removal: Removal | null }) {
  let heading: string;
  let body: string;
  let testId: string;
  switch (connection.status) {
    case 'removed':
      testId = 'removed-banner';
      heading = removal?.banned ? 'You were banned from this room' : 'You were removed from this room';
      body = [
        removal?.by ? `By ${removal.by}.` : null,
        removal?.reason ? `Reason: ${removal.reason}` : null,
        removal?.banned ? null : 'You may come back later.',
      ]
        .filter(Boolean)
        .join(' ');
      break;
    case 'closed':
      testId = 'closed-banner';
      heading = 'This room was closed';
      body = 'It was a temporary room and stayed empty for a while, so it is gone now.';
      break;
    case 'forbidden':
      testId = 'forbidden-banner';
      heading = 'This room is private';
      body = 'You need its invite link to join. Ask someone in the room for it.';
      break;
    default:
      testId = 'not-found-banner';
      heading = 'Room not found';
      body = 'There is no room at this link. It may have been mistyped, or the room is gone.';
  }
  return (
    <div class="page room-missing">
      <ConnectionBanner connection={connection} />
      <AppHeader />
      <main class="home-card" data-testid={testId}>
        <h1>{heading}</h1>
        {body && <p data-testid={testId === 'removed-banner' ? 'removed-reason' : undefined}>{body}</p>}
        <div class="row wrap">
          {connection.status === 'removed' && !removal?.banned && (
            <button type="button" data-testid="rejoin" onClick={() => location.reload()}>
              Join again
            </button>
          )}
          <Link href="/" class="button">
            Back to the start page
          </Link>
        </div>
      </main>
    </div>
  );
}
