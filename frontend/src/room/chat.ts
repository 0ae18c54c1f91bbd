import type { ChatMessage, Media, Member } from '../protocol';

/** The quick reactions offered on every message. */
export const QUICK_EMOJI: readonly string[] = ['👍', '😂', '❤️', '😮', '👏'];

/**
 * The chat as shown: older pages loaded through the REST API, then the room's
 * latest messages, in id order, without duplicates (the two overlap when
 * messages were posted between loading and scrolling up). A message in both
 * takes the room's copy, which carries the current reactions.
 */
export function mergeChat(older: readonly ChatMessage[], latest: readonly ChatMessage[]): ChatMessage[] {
  if (older.length === 0) return latest.slice();
  const ids = new Set(latest.map((m) => m.id));
  const merged = older.filter((m) => !ids.has(m.id)).concat(latest);
  return merged.sort((a, b) => a.id - b.id);
}

/** The `before` of the next older page: the oldest message shown. */
export function oldestId(messages: readonly ChatMessage[]): number | null {
  let oldest: number | null = null;
  for (const m of messages) if (oldest === null || m.id < oldest) oldest = m.id;
  return oldest;
}

export interface ReactionView {
  emoji: string;
  count: number;
  /** The viewer reacted with it: clicking takes it back. */
  mine: boolean;
}

/** A message's reactions as buttons: in the order they came, empty ones left out. */
export function reactionsOf(message: ChatMessage, userId: string | null | undefined): ReactionView[] {
  return Object.entries(message.reactions ?? {})
    .filter(([, users]) => users.length > 0)
    .map(([emoji, users]) => ({ emoji, count: users.length, mine: userId != null && users.includes(userId) }));
}

/** "Bob is typing…", "Bob and Ann are typing…", "3 people are typing…"; null when nobody (but you) types. */
export function typingText(members: readonly Member[], youId: string | null | undefined): string | null {
  const names = members.filter((m) => m.status.typing && m.id !== youId).map((m) => m.name);
  if (names.length === 0) return null;
  if (names.length === 1) return `${names[0]} is typing…`;
  if (names.length === 2) return `${names[0]} and ${names[1]} are typing…`;
  return `${names.length} people are typing…`;
}

export interface SeekMark {
  messageId: number;
  /** Where on the seek bar, 0..1. */
  fraction: number;
  videoTime: number;
  label: string;
}

/**
 * Marks on the seek bar for messages anchored to a moment of the current item
 * (messages from before the server named the item fall back to those posted
 * since the item was added).
 */
export function seekMarks(chat: readonly ChatMessage[], media: Media | null): SeekMark[] {
  if (media === null || media.duration === null || media.duration <= 0) return [];
  const duration = media.duration;
  return chat
    .filter(
      (m) =>
        m.videoTime !== null &&
        (m.itemId != null ? m.itemId === media.id : m.at >= media.addedAt) &&
        m.videoTime >= 0 &&
        m.videoTime <= duration,
    )
    .map((m) => ({
      messageId: m.id,
      fraction: m.videoTime! / duration,
      videoTime: m.videoTime!,
      label: `${m.authorName}: ${m.text}`,
    }));
}
