// The Watchroom wire protocol, declared once. Mirrors docs/protocol.md: every
// HTTP body and WebSocket frame the client sends or receives has its type here.
// Times are server epoch milliseconds, positions and durations seconds, rates
// multipliers of normal speed. Enumerated values travel as lower-case names.

// ---- Limits the server enforces (used for input hints, not as a second validator) ----

export const ROOM_TITLE_MAX = 120;
export const ROOM_DESCRIPTION_MAX = 1000;
export const NAME_MAX = 40;
export const MEDIA_URL_MAX = 2048;
export const MEDIA_TITLE_MAX = 200;
export const REF_MAX = 64;
export const RATE_MIN = 0.25;
export const RATE_MAX = 4;
export const DRIFT_MAX_MS = 3_600_000;
export const CHAT_TEXT_MAX = 2000;
export const REASON_MAX = 200;
export const USERNAME_MIN = 3;
export const USERNAME_MAX = 32;
export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 128;
/** The room state carries this many of the latest chat messages. */
export const CHAT_LATEST = 100;
/** A `typing: true` that is not repeated fades on the server after this long. */
export const TYPING_FADE_MS = 6000;

// ---- Enumerations ----

/** From least to most. */
export const ROLES = ['guest', 'member', 'moderator', 'owner'] as const;
export type Role = (typeof ROLES)[number];
/** The roles `set_role` may give. */
export type AssignableRole = Exclude<Role, 'owner'>;

export const PERMISSIONS = [
  'control_playback',
  'change_rate',
  'queue_add',
  'queue_remove',
  'queue_reorder',
  'skip',
  'vote',
  'chat',
  'undo',
  'kick',
  'ban',
  'change_settings',
  'manage_roles',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

export const VISIBILITIES = ['public', 'unlisted', 'private'] as const;
export type Visibility = (typeof VISIBILITIES)[number];

export const PLAYBACK_MODES = ['free', 'wait_for_everyone'] as const;
export type PlaybackMode = (typeof PLAYBACK_MODES)[number];

export const QUEUE_MODES = ['manual', 'vote', 'loop', 'repeat_one'] as const;
export type QueueMode = (typeof QUEUE_MODES)[number];

export const PLAYER_STATES = ['ready', 'buffering', 'error'] as const;
export type PlayerState = (typeof PLAYER_STATES)[number];

// ---- Shared shapes ----

export interface MemberStatus {
  player: PlayerState;
  typing: boolean;
}

export interface Member {
  id: string;
  name: string;
  joinedAt: number;
  guest: boolean;
  role: Role;
  /** The last status the member's player reported. */
  status: MemberStatus;
}

/** Something queued or playing. */
export interface QueueItem {
  id: string;
  url: string;
  title: string;
  /** null while unknown. */
  duration: number | null;
  /** null while unknown. */
  thumbnail: string | null;
  addedBy: string;
  addedAt: number;
  /** Those who voted the item up. */
  voters: string[];
}

/** The item playing: a queue item. */
export type Media = QueueItem;

/** The room's playback clock: `position` was true at server time `anchor`. */
export interface Playback {
  playing: boolean;
  position: number;
  anchor: number;
  rate: number;
}

export interface RoomSettings {
  title: string;
  description: string;
  visibility: Visibility;
  temporary: boolean;
  playbackMode: PlaybackMode;
  queueMode: QueueMode;
  /** Above 0, at most 1. */
  voteSkipRatio: number;
  /** The lowest role allowed each permission. */
  permissions: Record<Permission, Role>;
  /** The private link's token, only for those who may change settings. */
  invite: string | null;
}

export interface ChatMessage {
  id: number;
  authorId: string;
  authorName: string;
  /** Exactly what was typed: render as text, never as HTML. */
  text: string;
  at: number;
  /** The moment of the item playing the message is anchored to, seconds. */
  videoTime: number | null;
  /** The item that moment belongs to (null when not anchored). */
  itemId?: string | null;
  /** emoji -> ids of those who reacted with it. */
  reactions: Record<string, string[]>;
}

export interface SkipVotes {
  votes: number;
  needed: number;
  /** Who voted to skip the current item. */
  voters?: string[];
}

/** The room as one viewer may see it: GET /api/rooms/{id}, and the `room` of a `welcome`. */
export interface Room {
  id: string;
  title: string;
  ownerId: string;
  createdAt: number;
  settings: RoomSettings;
  /** The item playing; null while nothing plays. */
  media: Media | null;
  playback: Playback;
  /** Upcoming items in playing order (in vote mode, most votes first). */
  queue: QueueItem[];
  canUndo: boolean;
  /** Oldest first. */
  members: Member[];
  /** The latest messages, oldest first. */
  chat: ChatMessage[];
  skipVotes: SkipVotes;
  viewerRole: Role;
  serverTime: number;
}

export type ErrorCode =
  | 'bad_request'
  | 'invalid'
  | 'too_large'
  | 'not_found'
  | 'bad_json'
  | 'unknown_type'
  | 'unsupported'
  | 'unauthorized'
  | 'not_joined'
  | 'forbidden'
  | 'banned'
  | 'no_media'
  | 'rate_limited'
  | 'unavailable'
  | 'internal'
  | 'username_taken'
  | 'wrong_credentials'
  | LinkFailureCode;

/** The one error shape, over HTTP and over the WebSocket. */
export interface ErrorBody {
  /** Stable, for programs. Typed open-ended so a newer server's codes still type-check. */
  code: ErrorCode | (string & {});
  /** A sentence for people. */
  message: string;
}

// ---- REST: sessions and accounts ----

export interface User {
  id: string;
  name: string;
  kind: 'guest' | 'account';
  /** Accounts only. */
  username?: string;
}

/** POST /api/session */
export interface GuestSessionRequest {
  name?: string;
}

/** POST /api/accounts */
export interface RegisterRequest {
  username: string;
  password: string;
  name?: string;
}

/** POST /api/login */
export interface LoginRequest {
  username: string;
  password: string;
}

/** The answer to POST /api/session, /api/accounts and /api/login. */
export interface SessionResponse {
  token: string;
  expiresAt: number;
  user: User;
}

/**
 * What a room is playing, in room lists. The directory sends `{title, url}`;
 * docs/protocol.md shows a bare title for GET /api/me: both are read.
 */
export type NowPlaying = { title: string; url: string } | string | null;

/** One of the rooms I own, in GET /api/me. */
export interface OwnedRoom {
  id: string;
  title: string;
  visibility: Visibility;
  membersOnline: number;
  nowPlaying: NowPlaying;
  lastActivity: number;
}

/** GET /api/me */
export interface MeResponse {
  user: User;
  rooms?: OwnedRoom[];
}

// ---- REST: rooms ----

/** POST /api/rooms */
export interface CreateRoomRequest {
  title?: string;
  visibility?: Visibility;
  temporary?: boolean;
}

/** 201 answer to POST /api/rooms */
export interface CreateRoomResponse {
  id: string;
}

/** GET /api/rooms/{id} answers a Room. */
export type RoomResponse = Room;

/** One public room in GET /api/rooms. */
export interface DirectoryRoom {
  id: string;
  title: string;
  description: string;
  visibility?: Visibility;
  temporary?: boolean;
  membersOnline: number;
  nowPlaying: NowPlaying;
  lastActivity: number;
  createdAt: number;
}

/** GET /api/rooms?limit=&offset= : most members online first. */
export interface DirectoryResponse {
  rooms: DirectoryRoom[];
}

/** GET /api/rooms/{id}/chat?before=&limit= : older messages, oldest first. */
export interface ChatPageResponse {
  messages: ChatMessage[];
  hasMore: boolean;
}

/** One persisted event of a room, in GET /api/rooms/{id}/history. */
export interface HistoryEvent {
  seq: number;
  at: number;
  /** The user who caused it; null when the room did. */
  by: string | null;
  /** The event's name, e.g. "RoomCreated", "QueueItemAdded". */
  type: string;
  /** The event's own fields. */
  event: Record<string, unknown>;
}

/** GET /api/rooms/{id}/history?from=&limit= */
export interface HistoryPageResponse {
  events: HistoryEvent[];
  /** The seq to ask for next, or null at the end. */
  next: number | null;
}

/** GET /api/rooms/{id}/history/state?at=seq : the room right after event `seq`. */
export interface HistoryStateResponse {
  seq: number;
  at: number;
  /** null when the room was not open after that event (e.g. forgotten). */
  room: Room | null;
}

// ---- REST: links (POST /api/resolve, GET /api/search) ----

/** How a browser plays a link: the element itself, hls.js, or a DASH player. */
export const SOURCE_KINDS = ['direct', 'hls', 'dash'] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];

/** The longest search text the server takes. */
export const SEARCH_QUERY_MAX = 200;

/**
 * Why a link cannot be played: the codes of a 422 from /api/resolve and
 * /api/search, and of an `error` answering `queue_add` or `set_media`.
 */
export const LINK_FAILURE_CODES = [
  'not_a_url',
  'unsupported_site',
  'blocked_destination',
  'not_found',
  'private',
  'age_restricted',
  'geo_blocked',
  'drm',
  'live_not_supported',
  'no_playable_format',
  'probe_timeout',
  'upstream_rate_limited',
  'extractor_failed',
  'link_expired',
] as const;
export type LinkFailureCode = (typeof LINK_FAILURE_CODES)[number];

/** POST /api/resolve */
export interface ResolveRequest {
  url: string;
}

/** One rendition of a resolved stream. Fields the manifest does not say are null. */
export interface MediaQuality {
  label: string | null;
  width: number | null;
  height: number | null;
  bandwidth: number | null;
  codecs: string | null;
}

/** The answer to POST /api/resolve: what a link is and the stream a player loads for it. */
export interface ResolveResponse {
  kind: SourceKind;
  /** The link as pasted. */
  url: string;
  title: string | null;
  /** Seconds; null when unknown. */
  duration: number | null;
  thumbnail: string | null;
  /** What the player loads: an absolute URL, or a path on this node (the proxy, an upload's playlist). */
  stream: string;
  qualities: MediaQuality[];
  /** Whether the stream goes through this node's proxy. */
  proxied: boolean;
  live: boolean;
}

/** One hit of GET /api/search?q= */
export interface SearchResult {
  url: string;
  title: string | null;
  duration: number | null;
  thumbnail: string | null;
}

export interface SearchResponse {
  results: SearchResult[];
}

// ---- WebSocket: client to server ----

interface ClientFrame {
  /** Echoed by an `error` that answers this message; at most 64 characters. */
  ref?: string;
}

export interface JoinMessage extends ClientFrame {
  type: 'join';
  token: string;
  /** Opens a private room. */
  invite?: string;
}

export interface TimeProbe extends ClientFrame {
  type: 'time';
  /** Client clock when sent, epoch ms, fractions allowed. */
  t0: number;
}

export interface PlayMessage extends ClientFrame {
  type: 'play';
}

export interface PauseMessage extends ClientFrame {
  type: 'pause';
}

export interface SeekMessage extends ClientFrame {
  type: 'seek';
  position: number;
}

export interface RateMessage extends ClientFrame {
  type: 'rate';
  rate: number;
}

export interface SetMediaMessage extends ClientFrame {
  type: 'set_media';
  url: string;
  title?: string;
}

export interface DurationMessage extends ClientFrame {
  type: 'duration';
  url: string;
  duration: number;
}

export interface DriftMessage extends ClientFrame {
  type: 'drift';
  /** Positive: this client is ahead of the room clock. */
  ms: number;
}

export interface StatusMessage extends ClientFrame {
  type: 'status';
  state: PlayerState;
  /** Round trip of the clock probes, ms. */
  rtt?: number;
}

export interface TypingMessage extends ClientFrame {
  type: 'typing';
  typing: boolean;
}

export interface RenameMessage extends ClientFrame {
  type: 'rename';
  name: string;
}

export interface QueueAddMessage extends ClientFrame {
  type: 'queue_add';
  url: string;
  title?: string;
  duration?: number;
  thumbnail?: string;
}

export interface QueueRemoveMessage extends ClientFrame {
  type: 'queue_remove';
  item: string;
}

export interface QueueMoveMessage extends ClientFrame {
  type: 'queue_move';
  item: string;
  /** 0-based index the item ends up at. */
  to: number;
}

export interface QueuePlayNowMessage extends ClientFrame {
  type: 'queue_play_now';
  item: string;
}

export interface QueueClearMessage extends ClientFrame {
  type: 'queue_clear';
}

export interface QueueUndoMessage extends ClientFrame {
  type: 'queue_undo';
}

export interface SkipMessage extends ClientFrame {
  type: 'skip';
}

export interface VoteMessage extends ClientFrame {
  type: 'vote';
  item: string;
  up: boolean;
}

export interface VoteSkipMessage extends ClientFrame {
  type: 'vote_skip';
  skip: boolean;
}

export interface ChatSendMessage extends ClientFrame {
  type: 'chat';
  text: string;
  videoTime?: number;
}

export interface ReactMessage extends ClientFrame {
  type: 'react';
  message: number;
  emoji: string;
}

/** The fields of `settings` a client may change; absent fields stay as they are. */
export interface SettingsChange {
  title?: string;
  description?: string;
  visibility?: Visibility;
  temporary?: boolean;
  playbackMode?: PlaybackMode;
  queueMode?: QueueMode;
  voteSkipRatio?: number;
  /** Only for those who may manage roles. */
  permissions?: Partial<Record<Permission, Role>>;
}

export interface SettingsMessage extends ClientFrame, SettingsChange {
  type: 'settings';
}

export interface RotateInviteMessage extends ClientFrame {
  type: 'rotate_invite';
}

export interface SetRoleMessage extends ClientFrame {
  type: 'set_role';
  member: string;
  role: AssignableRole;
}

export interface KickMessage extends ClientFrame {
  type: 'kick';
  member: string;
  reason?: string;
}

export interface BanMessage extends ClientFrame {
  type: 'ban';
  member: string;
  reason?: string;
}

export interface UnbanMessage extends ClientFrame {
  type: 'unban';
  member: string;
}

export type ClientMessage =
  | JoinMessage
  | TimeProbe
  | PlayMessage
  | PauseMessage
  | SeekMessage
  | RateMessage
  | SetMediaMessage
  | DurationMessage
  | DriftMessage
  | StatusMessage
  | TypingMessage
  | RenameMessage
  | QueueAddMessage
  | QueueRemoveMessage
  | QueueMoveMessage
  | QueuePlayNowMessage
  | QueueClearMessage
  | QueueUndoMessage
  | SkipMessage
  | VoteMessage
  | VoteSkipMessage
  | ChatSendMessage
  | ReactMessage
  | SettingsMessage
  | RotateInviteMessage
  | SetRoleMessage
  | KickMessage
  | BanMessage
  | UnbanMessage;

// ---- WebSocket: server to client ----

export interface WelcomeMessage {
  type: 'welcome';
  you: Member;
  room: Room;
  serverTime: number;
}

export interface TimeReply {
  type: 'time';
  t0: number;
  /** Server clock when it answered. */
  t1: number;
}

export interface PlaybackMessage extends Playback {
  type: 'playback';
  /** The member who caused the change; null when the room did. */
  by: string | null;
  /** The members a wait-for-everyone room paused for. */
  waitingFor: string[];
}

/** The item playing changed, or its duration became known; all fields but `by` null when nothing plays. */
export interface MediaMessage {
  type: 'media';
  id: string | null;
  url: string | null;
  title: string | null;
  duration: number | null;
  thumbnail: string | null;
  addedBy: string | null;
  by: string | null;
}

export interface QueueMessage {
  type: 'queue';
  items: QueueItem[];
  canUndo: boolean;
  by: string | null;
}

export interface MemberJoinedMessage {
  type: 'member_joined';
  member: Member;
}

export interface MemberLeftMessage {
  type: 'member_left';
  member: Member;
}

export interface MemberRenamedMessage {
  type: 'member_renamed';
  member: Member;
}

export interface MemberRoleMessage {
  type: 'member_role';
  member: Member;
}

export interface PresenceMessage {
  type: 'presence';
  /** The member's id. */
  member: string;
  status: MemberStatus;
}

export interface ChatMessageFrame {
  type: 'chat';
  /** A new message, or one whose reactions changed (same id: replace it). */
  message: ChatMessage;
}

export interface SettingsUpdateMessage {
  type: 'settings';
  /** The invite is left out (null): it comes as `invite`. */
  settings: RoomSettings;
  by: string | null;
}

export interface InviteMessage {
  type: 'invite';
  token: string;
}

export interface SkipVotesMessage extends SkipVotes {
  type: 'skip_votes';
}

export interface RemovedMessage {
  type: 'removed';
  banned: boolean;
  reason: string | null;
  by: string | null;
}

export interface ClosedMessage {
  type: 'closed';
}

export interface ReconnectMessage {
  type: 'reconnect';
  reason: string;
}

export interface ErrorMessage extends ErrorBody {
  type: 'error';
  ref?: string;
}

export type ServerMessage =
  | WelcomeMessage
  | TimeReply
  | PlaybackMessage
  | MediaMessage
  | QueueMessage
  | MemberJoinedMessage
  | MemberLeftMessage
  | MemberRenamedMessage
  | MemberRoleMessage
  | PresenceMessage
  | ChatMessageFrame
  | SettingsUpdateMessage
  | InviteMessage
  | SkipVotesMessage
  | RemovedMessage
  | ClosedMessage
  | ReconnectMessage
  | ErrorMessage;

const SERVER_MESSAGE_TYPES: ReadonlySet<string> = new Set<ServerMessage['type']>([
  'welcome',
  'time',
  'playback',
  'media',
  'queue',
  'member_joined',
  'member_left',
  'member_renamed',
  'member_role',
  'presence',
  'chat',
  'settings',
  'invite',
  'skip_votes',
  'removed',
  'closed',
  'reconnect',
  'error',
]);

/**
 * Reads one text frame from the server. Returns null for anything that is not a
 * JSON object with a known `type`: the server is trusted for field shapes, and a
 * newer server's additional message types are skipped rather than fatal. Fields
 * the client relies on that an older server may leave out get their neutral value.
 */
export function parseServerMessage(data: unknown): ServerMessage | null {
  if (typeof data !== 'string') return null;
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const type = (value as { type?: unknown }).type;
  if (typeof type !== 'string' || !SERVER_MESSAGE_TYPES.has(type)) return null;
  const message = value as ServerMessage;
  if (message.type === 'playback' && !Array.isArray(message.waitingFor)) {
    return { ...message, waitingFor: [] };
  }
  return message;
}

/** The title of a room list's `nowPlaying`, whichever shape it came in. */
export function nowPlayingTitle(nowPlaying: NowPlaying | undefined): string | null {
  if (nowPlaying == null) return null;
  if (typeof nowPlaying === 'string') return nowPlaying || null;
  return nowPlaying.title || nowPlaying.url || null;
}

// ---- Videos (docs/videos.md) ----

export type VideoStage = 'uploading' | 'processing' | 'transcoding' | 'published' | 'failed' | 'deleted';

export interface RenditionInfo {
  name: string;
  width: number;
  height: number;
  frameRate: number;
  bandwidth: number;
  averageBandwidth: number;
  codecs: string;
}

/** GET /api/videos/{id}, and each `status` event of GET /api/videos/{id}/events */
export interface VideoStatus {
  id: string;
  title: string;
  status: VideoStage;
  /** Percent of the transcoding job, 0 to 100. */
  progress: number;
  length: number;
  uploaded: number;
  duration: number | null;
  width: number | null;
  height: number | null;
  /** Why it failed, or the last failed attempt's error while it retries. */
  reason: string | null;
  createdAt: number;
  /** Whether the requester owns it; null without a token. */
  mine: boolean | null;
  media: {
    master: string;
    poster: string;
    thumbnails: string;
    thumbnailInterval: number;
    renditions: RenditionInfo[];
  } | null;
}

export interface CatalogItem {
  id: string;
  title: string;
  duration: number | null;
  width: number | null;
  height: number | null;
  poster: string | null;
  master: string;
  renditions: string[];
  views: number;
  createdAt: number;
}

/** GET /api/videos */
export interface CatalogPage {
  items: CatalogItem[];
  total: number;
  offset: number;
  limit: number;
}
