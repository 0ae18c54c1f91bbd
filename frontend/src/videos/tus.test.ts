import { describe, expect, it, vi } from 'vitest';
import type { HttpRequest, HttpResponse, HttpStack } from 'tus-js-client';
import { VideoUpload, type UploadOptions } from './tus';

// tus-js-client's browser build looks for localStorage when it loads: give it one to write to,
// so the tests see whether anything is remembered for resuming after a reload
const storage = vi.hoisted(() => {
  const entries = new Map<string, string>();
  const localStorage = {
    getItem: (key: string) => entries.get(key) ?? null,
    setItem: (key: string, value: string) => void entries.set(key, String(value)),
    removeItem: (key: string) => void entries.delete(key),
    key: (index: number) => [...entries.keys()][index] ?? null,
    get length() {
      return entries.size;
    },
  };
  Object.assign(globalThis, { window: globalThis, localStorage });
  return entries;
});

const ENDPOINT = 'http://watchroom.test/api/uploads';
const UPLOAD_URL = `${ENDPOINT}/abcdefghijkl`;

interface Sent {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: Blob | null;
  aborted: boolean;
}

interface Answer {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

/** What the fake network does with one request: answers, fails (a lost connection), or holds it. */
type Handler = (request: Sent, progress: (sent: number) => void) => Promise<Answer>;

/** tus-js-client's HttpStack over a handler, recording every request. */
class FakeStack implements HttpStack {
  readonly sent: Sent[] = [];

  constructor(private readonly handler: Handler) {}

  getName(): string {
    return 'FakeStack';
  }

  methods(): string[] {
    return this.sent.map((r) => r.method);
  }

  createRequest(method: string, url: string): HttpRequest {
    const request: Sent = { method, url, headers: {}, body: null, aborted: false };
    let onProgress: (sent: number) => void = () => undefined;
    const handler = this.handler;
    const sent = this.sent;
    return {
      getMethod: () => method,
      getURL: () => url,
      setHeader: (name, value) => void (request.headers[name] = value),
      getHeader: (name) => request.headers[name],
      setProgressHandler: (handler) => void (onProgress = handler),
      async send(body: Blob | null): Promise<HttpResponse> {
        request.body = body;
        sent.push(request);
        const answer = await handler(request, (bytes) => onProgress(bytes));
        return {
          getStatus: () => answer.status,
          getHeader: (name) => answer.headers?.[name],
          getBody: () => answer.body ?? '',
          getUnderlyingObject: () => null,
        };
      },
      abort: async () => void (request.aborted = true),
      getUnderlyingObject: () => null,
    };
  }
}

/** A tus server in memory: keeps the offset, can lose one PATCH after part of it went out. */
class FakeServer {
  offset = 0;
  length = 0;
  dropNextPatchAfter: number | null = null;
  deleted = false;

  readonly handle: Handler = async (request, progress): Promise<Answer> => {
    switch (request.method) {
      case 'POST':
        this.length = Number(request.headers['Upload-Length']);
        return { status: 201, headers: { Location: '/api/uploads/abcdefghijkl', 'Upload-Offset': '0' }, body: '{"id":"abcdefghijkl"}' };
      case 'HEAD':
        return { status: 200, headers: { 'Upload-Offset': String(this.offset), 'Upload-Length': String(this.length) } };
      case 'DELETE':
        this.deleted = true;
        return { status: 204 };
      case 'PATCH': {
        if (Number(request.headers['Upload-Offset']) !== this.offset) {
          return { status: 409, body: JSON.stringify({ code: 'offset_mismatch', message: `The upload stands at byte ${this.offset}.` }) };
        }
        const size = request.body!.size;
        if (this.dropNextPatchAfter !== null) {
          // the connection breaks; the server kept nothing of this chunk
          progress(this.dropNextPatchAfter);
          this.dropNextPatchAfter = null;
          throw new Error('connection reset');
        }
        progress(size);
        this.offset += size;
        return { status: 204, headers: { 'Upload-Offset': String(this.offset) } };
      }
      default:
        return { status: 405 };
    }
  };
}

function file(size: number): Blob {
  return new Blob([new Uint8Array(size)]);
}

function upload(stack: HttpStack, options: Partial<UploadOptions> = {}): VideoUpload {
  return new VideoUpload({ file: file(30), fileName: 'a.mp4', token: 't', endpoint: ENDPOINT, httpStack: stack, retryDelays: [0, 0, 0], ...options });
}

/** A promise with its resolve handed out, for a request the test answers when it chooses. */
function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve: (value: T) => void = () => undefined;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe('video upload over tus', () => {
  it('creates the upload with its metadata and token, then sends it in chunks with byte progress', async () => {
    const server = new FakeServer();
    const stack = new FakeStack(server.handle);
    const progress: number[] = [];
    let created = '';
    const id = await upload(stack, {
      file: file(25),
      fileName: 'holiday.mp4',
      title: ' Été ',
      token: 'secret-token',
      chunkSize: 10,
      onCreated: (v) => (created = v),
      onProgress: (sent, total) => {
        expect(total).toBe(25);
        progress.push(sent);
      },
    }).start();
    expect(id).toBe('abcdefghijkl');
    expect(created).toBe(id);
    expect(stack.methods()).toEqual(['POST', 'PATCH', 'PATCH', 'PATCH']);
    const post = stack.sent[0]!;
    expect(post.url).toBe(ENDPOINT);
    expect(post.headers['Upload-Length']).toBe('25');
    expect(post.headers['Tus-Resumable']).toBe('1.0.0');
    expect(post.headers['Upload-Metadata']).toBe(`filename ${btoa('holiday.mp4')},title w4l0w6k=`);
    for (const request of stack.sent) expect(request.headers.Authorization).toBe('Bearer secret-token');
    const patches = stack.sent.filter((r) => r.method === 'PATCH');
    // the Location is relative; the chunks go to it on the endpoint's origin
    expect(patches.map((p) => p.url)).toEqual([UPLOAD_URL, UPLOAD_URL, UPLOAD_URL]);
    expect(patches.map((p) => p.headers['Upload-Offset'])).toEqual(['0', '10', '20']);
    expect(patches.map((p) => p.body?.size)).toEqual([10, 10, 5]);
    expect(patches[0]!.headers['Content-Type']).toBe('application/offset+octet-stream');
    // the bar starts at 0, moves with the bytes of each chunk and ends at the whole file
    expect(progress[0]).toBe(0);
    expect(progress.at(-1)).toBe(25);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(server.offset).toBe(25);
  });

  it('sends no title when none is given', async () => {
    const stack = new FakeStack(new FakeServer().handle);
    await upload(stack, { fileName: 'clip.mp4', title: '  ' }).start();
    expect(stack.sent[0]!.headers['Upload-Metadata']).toBe(`filename ${btoa('clip.mp4')}`);
  });

  it('remembers nothing in localStorage for resuming after a reload', async () => {
    const stack = new FakeStack(new FakeServer().handle);
    await upload(stack).start();
    expect([...storage.keys()].filter((key) => key.startsWith('tus'))).toEqual([]);
  });

  it('resumes from the server offset after a broken chunk', async () => {
    const server = new FakeServer();
    server.dropNextPatchAfter = 4;
    const stack = new FakeStack(server.handle);
    const progress: number[] = [];
    await upload(stack, { file: file(20), chunkSize: 10, onProgress: (sent) => progress.push(sent) }).start();
    expect(stack.methods()).toEqual(['POST', 'PATCH', 'HEAD', 'PATCH', 'PATCH']);
    expect(stack.sent[3]!.headers['Upload-Offset']).toBe('0');
    expect(server.offset).toBe(20);
    // the 4 bytes lost with the connection are shown, then taken back
    expect(progress).toContain(4);
    expect(progress.at(-1)).toBe(20);
  });

  it('gives up after its retries, with what went wrong', async () => {
    const server = new FakeServer();
    const stack = new FakeStack(async (request, progress) => {
      if (request.method === 'PATCH') throw new Error('connection reset');
      return server.handle(request, progress);
    });
    await expect(upload(stack, { retryDelays: [0, 0] }).start()).rejects.toMatchObject({
      code: 'network',
      message: 'The connection was lost during the upload.',
    });
    expect(stack.methods()).toEqual(['POST', 'PATCH', 'HEAD', 'PATCH', 'HEAD', 'PATCH']);
  });

  it('does not repeat a creation whose answer was lost, as it may have created an upload', async () => {
    const stack = new FakeStack(async () => {
      throw new Error('connection reset');
    });
    await expect(upload(stack).start()).rejects.toMatchObject({ code: 'network', message: 'The server cannot be reached.' });
    expect(stack.methods()).toEqual(['POST']);
  });

  it('reports the server error of a refused upload with its code and sentence', async () => {
    const stack = new FakeStack(async () => ({
      status: 413,
      body: JSON.stringify({ code: 'too_large', message: 'Uploads are limited to 10 bytes.' }),
    }));
    await expect(upload(stack).start()).rejects.toMatchObject({ code: 'too_large', message: 'Uploads are limited to 10 bytes.' });
    expect(stack.methods()).toEqual(['POST']);
  });

  it('does not retry a chunk the server refuses', async () => {
    const server = new FakeServer();
    const stack = new FakeStack(async (request, progress) =>
      request.method === 'PATCH'
        ? { status: 403, body: JSON.stringify({ code: 'forbidden', message: 'Only the uploader may send this file.' }) }
        : server.handle(request, progress),
    );
    await expect(upload(stack).start()).rejects.toMatchObject({ code: 'forbidden', message: 'Only the uploader may send this file.' });
    expect(stack.methods()).toEqual(['POST', 'PATCH']);
  });

  it('names the status of an answer that is not the server error shape', async () => {
    const server = new FakeServer();
    const stack = new FakeStack(async (request, progress) =>
      request.method === 'PATCH' ? { status: 502, body: '<html>Bad Gateway</html>' } : server.handle(request, progress),
    );
    await expect(upload(stack, { retryDelays: [0] }).start()).rejects.toMatchObject({
      code: 'http_502',
      message: 'The server answered with status 502.',
    });
    // a server error is worth one resume before giving up
    expect(stack.methods()).toEqual(['POST', 'PATCH', 'HEAD', 'PATCH']);
  });

  it('terminates the upload on cancel', async () => {
    const server = new FakeServer();
    const stack = new FakeStack(server.handle);
    const video = upload(stack, { chunkSize: 10, onProgress: (sent) => sent >= 10 && void video.cancel() });
    await expect(video.start()).rejects.toMatchObject({ code: 'cancelled' });
    await vi.waitFor(() => expect(server.deleted).toBe(true));
    const deletion = stack.sent.find((r) => r.method === 'DELETE')!;
    expect(deletion.url).toBe(UPLOAD_URL);
    expect(deletion.headers.Authorization).toBe('Bearer t');
    expect(deletion.headers['Tus-Resumable']).toBe('1.0.0');
    expect(server.offset).toBeLessThan(30);
  });

  it('stops the chunk in flight on cancel, and sends no other', async () => {
    const patching = deferred<void>();
    const stack = new FakeStack(async (request) => {
      if (request.method === 'POST') return { status: 201, headers: { Location: '/api/uploads/abcdefghijkl' } };
      if (request.method === 'DELETE') return { status: 204 };
      // a PATCH that never ends by itself, as on a slow connection
      patching.resolve();
      return new Promise<Answer>(() => undefined);
    });
    const video = upload(stack);
    const started = video.start();
    await patching.promise;
    await video.cancel();
    await expect(started).rejects.toMatchObject({ code: 'cancelled' });
    expect(stack.methods()).toEqual(['POST', 'PATCH', 'DELETE']);
    expect(stack.sent[1]!.aborted).toBe(true);
  });

  it('removes an upload cancelled while it was being created', async () => {
    const server = new FakeServer();
    const creating = deferred<void>();
    const answer = deferred<void>();
    const stack = new FakeStack(async (request, progress) => {
      if (request.method === 'POST') {
        creating.resolve();
        // the server answers the creation only after the cancel
        await answer.promise;
      }
      return server.handle(request, progress);
    });
    let created: string | null = null;
    const video = upload(stack, { onCreated: (id) => (created = id) });
    const started = video.start();
    await creating.promise;
    await video.cancel();
    await expect(started).rejects.toMatchObject({ code: 'cancelled' });
    // the creation was not aborted: its answer names what to remove
    expect(stack.sent[0]!.aborted).toBe(false);
    answer.resolve();
    await vi.waitFor(() => expect(server.deleted).toBe(true));
    expect(stack.methods()).toEqual(['POST', 'DELETE']);
    expect(stack.sent[1]!.url).toBe(UPLOAD_URL);
    expect(created).toBeNull();
  });

  it('sends nothing when cancelled before the creation went out', async () => {
    const server = new FakeServer();
    const stack = new FakeStack(server.handle);
    const video = upload(stack);
    const started = video.start();
    await video.cancel();
    await expect(started).rejects.toMatchObject({ code: 'cancelled' });
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(stack.methods()).toEqual([]);
  });

  it('sends nothing more when a creation cancelled on its way fails', async () => {
    const creating = deferred<void>();
    const answer = deferred<void>();
    const stack = new FakeStack(async () => {
      creating.resolve();
      await answer.promise;
      throw new Error('connection reset');
    });
    const video = upload(stack);
    const started = video.start();
    await creating.promise;
    await video.cancel();
    answer.resolve();
    await expect(started).rejects.toMatchObject({ code: 'cancelled' });
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(stack.methods()).toEqual(['POST']);
  });
});
