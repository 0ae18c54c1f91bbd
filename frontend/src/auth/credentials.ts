import { computed, signal } from '@preact/signals';
import { browserFetch, requestJson, type FetchLike } from '../api';
import type { GuestSessionRequest, LoginRequest, RegisterRequest, SessionResponse, User } from '../protocol';

export type KeyValueStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

/** What is kept in localStorage: the token, and who it is for. */
export interface StoredSession {
  token: string;
  expiresAt: number;
  user: User;
}

export const SESSION_STORAGE_KEY = 'watchroom.session';

export interface CredentialsOptions {
  storage?: KeyValueStorage | null;
  fetch?: FetchLike;
  /** The name a new guest session asks for (the remembered guest name). */
  guestName?: () => string | null;
  now?: () => number;
}

/**
 * This browser's session with the server: a guest session, or an account's.
 * The token lives in localStorage so it outlasts reloads; when there is none
 * (or the server refuses it) a new guest session is started with the
 * remembered guest name. Concurrent callers share one request.
 */
export class Credentials {
  readonly session = signal<StoredSession | null>(null);
  readonly user = computed<User | null>(() => this.session.value?.user ?? null);

  private readonly storage: KeyValueStorage | null;
  private readonly fetchFn: FetchLike;
  private readonly guestName: () => string | null;
  private readonly now: () => number;
  private pending: Promise<string> | null = null;

  constructor(options: CredentialsOptions = {}) {
    this.storage = options.storage === undefined ? browserStorage() : options.storage;
    this.fetchFn = options.fetch ?? browserFetch;
    this.guestName = options.guestName ?? (() => null);
    this.now = options.now ?? (() => Date.now());
    this.session.value = this.load();
  }

  /** The current token, or null while there is none. */
  token(): string | null {
    return this.session.peek()?.token ?? null;
  }

  /** A usable token: the stored one, or a new guest session's. */
  ensure(): Promise<string> {
    const current = this.session.peek();
    if (current !== null && current.expiresAt > this.now()) return Promise.resolve(current.token);
    return this.startGuest();
  }

  /**
   * The server refused `stale`: start a new guest session, unless the token
   * has already been replaced meanwhile (then that one is answered).
   */
  renew(stale: string | null): Promise<string> {
    const current = this.session.peek();
    if (current !== null && current.token !== stale && current.expiresAt > this.now()) {
      return Promise.resolve(current.token);
    }
    if (this.pending !== null) return this.pending;
    this.store(null);
    return this.startGuest();
  }

  async login(username: string, password: string): Promise<User> {
    const body: LoginRequest = { username: username.trim(), password };
    const answer = await requestJson<SessionResponse>(this.fetchFn, '/api/login', { method: 'POST', body });
    this.store(toStored(answer));
    return answer.user;
  }

  async register(username: string, password: string, name?: string): Promise<User> {
    const body: RegisterRequest = { username: username.trim(), password };
    const trimmed = name?.trim();
    if (trimmed) body.name = trimmed;
    const answer = await requestJson<SessionResponse>(this.fetchFn, '/api/accounts', { method: 'POST', body });
    this.store(toStored(answer));
    return answer.user;
  }

  /** Revokes the session on the server (best effort), then goes on as a new guest. */
  async logout(): Promise<void> {
    const token = this.token();
    if (token !== null) {
      try {
        await requestJson<void>(this.fetchFn, '/api/logout', { method: 'POST', token });
      } catch {
        // revoked already, or the server is away: forgetting the token locally is what matters
      }
    }
    this.store(null);
    await this.startGuest();
  }

  /** Another tab changed the stored session. */
  reload(): void {
    const loaded = this.load();
    if (loaded?.token !== this.token()) this.session.value = loaded;
  }

  private startGuest(): Promise<string> {
    if (this.pending !== null) return this.pending;
    const name = this.guestName()?.trim();
    const body: GuestSessionRequest = name ? { name } : {};
    const request = requestJson<SessionResponse>(this.fetchFn, '/api/session', { method: 'POST', body }).then(
      (answer) => {
        this.store(toStored(answer));
        return answer.token;
      },
    );
    this.pending = request;
    const clear = () => {
      if (this.pending === request) this.pending = null;
    };
    request.then(clear, clear);
    return request;
  }

  private store(session: StoredSession | null): void {
    this.session.value = session;
    try {
      if (session === null) this.storage?.removeItem(SESSION_STORAGE_KEY);
      else this.storage?.setItem(SESSION_STORAGE_KEY, JSON.stringify(session));
    } catch {
      // storage full or disabled: the session lasts for this page only
    }
  }

  private load(): StoredSession | null {
    try {
      const text = this.storage?.getItem(SESSION_STORAGE_KEY);
      if (!text) return null;
      const value = JSON.parse(text) as Partial<StoredSession>;
      if (typeof value.token !== 'string' || typeof value.expiresAt !== 'number' || typeof value.user !== 'object') {
        return null;
      }
      return value.expiresAt > this.now() ? (value as StoredSession) : null;
    } catch {
      return null;
    }
  }
}

function toStored(answer: SessionResponse): StoredSession {
  return { token: answer.token, expiresAt: answer.expiresAt, user: answer.user };
}

function browserStorage(): KeyValueStorage | null {
  try {
    return typeof localStorage !== 'undefined' ? localStorage : null;
  } catch {
    // some privacy modes throw on the mere access
    return null;
  }
}
