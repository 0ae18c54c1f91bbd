import { parseServerMessage, type ClientMessage, type ServerMessage } from '../protocol';
import { backoffDelayMs, RECONNECT_BACKOFF, type BackoffConfig } from './backoff';

/** The part of the browser's WebSocket this module uses, so tests can hand in a fake. */
export interface WebSocketLike {
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: Event) => void) | null;
  onmessage: ((event: MessageEvent) => void) | null;
  onclose: ((event: CloseEvent) => void) | null;
  onerror: ((event: Event) => void) | null;
}

export type WebSocketFactory = (url: string) => WebSocketLike;

export const browserWebSocket: WebSocketFactory = (url) => new WebSocket(url);

export type SocketState =
  /** Opening a connection; attempt 0 is the first. */
  | { status: 'connecting'; attempt: number }
  | { status: 'open' }
  /** Lost or refused; the next attempt starts in retryInMs. */
  | { status: 'waiting'; attempt: number; retryInMs: number }
  /** Closed for good by close(). */
  | { status: 'closed' };

export interface RoomSocketHandlers {
  /**
   * The first message of every connection, the first one and every reconnect
   * alike: the room's `join`, so each connection starts with a fresh `welcome`
   * and the client resyncs from it.
   */
  hello(): ClientMessage;
  /** A connection opened (after hello was sent). */
  onOpen?(): void;
  /** A frame arrived; receivedAt is the injected clock read before parsing, for clock probes. */
  onMessage(message: ServerMessage, receivedAt: number): void;
  onState?(state: SocketState): void;
  /**
   * A connection ended. `opened` is false when it never opened, which is how a
   * browser sees the server's 404 for a room that does not exist. `replaced`:
   * the client itself replaced it (restart()).
   */
  onClose?(info: { opened: boolean; code: number; replaced?: boolean }): void;
}

export interface RoomSocketOptions {
  url: string;
  handlers: RoomSocketHandlers;
  createSocket?: WebSocketFactory;
  /** Clock for receivedAt; the same clock the time probes use. */
  now?: () => number;
  backoff?: Readonly<BackoffConfig>;
  random?: () => number;
  /**
   * An open connection that receives nothing for this long is taken as dead and
   * replaced. The client probes the clock every few seconds and every probe is
   * answered, so silence means a half-open TCP connection, which the browser
   * may take minutes to notice by itself.
   */
  idleTimeoutMs?: number;
}

/** Close code sent when the client gives up on a silent connection (4000-4999: application). */
export const IDLE_CLOSE_CODE = 4000;
/** Close code sent when the client replaces a connection on purpose (restart()). */
export const RESTART_CLOSE_CODE = 4001;

/**
 * The one WebSocket connection of a room page: connects, reconnects with
 * exponential backoff and jitter, sends `join` first on every connection, and
 * turns frames into typed messages.
 *
 * Messages sent while disconnected are dropped, not queued: a play or seek
 * replayed seconds later would act on a room that has moved on, and the
 * `welcome` after reconnecting brings the client up to date anyway.
 */
export class RoomSocket {
  private ws: WebSocketLike | null = null;
  private opened = false;
  private stopped = false;
  private attempt = 0;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private idleTimer: ReturnType<typeof setTimeout> | null = null;
  private current: SocketState = { status: 'connecting', attempt: 0 };

  private readonly url: string;
  private readonly handlers: RoomSocketHandlers;
  private readonly createSocket: WebSocketFactory;
  private readonly now: () => number;
  private readonly backoff: Readonly<BackoffConfig>;
  private readonly random: () => number;
  private readonly idleTimeoutMs: number;

  constructor(options: RoomSocketOptions) {
    this.url = options.url;
    this.handlers = options.handlers;
    this.createSocket = options.createSocket ?? browserWebSocket;
    this.now = options.now ?? (() => Date.now());
    this.backoff = options.backoff ?? RECONNECT_BACKOFF;
    this.random = options.random ?? Math.random;
    this.idleTimeoutMs = options.idleTimeoutMs ?? 10_000;
  }

  get state(): SocketState {
    return this.current;
  }

  /** True while a connection is open and accepts messages. */
  get isOpen(): boolean {
    return this.ws !== null && this.opened;
  }

  connect(): void {
    if (this.stopped || this.ws !== null || this.retryTimer !== null) return;
    this.openConnection();
  }

  /** Skips the rest of a backoff wait, e.g. when the browser comes back online. */
  reconnectNow(): void {
    if (this.stopped || this.ws !== null) return;
    this.clearRetry();
    this.openConnection();
  }

  /**
   * Replaces the connection at once, without any backoff: the server announced
   * it is about to close this one (`reconnect`), or the join must change (a new
   * session token).
   */
  restart(): void {
    if (this.stopped) return;
    this.clearRetry();
    const opened = this.opened;
    const ws = this.detach();
    if (ws !== null) {
      this.handlers.onClose?.({ opened, code: RESTART_CLOSE_CODE, replaced: true });
      ws.close(RESTART_CLOSE_CODE, 'reconnecting');
    }
    this.attempt = 0;
    this.openConnection();
  }

  /** Sends when connected; returns false (and drops the message) otherwise. */
  send(message: ClientMessage): boolean {
    if (this.ws === null || !this.opened) return false;
    this.ws.send(JSON.stringify(message));
    return true;
  }

  /** Closes for good: no more reconnects. */
  close(): void {
    this.stopped = true;
    this.clearRetry();
    const ws = this.detach();
    ws?.close(1000, 'page closed');
    this.setState({ status: 'closed' });
  }

  private openConnection(): void {
    this.retryTimer = null;
    this.opened = false;
    this.setState({ status: 'connecting', attempt: this.attempt });
    let ws: WebSocketLike;
    try {
      ws = this.createSocket(this.url);
    } catch {
      // e.g. a SyntaxError for a malformed URL; retrying keeps the page alive
      this.handlers.onClose?.({ opened: false, code: 1006 });
      this.scheduleRetry();
      return;
    }
    this.ws = ws;
    ws.onopen = () => {
      if (this.ws !== ws) return;
      this.opened = true;
      this.setState({ status: 'open' });
      this.armIdleTimer();
      ws.send(JSON.stringify(this.handlers.hello()));
      this.handlers.onOpen?.();
    };
    ws.onmessage = (event) => {
      const receivedAt = this.now();
      if (this.ws !== ws) return;
      // a server that answers is a working server: the next loss starts the backoff over
      this.attempt = 0;
      this.armIdleTimer();
      const message = parseServerMessage(event.data);
      if (message !== null) this.handlers.onMessage(message, receivedAt);
    };
    ws.onclose = (event) => {
      if (this.ws !== ws) return;
      this.connectionLost(event.code);
    };
    // an error is always followed by a close, which does the work
    ws.onerror = () => {};
  }

  private connectionLost(code: number): void {
    const opened = this.opened;
    this.detach();
    this.handlers.onClose?.({ opened, code });
    if (!this.stopped) this.scheduleRetry();
  }

  private scheduleRetry(): void {
    if (this.stopped) return;
    const delay = backoffDelayMs(this.attempt, this.backoff, this.random);
    this.attempt += 1;
    this.retryTimer = setTimeout(() => this.openConnection(), delay);
    this.setState({ status: 'waiting', attempt: this.attempt, retryInMs: delay });
  }

  private armIdleTimer(): void {
    if (this.idleTimer !== null) clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      const ws = this.ws;
      if (ws === null) return;
      this.connectionLost(IDLE_CLOSE_CODE);
      ws.close(IDLE_CLOSE_CODE, 'no answer');
    }, this.idleTimeoutMs);
  }

  /** Forgets the current connection without waiting for its close. */
  private detach(): WebSocketLike | null {
    const ws = this.ws;
    if (this.idleTimer !== null) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    this.ws = null;
    this.opened = false;
    if (ws !== null) {
      ws.onopen = null;
      ws.onmessage = null;
      ws.onclose = null;
      ws.onerror = null;
    }
    return ws;
  }

  private clearRetry(): void {
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }

  private setState(state: SocketState): void {
    this.current = state;
    this.handlers.onState?.(state);
  }
}
