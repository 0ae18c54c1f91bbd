import { useState } from 'preact/hooks';
import type { ChatMessage, Playback, Role, Room } from '../protocol';
import { seekMarks } from '../room/chat';
import { may } from '../room/permissions';
import type { RoomSession } from '../room/session';
import { msUntilStart } from '../sync/expected';
import { formatRate, formatTime } from './format';
import { useTicker } from './hooks';
import { TrickPlayPreview, useThumbnails } from './TrickPlay';

export const RATES: readonly number[] = [0.25, 0.5, 0.75, 1, 1.25, 1.5, 1.75, 2, 3, 4];

interface Props {
  session: RoomSession;
  room: Room | null;
  role: Role;
  chat: readonly ChatMessage[];
}

/**
 * Play/pause, seek bar and speed. They show the room's state, never the
 * element's, and only send intent: what the room does next arrives as a
 * `playback` message that the player then follows. Controls the viewer's role
 * may not use are disabled (the server would refuse them anyway).
 */
export function Controls({ session, room, role, chat }: Props) {
  const playback = room?.playback ?? null;
  const playing = playback?.playing ?? false;
  const mayControl = room !== null && may(room, role, 'control_playback');
  const mayRate = room !== null && may(room, role, 'change_rate');
  return (
    <div class="controls">
      <button
        type="button"
        class="play-toggle"
        data-testid="play-toggle"
        data-state={playing ? 'playing' : 'paused'}
        aria-label={playing ? 'Pause for everyone' : 'Play for everyone'}
        disabled={room === null || !mayControl}
        title={room !== null && !mayControl ? 'Your role may not control playback in this room' : undefined}
        onClick={() => (playing ? session.pause() : session.play())}
      >
        {playing ? 'Pause' : 'Play'}
      </button>
      <SeekBar session={session} room={room} disabled={!mayControl} chat={chat} />
      <RateSelect rate={playback?.rate ?? 1} disabled={room === null || !mayRate} onChange={(rate) => session.setRate(rate)} />
    </div>
  );
}

/** A value the user picked, shown until the room's clock changes in answer. */
interface Committed {
  position: number;
  playback: Playback;
}

function SeekBar({
  session,
  room,
  disabled: forbidden,
  chat,
}: {
  session: RoomSession;
  room: Room | null;
  disabled: boolean;
  chat: readonly ChatMessage[];
}) {
  useTicker(250);
  const [dragging, setDragging] = useState<number | null>(null);
  const [committed, setCommitted] = useState<Committed | null>(null);
  const [hover, setHover] = useState<number | null>(null);
  const cues = useThumbnails(room?.media?.url ?? null);

  const duration = room?.media?.duration ?? null;
  const expected = session.expectedNow() ?? room?.playback.position ?? 0;
  const waiting = committed !== null && committed.playback === room?.playback ? committed.position : null;
  const shown = dragging ?? waiting ?? expected;
  const disabled = room?.media == null || duration === null || forbidden;
  const marks = seekMarks(chat, room?.media ?? null);
  const serverNow = session.serverNow();
  const startsInMs = room !== null && serverNow !== null ? msUntilStart(room.playback, serverNow) : 0;

  const commit = (value: number) => {
    setDragging(null);
    if (room === null) return;
    if (session.seek(value)) setCommitted({ position: value, playback: room.playback });
  };

  return (
    <div class="seek">
      <span class="time" data-testid="position">
        {startsInMs > 0 ? `in ${Math.ceil(startsInMs / 1000)} s` : formatTime(shown)}
      </span>
      <div
        class="seek-track"
        onMouseMove={(event) => {
          const rect = event.currentTarget.getBoundingClientRect();
          setHover(rect.width > 0 ? (event.clientX - rect.left) / rect.width : null);
        }}
        onMouseLeave={() => setHover(null)}
      >
        {room?.media != null && duration !== null && duration > 0 && (dragging !== null || hover !== null) && (
          <TrickPlayPreview
            cues={cues}
            time={dragging ?? Math.max(0, Math.min(1, hover ?? 0)) * duration}
            fraction={dragging !== null ? dragging / duration : (hover ?? 0)}
          />
        )}
        <input
          type="range"
          class="seek-bar"
          data-testid="seek-bar"
          aria-label="Seek"
          aria-valuetext={`${formatTime(shown)} of ${formatTime(duration)}`}
          min={0}
          max={duration ?? 0}
          step="any"
          value={room?.media == null || duration === null ? 0 : shown}
          disabled={disabled}
          onInput={(event) => setDragging(Number(event.currentTarget.value))}
          onChange={(event) => commit(Number(event.currentTarget.value))}
        />
        {marks.map((mark) => (
          <span
            key={mark.messageId}
            class="seek-mark"
            data-testid="seek-mark"
            data-message-id={mark.messageId}
            style={{ left: `${mark.fraction * 100}%` }}
            title={`${formatTime(mark.videoTime)} ${mark.label}`}
            aria-hidden="true"
          />
        ))}
      </div>
      <span class="time" data-testid="duration">
        {formatTime(duration)}
      </span>
    </div>
  );
}

function RateSelect({ rate, disabled, onChange }: { rate: number; disabled: boolean; onChange(rate: number): void }) {
  // a rate set by another client that is not in the list still shows
  const rates = RATES.includes(rate) ? RATES : [...RATES, rate].sort((a, b) => a - b);
  return (
    <select
      class="rate-select"
      data-testid="rate-select"
      aria-label="Playback speed"
      value={String(rate)}
      disabled={disabled}
      onChange={(event) => onChange(Number(event.currentTarget.value))}
    >
      {rates.map((r) => (
        <option key={r} value={String(r)}>
          {formatRate(r)}
        </option>
      ))}
    </select>
  );
}
