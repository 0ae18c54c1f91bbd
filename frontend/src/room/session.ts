import { batch, computed, signal, type ReadonlySignal } from '@preact/signals';
import { RoomSocket, type SocketState, type WebSocketFactory } from '../net/socket';
import {
  DRIFT_MAX_MS,
  type AssignableRole,
  type ChatMessage,
  type ChatPageResponse,
  type ClientMessage,
  type Member,
  type PlayerState,
  type Room,
  type ServerMessage,
  type SettingsChange,
} from '../protocol';
import { ClockEstimator, probeDelayMs } from '../sync/clock';
import { SYNC_CONFIG, type SyncConfig } from '../sync/config';
import { expectedPosition } from '../sync/expected';
import { oldestId, mergeChat } from './chat';
import { reduceRoom, upsertChat, type RoomState } from './reducer';
import { linkDismissed, linkRefused, linksDropped, linkSent, linkTaken, type LinkAction, type SentLink } from './sent-links';
import { TypingThrottle } from './typing';

export type ConnectionStatus =
  | 'connecting'
  | 'connected'
  | 'reconnecting'
  /** The room does not exist (any more). */
  | 'not_found'
  /** A private room, and we have no (valid) invite. */
  | 'forbidden'
  /** Kicked or banned (see `removal`); no reconnecting. */
  | 'removed'
  /** The room was forgotten while we were in it. */
  | 'closed';

export interface ConnectionView {
  status: ConnectionStatus;
  /** While reconnecting: how long until the next attempt. */
  retryInMs?: number;
}

/** Why we are out of the room: a `removed` frame, or a join refused with `banned`. */
export interface Removal {
  banned: boolean;
  reason: string | null;
  /** Who did it, by name when known. */
  by: string | null;
}

/** Something to tell the user: an `error` frame, or a problem found by the client itself. */
export interface Notice {
  id: number;
  code: string;
  message: string;
}

/** 'muted': the browser only allowed muted playback; 'blocked': it refused playback altogether. */
export type AutoplayState = 'ok' | 'muted' | 'blocked';

export interface SyncView {
  offsetMs: number | null;
  rttMs: number | null;
  driftMs: number | null;
}

/** What the player can tell about itself at one instant (see PlaybackFollower.sample). */
export interface PlayerSample {
  position: number;
  playing: boolean;
  readyState: number;
  seeks: number;
  seekLeadMs: number;
  startLeadMs?: number;
  /** The element's own idea of the duration, when finite. */
  durationS: number | null;
}

/** The sync state at one instant, as window.watchroom.sample() reports it. */
export interface SyncSample {
  position: number | null;
  serverNow: number | null;
  expected: number | null;
  offsetMs: number | null;
  rttMs: number | null;
  drift: number | null;
  playing: boolean;
  readyState: number;
  seeks: number;
  seekLeadMs: number | null;
  startLeadMs: number | null;
  memberId: string | null;
}

/** What a player needs from the room: implemented by RoomSession, used by PlaybackFollower. */
export interface PlayerHost {
  readonly room: ReadonlySignal<Room | null>;
  serverNow(): number | null;
  reportDuration(url: string, duration: number): void;
  /** The latest measured drift (ms, positive ahead), or null when there is none. */
  reportDrift(ms: number | null): void;
  /** How the player is doing; the room sees it as `presence`, wait-for-everyone rooms act on it. */
  reportStatus(state: PlayerState): void;
  setAutoplay(state: AutoplayState): void;
}

/** The session token, for `join`. */
export interface SessionAuth {
  /** The token to join with, or null while there is none. */
  token(): string | null;
  /** A usable token, starting a session if needed. */
  ensure(): Promise<string>;
  /** The server refused `stale`: a new session's token. */
  renew(stale: string | null): Promise<string>;
}

export interface RoomSessionOptions {
  roomId: string;
  auth: SessionAuth;
  /** The private room's invite, from the page's `?invite=`. */
  invite?: string | null;
  wsUrl: string;
  /** High-resolution client clock, epoch ms. */
  now: () => number;
  createSocket?: WebSocketFactory;
  random?: () => number;
  /**
   * Asked when a connection is refused before it opens: true/false when the
   * room's existence is known, null when that could not be found out.
   */
  roomExists?: (roomId: string) => Promise<boolean | null>;
  /** Older chat messages (GET /api/rooms/{id}/chat). */
  loadChat?: (roomId: string, before: number) => Promise<ChatPageResponse>;
  /**
   * The name this browser's guest goes by: a guest who joins under another
   * name (the session's) is renamed to it, so a rename carries over to the
   * next room and the next session.
   */
  guestName?: () => string | null;
  /** The server took a new name for us as a guest (rename): remember it. */
  onGuestNameAccepted?: (name: string) => void;
  config?: Readonly<SyncConfig>;
  /** How often the player status is repeated (with the current rtt). */
  statusIntervalMs?: number;
  /** How often `typing: true` is repeated while typing goes on. */
  typingIntervalMs?: number;
}

const OFFLINE_NOTICE = 'Not connected to the room right now. Try again in a moment.';
/** A server that refuses every new session is not asked for more than this many per minute. */
const MAX_RENEWALS_PER_MINUTE = 3;
const JOIN_REF = 'join';

/**
 * One open room page: the connection, the clock estimate and the room state.
 *
 * State lives in signals the components render; user intent arrives through
 * the action methods and leaves as messages. Nothing here touches the video:
 * the player follows `room` through a PlaybackFollower, which is the only code
 * that steers the element, so the server's `playback` stays the single source
 * of truth.
 */
export class RoomSession implements PlayerHost {
  readonly state = signal<RoomState | null>(null);
  readonly room: ReadonlySignal<Room | null> = computed(() => this.state.value?.room ?? null);
  readonly me: ReadonlySignal<Member | null> = computed(() => this.state.value?.you ?? null);
  readonly connection = signal<ConnectionView>({ status: 'connecting' });
  readonly removal = signal<Removal | null>(null);
  readonly notice = signal<Notice | null>(null);
  readonly sync = signal<SyncView>({ offsetMs: null, rttMs: null, driftMs: null });
  readonly autoplay = signal<AutoplayState>('ok');
  /** Older chat pages loaded above the room's latest messages. */
  readonly olderChat = signal<ChatMessage[]>([]);
  /** Whether older messages than those shown exist; null: not asked yet (guessed from the room's). */
  readonly chatHasMore = signal<boolean | null>(null);
  readonly chatLoading = signal(false);
  /** Links we sent with queue_add or set_media, while the server reads them, and those it refused. */
  readonly sentLinks = signal<readonly SentLink[]>([]);
  /** The media id we voted to skip (the server tells counts, not who). */
  readonly skipVotedFor = signal<string | null>(null);
  /** The chat as shown: older pages, then the room's latest. */
  readonly chat: ReadonlySignal<ChatMessage[]> = computed(() =>
    mergeChat(this.olderChat.value, this.state.value?.room.chat ?? []),
  );

  /** Names of everyone seen in this room (members and chat authors), also after they left. */
  readonly names = new Map<string, string>();

  readonly roomId: string;
  readonly clock: ClockEstimator;
  readonly invite: string | null;

  private readonly socket: RoomSocket;
  private readonly config: Readonly<SyncConfig>;
  private readonly options: RoomSessionOptions;
  private readonly typingThrottle: TypingThrottle;
  private joined = false;
  private joinedWith: string | null = null;
  private disposed = false;
  private renaming = false;
  private probeIndex = 0;
  private probeTimer: ReturnType<typeof setTimeout> | null = null;
  private driftTimer: ReturnType<typeof setInterval> | null = null;
  private statusTimer: ReturnType<typeof setInterval> | null = null;
  private lastDriftMs: number | null = null;
  private playerStatus: PlayerState = 'ready';
  private nextRef = 0;
  private durationReported: string | null = null;
  private noticeId = 0;
  private player: (() => PlayerSample) | null = null;
  private renewals: number[] = [];

  constructor(options: RoomSessionOptions) {
    this.options = options;
    this.roomId = options.roomId;
    this.invite = options.invite?.trim() || null;
    this.config = options.config ?? SYNC_CONFIG;
    this.typingThrottle = new TypingThrottle(options.typingIntervalMs ?? 3000);
    this.clock = new ClockEstimator(options.now, this.config.clockWindow);
    this.socket = new RoomSocket({
      url: options.wsUrl,
      createSocket: options.createSocket,
      now: options.now,
      random: options.random,
      handlers: {
        hello: () => this.joinMessage(),
        onOpen: () => this.onOpen(),
        onMessage: (message, receivedAt) => this.onMessage(message, receivedAt),
        onState: (state) => this.onSocketState(state),
        onClose: (info) => this.onClose(info.opened, info.replaced === true),
      },
    });
  }

  /** Connects once there is a session token (starting a guest session if there is none). */
  start(): void {
    this.driftTimer = setInterval(() => this.sendDrift(), this.config.driftReportIntervalMs);
    this.statusTimer = setInterval(() => this.sendStatus(), this.options.statusIntervalMs ?? 5000);
    if (this.options.auth.token() !== null) {
      this.socket.connect();
      return;
    }
    this.options.auth.ensure().then(
      () => {
        if (!this.disposed) this.socket.connect();
      },
      (error: unknown) => {
        this.showNotice('session', errorText(error, 'No session could be started. Retrying…'));
        // the socket's own backoff paces the retries; join then carries no token and is refused
        if (!this.disposed) this.socket.connect();
      },
    );
  }

  dispose(): void {
    this.disposed = true;
    this.stopProbes();
    if (this.driftTimer !== null) clearInterval(this.driftTimer);
    if (this.statusTimer !== null) clearInterval(this.statusTimer);
    this.driftTimer = null;
    this.statusTimer = null;
    this.socket.close();
  }

  /** The browser is back online: don't wait out the backoff. */
  reconnectNow(): void {
    this.socket.reconnectNow();
  }

  /** The session token changed (log in, log out): join again with the new one. */
  tokenChanged(): void {
    if (this.disposed || this.isOut) return;
    const token = this.options.auth.token();
    if (token !== null && token !== this.joinedWith && (this.joined || this.socket.isOpen)) this.socket.restart();
  }

  // ---- user intent: playback ----

  play(): boolean {
    return this.act({ type: 'play' });
  }

  pause(): boolean {
    return this.act({ type: 'pause' });
  }

  seek(position: number): boolean {
    return this.act({ type: 'seek', position: Math.max(0, position) });
  }

  setRate(rate: number): boolean {
    return this.act({ type: 'rate', rate });
  }

  /** Plays a link now. The server reads it first; a refusal shows in `sentLinks`. */
  setMedia(url: string, title?: string): boolean {
    return this.sendLink('set_media', url, title);
  }

  // ---- user intent: queue ----

  /** Queues a link (a playlist: its entries). The server reads it first; a refusal shows in `sentLinks`. */
  queueAdd(url: string, title?: string): boolean {
    return this.sendLink('queue_add', url, title);
  }

  /** Stops showing a refused link. */
  dismissLink(ref: string): void {
    this.sentLinks.value = linkDismissed(this.sentLinks.peek(), ref);
  }

  queueRemove(item: string): boolean {
    return this.act({ type: 'queue_remove', item });
  }

  queueMove(item: string, to: number): boolean {
    return this.act({ type: 'queue_move', item, to });
  }

  queuePlayNow(item: string): boolean {
    return this.act({ type: 'queue_play_now', item });
  }

  queueClear(): boolean {
    return this.act({ type: 'queue_clear' });
  }

  queueUndo(): boolean {
    return this.act({ type: 'queue_undo' });
  }

  skip(): boolean {
    return this.act({ type: 'skip' });
  }

  vote(item: string, up: boolean): boolean {
    return this.act({ type: 'vote', item, up });
  }

  /** Votes to skip the current item, or takes the vote back. */
  voteSkip(skip: boolean): boolean {
    const mediaId = this.room.peek()?.media?.id ?? null;
    const sent = this.act({ type: 'vote_skip', skip });
    if (sent) this.skipVotedFor.value = skip ? mediaId : null;
    return sent;
  }

  // ---- user intent: chat ----

  sendChat(text: string, videoTime?: number | null): boolean {
    if (text.trim() === '') return false;
    const message: ClientMessage =
      videoTime != null && Number.isFinite(videoTime)
        ? { type: 'chat', text, videoTime: Math.round(videoTime * 1000) / 1000 }
        : { type: 'chat', text };
    const sent = this.act(message);
    if (sent) this.stopTyping();
    return sent;
  }

  react(messageId: number, emoji: string): boolean {
    return this.act({ type: 'react', message: messageId, emoji });
  }

  /** A keystroke in the chat box: `typing: true`, at most every few seconds. */
  typing(): void {
    if (this.joined && this.typingThrottle.input(this.options.now())) this.send({ type: 'typing', typing: true });
  }

  /** The chat box was sent, emptied or left: `typing: false` if we said true. */
  stopTyping(): void {
    if (this.typingThrottle.stop() && this.joined) this.send({ type: 'typing', typing: false });
  }

  /** Loads the page of chat above the oldest message shown. */
  async loadOlderChat(): Promise<void> {
    const load = this.options.loadChat;
    const before = oldestId(this.chat.peek());
    if (load === undefined || before === null || this.chatLoading.peek()) return;
    this.chatLoading.value = true;
    try {
      const page = await load(this.roomId, before);
      if (this.disposed) return;
      batch(() => {
        this.olderChat.value = mergeChat(page.messages, this.olderChat.peek());
        this.chatHasMore.value = page.hasMore;
      });
    } catch (error) {
      this.showNotice('chat_history', errorText(error, 'Older messages could not be loaded.'));
    } finally {
      this.chatLoading.value = false;
    }
  }

  // ---- user intent: room ----

  /** Renames this member in the room. */
  rename(name: string): boolean {
    const trimmed = name.trim();
    if (trimmed === '' || trimmed === this.me.peek()?.name) return false;
    return this.act({ type: 'rename', name: trimmed });
  }

  updateSettings(change: SettingsChange): boolean {
    if (Object.keys(change).length === 0) return false;
    return this.act({ type: 'settings', ...change });
  }

  rotateInvite(): boolean {
    return this.act({ type: 'rotate_invite' });
  }

  setRole(member: string, role: AssignableRole): boolean {
    return this.act({ type: 'set_role', member, role });
  }

  kick(member: string, reason?: string): boolean {
    const trimmed = reason?.trim();
    return this.act(trimmed ? { type: 'kick', member, reason: trimmed } : { type: 'kick', member });
  }

  ban(member: string, reason?: string): boolean {
    const trimmed = reason?.trim();
    return this.act(trimmed ? { type: 'ban', member, reason: trimmed } : { type: 'ban', member });
  }

  unban(member: string): boolean {
    return this.act({ type: 'unban', member });
  }

  dismissNotice(): void {
    this.notice.value = null;
  }

  showNotice(code: string, message: string): void {
    this.notice.value = { id: ++this.noticeId, code, message };
  }

  // ---- PlayerHost ----

  serverNow(): number | null {
    return this.clock.serverNow();
  }

  reportDuration(url: string, duration: number): void {
    const media = this.room.peek()?.media;
    if (!this.joined || media == null || media.url !== url || media.duration !== null) return;
    if (!Number.isFinite(duration) || duration <= 0 || this.durationReported === url) return;
    // one report per media per connection: the first report wins on the server anyway
    this.durationReported = url;
    this.send({ type: 'duration', url, duration });
  }

  reportDrift(ms: number | null): void {
    this.lastDriftMs = ms;
    const current = this.sync.peek();
    if (current.driftMs !== ms) this.sync.value = { ...current, driftMs: ms };
  }

  reportStatus(state: PlayerState): void {
    if (state === this.playerStatus) return;
    this.playerStatus = state;
    this.sendStatus();
  }

  setAutoplay(state: AutoplayState): void {
    this.autoplay.value = state;
  }

  /** Lets the page's player answer sample(); returns the detach function. */
  attachPlayer(sample: () => PlayerSample): () => void {
    this.player = sample;
    return () => {
      if (this.player === sample) this.player = null;
    };
  }

  // ---- for tests and diagnostics (window.watchroom) ----

  /** Player position and estimated server time read at the same instant, and what follows from them. */
  sample(): SyncSample {
    const player = this.player?.() ?? null;
    const serverNow = this.clock.serverNow();
    const room = this.room.peek();
    const duration = room?.media?.duration ?? player?.durationS ?? null;
    const expected =
      room !== null && room.media !== null && serverNow !== null
        ? expectedPosition(room.playback, serverNow, duration)
        : null;
    return {
      position: player?.position ?? null,
      serverNow,
      expected,
      offsetMs: this.clock.offsetMs,
      rttMs: this.clock.rttMs,
      drift: player !== null && expected !== null ? (player.position - expected) * 1000 : null,
      playing: player?.playing ?? false,
      readyState: player?.readyState ?? 0,
      seeks: player?.seeks ?? 0,
      seekLeadMs: player?.seekLeadMs ?? null,
      startLeadMs: player?.startLeadMs ?? null,
      memberId: this.me.peek()?.id ?? null,
    };
  }

  /** Where the room clock says the media is now, seconds; null without media or clock. */
  expectedNow(): number | null {
    const room = this.room.peek();
    const serverNow = this.clock.serverNow();
    if (room === null || room.media === null || serverNow === null) return null;
    return expectedPosition(room.playback, serverNow, room.media.duration);
  }

  // ---- connection ----

  private get isOut(): boolean {
    const status = this.connection.peek().status;
    return status === 'not_found' || status === 'forbidden' || status === 'removed' || status === 'closed';
  }

  private joinMessage(): ClientMessage {
    const token = this.options.auth.token() ?? '';
    this.joinedWith = token;
    return this.invite !== null
      ? { type: 'join', token, invite: this.invite, ref: JOIN_REF }
      : { type: 'join', token, ref: JOIN_REF };
  }

  private onOpen(): void {
    // a new connection may reach another node: measure its clock afresh
    this.clock.reset();
    this.stopProbes();
    this.probeIndex = 0;
    this.sendProbe();
  }

  private sendProbe(): void {
    this.send({ type: 'time', t0: this.options.now() });
    const delay = probeDelayMs(this.probeIndex, this.config);
    this.probeIndex += 1;
    this.probeTimer = setTimeout(() => this.sendProbe(), delay);
  }

  private stopProbes(): void {
    if (this.probeTimer !== null) clearTimeout(this.probeTimer);
    this.probeTimer = null;
  }

  private onClose(opened: boolean, replaced: boolean): void {
    this.joined = false;
    if (this.sentLinks.peek().some((l) => l.state === 'reading')) this.sentLinks.value = linksDropped(this.sentLinks.peek());
    this.typingThrottle.reset();
    this.stopProbes();
    if (!opened && !replaced && this.options.roomExists) {
      // a browser cannot see the HTTP status of a refused upgrade: ask the REST API
      this.options.roomExists(this.roomId).then(
        (exists) => {
          if (exists === false && !this.disposed) this.stop('not_found');
        },
        () => {},
      );
    }
  }

  /** Out of the room for good: no more reconnecting. */
  private stop(status: ConnectionStatus): void {
    this.joined = false;
    this.stopProbes();
    this.socket.close();
    this.connection.value = { status };
  }

  private onSocketState(state: SocketState): void {
    if (this.isOut) return;
    switch (state.status) {
      case 'connecting':
        this.connection.value = { status: this.everJoined ? 'reconnecting' : 'connecting' };
        break;
      case 'waiting':
        this.connection.value = { status: 'reconnecting', retryInMs: state.retryInMs };
        break;
      case 'open':
      case 'closed':
        // 'connected' waits for the welcome
        break;
    }
  }

  private get everJoined(): boolean {
    return this.state.peek() !== null;
  }

  private onMessage(message: ServerMessage, receivedAt: number): void {
    switch (message.type) {
      case 'time':
        this.clock.addSample(message.t0, message.t1, receivedAt);
        this.publishClock();
        return;
      case 'welcome':
        this.onWelcome(message.room, receivedAt, message.serverTime);
        break;
      case 'media':
        if (message.id !== this.room.peek()?.media?.id) this.skipVotedFor.value = null;
        this.linkWentIn(message.by, message.url !== null ? [message.url] : []);
        break;
      case 'queue':
        this.linkWentIn(message.by, message.items.map((i) => i.url));
        break;
      case 'member_renamed':
        if (message.member.id === this.me.peek()?.id && message.member.guest) {
          this.options.onGuestNameAccepted?.(message.member.name);
        }
        break;
      case 'chat':
        // a message of an older page (its reactions changed) is replaced there too
        if (this.olderChat.peek().some((m) => m.id === message.message.id)) {
          this.olderChat.value = upsertChat(this.olderChat.peek(), message.message);
        }
        break;
      case 'removed':
        this.removal.value = {
          banned: message.banned,
          reason: message.reason ?? null,
          by: message.by !== null ? (this.room.peek()?.members.find((m) => m.id === message.by)?.name ?? null) : null,
        };
        this.stop('removed');
        return;
      case 'closed':
        this.stop('closed');
        return;
      case 'reconnect':
        // the server is about to close this connection on purpose: come back at once, to any node
        this.socket.restart();
        return;
      case 'error':
        this.onError(message.code, message.message, message.ref);
        return;
      default:
        break;
    }
    this.state.value = reduceRoom(this.state.peek(), message);
    this.rememberNames(message);
    if (message.type === 'welcome') this.afterWelcome(message.you);
  }

  private rememberNames(message: ServerMessage): void {
    switch (message.type) {
      case 'welcome':
        for (const m of message.room.members) this.names.set(m.id, m.name);
        for (const c of message.room.chat) if (!this.names.has(c.authorId)) this.names.set(c.authorId, c.authorName);
        break;
      case 'member_joined':
      case 'member_renamed':
      case 'member_role':
        this.names.set(message.member.id, message.member.name);
        break;
      case 'chat':
        if (!this.names.has(message.message.authorId)) this.names.set(message.message.authorId, message.message.authorName);
        break;
      default:
        break;
    }
  }

  private onWelcome(room: Room, receivedAt: number, serverTime: number): void {
    this.clock.seed(serverTime, receivedAt);
    this.joined = true;
    this.durationReported = null;
    this.typingThrottle.reset();
    this.connection.value = { status: 'connected' };
    // a resync may find another item playing: a skip vote for the old one is gone
    if (this.skipVotedFor.peek() !== (room.media?.id ?? null)) this.skipVotedFor.value = null;
  }

  private afterWelcome(you: Member): void {
    this.publishClock();
    // the room learns how our player is doing afresh on every join (its statuses are runtime state)
    this.sendStatus();
    // a guest carries the name they chose into every room
    const wanted = you.guest ? this.options.guestName?.()?.trim() : null;
    if (wanted && wanted !== you.name && !this.renaming) {
      this.renaming = true;
      this.act({ type: 'rename', name: wanted });
    }
  }

  private onError(code: string, text: string, ref: string | undefined): void {
    // a refused link is shown by the box it was sent from
    const links = ref !== undefined ? linkRefused(this.sentLinks.peek(), ref, { code, message: text }) : null;
    if (links !== null) {
      this.sentLinks.value = links;
      return;
    }
    if (ref !== JOIN_REF) {
      this.showNotice(code, text);
      return;
    }
    // the join was refused
    switch (code) {
      case 'unauthorized': {
        const now = this.options.now();
        this.renewals = this.renewals.filter((at) => now - at < 60_000);
        if (this.renewals.length >= MAX_RENEWALS_PER_MINUTE) {
          this.showNotice(code, text);
          return;
        }
        this.renewals.push(now);
        const stale = this.joinedWith;
        this.options.auth.renew(stale).then(
          () => {
            if (!this.disposed && !this.isOut) this.socket.restart();
          },
          (error: unknown) => this.showNotice('session', errorText(error, 'No session could be started.')),
        );
        return;
      }
      case 'forbidden':
        this.stop('forbidden');
        return;
      case 'banned':
        this.removal.value = { banned: true, reason: text, by: null };
        this.stop('removed');
        return;
      case 'not_found':
        this.stop('not_found');
        return;
      default:
        this.showNotice(code, text);
    }
  }

  private publishClock(): void {
    this.sync.value = { ...this.sync.peek(), offsetMs: this.clock.offsetMs, rttMs: this.clock.rttMs };
  }

  private sendDrift(): void {
    const room = this.room.peek();
    const ms = this.lastDriftMs;
    if (!this.joined || room === null || !room.playback.playing || ms === null) return;
    const clamped = Math.max(-DRIFT_MAX_MS, Math.min(DRIFT_MAX_MS, ms));
    this.send({ type: 'drift', ms: Math.round(clamped * 10) / 10 });
  }

  private sendStatus(): void {
    if (!this.joined) return;
    const rtt = this.clock.rttMs;
    this.send(
      rtt !== null
        ? { type: 'status', state: this.playerStatus, rtt: Math.round(rtt * 10) / 10 }
        : { type: 'status', state: this.playerStatus },
    );
  }

  private sendLink(action: LinkAction, url: string, title?: string): boolean {
    const trimmedUrl = url.trim();
    const trimmedTitle = title?.trim();
    const message: ClientMessage = trimmedTitle
      ? { type: action, url: trimmedUrl, title: trimmedTitle }
      : { type: action, url: trimmedUrl };
    const ref = this.actWithRef(message);
    if (ref !== null) this.sentLinks.value = linkSent(this.sentLinks.peek(), ref, action, trimmedUrl);
    return ref !== null;
  }

  /** A `media` or `queue` frame: when we caused it, a link we sent may have gone in. */
  private linkWentIn(by: string | null, urls: string[]): void {
    const me = this.me.peek()?.id;
    if (by === null || by !== me || !this.sentLinks.peek().some((l) => l.state === 'reading')) return;
    this.sentLinks.value = linkTaken(this.sentLinks.peek(), urls);
  }

  /** Sends a user action tagged with a ref, or tells the user it could not be sent. */
  private act(message: ClientMessage): boolean {
    return this.actWithRef(message) !== null;
  }

  /** The ref the action went with, or null when it could not be sent. */
  private actWithRef(message: ClientMessage): string | null {
    if (!this.joined) {
      this.showNotice('offline', OFFLINE_NOTICE);
      return null;
    }
    const ref = `a${++this.nextRef}`;
    return this.send({ ...message, ref }) ? ref : null;
  }

  private send(message: ClientMessage): boolean {
    return this.socket.send(message);
  }
}

function errorText(error: unknown, fallback: string): string {
  return error instanceof Error && error.message ? error.message : fallback;
}
