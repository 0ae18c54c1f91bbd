import type { HistoryEvent } from '../protocol';
import { formatRate, formatTime } from '../ui/format';

/** One event of the timeline as the history page shows it. */
export interface EventLine {
  seq: number;
  at: number;
  /** Who caused it, by name when known (their id otherwise); null when the room did. */
  who: string | null;
  type: string;
  /** A readable sentence without its subject, e.g. "added “Night”". */
  summary: string;
}

type Fields = Record<string, unknown>;

const REASONS: Record<string, string> = {
  added: 'added to an empty room',
  play_now: 'played now',
  ended: 'the previous item ended',
  repeated: 'repeated',
  skipped: 'skipped to',
  vote_skipped: 'voted past the previous item',
};

const SUMMARY_MAX = 80;

/**
 * Turns history events into timeline lines. Reads the events in order (page
 * after page) and remembers names and item titles as they appear, so a later
 * event that names only an id (a removal, a vote) still reads well. Unknown
 * event types read as their name, so a newer server's events still show.
 */
export class HistoryReader {
  /** Names as the events so far tell them. */
  private readonly names = new Map<string, string>();
  /** Names known from elsewhere (the room's current members), for ids no event has named yet. */
  private readonly fallback = new Map<string, string>();
  private readonly titles = new Map<string, string>();

  constructor(known: Iterable<[string, string]> = []) {
    for (const [id, name] of known) this.fallback.set(id, name);
  }

  read(events: readonly HistoryEvent[]): EventLine[] {
    return events.map((event) => this.readOne(event));
  }

  nameOf(id: string | null | undefined): string | null {
    if (id == null) return null;
    return this.names.get(id) ?? this.fallback.get(id) ?? id;
  }

  private readOne(e: HistoryEvent): EventLine {
    const f = e.event ?? {};
    const by = e.by ?? str(f.by) ?? null;
    // the name as it was before the event (a rename), or the one the event itself introduces (a join)
    const known = by !== null ? this.names.get(by) : undefined;
    const summary = this.describe(e.type, f);
    const who = known ?? this.nameOf(by);
    return { seq: e.seq, at: e.at, who, type: e.type, summary: truncate(summary, SUMMARY_MAX * 2) };
  }

  private describe(type: string, f: Fields): string {
    switch (type) {
      case 'RoomCreated': {
        const settings = obj(f.settings);
        const title = str(settings?.title);
        return title ? `created the room “${title}”` : 'created the room';
      }
      case 'MemberJoined': {
        const member = obj(f.member);
        const id = str(member?.id);
        const name = str(member?.name);
        if (id && name) this.names.set(id, name);
        return f.admitted === true ? `${name ?? 'someone'} joined with the invite` : `${name ?? 'someone'} joined`;
      }
      case 'MemberRenamed': {
        const id = str(f.userId);
        const before = this.nameOf(id);
        const name = str(f.name) ?? '?';
        if (id) this.names.set(id, name);
        return `${before ?? 'someone'} is now called ${name}`;
      }
      case 'MemberLeft':
        return `${this.nameOf(str(f.userId)) ?? 'someone'} left`;
      case 'MemberKicked':
        return withReason(`kicked ${this.nameOf(str(f.userId)) ?? 'someone'}`, str(f.reason));
      case 'MemberBanned': {
        const ban = obj(f.ban) ?? f;
        const id = str(ban.userId);
        const name = str(ban.name);
        if (id && name && !this.names.has(id)) this.names.set(id, name);
        return withReason(`banned ${this.nameOf(id) ?? name ?? 'someone'}`, str(ban.reason));
      }
      case 'MemberUnbanned':
        return `lifted the ban on ${this.nameOf(str(f.userId)) ?? 'someone'}`;
      case 'RoleChanged':
        return `made ${this.nameOf(str(f.userId)) ?? 'someone'} ${article(lower(str(f.role)) ?? 'member')}`;
      case 'SettingsChanged':
        return settingsSummary(obj(f.settings));
      case 'InviteRotated':
        return 'made a new invite link';
      case 'QueueItemAdded': {
        const item = obj(f.item);
        return `added ${this.remember(item)}`;
      }
      case 'QueueItemRemoved':
        return `removed ${this.titleOf(str(f.itemId))}`;
      case 'QueueItemMoved':
        return `moved ${this.titleOf(str(f.itemId))} to place ${num(f.toIndex) !== null ? num(f.toIndex)! + 1 : '?'}`;
      case 'QueueCleared':
        return 'cleared the queue';
      case 'QueueItemVoted':
        return f.up === false
          ? `took back a vote for ${this.titleOf(str(f.itemId))}`
          : `voted for ${this.titleOf(str(f.itemId))}`;
      case 'QueueRestored':
        return 'undid the last queue change';
      case 'NowPlaying': {
        const item = obj(f.item);
        if (item === null) return 'stopped: nothing plays any more';
        const reason = REASONS[lower(str(f.reason)) ?? ''];
        return `now playing ${this.remember(item)}${reason ? ` (${reason})` : ''}`;
      }
      case 'SkipVoted':
        return f.skip === false ? 'took back a vote to skip' : 'voted to skip';
      case 'MediaDurationLearned':
        return `learned that ${this.titleOf(str(f.itemId))} lasts ${formatTime(num(f.duration))}`;
      case 'PlaybackStarted':
        return `played from ${formatTime(num(f.position))}`;
      case 'PlaybackScheduled': {
        const startsAt = num(f.startsAt);
        const when = startsAt !== null ? ` at ${new Date(startsAt).toLocaleTimeString()}` : '';
        return `scheduled play from ${formatTime(num(f.position))}${when}`;
      }
      case 'PlaybackPaused':
        return `paused at ${formatTime(num(f.position))}`;
      case 'PlaybackSeeked':
        return `jumped to ${formatTime(num(f.position))}`;
      case 'PlaybackRateChanged':
        return `set the speed to ${num(f.rate) !== null ? formatRate(num(f.rate)!) : '?'}`;
      case 'PlaybackEnded':
        return `the item ended at ${formatTime(num(f.position))}`;
      case 'ChatMessagePosted': {
        const message = obj(f.message);
        const id = str(message?.authorId);
        const name = str(message?.authorName);
        if (id && name && !this.names.has(id)) this.names.set(id, name);
        return `said “${truncate(str(message?.text) ?? '', SUMMARY_MAX)}”`;
      }
      case 'ChatReactionToggled':
        return f.added === false
          ? `took back ${str(f.emoji) ?? 'a reaction'} on message ${num(f.messageId) ?? '?'}`
          : `reacted ${str(f.emoji) ?? ''} to message ${num(f.messageId) ?? '?'}`;
      case 'RoomForgotten':
        return 'the room was forgotten';
      default:
        return words(type);
    }
  }

  private remember(item: Fields | null): string {
    const id = str(item?.id);
    const title = str(item?.title) ?? str(item?.url) ?? 'an item';
    if (id) this.titles.set(id, title);
    return `“${truncate(title, SUMMARY_MAX)}”`;
  }

  private titleOf(id: string | null): string {
    const title = id !== null ? this.titles.get(id) : undefined;
    return title !== undefined ? `“${truncate(title, SUMMARY_MAX)}”` : `item ${id ?? '?'}`;
  }
}

function settingsSummary(settings: Fields | null): string {
  if (settings === null) return 'changed the settings';
  const parts: string[] = [];
  const title = str(settings.title);
  if (title) parts.push(`title “${truncate(title, 40)}”`);
  const visibility = lower(str(settings.visibility));
  if (visibility) parts.push(visibility);
  const playback = lower(str(settings.playbackMode));
  if (playback) parts.push(playback === 'wait_for_everyone' ? 'wait for everyone' : 'free playback');
  const queue = lower(str(settings.queueMode));
  if (queue) parts.push(`queue: ${queue.replace('_', ' ')}`);
  return parts.length > 0 ? `changed the settings (${parts.join(', ')})` : 'changed the settings';
}

function withReason(text: string, reason: string | null): string {
  return reason ? `${text} (“${truncate(reason, SUMMARY_MAX)}”)` : text;
}

function article(role: string): string {
  return /^[aeiou]/.test(role) ? `an ${role}` : `a ${role}`;
}

/** "QueueItemAdded" -> "queue item added" */
export function words(type: string): string {
  return type
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/_/g, ' ')
    .toLowerCase();
}

export function truncate(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

function str(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

function num(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

function obj(value: unknown): Fields | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Fields) : null;
}

/** Enum names may come as `MODERATOR` or `moderator`. */
function lower(value: string | null): string | null {
  return value === null ? null : value.toLowerCase();
}
