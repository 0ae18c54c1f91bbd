import { describe, expect, it } from 'vitest';
import { chatMessage, item, member } from '../testing/fixtures';
import { mergeChat, oldestId, reactionsOf, seekMarks, typingText } from './chat';

describe('mergeChat', () => {
  it('puts older pages above the latest, without duplicates, preferring the latest copy', () => {
    const older = [chatMessage(1), chatMessage(2), chatMessage(3, { text: 'old copy' })];
    const latest = [chatMessage(3, { text: 'new copy' }), chatMessage(4)];
    const merged = mergeChat(older, latest);
    expect(merged.map((m) => m.id)).toEqual([1, 2, 3, 4]);
    expect(merged[2]?.text).toBe('new copy');
    expect(oldestId(merged)).toBe(1);
    expect(oldestId([])).toBeNull();
  });
});

describe('reactionsOf', () => {
  it('counts reactions and marks your own', () => {
    const message = chatMessage(1, { reactions: { '👍': ['a', 'b'], '😂': ['b'], '🎉': [] } });
    expect(reactionsOf(message, 'a')).toEqual([
      { emoji: '👍', count: 2, mine: true },
      { emoji: '😂', count: 1, mine: false },
    ]);
  });
});

describe('typingText', () => {
  const typing = (id: string, name: string, on = true) => member(id, name, { status: { player: 'ready', typing: on } });

  it('names who types, leaving you out', () => {
    expect(typingText([typing('g-1', 'Bob'), typing('g-2', 'Me')], 'g-2')).toBe('Bob is typing…');
    expect(typingText([typing('g-1', 'Bob'), typing('g-3', 'Ann')], 'g-2')).toBe('Bob and Ann are typing…');
    expect(typingText([typing('g-1', 'A'), typing('g-3', 'B'), typing('g-4', 'C')], null)).toBe('3 people are typing…');
    expect(typingText([typing('g-1', 'Bob', false)], null)).toBeNull();
  });
});

describe('seekMarks', () => {
  it('marks anchored messages posted since the item was added, inside its duration', () => {
    const media = item('i1', { duration: 100, addedAt: 1000 });
    const chat = [
      chatMessage(1, { at: 999, videoTime: 10 }), // before the item
      chatMessage(2, { at: 1001, videoTime: 25 }),
      chatMessage(3, { at: 1002, videoTime: null }),
      chatMessage(4, { at: 1003, videoTime: 150 }), // past the end
    ];
    expect(seekMarks(chat, media)).toEqual([{ messageId: 2, fraction: 0.25, videoTime: 25, label: 'Bob: message 2' }]);
    expect(seekMarks(chat, item('i2'))).toEqual([]); // unknown duration
    expect(seekMarks(chat, null)).toEqual([]);
  });
});
