import type { Room } from './protocol';
import type { ConnectionStatus, RoomSession, SyncSample } from './room/session';
import { SYNC_CONFIG, type SyncConfig } from './sync/config';

/**
 * `window.watchroom`: what the browser tests read. Stable API: the Java
 * Playwright suite depends on it (see docs/client-sync.md).
 */
export interface WatchroomHooks {
  /** Player and clock at one instant; null outside a room page. */
  sample(): SyncSample | null;
  /** The room as this client knows it; null outside a room page or before the welcome. */
  room(): Room | null;
  /** The connection state shown in the banner; null outside a room page. */
  connection(): ConnectionStatus | null;
  /** The current session token (guest or account), or null before one was started. */
  token(): string | null;
  /** The sync configuration in use. */
  readonly config: Readonly<SyncConfig>;
}

declare global {
  interface Window {
    watchroom?: WatchroomHooks;
  }
}

let active: RoomSession | null = null;

/** The room page registers its session while it is open. */
export function setActiveSession(session: RoomSession | null): void {
  active = session;
}

export function installWatchroomHooks(target: Window, token: () => string | null): void {
  target.watchroom = Object.freeze({
    sample: () => active?.sample() ?? null,
    room: () => active?.room.peek() ?? null,
    connection: () => active?.connection.peek().status ?? null,
    token,
    config: SYNC_CONFIG,
  });
}
