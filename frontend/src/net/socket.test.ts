import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ServerMessage } from '../protocol';
import { FakeWebSocket } from '../testing/fake-websocket';
import { backoffDelayMs, RECONNECT_BACKOFF } from './backoff';
import { IDLE_CLOSE_CODE, RESTART_CLOSE_CODE, RoomSocket, type RoomSocketHandlers, type SocketState } from './socket';

interface Harness {
  socket: RoomSocket;
  sockets: FakeWebSocket[];
  received: Array<{ message: ServerMessage; receivedAt: number }>;
  states: SocketState[];
  closes: Array<{ opened: boolean; code: number; replaced?: boolean }>;
  opens: number;
  latest(): FakeWebSocket;
}

function harness(overrides: Partial<RoomSocketHandlers> = {}, token = 'tok-1'): Harness {
  const sockets: FakeWebSocket[] = [];
  const h: Harness = {
    sockets,
    received: [],
    states: [],
    closes: [],
    opens: 0,
    latest: () => sockets[sockets.length - 1]!,
    socket: undefined as unknown as RoomSocket,
  };
  let clock = 1000;
  h.socket = new RoomSocket({
    url: 'ws://example.test/api/rooms/abcdefghijkl/ws',
    createSocket: (url) => {
      const ws = new FakeWebSocket(url);
      sockets.push(ws);
      return ws;
    },
    now: () => (clock += 0.5),
    random: () => 0, // no jitter: the delays are the base delays
    idleTimeoutMs: 10_000,
    handlers: {
      hello: () => ({ type: 'join', token }),
      onOpen: () => (h.opens += 1),
      onMessage: (message, receivedAt) => h.received.push({ message, receivedAt }),
      onState: (state) => h.states.push(state),
      onClose: (info) => h.closes.push(info),
      ...overrides,
    },
  });
  return h;
}

describe('backoffDelayMs', () => {
  it('starts at 250 ms and doubles up to 10 s', () => {
    const delays = Array.from({ length: 9 }, (_, i) => backoffDelayMs(i, RECONNECT_BACKOFF, () => 0));
    expect(delays).toEqual([250, 500, 1000, 2000, 4000, 8000, 10_000, 10_000, 10_000]);
  });

  it('takes up to half the delay off at random', () => {
    expect(backoffDelayMs(2, RECONNECT_BACKOFF, () => 1)).toBe(500);
    expect(backoffDelayMs(2, RECONNECT_BACKOFF, () => 0.5)).toBe(750);
  });
});

describe('RoomSocket', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('connects to the URL and sends join first', () => {
    const h = harness();
    h.socket.connect();
    expect(h.sockets).toHaveLength(1);
    expect(h.latest().url).toBe('ws://example.test/api/rooms/abcdefghijkl/ws');
    expect(h.socket.isOpen).toBe(false);
    expect(h.socket.send({ type: 'play' })).toBe(false);

    h.latest().open();
    expect(h.socket.isOpen).toBe(true);
    expect(h.latest().sent).toEqual([{ type: 'join', token: 'tok-1' }]);
    expect(h.opens).toBe(1);
    expect(h.states.map((s) => s.status)).toEqual(['connecting', 'open']);
  });

  it('sends typed messages as JSON while open', () => {
    const h = harness();
    h.socket.connect();
    h.latest().open();
    expect(h.socket.send({ type: 'seek', position: 12.5, ref: 'r1' })).toBe(true);
    expect(h.latest().sent[1]).toEqual({ type: 'seek', position: 12.5, ref: 'r1' });
  });

  it('delivers parsed server messages with the receive time, skipping junk', () => {
    const h = harness();
    h.socket.connect();
    h.latest().open();
    h.latest().receive({ type: 'time', t0: 1, t1: 2 });
    h.latest().receive('not json');
    h.latest().receive('[1,2]');
    h.latest().receive('{"type":"something_new"}');
    h.latest().receive({ type: 'error', code: 'invalid', message: 'No.', ref: 'r1' });
    expect(h.received.map((r) => r.message.type)).toEqual(['time', 'error']);
    expect(h.received[0]!.receivedAt).toBeGreaterThan(1000);
  });

  it('reconnects with doubling delays and sends join again on every connection', () => {
    const h = harness();
    h.socket.connect();
    h.latest().open();
    h.latest().drop();
    expect(h.closes).toEqual([{ opened: true, code: 1006 }]);
    expect(h.socket.state).toEqual({ status: 'waiting', attempt: 1, retryInMs: 250 });

    vi.advanceTimersByTime(249);
    expect(h.sockets).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(h.sockets).toHaveLength(2);

    // refused twice: 500 ms, then 1000 ms
    h.latest().drop();
    expect(h.closes[1]).toEqual({ opened: false, code: 1006 });
    vi.advanceTimersByTime(500);
    expect(h.sockets).toHaveLength(3);
    h.latest().drop();
    vi.advanceTimersByTime(999);
    expect(h.sockets).toHaveLength(3);
    vi.advanceTimersByTime(1);
    expect(h.sockets).toHaveLength(4);

    h.latest().open();
    expect(h.latest().sent).toEqual([{ type: 'join', token: 'tok-1' }]);
    expect(h.opens).toBe(2);
  });

  it('starts the backoff over once a connection gets an answer', () => {
    const h = harness();
    h.socket.connect();
    h.latest().drop();
    vi.advanceTimersByTime(250);
    h.latest().drop();
    vi.advanceTimersByTime(500);
    h.latest().open();
    h.latest().receive({ type: 'time', t0: 1, t1: 2 });
    h.latest().drop();
    expect(h.socket.state).toEqual({ status: 'waiting', attempt: 1, retryInMs: 250 });
  });

  it('caps the delay at 10 s', () => {
    const h = harness();
    h.socket.connect();
    for (let i = 0; i < 10; i++) {
      h.latest().drop();
      vi.runOnlyPendingTimers();
    }
    h.latest().drop();
    expect(h.socket.state).toMatchObject({ status: 'waiting', retryInMs: 10_000 });
  });

  it('uses the join of the moment, e.g. after a new session token', () => {
    let token = 'tok-1';
    const h = harness({ hello: () => ({ type: 'join', token }) });
    h.socket.connect();
    h.latest().open();
    token = 'tok-2';
    h.latest().drop();
    vi.runOnlyPendingTimers();
    h.latest().open();
    expect(h.latest().sent[0]).toEqual({ type: 'join', token: 'tok-2' });
  });

  it('replaces the connection at once on restart, without backoff', () => {
    const h = harness();
    h.socket.connect();
    h.latest().open();
    h.latest().drop(); // one loss: the next retry would wait 250 ms
    vi.advanceTimersByTime(250);
    h.latest().open();
    h.socket.restart();
    expect(h.sockets).toHaveLength(3);
    expect(h.sockets[1]!.closedWith).toBe(RESTART_CLOSE_CODE);
    expect(h.closes.at(-1)).toEqual({ opened: true, code: RESTART_CLOSE_CODE, replaced: true });
    h.latest().open();
    expect(h.latest().sent[0]).toEqual({ type: 'join', token: 'tok-1' });
    // a late close of the replaced connection changes nothing
    h.sockets[1]!.drop();
    expect(h.sockets).toHaveLength(3);
    expect(h.socket.isOpen).toBe(true);
  });

  it('does not restart once closed for good', () => {
    const h = harness();
    h.socket.connect();
    h.socket.close();
    h.socket.restart();
    expect(h.sockets).toHaveLength(1);
  });

  it('replaces a connection that has been silent too long', () => {
    const h = harness();
    h.socket.connect();
    h.latest().open();
    vi.advanceTimersByTime(9_000);
    h.latest().receive({ type: 'time', t0: 1, t1: 2 });
    vi.advanceTimersByTime(9_000);
    expect(h.sockets).toHaveLength(1);
    vi.advanceTimersByTime(1_000);
    expect(h.sockets[0]!.closedWith).toBe(IDLE_CLOSE_CODE);
    expect(h.closes).toEqual([{ opened: true, code: IDLE_CLOSE_CODE }]);
    // a late close event of the dead connection changes nothing
    h.sockets[0]!.drop();
    expect(h.closes).toHaveLength(1);
    vi.advanceTimersByTime(250);
    expect(h.sockets).toHaveLength(2);
  });

  it('ignores events of a connection it has already replaced', () => {
    const h = harness();
    h.socket.connect();
    const first = h.latest();
    first.open();
    first.drop();
    vi.runOnlyPendingTimers();
    first.receive({ type: 'time', t0: 1, t1: 2 });
    expect(h.received).toHaveLength(0);
  });

  it('stops for good on close()', () => {
    const h = harness();
    h.socket.connect();
    h.latest().open();
    h.socket.close();
    expect(h.sockets[0]!.closedWith).toBe(1000);
    expect(h.socket.state).toEqual({ status: 'closed' });
    vi.advanceTimersByTime(60_000);
    expect(h.sockets).toHaveLength(1);
    expect(h.socket.send({ type: 'play' })).toBe(false);
  });

  it('can be closed from onClose, e.g. when the room turns out not to exist', () => {
    let socket: RoomSocket | null = null;
    const h = harness({
      onClose: (info) => {
        if (!info.opened) socket?.close();
      },
    });
    socket = h.socket;
    h.socket.connect();
    h.latest().drop();
    vi.advanceTimersByTime(60_000);
    expect(h.sockets).toHaveLength(1);
    expect(h.socket.state).toEqual({ status: 'closed' });
  });

  it('reconnects at once on reconnectNow', () => {
    const h = harness();
    h.socket.connect();
    h.latest().drop();
    h.latest().drop(); // the same (already detached) socket: no effect
    h.socket.reconnectNow();
    expect(h.sockets).toHaveLength(2);
  });
});
