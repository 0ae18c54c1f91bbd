import { describe, expect, it } from 'vitest';
import { item, member, room as makeRoom } from '../testing/fixtures';
import { applyMove, hasVoted, memberName, moveTarget, queueDuration, stepTarget } from './queue';

const items = ['a', 'b', 'c', 'd'].map((id) => item(id));
const ids = (list: { id: string }[]) => list.map((i) => i.id);

describe('moveTarget', () => {
  it('puts a dragged item where the item it was dropped on is', () => {
    // c dropped on a: c ends up first
    expect(moveTarget(items, 'c', 'a')).toBe(0);
    expect(ids(applyMove(items, 'c', 0))).toEqual(['c', 'a', 'b', 'd']);
    // a dropped on c: a ends up just after c
    expect(moveTarget(items, 'a', 'c')).toBe(2);
    expect(ids(applyMove(items, 'a', 2))).toEqual(['b', 'c', 'a', 'd']);
  });

  it('moves to the end when dropped past the last item', () => {
    expect(moveTarget(items, 'b', null)).toBe(3);
    expect(ids(applyMove(items, 'b', 3))).toEqual(['a', 'c', 'd', 'b']);
  });

  it('is null when nothing would move', () => {
    expect(moveTarget(items, 'b', 'b')).toBeNull();
    expect(moveTarget(items, 'd', null)).toBeNull();
    expect(moveTarget(items, 'zz', 'a')).toBeNull();
    expect(moveTarget(items, 'a', 'zz')).toBeNull();
  });
});

describe('stepTarget', () => {
  it('moves one place, not past the edges', () => {
    expect(stepTarget(items, 'b', -1)).toBe(0);
    expect(stepTarget(items, 'b', 1)).toBe(2);
    expect(stepTarget(items, 'a', -1)).toBeNull();
    expect(stepTarget(items, 'd', 1)).toBeNull();
  });
});

describe('queue helpers', () => {
  it('tell whether a user voted for an item', () => {
    const voted = item('x', { voters: ['g-1'] });
    expect(hasVoted(voted, 'g-1')).toBe(true);
    expect(hasVoted(voted, 'g-2')).toBe(false);
    expect(hasVoted(voted, null)).toBe(false);
  });

  it('name who added an item, or someone', () => {
    const room = makeRoom({ members: [member('g-1', 'Bob')] });
    expect(memberName(room, 'g-1')).toBe('Bob');
    expect(memberName(room, 'g-9')).toBe('someone');
    expect(memberName(null, null, 'nobody')).toBe('nobody');
    expect(memberName(room, 'g-9', 'someone', new Map([['g-9', 'Gone']]))).toBe('Gone');
  });

  it('add up known durations', () => {
    expect(queueDuration([item('a', { duration: 60 }), item('b'), item('c', { duration: 30.5 })])).toEqual({
      seconds: 90.5,
      unknown: 1,
    });
  });
});
