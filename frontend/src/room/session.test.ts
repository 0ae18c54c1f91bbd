import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Member, Room, WelcomeMessage } from '../protocol';
import { SYNC_CONFIG } from '../sync/config';
import { fakeWebSocketFactory, type FakeWebSocket } from '../testing/fake-websocket';
import { chatMessage, item, member, room as makeRoom } from '../testing/fixtures';
import { RoomSession, type RoomSessionOptions, type SessionAuth } from './session';

const ROOM_ID = 'k3J9xQ2mW7pZ';
const me: Member = member('g-1', 'Guest 1234', { joinedAt: 100 });
const other: Member = member('g-2', 'Guest 9999', { joinedAt: 50 });

const baseRoom: Room = makeRoom({
  id: ROOM_ID,
  members: [other, me],
  serverTime: 1_000_000,
});

function welcome(room: Partial<Room> = {}, you: Member = me): WelcomeMessage {
  return { type: 'welcome', you, room: { ...baseRoom, ...room }, serverTime: 1_000_000 };
}

/** A session store that hands out tok-1, then tok-2, ... on renew. */
function fakeAuth(initial: string | null = 'tok-1') {
  let token = initial;
  let issued = initial === null ? 0 : 1;
  const auth: SessionAuth & { set(t: string): void; renewals: Array<string | null> } = {
    renewals: [],
    token: () => token,
    ensure: async () => {
      if (token === null) token = `tok-${++issued}`;
      return token;
    },
    renew: async (stale) => {
      auth.renewals.push(stale);
      token = `tok-${++issued}`;
      return token;
    },
    set: (t) => (token = t),
  };
  return auth;
}

function setup(options: Partial<RoomSessionOptions> = {}) {
  const factory = fakeWebSocketFactory();
  // the client clock runs 999_000 ms behind the server's, in step with fake time
  const now = () => Date.now() - 999_000;
  const accepted: string[] = [];
  const auth = fakeAuth();
  const session = new RoomSession({
    roomId: ROOM_ID,
    auth,
    wsUrl: `ws://example.test/api/rooms/${ROOM_ID}/ws`,
    now,
    createSocket: factory.create,
    random: () => 0,
    onGuestNameAccepted: (name) => accepted.push(name),
    ...options,
  });
  const ws = (): FakeWebSocket => factory.sockets[factory.sockets.length - 1]!;
  return { session, factory, ws, accepted, now, auth: (options.auth as ReturnType<typeof fakeAuth>) ?? auth };
}

/** Starts, opens and welcomes: the state of a freshly loaded room page. */
function joined(room: Partial<Room> = {}, options: Partial<RoomSessionOptions> = {}) {
  const s = setup(options);
  s.session.start();
  s.ws().open();
  s.ws().receive(welcome(room));
  return s;
}

const actions = (ws: FakeWebSocket) => ws.sent.filter((m) => !['time', 'join', 'status'].includes(m.type));

describe('RoomSession', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(1_000_000);
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('joins, then probes the clock in a burst and then steadily', () => {
    const { session, ws } = setup();
    session.start();
    expect(session.connection.value.status).toBe('connecting');
    ws().open();
    expect(ws().sent[0]).toEqual({ type: 'join', token: 'tok-1', ref: 'join' });
    expect(ws().sentOfType('time')).toHaveLength(1);

    const burstRemaining = SYNC_CONFIG.probeBurstCount - 1;
    vi.advanceTimersByTime(SYNC_CONFIG.probeBurstIntervalMs * burstRemaining);
    expect(ws().sentOfType('time')).toHaveLength(SYNC_CONFIG.probeBurstCount);
    vi.advanceTimersByTime(SYNC_CONFIG.probeIntervalMs - 1);
    expect(ws().sentOfType('time')).toHaveLength(SYNC_CONFIG.probeBurstCount);
    vi.advanceTimersByTime(1);
    expect(ws().sentOfType('time')).toHaveLength(SYNC_CONFIG.probeBurstCount + 1);
    session.dispose();
  });

  it('takes the room and who we are from the welcome', () => {
    const { session } = joined();
    expect(session.connection.value.status).toBe('connected');
    expect(session.room.value?.title).toBe('Friday film club');
    expect(session.me.value?.id).toBe('g-1');
    session.dispose();
  });

  it('joins a private room with its invite', () => {
    const { session, ws } = setup({ invite: ' S06Eb8XUjcmHr-XW ' });
    session.start();
    ws().open();
    expect(ws().sent[0]).toEqual({ type: 'join', token: 'tok-1', invite: 'S06Eb8XUjcmHr-XW', ref: 'join' });
    session.dispose();
  });

  it('starts a session first when there is no token', async () => {
    const auth = fakeAuth(null);
    const { session, factory, ws } = setup({ auth });
    session.start();
    expect(factory.sockets).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(0);
    ws().open();
    expect(ws().sent[0]).toMatchObject({ type: 'join', token: 'tok-1' });
    session.dispose();
  });

  it('gets a new session and joins again when the token is refused', async () => {
    const { session, ws, factory, auth } = setup();
    session.start();
    ws().open();
    ws().receive({ type: 'error', code: 'unauthorized', message: 'The session token is not valid.', ref: 'join' });
    await vi.advanceTimersByTimeAsync(0);
    expect(auth.renewals).toEqual(['tok-1']);
    expect(factory.sockets).toHaveLength(2);
    ws().open();
    expect(ws().sent[0]).toMatchObject({ type: 'join', token: 'tok-2' });
    expect(session.notice.value).toBeNull();
    session.dispose();
  });

  it('stops asking for new sessions when the server refuses them all', async () => {
    const { session, ws, factory } = setup();
    session.start();
    for (let i = 0; i < 5; i++) {
      ws().open();
      ws().receive({ type: 'error', code: 'unauthorized', message: 'The session token is not valid.', ref: 'join' });
      await vi.advanceTimersByTimeAsync(0);
    }
    expect(factory.sockets).toHaveLength(4);
    expect(session.notice.value?.code).toBe('unauthorized');
    session.dispose();
  });

  it('joins again with a new token after logging in or out', () => {
    const { session, ws, factory, auth } = joined();
    session.tokenChanged(); // same token: nothing
    expect(factory.sockets).toHaveLength(1);
    auth.set('tok-account');
    session.tokenChanged();
    expect(factory.sockets).toHaveLength(2);
    ws().open();
    expect(ws().sent[0]).toMatchObject({ type: 'join', token: 'tok-account' });
    session.dispose();
  });

  it('stops on a private room it may not enter', () => {
    const { session, ws, factory } = setup();
    session.start();
    ws().open();
    ws().receive({ type: 'error', code: 'forbidden', message: 'This room is private.', ref: 'join' });
    expect(session.connection.value.status).toBe('forbidden');
    vi.advanceTimersByTime(60_000);
    expect(factory.sockets).toHaveLength(1);
    session.dispose();
  });

  it('stops and says why when banned at the door', () => {
    const { session, ws, factory } = setup();
    session.start();
    ws().open();
    ws().receive({ type: 'error', code: 'banned', message: 'You are banned from this room: Spam', ref: 'join' });
    expect(session.connection.value.status).toBe('removed');
    expect(session.removal.value).toEqual({ banned: true, reason: 'You are banned from this room: Spam', by: null });
    vi.advanceTimersByTime(60_000);
    expect(factory.sockets).toHaveLength(1);
    session.dispose();
  });

  it('does not reconnect after being removed, and says by whom', () => {
    const { session, ws, factory } = joined({ members: [member('a-9', 'Ada', { role: 'owner' }), me] });
    ws().receive({ type: 'removed', banned: false, reason: 'Spoilers', by: 'a-9' });
    ws().drop(1000);
    expect(session.connection.value.status).toBe('removed');
    expect(session.removal.value).toEqual({ banned: false, reason: 'Spoilers', by: 'Ada' });
    vi.advanceTimersByTime(60_000);
    expect(factory.sockets).toHaveLength(1);
    session.dispose();
  });

  it('stops when the room is closed', () => {
    const { session, ws, factory } = joined();
    ws().receive({ type: 'closed' });
    ws().drop(1000);
    expect(session.connection.value.status).toBe('closed');
    vi.advanceTimersByTime(60_000);
    expect(factory.sockets).toHaveLength(1);
    session.dispose();
  });

  it('reconnects at once when the server says it will close the connection', () => {
    const { session, ws, factory } = joined();
    ws().receive({ type: 'reconnect', reason: 'shutdown' });
    expect(factory.sockets).toHaveLength(2);
    expect(factory.sockets[0]!.closedWith).not.toBeNull();
    expect(session.connection.value.status).toBe('reconnecting');
    ws().open();
    ws().receive(welcome());
    expect(session.connection.value.status).toBe('connected');
    session.dispose();
  });

  it('takes a second welcome on the same connection as a fresh start', () => {
    const { session, ws } = joined({ queue: [item('i2')] });
    ws().receive({ type: 'member_left', member: other });
    ws().receive(welcome({ title: 'Moved', queue: [], members: [me] }));
    expect(session.room.value?.title).toBe('Moved');
    expect(session.room.value?.queue).toEqual([]);
    expect(session.connection.value.status).toBe('connected');
    // and tells the room how its player does, as after every join
    expect(ws().sentOfType('status')).toHaveLength(2);
    session.dispose();
  });

  it('estimates the server clock from probe answers', () => {
    const { session, ws, now } = setup();
    session.start();
    ws().open();
    const probe = ws().sentOfType('time')[0]!;
    vi.advanceTimersByTime(4);
    ws().receive({ type: 'time', t0: probe.t0, t1: probe.t0 + 999_000 + 2 });
    expect(session.sync.value.rttMs).toBe(4);
    expect(session.sync.value.offsetMs).toBe(999_000);
    expect(session.serverNow()).toBe(now() + 999_000);
    session.dispose();
  });

  it('sends actions with refs once joined, and refuses them before', () => {
    const { session, ws } = setup();
    session.start();
    ws().open();
    expect(session.play()).toBe(false);
    expect(session.notice.value?.code).toBe('offline');

    ws().receive(welcome());
    session.play();
    session.pause();
    session.seek(12.5);
    session.setRate(1.5);
    session.setMedia('  https://media.example.org/film.mp4 ');
    expect(actions(ws())).toEqual([
      { type: 'play', ref: 'a1' },
      { type: 'pause', ref: 'a2' },
      { type: 'seek', position: 12.5, ref: 'a3' },
      { type: 'rate', rate: 1.5, ref: 'a4' },
      { type: 'set_media', url: 'https://media.example.org/film.mp4', ref: 'a5' },
    ]);
    session.dispose();
  });

  it('applies room updates from the server', () => {
    const { session, ws } = joined();
    ws().receive({
      type: 'media',
      id: 'i1',
      url: 'https://x.test/a.webm',
      title: 'a.webm',
      duration: null,
      thumbnail: null,
      addedBy: 'g-2',
      by: 'g-2',
    });
    ws().receive({ type: 'playback', playing: true, position: 3, anchor: 1_000_500, rate: 1, by: 'g-2', waitingFor: [] });
    ws().receive({ type: 'member_left', member: other });
    const room = session.room.value!;
    expect(room.media?.url).toBe('https://x.test/a.webm');
    expect(room.playback).toEqual({ playing: true, position: 3, anchor: 1_000_500, rate: 1 });
    expect(room.members).toEqual([me]);
    session.dispose();
  });

  it('shows a refused link under its box, by the ref of the queue_add or set_media, not as a notice', () => {
    const { session, ws } = joined();
    session.queueAdd(' https://shop.example/item ');
    session.setMedia('https://v.example/private');
    const [add, play] = actions(ws());
    expect(add).toMatchObject({ type: 'queue_add', url: 'https://shop.example/item' });
    expect(session.sentLinks.value.map((l) => [l.action, l.state])).toEqual([
      ['queue_add', 'reading'],
      ['set_media', 'reading'],
    ]);
    ws().receive({ type: 'error', code: 'private', message: 'The video is private or needs a login.', ref: play!.ref });
    ws().receive({ type: 'error', code: 'unsupported_site', message: 'Watchroom cannot play videos from this page.', ref: add!.ref });
    expect(session.notice.value).toBeNull();
    expect(session.sentLinks.value).toEqual([
      {
        ref: add!.ref,
        action: 'queue_add',
        url: 'https://shop.example/item',
        state: 'failed',
        failure: { code: 'unsupported_site', message: 'Watchroom cannot play videos from this page.' },
      },
      {
        ref: play!.ref,
        action: 'set_media',
        url: 'https://v.example/private',
        state: 'failed',
        failure: { code: 'private', message: 'The video is private or needs a login.' },
      },
    ]);
    session.dismissLink(add!.ref!);
    expect(session.sentLinks.value.map((l) => l.action)).toEqual(['set_media']);
    session.dispose();
  });

  it('stops reading a link once the room shows it went in at our hand', () => {
    const { session, ws } = joined();
    session.queueAdd('https://v.example/a.m3u8');
    // someone else's change says nothing about ours
    ws().receive({ type: 'queue', items: [item('i7', { url: 'https://v.example/a.m3u8' })], canUndo: false, by: other.id });
    expect(session.sentLinks.value).toHaveLength(1);
    ws().receive({ type: 'queue', items: [item('i8', { url: 'https://v.example/a.m3u8' })], canUndo: true, by: me.id });
    expect(session.sentLinks.value).toEqual([]);
    session.dispose();
  });

  it('tells that links being read were lost with the connection', () => {
    const { session, ws } = joined();
    session.setMedia('https://v.example/a.m3u8');
    ws().drop();
    expect(session.sentLinks.value[0]).toMatchObject({ state: 'failed', failure: { code: 'connection_lost' } });
    session.dispose();
  });

  it('shows error frames as notices', () => {
    const { session, ws } = joined();
    ws().receive({ type: 'error', code: 'no_media', message: 'There is nothing to play.', ref: 'a1' });
    expect(session.notice.value).toMatchObject({ code: 'no_media', message: 'There is nothing to play.' });
    session.dismissNotice();
    expect(session.notice.value).toBeNull();
    session.dispose();
  });

  it('renames with `rename` and remembers the accepted name of a guest', () => {
    const { session, ws, accepted } = joined();
    expect(session.rename('  Ada ')).toBe(true);
    expect(ws().sent.at(-1)).toEqual({ type: 'rename', name: 'Ada', ref: 'a1' });
    ws().receive({ type: 'member_renamed', member: { ...me, name: 'Ada' } });
    expect(session.me.value?.name).toBe('Ada');
    expect(accepted).toEqual(['Ada']);
    session.dispose();
  });

  it('does not rename to the same or an empty name', () => {
    const { session } = joined();
    expect(session.rename('Guest 1234')).toBe(false);
    expect(session.rename('   ')).toBe(false);
    session.dispose();
  });

  it('carries the name a guest chose into a room that knows them by another', () => {
    const { session, ws } = joined({}, { guestName: () => 'Ada' });
    expect(ws().sentOfType('rename')).toEqual([{ type: 'rename', name: 'Ada', ref: 'a1' }]);
    ws().receive(welcome()); // a resync does not ask again
    expect(ws().sentOfType('rename')).toHaveLength(1);
    session.dispose();
  });

  it('sends queue, chat, settings and moderation actions', () => {
    const { session, ws } = joined({ media: item('i1') });
    session.queueAdd(' https://x.test/b.webm ', ' B ');
    session.queueAdd('https://x.test/c.webm');
    session.queueRemove('i2');
    session.queueMove('i3', 0);
    session.queuePlayNow('i3');
    session.queueClear();
    session.queueUndo();
    session.skip();
    session.vote('i3', true);
    session.voteSkip(true);
    session.sendChat('hello', 12.3456);
    session.sendChat('   ');
    session.react(17, '😂');
    session.updateSettings({ queueMode: 'vote', permissions: { chat: 'member' } });
    session.updateSettings({});
    session.rotateInvite();
    session.setRole('g-2', 'moderator');
    session.kick('g-2');
    session.ban('g-2', ' Spam ');
    session.unban('g-2');
    expect(actions(ws()).map(({ ref: _ref, ...m }) => m)).toEqual([
      { type: 'queue_add', url: 'https://x.test/b.webm', title: 'B' },
      { type: 'queue_add', url: 'https://x.test/c.webm' },
      { type: 'queue_remove', item: 'i2' },
      { type: 'queue_move', item: 'i3', to: 0 },
      { type: 'queue_play_now', item: 'i3' },
      { type: 'queue_clear' },
      { type: 'queue_undo' },
      { type: 'skip' },
      { type: 'vote', item: 'i3', up: true },
      { type: 'vote_skip', skip: true },
      { type: 'chat', text: 'hello', videoTime: 12.346 },
      { type: 'react', message: 17, emoji: '😂' },
      { type: 'settings', queueMode: 'vote', permissions: { chat: 'member' } },
      { type: 'rotate_invite' },
      { type: 'set_role', member: 'g-2', role: 'moderator' },
      { type: 'kick', member: 'g-2' },
      { type: 'ban', member: 'g-2', reason: 'Spam' },
      { type: 'unban', member: 'g-2' },
    ]);
    expect(session.skipVotedFor.value).toBe('i1');
    session.dispose();
  });

  it('remembers the names of those who left, and of chat authors', () => {
    const { session, ws } = joined({ chat: [chatMessage(1, { authorId: 'g-7', authorName: 'Old Timer' })] });
    ws().receive({ type: 'member_left', member: other });
    expect(session.names.get('g-2')).toBe('Guest 9999');
    expect(session.names.get('g-7')).toBe('Old Timer');
    session.dispose();
  });

  it('forgets a skip vote when another item plays', () => {
    const { session, ws } = joined({ media: item('i1') });
    session.voteSkip(true);
    ws().receive({
      type: 'media',
      id: 'i2',
      url: 'https://x.test/i2.webm',
      title: 'i2',
      duration: null,
      thumbnail: null,
      addedBy: 'g-1',
      by: null,
    });
    expect(session.skipVotedFor.value).toBeNull();
    session.dispose();
  });

  it('says it is typing at most every 3 s, and stops on send', () => {
    const { session, ws } = joined();
    session.typing();
    vi.advanceTimersByTime(1_000);
    session.typing();
    vi.advanceTimersByTime(2_000);
    session.typing();
    expect(ws().sentOfType('typing')).toEqual([
      { type: 'typing', typing: true },
      { type: 'typing', typing: true },
    ]);
    session.sendChat('hi');
    session.stopTyping(); // already stopped by the send
    expect(ws().sentOfType('typing').at(-1)).toEqual({ type: 'typing', typing: false });
    expect(ws().sentOfType('typing')).toHaveLength(3);
    session.dispose();
  });

  it('reports the player status when it changes and every 5 s with the rtt', () => {
    const { session, ws } = joined();
    expect(ws().sentOfType('status')).toEqual([{ type: 'status', state: 'ready' }]);
    const probe = ws().sentOfType('time')[0]!;
    vi.advanceTimersByTime(4);
    ws().receive({ type: 'time', t0: probe.t0, t1: probe.t0 + 999_000 + 2 });
    session.reportStatus('buffering');
    session.reportStatus('buffering');
    expect(ws().sentOfType('status').at(-1)).toEqual({ type: 'status', state: 'buffering', rtt: 4 });
    expect(ws().sentOfType('status')).toHaveLength(2);
    vi.advanceTimersByTime(5_000);
    expect(ws().sentOfType('status')).toHaveLength(3);
    expect(ws().sentOfType('status').at(-1)).toMatchObject({ state: 'buffering' });
    session.dispose();
  });

  it('loads older chat above the latest and keeps reactions current in both', async () => {
    const latest = Array.from({ length: 3 }, (_, i) => chatMessage(101 + i));
    const loadChat = vi.fn(async () => ({ messages: [chatMessage(99), chatMessage(100)], hasMore: false }));
    const { session, ws } = joined({ chat: latest }, { loadChat });
    expect(session.chat.value.map((m) => m.id)).toEqual([101, 102, 103]);
    await session.loadOlderChat();
    expect(loadChat).toHaveBeenCalledWith(ROOM_ID, 101);
    expect(session.chat.value.map((m) => m.id)).toEqual([99, 100, 101, 102, 103]);
    expect(session.chatHasMore.value).toBe(false);
    ws().receive({ type: 'chat', message: chatMessage(99, { reactions: { '👍': ['g-2'] } }) });
    expect(session.chat.value[0]?.reactions).toEqual({ '👍': ['g-2'] });
    session.dispose();
  });

  it('reconnects after a loss and resyncs from the new welcome', () => {
    const { session, ws, factory } = joined();
    ws().drop();
    expect(session.connection.value).toEqual({ status: 'reconnecting', retryInMs: 250 });
    expect(session.play()).toBe(false);

    vi.advanceTimersByTime(250);
    expect(factory.sockets).toHaveLength(2);
    expect(session.connection.value.status).toBe('reconnecting');
    ws().open();
    expect(ws().sent[0]).toEqual({ type: 'join', token: 'tok-1', ref: 'join' });
    const newMe = { ...me, id: 'm-3' };
    ws().receive(welcome({ playback: { playing: true, position: 42, anchor: 1_000_100, rate: 1 } }, newMe));
    expect(session.connection.value.status).toBe('connected');
    expect(session.me.value?.id).toBe('m-3');
    expect(session.room.value?.playback.position).toBe(42);
    session.dispose();
  });

  it('stops and says so when the room does not exist', async () => {
    const roomExists = vi.fn(async () => false);
    const { session, ws, factory } = setup({ roomExists });
    session.start();
    ws().drop(); // refused before the upgrade
    await vi.waitFor(() => expect(session.connection.value.status).toBe('not_found'));
    expect(roomExists).toHaveBeenCalledWith(ROOM_ID);
    vi.advanceTimersByTime(60_000);
    expect(factory.sockets).toHaveLength(1);
    session.dispose();
  });

  it('keeps retrying when the room exists or nobody can tell', async () => {
    const roomExists = vi.fn(async () => null);
    const { session, ws, factory } = setup({ roomExists });
    session.start();
    ws().drop();
    await Promise.resolve();
    vi.advanceTimersByTime(250);
    expect(factory.sockets).toHaveLength(2);
    expect(session.connection.value.status).toBe('connecting');
    session.dispose();
  });

  it('reports the measured drift every 2 s while the room plays', () => {
    const { session, ws } = joined({
      media: item('i1', { url: 'https://x.test/a.webm', duration: 60 }),
      playback: { playing: true, position: 0, anchor: 1_000_000, rate: 1 },
    });
    session.reportDrift(-12.345);
    vi.advanceTimersByTime(SYNC_CONFIG.driftReportIntervalMs);
    expect(ws().sentOfType('drift')).toEqual([{ type: 'drift', ms: -12.3 }]);

    ws().receive({ type: 'playback', playing: false, position: 2, anchor: 1_002_000, rate: 1, by: 'g-1', waitingFor: [] });
    vi.advanceTimersByTime(SYNC_CONFIG.driftReportIntervalMs * 3);
    expect(ws().sentOfType('drift')).toHaveLength(1);
    session.dispose();
  });

  it('reports an unknown duration once, for the current media only', () => {
    const { session, ws } = joined({ media: item('i1', { url: 'https://x.test/a.webm', duration: null }) });
    session.reportDuration('https://x.test/other.webm', 10);
    session.reportDuration('https://x.test/a.webm', Number.POSITIVE_INFINITY);
    session.reportDuration('https://x.test/a.webm', 61.5);
    session.reportDuration('https://x.test/a.webm', 61.5);
    expect(ws().sentOfType('duration')).toEqual([{ type: 'duration', url: 'https://x.test/a.webm', duration: 61.5 }]);
    session.dispose();
  });

  it('does not report a duration the room already knows', () => {
    const { session, ws } = joined({ media: item('i1', { url: 'https://x.test/a.webm', duration: 60 }) });
    session.reportDuration('https://x.test/a.webm', 61.5);
    expect(ws().sentOfType('duration')).toEqual([]);
    session.dispose();
  });

  it('samples player position and server time together', () => {
    const { session, ws } = joined({
      media: item('i1', { url: 'https://x.test/a.webm', duration: 60 }),
      playback: { playing: true, position: 10, anchor: 1_000_000, rate: 1 },
    });
    const probe = ws().sentOfType('time')[0]!;
    ws().receive({ type: 'time', t0: probe.t0, t1: probe.t0 + 999_000 });
    vi.advanceTimersByTime(1_000);
    session.attachPlayer(() => ({
      position: 11.02,
      playing: true,
      readyState: 4,
      seeks: 2,
      seekLeadMs: 30,
      durationS: 60,
    }));
    const sample = session.sample();
    expect(sample.serverNow).toBe(1_001_000);
    expect(sample.expected).toBeCloseTo(11, 9);
    expect(sample.drift).toBeCloseTo(20, 6);
    expect(sample).toMatchObject({ position: 11.02, playing: true, readyState: 4, seeks: 2, memberId: 'g-1' });
    expect(sample.offsetMs).toBe(999_000);
    session.dispose();
  });
});
