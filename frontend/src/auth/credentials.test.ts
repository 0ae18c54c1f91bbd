import { describe, expect, it, vi } from 'vitest';
import { Api, ApiError, type FetchLike } from '../api';
import { Credentials, SESSION_STORAGE_KEY } from './credentials';

function memoryStorage(initial: Record<string, string> = {}) {
  const map = new Map(Object.entries(initial));
  return {
    map,
    getItem: (k: string) => map.get(k) ?? null,
    setItem: (k: string, v: string) => void map.set(k, v),
    removeItem: (k: string) => void map.delete(k),
  };
}

interface Call {
  url: string;
  method: string;
  auth: string | null;
  body: unknown;
}

/** A server that answers by route; every call is recorded. */
function fakeServer(routes: Record<string, (call: Call) => [number, unknown?]>) {
  const calls: Call[] = [];
  let sessions = 0;
  const fetchFn: FetchLike = async (url, init) => {
    const headers = (init?.headers ?? {}) as Record<string, string>;
    const call: Call = {
      url,
      method: init?.method ?? 'GET',
      auth: headers.Authorization ?? null,
      body: init?.body ? JSON.parse(String(init.body)) : undefined,
    };
    calls.push(call);
    const key = `${call.method} ${url.split('?')[0]}`;
    const route =
      routes[key] ??
      (key === 'POST /api/session'
        ? () => {
            sessions += 1;
            return [201, { token: `guest-${sessions}`, expiresAt: 9e15, user: { id: `g-${sessions}`, name: 'G', kind: 'guest' } }];
          }
        : () => [404, { code: 'not_found', message: 'No.' }]);
    const [status, body] = route(call);
    return new Response(body === undefined ? null : JSON.stringify(body), { status });
  };
  return { fetchFn, calls };
}

describe('Credentials', () => {
  it('starts a guest session with the remembered name once, for concurrent callers, and keeps it', async () => {
    const storage = memoryStorage();
    const server = fakeServer({});
    const credentials = new Credentials({ storage, fetch: server.fetchFn, guestName: () => ' Ada ' });
    const [a, b] = await Promise.all([credentials.ensure(), credentials.ensure()]);
    expect(a).toBe('guest-1');
    expect(b).toBe('guest-1');
    expect(server.calls).toHaveLength(1);
    expect(server.calls[0]).toMatchObject({ method: 'POST', url: '/api/session', body: { name: 'Ada' } });
    expect(JSON.parse(storage.map.get(SESSION_STORAGE_KEY)!).token).toBe('guest-1');

    const again = new Credentials({ storage, fetch: server.fetchFn });
    expect(again.token()).toBe('guest-1');
    expect(await again.ensure()).toBe('guest-1');
    expect(server.calls).toHaveLength(1);
  });

  it('forgets an expired token', () => {
    const storage = memoryStorage({
      [SESSION_STORAGE_KEY]: JSON.stringify({ token: 'old', expiresAt: 100, user: { id: 'g', name: 'G', kind: 'guest' } }),
    });
    const credentials = new Credentials({ storage, fetch: fakeServer({}).fetchFn, now: () => 200 });
    expect(credentials.token()).toBeNull();
  });

  it('renews a refused token once, even when asked twice', async () => {
    const server = fakeServer({});
    const credentials = new Credentials({ storage: memoryStorage(), fetch: server.fetchFn });
    const first = await credentials.ensure();
    const [a, b] = await Promise.all([credentials.renew(first), credentials.renew(first)]);
    expect(a).toBe('guest-2');
    expect(b).toBe('guest-2');
    // a stale renew after the token changed answers the current one
    expect(await credentials.renew(first)).toBe('guest-2');
    expect(server.calls.filter((c) => c.url === '/api/session')).toHaveLength(2);
  });

  it('logs in and registers into an account session', async () => {
    const account = { token: 'acct', expiresAt: 9e15, user: { id: 'a-1', name: 'Ada', kind: 'account', username: 'ada' } };
    const server = fakeServer({
      'POST /api/login': (call) =>
        (call.body as { password: string }).password === 'right password' ? [200, account] : [401, { code: 'wrong_credentials', message: 'Wrong.' }],
      'POST /api/accounts': () => [409, { code: 'username_taken', message: 'Taken.' }],
    });
    const credentials = new Credentials({ storage: memoryStorage(), fetch: server.fetchFn });
    await expect(credentials.login('ada', 'nope')).rejects.toMatchObject({ status: 401, code: 'wrong_credentials' });
    await expect(credentials.register('ada', 'correct horse')).rejects.toMatchObject({ code: 'username_taken' });
    const user = await credentials.login(' ada ', 'right password');
    expect(user.kind).toBe('account');
    expect(credentials.token()).toBe('acct');
    expect(credentials.user.value?.username).toBe('ada');
  });

  it('logs out: revokes the token, then goes on as a new guest', async () => {
    const server = fakeServer({ 'POST /api/logout': () => [204] });
    const credentials = new Credentials({ storage: memoryStorage(), fetch: server.fetchFn });
    await credentials.ensure();
    await credentials.logout();
    expect(server.calls.map((c) => `${c.method} ${c.url} ${c.auth}`)).toEqual([
      'POST /api/session null',
      'POST /api/logout Bearer guest-1',
      'POST /api/session null',
    ]);
    expect(credentials.token()).toBe('guest-2');
  });
});

describe('Api', () => {
  it('sends the bearer token and query parameters', async () => {
    const server = fakeServer({ 'GET /api/rooms': () => [200, { rooms: [] }] });
    const api = new Api(new Credentials({ storage: memoryStorage(), fetch: server.fetchFn }), server.fetchFn);
    await api.directory(20, 40);
    expect(server.calls.at(-1)).toMatchObject({ url: '/api/rooms?limit=20&offset=40', auth: 'Bearer guest-1' });
  });

  it('gets a new session and retries once when the token is refused', async () => {
    const server = fakeServer({
      'GET /api/me': (call) =>
        call.auth === 'Bearer guest-1' ? [401, { code: 'unauthorized', message: 'Expired.' }] : [200, { user: { id: 'g-2' } }],
    });
    const api = new Api(new Credentials({ storage: memoryStorage(), fetch: server.fetchFn }), server.fetchFn);
    const me = await api.me();
    expect(me.user.id).toBe('g-2');
    expect(server.calls.map((c) => `${c.method} ${c.url}`)).toEqual([
      'POST /api/session',
      'GET /api/me',
      'POST /api/session',
      'GET /api/me',
    ]);
  });

  it('passes a private room invite and paging to the chat and history calls', async () => {
    const ok = () => [200, {}] as [number, unknown];
    const server = fakeServer({
      'GET /api/rooms/k3J9xQ2mW7pZ/chat': ok,
      'GET /api/rooms/k3J9xQ2mW7pZ/history': ok,
      'GET /api/rooms/k3J9xQ2mW7pZ/history/state': ok,
    });
    const api = new Api(new Credentials({ storage: memoryStorage(), fetch: server.fetchFn }), server.fetchFn);
    await api.olderChat('k3J9xQ2mW7pZ', 17, 50, 'inv');
    await api.history('k3J9xQ2mW7pZ', 1, 100, null);
    await api.historyState('k3J9xQ2mW7pZ', 12, 'inv');
    expect(server.calls.slice(1).map((c) => c.url)).toEqual([
      '/api/rooms/k3J9xQ2mW7pZ/chat?before=17&limit=50&invite=inv',
      '/api/rooms/k3J9xQ2mW7pZ/history?from=1&limit=100',
      '/api/rooms/k3J9xQ2mW7pZ/history/state?at=12&invite=inv',
    ]);
  });

  it('tells whether a room exists', async () => {
    const server = fakeServer({
      'GET /api/rooms/private00000': () => [403, { code: 'forbidden', message: 'Private.' }],
    });
    const api = new Api(new Credentials({ storage: memoryStorage(), fetch: server.fetchFn }), server.fetchFn);
    expect(await api.roomExists('private00000')).toBe(true);
    expect(await api.roomExists('missing00000')).toBe(false);
  });

  it('resolves a link with the session and passes its failure code on', async () => {
    const server = fakeServer({
      'POST /api/resolve': (call) =>
        (call.body as { url: string }).url.includes('drm')
          ? [422, { code: 'drm', message: 'The video is protected by DRM, which Watchroom cannot play.' }]
          : [200, { kind: 'hls', url: (call.body as { url: string }).url, stream: '/api/proxy/t/stream' }],
      'GET /api/search': () => [200, { results: [] }],
    });
    const api = new Api(new Credentials({ storage: memoryStorage(), fetch: server.fetchFn }), server.fetchFn);
    expect((await api.resolve('https://v.example/a.m3u8')).stream).toBe('/api/proxy/t/stream');
    expect(server.calls.at(-1)).toMatchObject({ method: 'POST', url: '/api/resolve', auth: 'Bearer guest-1', body: { url: 'https://v.example/a.m3u8' } });
    await expect(api.resolve('https://v.example/drm.mpd')).rejects.toMatchObject({ status: 422, code: 'drm' });
    await api.search('big buck & bunny');
    expect(server.calls.at(-1)).toMatchObject({ url: '/api/search?q=big+buck+%26+bunny', auth: 'Bearer guest-1' });
  });

  it('turns network failures into an ApiError', async () => {
    const failing: FetchLike = vi.fn(async () => {
      throw new TypeError('Failed to fetch');
    });
    const api = new Api(new Credentials({ storage: memoryStorage(), fetch: failing }), failing);
    await expect(api.directory()).rejects.toBeInstanceOf(ApiError);
    await expect(api.directory()).rejects.toMatchObject({ code: 'network' });
  });
});
