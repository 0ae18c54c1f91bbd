import type { Credentials } from './auth/credentials';
import type {
  ChatPageResponse,
  CreateRoomRequest,
  CreateRoomResponse,
  DirectoryResponse,
  ErrorBody,
  HistoryPageResponse,
  HistoryStateResponse,
  MeResponse,
  ResolveResponse,
  RoomResponse,
  SearchResponse,
} from './protocol';

/** An HTTP error answer, carrying the protocol's { code, message }. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** The part of `fetch` this module uses, so tests can hand in a fake. */
export type FetchLike = (url: string, init?: RequestInit) => Promise<Response>;

export const browserFetch: FetchLike = (url, init) => fetch(url, init);

export interface RequestOptions {
  method?: 'GET' | 'POST';
  body?: unknown;
  /** Sent as `Authorization: Bearer`. */
  token?: string | null;
}

/**
 * One JSON request: the body as JSON, the answer parsed (undefined for 204),
 * and any other status thrown as an ApiError with the server's code and
 * message, or a network error as code `network`.
 */
export async function requestJson<T>(fetchFn: FetchLike, url: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  if (options.token) headers.Authorization = `Bearer ${options.token}`;
  let response: Response;
  try {
    response = await fetchFn(url, {
      method: options.method ?? 'GET',
      headers,
      body: options.body !== undefined ? JSON.stringify(options.body) : undefined,
    });
  } catch {
    throw new ApiError(0, 'network', 'The server cannot be reached. Check your connection and try again.');
  }
  if (!response.ok) throw await toApiError(response);
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  return (text === '' ? undefined : JSON.parse(text)) as T;
}

async function toApiError(response: Response): Promise<ApiError> {
  try {
    const body = (await response.json()) as Partial<ErrorBody>;
    if (typeof body.code === 'string' && typeof body.message === 'string') {
      return new ApiError(response.status, body.code, body.message);
    }
  } catch {
    // not the protocol's error shape: fall through
  }
  return new ApiError(response.status, `http_${response.status}`, `The server answered with status ${response.status}.`);
}

/** A query string from the values that are set. */
export function query(params: Record<string, string | number | null | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== null && value !== undefined && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text === '' ? '' : `?${text}`;
}

const roomUrl = (roomId: string) => `/api/rooms/${encodeURIComponent(roomId)}`;

/**
 * The REST API with this browser's session: every call carries the bearer
 * token (starting a guest session first when there is none), and a call the
 * server answers with 401 `unauthorized` (an expired or revoked token) gets a
 * new session and is tried once more.
 */
export class Api {
  constructor(
    private readonly credentials: Credentials,
    private readonly fetchFn: FetchLike = browserFetch,
  ) {}

  createRoom(request: CreateRoomRequest): Promise<CreateRoomResponse> {
    return this.authed('/api/rooms', { method: 'POST', body: request });
  }

  room(roomId: string, invite?: string | null): Promise<RoomResponse> {
    return this.authed(`${roomUrl(roomId)}${query({ invite })}`);
  }

  /** True or false when the server said so (a private room exists too); null when it could not be asked. */
  async roomExists(roomId: string, invite?: string | null): Promise<boolean | null> {
    try {
      await this.room(roomId, invite);
      return true;
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) return false;
      if (error instanceof ApiError && error.status === 403) return true;
      return null;
    }
  }

  /** The public directory, most members online first. */
  directory(limit = 50, offset = 0): Promise<DirectoryResponse> {
    return this.authed(`/api/rooms${query({ limit, offset })}`);
  }

  me(): Promise<MeResponse> {
    return this.authed('/api/me');
  }

  /** Messages older than `before`, oldest first. */
  olderChat(roomId: string, before: number, limit = 50, invite?: string | null): Promise<ChatPageResponse> {
    return this.authed(`${roomUrl(roomId)}/chat${query({ before, limit, invite })}`);
  }

  history(roomId: string, from: number, limit = 100, invite?: string | null): Promise<HistoryPageResponse> {
    return this.authed(`${roomUrl(roomId)}/history${query({ from, limit, invite })}`);
  }

  historyState(roomId: string, at: number, invite?: string | null): Promise<HistoryStateResponse> {
    return this.authed(`${roomUrl(roomId)}/history/state${query({ at, invite })}`);
  }

  /** What a link is and the stream to play for it; a link that cannot be played throws its failure code. */
  resolve(url: string): Promise<ResolveResponse> {
    return this.authed('/api/resolve', { method: 'POST', body: { url } });
  }

  /** Videos matching the words. */
  search(q: string): Promise<SearchResponse> {
    return this.authed(`/api/search${query({ q })}`);
  }

  private async authed<T>(url: string, options: Omit<RequestOptions, 'token'> = {}): Promise<T> {
    const token = await this.credentials.ensure();
    try {
      return await requestJson<T>(this.fetchFn, url, { ...options, token });
    } catch (error) {
      if (!(error instanceof ApiError) || error.status !== 401 || error.code !== 'unauthorized') throw error;
      const fresh = await this.credentials.renew(token);
      return requestJson<T>(this.fetchFn, url, { ...options, token: fresh });
    }
  }
}
