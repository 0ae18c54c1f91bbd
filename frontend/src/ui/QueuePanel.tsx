import { useRef, useState } from 'preact/hooks';
import type { Member, QueueItem, Room } from '../protocol';
import { may, mayPlayNow, mayRemoveItem, mayReorder } from '../room/permissions';
import { hasVoted, memberName, moveTarget, queueDuration, stepTarget } from '../room/queue';
import type { RoomSession } from '../room/session';
import { formatTime } from './format';
import { LinkBox, Thumbnail } from './LinkBox';

const MODE_LABELS: Record<string, string> = {
  manual: 'In order',
  vote: 'Most votes first',
  loop: 'Loop',
  repeat_one: 'Repeat one',
};

interface Props {
  session: RoomSession;
  room: Room | null;
  me: Member | null;
}

/**
 * The item playing and the upcoming queue. Every change is a message to the
 * room; the list shows the queue as the server last sent it (no optimistic
 * reordering), so every client shows the same order.
 */
export function QueuePanel({ session, room, me }: Props) {
  // the ref answers the drag events at once (before a re-render); the state styles the list
  const draggedRef = useRef<string | null>(null);
  const [dragged, setDraggedState] = useState<string | null>(null);
  const [over, setOver] = useState<string | null>(null);
  const setDragged = (id: string | null) => {
    draggedRef.current = id;
    setDraggedState(id);
  };

  if (room === null || me === null) {
    return (
      <section class="panel queue" aria-labelledby="queue-heading">
        <h2 id="queue-heading">Queue</h2>
        <p class="hint">Connecting…</p>
      </section>
    );
  }

  const role = me.role;
  const items = room.queue;
  const voteMode = room.settings.queueMode === 'vote';
  const canReorder = mayReorder(room, role);
  const canPlayNow = mayPlayNow(room, role);
  const canVote = may(room, role, 'vote');
  const canSkip = may(room, role, 'skip');
  const canClear = may(room, role, 'queue_remove');
  const canUndo = may(room, role, 'undo');
  const canAdd = may(room, role, 'queue_add');
  const total = queueDuration(items);
  // The server names the voters; older servers only count them, so fall back to what we sent.
  const skipVoted =
    room.media !== null &&
    (room.skipVotes.voters !== undefined
      ? room.skipVotes.voters.includes(me.id)
      : session.skipVotedFor.value === room.media.id);

  const drop = (targetId: string | null) => {
    const id = draggedRef.current;
    if (id !== null) {
      const to = moveTarget(items, id, targetId);
      if (to !== null) session.queueMove(id, to);
    }
    setDragged(null);
    setOver(null);
  };

  return (
    <section class="panel queue" aria-labelledby="queue-heading" data-testid="queue-panel" data-mode={room.settings.queueMode}>
      <div class="panel-head">
        <h2 id="queue-heading">
          Queue <span class="count">{items.length}</span>
        </h2>
        <span class="badge" data-testid="queue-mode" title="Queue mode">
          {MODE_LABELS[room.settings.queueMode] ?? room.settings.queueMode}
        </span>
      </div>

      {room.media !== null ? (
        <div class="queue-current" data-testid="queue-current" data-item-id={room.media.id}>
          <ItemInfo item={room.media} room={room} names={session.names} label="Now playing" />
        </div>
      ) : (
        <p class="hint queue-current-empty">Nothing is playing.</p>
      )}

      {room.media !== null && (canSkip || canVote) && (
        <div class="row wrap skip-row">
          {canSkip && (
            <button type="button" data-testid="queue-skip" onClick={() => session.skip()}>
              Skip
            </button>
          )}
          {canVote && (
            <button
              type="button"
              data-testid="vote-skip"
              aria-pressed={skipVoted}
              data-votes={room.skipVotes.votes}
              data-needed={room.skipVotes.needed}
              onClick={() => session.voteSkip(!skipVoted)}
            >
              {skipVoted ? 'Take back skip vote' : 'Vote to skip'}{' '}
              <span class="count" data-testid="skip-votes">
                {room.skipVotes.votes}/{room.skipVotes.needed}
              </span>
            </button>
          )}
        </div>
      )}

      <h3 class="queue-subhead">
        Up next
        {total.seconds > 0 && (
          <span class="count">
            {' '}
            · {formatTime(total.seconds)}
            {total.unknown > 0 ? '+' : ''}
          </span>
        )}
      </h3>
      {items.length === 0 && <p class="hint">Nothing queued. Add a link below.</p>}
      <ol class="queue-list" data-testid="queue-list">
        {items.map((item, index) => {
          const voted = hasVoted(item, me.id);
          return (
            <li
              key={item.id}
              class={`queue-item${dragged === item.id ? ' dragging' : ''}${over === item.id && dragged !== item.id ? ' drop-target' : ''}`}
              data-testid="queue-item"
              data-item-id={item.id}
              data-index={index}
              draggable={canReorder}
              onDragStart={(event) => {
                if (!canReorder) return;
                setDragged(item.id);
                event.dataTransfer?.setData('text/plain', item.id);
                if (event.dataTransfer) event.dataTransfer.effectAllowed = 'move';
              }}
              onDragOver={(event) => {
                if (draggedRef.current === null) return;
                event.preventDefault();
                if (event.dataTransfer) event.dataTransfer.dropEffect = 'move';
                if (over !== item.id) setOver(item.id);
              }}
              onDragLeave={() => over === item.id && setOver(null)}
              onDrop={(event) => {
                event.preventDefault();
                drop(item.id);
              }}
              onDragEnd={() => {
                setDragged(null);
                setOver(null);
              }}
            >
              {canReorder && (
                <span class="drag-handle" aria-hidden="true" title="Drag to reorder">
                  ⠿
                </span>
              )}
              <ItemInfo item={item} room={room} names={session.names} />
              <div class="item-actions">
                {voteMode && (
                  <button
                    type="button"
                    class="vote"
                    data-testid="queue-vote"
                    aria-pressed={voted}
                    data-votes={item.voters.length}
                    disabled={!canVote}
                    aria-label={voted ? `Take back your vote for ${item.title}` : `Vote for ${item.title}`}
                    onClick={() => session.vote(item.id, !voted)}
                  >
                    ▲ {item.voters.length}
                  </button>
                )}
                {canReorder && (
                  <>
                    <button
                      type="button"
                      class="icon-button"
                      data-testid="queue-move-up"
                      aria-label={`Move ${item.title} up`}
                      disabled={index === 0}
                      onClick={() => {
                        const to = stepTarget(items, item.id, -1);
                        if (to !== null) session.queueMove(item.id, to);
                      }}
                    >
                      ↑
                    </button>
                    <button
                      type="button"
                      class="icon-button"
                      data-testid="queue-move-down"
                      aria-label={`Move ${item.title} down`}
                      disabled={index === items.length - 1}
                      onClick={() => {
                        const to = stepTarget(items, item.id, 1);
                        if (to !== null) session.queueMove(item.id, to);
                      }}
                    >
                      ↓
                    </button>
                  </>
                )}
                {canPlayNow && (
                  <button type="button" data-testid="queue-play-now" onClick={() => session.queuePlayNow(item.id)}>
                    Play now
                  </button>
                )}
                {mayRemoveItem(room, me, item) && (
                  <button
                    type="button"
                    class="icon-button danger"
                    data-testid="queue-remove"
                    aria-label={`Remove ${item.title}`}
                    onClick={() => session.queueRemove(item.id)}
                  >
                    ×
                  </button>
                )}
              </div>
            </li>
          );
        })}
      </ol>
      {canReorder && dragged !== null && (
        <div
          class={`queue-drop-end${over === '' ? ' drop-target' : ''}`}
          data-testid="queue-drop-end"
          onDragOver={(event) => {
            event.preventDefault();
            setOver('');
          }}
          onDrop={(event) => {
            event.preventDefault();
            drop(null);
          }}
        >
          Drop here to play last
        </div>
      )}

      {(room.canUndo && canUndo) || (items.length > 0 && canClear) ? (
        <div class="row wrap queue-tools">
          {room.canUndo && canUndo && (
            <button type="button" data-testid="queue-undo" onClick={() => session.queueUndo()}>
              Undo
            </button>
          )}
          {items.length > 0 && canClear && (
            <button type="button" class="danger" data-testid="queue-clear" onClick={() => session.queueClear()}>
              Clear queue
            </button>
          )}
        </div>
      ) : null}

      <LinkBox
        session={session}
        action="queue_add"
        class="queue-add"
        ids={{ input: 'queue-add-url', submit: 'queue-add-submit', title: 'queue-add-title' }}
        label="Video URL to queue, or words to search for"
        placeholder="Paste a video link, or search"
        submitLabel="Add to queue"
        disabled={!canAdd}
      />
    </section>
  );
}

function ItemInfo({
  item,
  room,
  names,
  label,
}: {
  item: QueueItem;
  room: Room;
  names: ReadonlyMap<string, string>;
  label?: string;
}) {
  return (
    <div class="item-info">
      <Thumbnail src={item.thumbnail} />
      <div class="item-text">
        {label && <span class="item-label">{label}</span>}
        <span class="item-title" data-testid="item-title" title={item.url}>
          {item.title}
        </span>
        <span class="item-meta">
          <span data-testid="item-duration">{item.duration !== null ? formatTime(item.duration) : '--:--'}</span>
          <span> · added by {memberName(room, item.addedBy, 'someone', names)}</span>
        </span>
      </div>
    </div>
  );
}
