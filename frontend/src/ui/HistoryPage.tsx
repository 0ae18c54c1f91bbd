import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ApiError } from '../api';
import { HistoryReader, type EventLine } from '../history/summary';
import type { HistoryEvent, HistoryStateResponse, Room } from '../protocol';
import { memberName } from '../room/queue';
import { roomPath } from '../routes';
import { api } from '../services';
import { AppHeader } from './AppHeader';
import { formatRate, formatTime } from './format';
import { Link } from './Link';

const PAGE_SIZE = 100;
/** The scrubber asks for the state this long after it stops moving. */
const SCRUB_DEBOUNCE_MS = 150;

/**
 * A room's event log, for replay and debugging: the timeline paged from
 * GET /history, and a scrubber over the sequence numbers that shows the room
 * (clock, queue, members) right after the chosen event.
 */
export function HistoryPage({ roomId, invite }: { roomId: string; invite: string | null }) {
  const [room, setRoom] = useState<Room | null>(null);
  const [events, setEvents] = useState<HistoryEvent[]>([]);
  const [next, setNext] = useState<number | null>(1);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [seq, setSeq] = useState<number | null>(null);

  const loadPage = async (from: number) => {
    setLoading(true);
    try {
      const page = await api.history(roomId, from, PAGE_SIZE, invite);
      setEvents((old) => {
        const seen = new Set(old.map((e) => e.seq));
        return [...old, ...page.events.filter((e) => !seen.has(e.seq))];
      });
      setNext(page.next ?? null);
      setError(null);
    } catch (e) {
      setError(e instanceof ApiError ? e.message : 'The history could not be loaded.');
    } finally {
      setLoading(false);
    }
  };

  useEffect(() => {
    document.title = 'History · Watchroom';
    // the current room: its title, and the names of who is in it now
    api.room(roomId, invite).then(setRoom, () => {});
    void loadPage(1);
  }, []);

  // names learned from the room and from the events; read again when more pages arrive
  const lines: EventLine[] = useMemo(() => {
    const reader = new HistoryReader((room?.members ?? []).map((m) => [m.id, m.name] as [string, string]));
    return reader.read(events);
  }, [events, room]);

  const first = events[0]?.seq ?? 1;
  const last = events.at(-1)?.seq ?? 1;
  const chosen = seq ?? null;

  return (
    <div class="page history">
      <AppHeader>
        <h1 class="room-title">History{room?.title ? ` of ${room.title}` : ''}</h1>
      </AppHeader>
      <main class="history-main">
        <p>
          <Link href={roomPath(roomId, invite)} class="button" data-testid="history-back">
            Back to the room
          </Link>
        </p>
        {error !== null && (
          <p class="form-error" role="alert" data-testid="history-error">
            {error}
          </p>
        )}
        {events.length > 0 && (
          <section class="panel scrubber" aria-labelledby="scrubber-heading">
            <h2 id="scrubber-heading">The room at event {chosen ?? '…'}</h2>
            <input
              type="range"
              class="history-scrubber"
              data-testid="history-scrubber"
              aria-label="Event"
              min={first}
              max={last}
              step={1}
              value={chosen ?? last}
              onInput={(event) => setSeq(Number(event.currentTarget.value))}
            />
            <div class="row scrubber-labels">
              <span>#{first}</span>
              <span>#{last}{next !== null ? '+' : ''}</span>
            </div>
            <HistoryState roomId={roomId} invite={invite} seq={chosen} />
          </section>
        )}
        <section class="panel timeline" aria-labelledby="timeline-heading">
          <h2 id="timeline-heading">Events</h2>
          {events.length === 0 && !loading && error === null && <p class="hint">No events yet.</p>}
          <ol class="history-list">
            {lines.map((line) => (
              <li
                key={line.seq}
                class={`history-event${line.seq === chosen ? ' chosen' : ''}`}
                data-testid="history-event"
                data-seq={line.seq}
                data-type={line.type}
              >
                <button type="button" class="history-event-button" onClick={() => setSeq(line.seq)}>
                  <span class="seq">#{line.seq}</span>
                  <time dateTime={new Date(line.at).toISOString()}>{new Date(line.at).toLocaleString()}</time>
                  <span class="who">{line.who ?? 'the room'}</span>
                  <span class="type badge">{line.type}</span>
                  <span class="summary" data-testid="history-summary">
                    {line.summary}
                  </span>
                </button>
              </li>
            ))}
          </ol>
          {next !== null && events.length > 0 && (
            <button type="button" data-testid="history-more" disabled={loading} onClick={() => void loadPage(next)}>
              {loading ? 'Loading…' : 'Load more events'}
            </button>
          )}
          {loading && events.length === 0 && <p class="hint">Loading…</p>}
        </section>
      </main>
    </div>
  );
}

/** The room right after event `seq` (GET /history/state), or the latest loaded event until one is picked. */
function HistoryState({ roomId, invite, seq }: { roomId: string; invite: string | null; seq: number | null }) {
  const [state, setState] = useState<HistoryStateResponse | null>(null);
  const [error, setError] = useState<string | null>(null);
  const asked = useRef(0);

  useEffect(() => {
    if (seq === null) return;
    const ticket = ++asked.current;
    const id = setTimeout(() => {
      api.historyState(roomId, seq, invite).then(
        (answer) => {
          if (ticket !== asked.current) return;
          setState(answer);
          setError(null);
        },
        (e: unknown) => ticket === asked.current && setError(e instanceof ApiError ? e.message : 'That moment could not be loaded.'),
      );
    }, SCRUB_DEBOUNCE_MS);
    return () => clearTimeout(id);
  }, [seq]);

  if (seq === null) return <p class="hint">Move the slider or pick an event to see the room as it was.</p>;
  if (error !== null) return <p class="form-error" data-testid="history-state-error">{error}</p>;
  if (state === null) return <p class="hint">Loading…</p>;
  const { room } = state;
  if (room === null) {
    return (
      <div class="history-state" data-testid="history-state" data-seq={state.seq}>
        <p class="hint">After event #{state.seq} the room was no longer open.</p>
      </div>
    );
  }
  const p = room.playback;
  return (
    <div class="history-state" data-testid="history-state" data-seq={state.seq}>
      <p class="hint">
        After event #{state.seq}, {new Date(state.at).toLocaleString()}
      </p>
      <dl class="clock" data-testid="history-clock">
        <dt>Playing</dt>
        <dd data-testid="history-playing">{p.playing ? 'yes' : 'no'}</dd>
        <dt>Position</dt>
        <dd data-testid="history-position">{formatTime(p.position)} ({p.position.toFixed(3)} s)</dd>
        <dt>Speed</dt>
        <dd data-testid="history-rate">{formatRate(p.rate)}</dd>
        <dt>Anchor</dt>
        <dd data-testid="history-anchor">{new Date(p.anchor).toISOString()}</dd>
      </dl>
      <h3>Now playing</h3>
      <p data-testid="history-media">{room.media ? room.media.title : 'nothing'}</p>
      <h3>Queue ({room.queue.length})</h3>
      <ol data-testid="history-queue">
        {room.queue.map((item) => (
          <li key={item.id}>
            {item.title} <span class="hint">added by {memberName(room, item.addedBy)}</span>
          </li>
        ))}
      </ol>
      <h3>Members ({room.members.length})</h3>
      <ul data-testid="history-members">
        {room.members.map((m) => (
          <li key={m.id}>
            {m.name} <span class="badge">{m.role}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
