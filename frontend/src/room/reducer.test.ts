import { describe, expect, it } from 'vitest';
import type { ServerMessage } from '../protocol';
import { chatMessage, item, member, room as makeRoom, settings } from '../testing/fixtures';
import { CHAT_KEEP, reduceRoom, upsertChat, type RoomState } from './reducer';

const ada = member('a-1', 'Ada', { guest: false, role: 'owner' });
const bob = member('g-2', 'Bob', { joinedAt: 2 });

const room = makeRoom({
  members: [ada],
  viewerRole: 'owner',
  media: item('i1', { addedAt: 500, voters: ['g-9'] }),
  queue: [item('i2', { addedAt: 600, title: 'Second' }), item('i3')],
});
const state: RoomState = { room, you: ada, waitingFor: [] };

const reduce = (s: RoomState | null, ...messages: ServerMessage[]) =>
  messages.reduce<RoomState | null>((acc, m) => reduceRoom(acc, m), s);

describe('reduceRoom', () => {
  it('takes the room and who we are from a welcome', () => {
    const next = reduceRoom(null, { type: 'welcome', you: ada, room, serverTime: 5 });
    expect(next).toEqual({ room, you: ada, waitingFor: [] });
  });

  it('takes a welcome on the same connection as a resync: the state is replaced whole', () => {
    const moved = reduce(
      state,
      { type: 'member_joined', member: bob },
      { type: 'playback', playing: false, position: 1, anchor: 1, rate: 1, by: null, waitingFor: ['g-2'] },
    );
    const fresh = makeRoom({ title: 'Elsewhere', members: [ada] });
    const next = reduceRoom(moved, { type: 'welcome', you: ada, room: fresh, serverTime: 9 });
    expect(next?.room).toBe(fresh);
    expect(next?.waitingFor).toEqual([]);
  });

  it('ignores messages before the first welcome', () => {
    expect(reduceRoom(null, { type: 'member_joined', member: bob })).toBeNull();
    expect(reduceRoom(null, { type: 'queue', items: [], canUndo: false, by: null })).toBeNull();
  });

  it('replaces the playback clock, keeps who it waits for and drops `by`', () => {
    const next = reduceRoom(state, {
      type: 'playback',
      playing: true,
      position: 61.25,
      anchor: 1234,
      rate: 1.5,
      by: null,
      waitingFor: ['g-2'],
    });
    expect(next?.room.playback).toEqual({ playing: true, position: 61.25, anchor: 1234, rate: 1.5 });
    expect(next?.waitingFor).toEqual(['g-2']);
    expect(room.playback.playing).toBe(false); // not mutated
    expect(next?.room.queue).toBe(room.queue); // untouched parts keep their identity
  });

  it('takes a new current item, with what the queue knew of it', () => {
    const next = reduceRoom(state, {
      type: 'media',
      id: 'i2',
      url: 'https://media.example.org/i2.webm',
      title: 'Second',
      duration: null,
      thumbnail: null,
      addedBy: 'g-1',
      by: 'a-1',
    });
    expect(next?.room.media).toMatchObject({ id: 'i2', title: 'Second', addedAt: 600, voters: [] });
  });

  it('keeps the current item when only its duration became known', () => {
    const next = reduceRoom(state, {
      type: 'media',
      id: 'i1',
      url: room.media!.url,
      title: room.media!.title,
      duration: 12.5,
      thumbnail: 'https://media.example.org/i1.jpg',
      addedBy: 'g-1',
      by: 'g-2',
    });
    expect(next?.room.media).toMatchObject({ id: 'i1', duration: 12.5, addedAt: 500, voters: ['g-9'] });
    expect(next?.room.media?.thumbnail).toBe('https://media.example.org/i1.jpg');
  });

  it('clears the current item when nothing plays any more', () => {
    const next = reduceRoom(state, {
      type: 'media',
      id: null,
      url: null,
      title: null,
      duration: null,
      thumbnail: null,
      addedBy: null,
      by: 'a-1',
    });
    expect(next?.room.media).toBeNull();
  });

  it('replaces the queue and whether it can be undone', () => {
    const items = [item('i3'), item('i2')];
    const next = reduceRoom(state, { type: 'queue', items, canUndo: true, by: 'a-1' });
    expect(next?.room.queue).toBe(items);
    expect(next?.room.canUndo).toBe(true);
  });

  it('adds, renames and removes members, keeping the order', () => {
    let next = reduce(state, { type: 'member_joined', member: bob });
    expect(next?.room.members.map((m) => m.name)).toEqual(['Ada', 'Bob']);
    next = reduce(next, { type: 'member_joined', member: bob }); // twice: still once
    expect(next?.room.members).toHaveLength(2);
    next = reduce(next, { type: 'member_renamed', member: { ...ada, name: 'Countess' } });
    expect(next?.room.members.map((m) => m.name)).toEqual(['Countess', 'Bob']);
    expect(next?.you.name).toBe('Countess');
    next = reduce(next, { type: 'member_left', member: ada });
    expect(next?.room.members.map((m) => m.name)).toEqual(['Bob']);
  });

  it('drops who left from those the room waits for', () => {
    const next = reduce(
      state,
      { type: 'member_joined', member: bob },
      { type: 'playback', playing: false, position: 1, anchor: 1, rate: 1, by: null, waitingFor: ['g-2'] },
      { type: 'member_left', member: bob },
    );
    expect(next?.waitingFor).toEqual([]);
  });

  it('keeps the current status of a member when a member message carries an old one', () => {
    const next = reduce(
      state,
      { type: 'member_joined', member: bob },
      { type: 'presence', member: 'g-2', status: { player: 'buffering', typing: true } },
      { type: 'member_role', member: { ...bob, role: 'moderator' } },
    );
    const b = next?.room.members.find((m) => m.id === 'g-2');
    expect(b?.role).toBe('moderator');
    expect(b?.status).toEqual({ player: 'buffering', typing: true });
  });

  it('follows a new role of our own, in `you` and `viewerRole`', () => {
    const guestState: RoomState = { room: makeRoom({ members: [ada, bob], viewerRole: 'guest' }), you: bob, waitingFor: [] };
    const next = reduceRoom(guestState, { type: 'member_role', member: { ...bob, role: 'moderator' } });
    expect(next?.you.role).toBe('moderator');
    expect(next?.room.viewerRole).toBe('moderator');
  });

  it('updates presence of members and of ourselves; an unknown member changes nothing', () => {
    let next = reduceRoom(state, { type: 'presence', member: 'a-1', status: { player: 'error', typing: false } });
    expect(next?.room.members[0]?.status.player).toBe('error');
    expect(next?.you.status.player).toBe('error');
    next = reduceRoom(state, { type: 'presence', member: 'nobody', status: { player: 'error', typing: false } });
    expect(next?.room).toBe(state.room);
  });

  it('appends chat messages and replaces one whose reactions changed', () => {
    let next = reduceRoom(state, { type: 'chat', message: chatMessage(1) });
    next = reduceRoom(next, { type: 'chat', message: chatMessage(2) });
    next = reduceRoom(next, { type: 'chat', message: chatMessage(1, { reactions: { '👍': ['a-1'] } }) });
    expect(next?.room.chat.map((m) => m.id)).toEqual([1, 2]);
    expect(next?.room.chat[0]?.reactions).toEqual({ '👍': ['a-1'] });
  });

  it('takes new settings and the title, keeping the invite it knows', () => {
    const withInvite: RoomState = { ...state, room: { ...room, settings: settings({ invite: 'tok-1' }) } };
    const next = reduceRoom(withInvite, {
      type: 'settings',
      settings: settings({ title: 'Classics', queueMode: 'vote', invite: null }),
      by: 'a-1',
    });
    expect(next?.room.title).toBe('Classics');
    expect(next?.room.settings.queueMode).toBe('vote');
    expect(next?.room.settings.invite).toBe('tok-1');
  });

  it('takes a rotated invite', () => {
    const next = reduceRoom(state, { type: 'invite', token: 'S06Eb8XUjcmHr-XW' });
    expect(next?.room.settings.invite).toBe('S06Eb8XUjcmHr-XW');
  });

  it('takes skip votes', () => {
    const next = reduceRoom(state, { type: 'skip_votes', votes: 1, needed: 2, voters: ['g-bob'] });
    expect(next?.room.skipVotes).toEqual({ votes: 1, needed: 2, voters: ['g-bob'] });
  });

  it('leaves the state alone for time answers, errors, removed, closed and reconnect', () => {
    const untouched: ServerMessage[] = [
      { type: 'time', t0: 1, t1: 2 },
      { type: 'error', code: 'forbidden', message: 'x', ref: 'a1' },
      { type: 'removed', banned: true, reason: 'Spam', by: 'a-1' },
      { type: 'closed' },
      { type: 'reconnect', reason: 'shutdown' },
    ];
    for (const message of untouched) expect(reduceRoom(state, message)).toBe(state);
  });
});

describe('upsertChat', () => {
  it('keeps id order when a message arrives late', () => {
    const chat = [chatMessage(1), chatMessage(3)];
    expect(upsertChat(chat, chatMessage(2)).map((m) => m.id)).toEqual([1, 2, 3]);
  });

  it('keeps only the newest', () => {
    let chat = [chatMessage(1)];
    for (let id = 2; id <= CHAT_KEEP + 5; id++) chat = upsertChat(chat, chatMessage(id), CHAT_KEEP);
    expect(chat).toHaveLength(CHAT_KEEP);
    expect(chat[0]?.id).toBe(6);
  });
});
