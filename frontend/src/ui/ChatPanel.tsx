import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { CHAT_LATEST, CHAT_TEXT_MAX, type ChatMessage, type Member, type Room } from '../protocol';
import { QUICK_EMOJI, reactionsOf, typingText } from '../room/chat';
import { may } from '../room/permissions';
import type { RoomSession } from '../room/session';
import { formatClock, formatTime } from './format';

interface Props {
  session: RoomSession;
  room: Room | null;
  me: Member | null;
}

/**
 * The room's chat. Message texts are user input: they are rendered as text
 * nodes only (never as HTML), with their line breaks kept by CSS.
 */
export function ChatPanel({ session, room, me }: Props) {
  const messages = session.chat.value;
  const listRef = useRef<HTMLOListElement>(null);
  const stick = useRef(true);
  const role = me?.role ?? 'guest';
  const canChat = room !== null && may(room, role, 'chat');
  const canSeek = room !== null && room.media !== null && may(room, role, 'control_playback');
  const hasMore = session.chatHasMore.value ?? (room !== null && room.chat.length >= CHAT_LATEST);
  const typing = room !== null ? typingText(room.members, me?.id) : null;

  // follow new messages while the reader is at the bottom; loading older ones keeps the place
  const lastId = messages.at(-1)?.id;
  useLayoutEffect(() => {
    const list = listRef.current;
    if (list !== null && stick.current) list.scrollTop = list.scrollHeight;
  }, [lastId, messages.length]);

  const loadOlder = async () => {
    const list = listRef.current;
    const before = list?.scrollHeight ?? 0;
    stick.current = false;
    await session.loadOlderChat();
    requestAnimationFrame(() => {
      if (list !== null) list.scrollTop += list.scrollHeight - before;
    });
  };

  return (
    <section class="panel chat" aria-labelledby="chat-heading" data-testid="chat-panel">
      <h2 id="chat-heading">Chat</h2>
      <ol
        class="chat-list"
        ref={listRef}
        data-testid="chat-list"
        aria-live="polite"
        onScroll={(event) => {
          const list = event.currentTarget;
          stick.current = list.scrollHeight - list.scrollTop - list.clientHeight < 40;
        }}
      >
        {hasMore && (
          <li class="chat-older">
            <button
              type="button"
              data-testid="chat-load-older"
              disabled={session.chatLoading.value}
              onClick={() => void loadOlder()}
            >
              {session.chatLoading.value ? 'Loading…' : 'Load older messages'}
            </button>
          </li>
        )}
        {messages.length === 0 && <li class="hint chat-empty">No messages yet. Say hello!</li>}
        {messages.map((message) => (
          <ChatLine
            key={message.id}
            message={message}
            meId={me?.id ?? null}
            canReact={canChat}
            canSeek={canSeek}
            onReact={(emoji) => session.react(message.id, emoji)}
            onSeek={(time) => session.seek(time)}
          />
        ))}
      </ol>
      <div class="typing-slot" aria-live="polite">
        {typing !== null && (
          <span class="typing-indicator" data-testid="typing-indicator">
            {typing}
          </span>
        )}
      </div>
      <ChatInput session={session} disabled={!canChat} hasMedia={room?.media != null} />
    </section>
  );
}

function ChatLine({
  message,
  meId,
  canReact,
  canSeek,
  onReact,
  onSeek,
}: {
  message: ChatMessage;
  meId: string | null;
  canReact: boolean;
  canSeek: boolean;
  onReact(emoji: string): void;
  onSeek(time: number): void;
}) {
  const reactions = reactionsOf(message, meId);
  const mine = message.authorId === meId;
  return (
    <li class={`chat-message${mine ? ' mine' : ''}`} data-testid="chat-message" data-message-id={message.id}>
      <div class="chat-head">
        <span class="chat-author" data-testid="chat-author">
          {message.authorName}
        </span>
        <time class="chat-at" dateTime={new Date(message.at).toISOString()}>
          {formatClock(message.at)}
        </time>
        {message.videoTime !== null && (
          <button
            type="button"
            class="chat-time"
            data-testid="chat-time"
            data-video-time={message.videoTime}
            disabled={!canSeek}
            title={canSeek ? 'Jump to this moment for everyone' : 'Anchored to this moment of the video'}
            onClick={() => onSeek(message.videoTime!)}
          >
            ⏱ {formatTime(message.videoTime)}
          </button>
        )}
      </div>
      <p class="chat-text" data-testid="chat-text">
        {message.text}
      </p>
      <div class="reactions">
        {reactions.map((r) => (
          <button
            key={r.emoji}
            type="button"
            class="reaction"
            data-testid="chat-reaction"
            data-emoji={r.emoji}
            data-count={r.count}
            aria-pressed={r.mine}
            aria-label={`${r.emoji} ${r.count}${r.mine ? ', including you' : ''}`}
            disabled={!canReact}
            onClick={() => onReact(r.emoji)}
          >
            {r.emoji} <span class="count">{r.count}</span>
          </button>
        ))}
        {canReact && (
          <span class="quick-reactions">
            {QUICK_EMOJI.map((emoji) => (
              <button
                key={emoji}
                type="button"
                class="quick-reaction"
                data-testid="chat-react"
                data-emoji={emoji}
                aria-label={`React with ${emoji}`}
                onClick={() => onReact(emoji)}
              >
                {emoji}
              </button>
            ))}
          </span>
        )}
      </div>
    </li>
  );
}

function ChatInput({ session, disabled, hasMedia }: { session: RoomSession; disabled: boolean; hasMedia: boolean }) {
  const [text, setText] = useState('');
  const [anchor, setAnchor] = useState(false);

  useEffect(() => () => session.stopTyping(), [session]);

  const send = () => {
    if (disabled || text.trim() === '') return;
    const videoTime = anchor && hasMedia ? session.expectedNow() : null;
    if (session.sendChat(text, videoTime)) setText('');
  };

  return (
    <form
      class="chat-input"
      onSubmit={(event) => {
        event.preventDefault();
        send();
      }}
    >
      <label for="chat-input" class="visually-hidden">
        Message
      </label>
      <textarea
        id="chat-input"
        data-testid="chat-input"
        rows={1}
        maxLength={CHAT_TEXT_MAX}
        placeholder={disabled ? 'Your role may not chat here' : 'Say something…'}
        disabled={disabled}
        value={text}
        onInput={(event) => {
          const value = event.currentTarget.value;
          setText(value);
          if (value.trim() === '') session.stopTyping();
          else session.typing();
        }}
        onKeyDown={(event) => {
          // Enter sends, Shift+Enter is a new line; not while an input method composes
          if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
            event.preventDefault();
            send();
          }
        }}
        onBlur={() => session.stopTyping()}
      />
      <div class="row chat-input-row">
        <label class="checkbox" title="Anchor the message to the current moment of the video">
          <input
            type="checkbox"
            data-testid="chat-anchor"
            checked={anchor}
            disabled={!hasMedia}
            onChange={(event) => setAnchor(event.currentTarget.checked)}
          />
          At current time
        </label>
        <button type="submit" class="primary" data-testid="chat-send" disabled={disabled}>
          Send
        </button>
      </div>
    </form>
  );
}
