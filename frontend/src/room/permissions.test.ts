import { describe, expect, it } from 'vitest';
import { item, member, room as makeRoom, settings } from '../testing/fixtures';
import {
  atLeast,
  hasModerationOptions,
  may,
  mayPlayNow,
  mayRemoveItem,
  mayReorder,
  moderationOptions,
  outranks,
} from './permissions';

const owner = member('a-1', 'Ada', { role: 'owner', guest: false });
const mod = member('a-2', 'Mo', { role: 'moderator', guest: false });
const mem = member('a-3', 'Mem', { role: 'member', guest: false });
const guest = member('g-4', 'Guest', { role: 'guest' });
const room = makeRoom({ members: [owner, mod, mem, guest] });

describe('may', () => {
  it('reads the lowest role of the matrix', () => {
    expect(may(room, 'guest', 'chat')).toBe(true);
    expect(may(room, 'guest', 'undo')).toBe(false);
    expect(may(room, 'moderator', 'undo')).toBe(true);
    expect(may(room, 'moderator', 'manage_roles')).toBe(false);
    expect(may(room, 'owner', 'manage_roles')).toBe(true);
    const strict = makeRoom({ settings: settings({ permissions: { ...room.settings.permissions, control_playback: 'member' } }) });
    expect(may(strict, 'guest', 'control_playback')).toBe(false);
    expect(may(strict, 'member', 'control_playback')).toBe(true);
  });

  it('orders the roles', () => {
    expect(atLeast('owner', 'moderator')).toBe(true);
    expect(atLeast('guest', 'member')).toBe(false);
  });
});

describe('queue permissions', () => {
  it('let anyone remove their own item, others need queue_remove', () => {
    const strict = makeRoom({ settings: settings({ permissions: { ...room.settings.permissions, queue_remove: 'moderator' } }) });
    expect(mayRemoveItem(strict, guest, item('i1', { addedBy: 'g-4' }))).toBe(true);
    expect(mayRemoveItem(strict, guest, item('i2', { addedBy: 'a-3' }))).toBe(false);
    expect(mayRemoveItem(strict, mod, item('i2', { addedBy: 'a-3' }))).toBe(true);
  });

  it('do not reorder by hand in vote mode', () => {
    expect(mayReorder(room, 'guest')).toBe(true);
    expect(mayReorder(makeRoom({ settings: settings({ queueMode: 'vote' }) }), 'owner')).toBe(false);
  });

  it('need reorder and skip to play an item now', () => {
    const noSkip = makeRoom({ settings: settings({ permissions: { ...room.settings.permissions, skip: 'moderator' } }) });
    expect(mayPlayNow(room, 'guest')).toBe(true);
    expect(mayPlayNow(noSkip, 'guest')).toBe(false);
  });
});

describe('moderation', () => {
  it('reaches only downwards', () => {
    expect(outranks('owner', 'moderator')).toBe(true);
    expect(outranks('moderator', 'member')).toBe(true);
    expect(outranks('moderator', 'moderator')).toBe(false);
    expect(outranks('member', 'guest')).toBe(false); // members are not moderators
  });

  it('offers the owner every action and the roles below owner', () => {
    const options = moderationOptions(room, owner, guest);
    expect(options).toEqual({ kick: true, ban: true, roles: ['member', 'moderator'] });
    expect(moderationOptions(room, owner, mod).roles).toEqual(['guest', 'member']);
  });

  it('offers a moderator kick and ban but no roles by default', () => {
    expect(moderationOptions(room, mod, guest)).toEqual({ kick: true, ban: true, roles: [] });
    expect(hasModerationOptions(moderationOptions(room, mod, owner))).toBe(false);
  });

  it('lets a moderator who may manage roles give only roles below their own', () => {
    const open = makeRoom({ settings: settings({ permissions: { ...room.settings.permissions, manage_roles: 'moderator' } }) });
    expect(moderationOptions(open, mod, guest).roles).toEqual(['member']);
  });

  it('offers nothing against yourself or to members', () => {
    expect(hasModerationOptions(moderationOptions(room, owner, owner))).toBe(false);
    expect(hasModerationOptions(moderationOptions(room, mem, guest))).toBe(false);
  });
});
