import { describe, expect, it } from 'vitest';
import type { HistoryEvent } from '../protocol';
import { HistoryReader, truncate, words } from './summary';

let seq = 0;
const ev = (type: string, event: Record<string, unknown>, by: string | null = 'a-1'): HistoryEvent => ({
  seq: ++seq,
  at: 1763712000000 + seq,
  by,
  type,
  event,
});

describe('HistoryReader', () => {
  it('reads a whole room life as sentences, with names learned on the way', () => {
    const reader = new HistoryReader([['a-1', 'Ada']]);
    const lines = reader.read([
      ev('RoomCreated', { roomId: 'k3J9xQ2mW7pZ', ownerId: 'a-1', settings: { title: 'Film club' } }),
      ev('MemberJoined', { member: { id: 'g-2', name: 'Bob', joinedAt: 1, guest: true }, admitted: false }, null),
      ev('QueueItemAdded', { item: { id: 'i1', url: 'https://x.test/a.mp4', title: 'Night' } }, 'g-2'),
      ev('NowPlaying', { item: { id: 'i1', title: 'Night' }, playing: false, reason: 'ADDED' }, 'g-2'),
      ev('PlaybackStarted', { position: 61.25 }),
      ev('PlaybackScheduled', { position: 0, startsAt: 1763712000500 }, null),
      ev('PlaybackPaused', { position: 75 }),
      ev('PlaybackSeeked', { position: 3723 }),
      ev('PlaybackRateChanged', { rate: 1.5, position: 3 }),
      ev('QueueItemMoved', { itemId: 'i1', toIndex: 2 }),
      ev('QueueItemVoted', { itemId: 'i1', userId: 'g-2', up: false }, 'g-2'),
      ev('QueueItemRemoved', { itemId: 'i9' }),
      ev('MemberRenamed', { userId: 'g-2', name: 'Robert' }, 'g-2'),
      ev('RoleChanged', { userId: 'g-2', role: 'MODERATOR' }),
      ev('MemberKicked', { userId: 'g-2', reason: 'Spoilers', by: 'a-1' }),
      ev('MemberBanned', { ban: { userId: 'g-3', name: 'Eve', reason: null, by: 'a-1' } }),
      ev('ChatMessagePosted', { message: { id: 1, authorId: 'g-4', authorName: 'Cy', text: 'hello <b>there</b>' } }, 'g-4'),
      ev('SettingsChanged', { settings: { title: 'Classics', visibility: 'private', playbackMode: 'wait_for_everyone', queueMode: 'repeat_one' } }),
      ev('SomethingNewer', {}),
    ]);
    expect(lines.map((l) => [l.who, l.summary])).toEqual([
      ['Ada', 'created the room “Film club”'],
      [null, 'Bob joined'],
      ['Bob', 'added “Night”'],
      ['Bob', 'now playing “Night” (added to an empty room)'],
      ['Ada', 'played from 1:01'],
      [null, expect.stringMatching(/^scheduled play from 0:00 at /)],
      ['Ada', 'paused at 1:15'],
      ['Ada', 'jumped to 1:02:03'],
      ['Ada', 'set the speed to 1.5×'],
      ['Ada', 'moved “Night” to place 3'],
      ['Bob', 'took back a vote for “Night”'],
      ['Ada', 'removed item i9'],
      ['Bob', 'Bob is now called Robert'],
      ['Ada', 'made Robert a moderator'],
      ['Ada', 'kicked Robert (“Spoilers”)'],
      ['Ada', 'banned Eve'],
      ['Cy', 'said “hello <b>there</b>”'],
      ['Ada', 'changed the settings (title “Classics”, private, wait for everyone, queue: repeat one)'],
      ['Ada', 'something newer'],
    ]);
    expect(lines[0]!.seq).toBeLessThan(lines[1]!.seq);
  });

  it('names people as they were at the event, with the current names only for those not named yet', () => {
    const reader = new HistoryReader([['g-5', 'Now Called'], ['g-6', 'Known Later']]);
    const lines = reader.read([
      ev('MemberJoined', { member: { id: 'g-5', name: 'Then Called' } }, 'g-5'),
      ev('QueueCleared', {}, 'g-6'),
    ]);
    expect(lines.map((l) => [l.who, l.summary])).toEqual([
      ['Then Called', 'Then Called joined'],
      ['Known Later', 'cleared the queue'],
    ]);
  });

  it('shows an unknown actor by id, and a missing one as the room', () => {
    const reader = new HistoryReader();
    const [line] = reader.read([ev('QueueCleared', {}, 'g-zz')]);
    expect(line?.who).toBe('g-zz');
    expect(line?.summary).toBe('cleared the queue');
    const [ended] = reader.read([ev('PlaybackEnded', { position: 60 }, null)]);
    expect(ended?.who).toBeNull();
    expect(ended?.summary).toBe('the item ended at 1:00');
  });

  it('remembers across pages', () => {
    const reader = new HistoryReader();
    reader.read([ev('QueueItemAdded', { item: { id: 'i7', title: 'Dawn' } })]);
    const [line] = reader.read([ev('MediaDurationLearned', { itemId: 'i7', duration: 90 }, null)]);
    expect(line?.summary).toBe('learned that “Dawn” lasts 1:30');
  });
});

describe('text helpers', () => {
  it('splits event names into words', () => {
    expect(words('QueueItemAdded')).toBe('queue item added');
  });

  it('truncates by characters, not UTF-16 units', () => {
    expect(truncate('😂😂😂😂', 3)).toBe('😂😂…');
    expect(truncate('short', 10)).toBe('short');
  });
});
