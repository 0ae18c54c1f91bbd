import { describe, expect, it } from 'vitest';
import { TusUpload, type TusRequest, type TusResponse, type TusTransport } from './tus';

/** A tus server in memory: keeps the offset, can drop one PATCH after receiving part of it. */
class FakeServer implements TusTransport {
  readonly requests: TusRequest[] = [];
  offset = 0;
  length = 0;
  dropNextPatchAfter: number | null = null;
  deleted = false;

  async send(request: TusRequest, onProgress?: (sent: number) => void): Promise<TusResponse> {
    this.requests.push(request);
    const respond = (status: number, headers: Record<string, string> = {}, text = ''): TusResponse => ({
      status,
      header: (name) => headers[name] ?? null,
      text,
    });
    switch (request.method) {
      case 'POST':
        this.length = Number(request.headers['Upload-Length']);
        return respond(201, { Location: '/api/uploads/abcdefghijkl' });
      case 'HEAD':
        return respond(200, { 'Upload-Offset': String(this.offset) });
      case 'DELETE':
        this.deleted = true;
        return respond(204);
      case 'PATCH': {
        if (Number(request.headers['Upload-Offset']) !== this.offset) {
          return respond(409, {}, JSON.stringify({ code: 'offset_mismatch', message: 'no' }));
        }
        const size = request.body!.size;
        if (this.dropNextPatchAfter !== null) {
          // the connection breaks; the server kept nothing of this chunk
          onProgress?.(this.dropNextPatchAfter);
          this.dropNextPatchAfter = null;
          throw new Error('connection reset');
        }
        onProgress?.(size);
        this.offset += size;
        return respond(204, { 'Upload-Offset': String(this.offset) });
      }
    }
  }
}

function file(size: number): Blob {
  return new Blob([new Uint8Array(size)]);
}

describe('tus upload', () => {
  it('creates the upload with its metadata and sends it in chunks', async () => {
    const server = new FakeServer();
    const progress: number[] = [];
    let created = '';
    const id = await new TusUpload(server, {
      file: file(25),
      fileName: 'holiday.mp4',
      title: 'Été',
      token: 'secret-token',
      chunkSize: 10,
      onCreated: (v) => (created = v),
      onProgress: (sent) => progress.push(sent),
    }).start();
    expect(id).toBe('abcdefghijkl');
    expect(created).toBe(id);
    const post = server.requests[0]!;
    expect(post.headers['Upload-Length']).toBe('25');
    expect(post.headers.Authorization).toBe('Bearer secret-token');
    expect(post.headers['Upload-Metadata']).toBe(`filename ${btoa('holiday.mp4')},title w4l0w6k=`);
    const patches = server.requests.filter((r) => r.method === 'PATCH');
    expect(patches.map((p) => p.headers['Upload-Offset'])).toEqual(['0', '10', '20']);
    expect(patches[0]!.headers['Content-Type']).toBe('application/offset+octet-stream');
    expect(progress[progress.length - 1]).toBe(25);
    expect(server.offset).toBe(25);
  });

  it('resumes from the server offset after a broken chunk', async () => {
    const server = new FakeServer();
    server.dropNextPatchAfter = 4;
    await new TusUpload(server, { file: file(20), fileName: 'a.mp4', token: 't', chunkSize: 10 }).start();
    expect(server.requests.map((r) => r.method)).toEqual(['POST', 'PATCH', 'HEAD', 'PATCH', 'PATCH']);
    expect(server.offset).toBe(20);
  });

  it('reports the server error of a refused upload', async () => {
    const server: TusTransport = {
      send: async () => ({ status: 413, header: () => null, text: JSON.stringify({ code: 'too_large', message: 'Uploads are limited to 10 bytes.' }) }),
    };
    await expect(new TusUpload(server, { file: file(20), fileName: 'a.mp4', token: 't' }).start()).rejects.toMatchObject({
      code: 'too_large',
      message: 'Uploads are limited to 10 bytes.',
    });
  });

  it('terminates the upload on cancel', async () => {
    const server = new FakeServer();
    const upload = new TusUpload(server, { file: file(30), fileName: 'a.mp4', token: 't', chunkSize: 10, onProgress: (sent) => sent >= 10 && void upload.cancel() });
    await expect(upload.start()).rejects.toMatchObject({ code: 'cancelled' });
    expect(server.deleted).toBe(true);
    expect(server.offset).toBeLessThan(30);
  });

  it('stops the chunk in flight on cancel', async () => {
    const requests: TusRequest[] = [];
    let aborted = false;
    let patching: () => void = () => undefined;
    const patchStarted = new Promise<void>((resolve) => (patching = resolve));
    const transport: TusTransport = {
      send(request, _onProgress, signal) {
        requests.push(request);
        const respond = (status: number, headers: Record<string, string> = {}): TusResponse => ({ status, header: (n) => headers[n] ?? null, text: '' });
        if (request.method === 'POST') return Promise.resolve(respond(201, { Location: '/api/uploads/abcdefghijkl' }));
        if (request.method === 'DELETE') return Promise.resolve(respond(204));
        // a PATCH that only ends when it is aborted, as a slow connection would
        patching();
        return new Promise((_resolve, reject) =>
          signal?.addEventListener('abort', () => {
            aborted = true;
            reject(new Error('aborted'));
          }),
        );
      },
    };
    const upload = new TusUpload(transport, { file: file(30), fileName: 'a.mp4', token: 't' });
    const started = upload.start();
    await patchStarted;
    await upload.cancel();
    await expect(started).rejects.toMatchObject({ code: 'cancelled' });
    expect(aborted).toBe(true);
    expect(requests.map((r) => r.method)).toEqual(['POST', 'PATCH', 'DELETE']);
  });

  it('removes an upload cancelled while it was being created', async () => {
    const server = new FakeServer();
    let upload: TusUpload | null = null;
    const creating: TusTransport = {
      async send(request, onProgress) {
        // cancel arrives before the server has answered the creation
        if (request.method === 'POST') await upload!.cancel();
        return server.send(request, onProgress);
      },
    };
    upload = new TusUpload(creating, { file: file(30), fileName: 'a.mp4', token: 't' });
    await expect(upload.start()).rejects.toMatchObject({ code: 'cancelled' });
    expect(server.requests.map((r) => r.method)).toEqual(['POST', 'DELETE']);
    expect(server.deleted).toBe(true);
  });
});
