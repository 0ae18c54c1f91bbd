import type { ErrorBody } from '../protocol';

/**
 * A tus 1.0 client for the upload page (docs/videos.md): creation, chunked
 * PATCHes with byte-level progress, resume from the server's offset after a
 * failed chunk, and termination on cancel. The transport is injected so the
 * protocol logic is tested without a network.
 */
export interface TusTransport {
  /**
   * Sends a request; reports bytes of the body sent so far through onProgress. Aborting the
   * signal stops the request where it stands and rejects with the code 'cancelled'.
   */
  send(request: TusRequest, onProgress?: (sent: number) => void, signal?: AbortSignal): Promise<TusResponse>;
}

export interface TusRequest {
  method: 'POST' | 'PATCH' | 'HEAD' | 'DELETE';
  url: string;
  headers: Record<string, string>;
  body?: Blob;
}

export interface TusResponse {
  status: number;
  header(name: string): string | null;
  text: string;
}

export class UploadError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'UploadError';
  }
}

export interface UploadOptions {
  file: Blob;
  fileName: string;
  title?: string;
  /** Bearer token proving who uploads (docs/videos.md, Owner identity). */
  token: string;
  chunkSize?: number;
  /** Failed chunks are retried this many times, each after asking the server where it stands. */
  retries?: number;
  onProgress?: (uploaded: number, total: number) => void;
  /** Called once the video exists on the server, before any byte is sent. */
  onCreated?: (videoId: string) => void;
}

export const DEFAULT_CHUNK = 8 * 1024 * 1024;

function base64(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  bytes.forEach((b) => (binary += String.fromCharCode(b)));
  return btoa(binary);
}

function errorOf(response: TusResponse): UploadError {
  try {
    const body = JSON.parse(response.text) as Partial<ErrorBody>;
    if (typeof body.code === 'string' && typeof body.message === 'string') return new UploadError(body.code, body.message);
  } catch {
    // not our error shape
  }
  return new UploadError(`http_${response.status}`, `The server answered with status ${response.status}.`);
}

export class TusUpload {
  private cancelled = false;
  private location: string | null = null;
  private terminated: Promise<void> | null = null;
  // stops the chunk in flight on cancel, so no more bytes go out
  private readonly inFlight = new AbortController();

  constructor(
    private readonly transport: TusTransport,
    private readonly options: UploadOptions,
  ) {}

  /** Uploads the whole file; resolves with the video id. */
  async start(): Promise<string> {
    const { file, token } = this.options;
    const auth = { Authorization: `Bearer ${token}`, 'Tus-Resumable': '1.0.0' };
    const metadata = [`filename ${base64(this.options.fileName)}`];
    if (this.options.title?.trim()) metadata.push(`title ${base64(this.options.title.trim())}`);
    const created = await this.transport.send({
      method: 'POST',
      url: '/api/uploads',
      headers: { ...auth, 'Upload-Length': String(file.size), 'Upload-Metadata': metadata.join(',') },
    });
    if (created.status !== 201) throw errorOf(created);
    const location = created.header('Location');
    if (location === null) throw new UploadError('bad_response', 'The server did not say where to upload.');
    this.location = location;
    const id = location.substring(location.lastIndexOf('/') + 1);
    if (this.cancelled) {
      // cancelled while the server was creating it: remove what it created
      await this.terminate();
      throw new UploadError('cancelled', 'The upload was cancelled.');
    }
    this.options.onCreated?.(id);

    const chunk = this.options.chunkSize ?? DEFAULT_CHUNK;
    let offset = 0;
    let failures = 0;
    this.options.onProgress?.(0, file.size);
    while (offset < file.size) {
      if (this.cancelled) throw new UploadError('cancelled', 'The upload was cancelled.');
      const end = Math.min(file.size, offset + chunk);
      const sent = await this.transport.send(
        {
          method: 'PATCH',
          url: location,
          headers: { ...auth, 'Upload-Offset': String(offset), 'Content-Type': 'application/offset+octet-stream' },
          body: file.slice(offset, end),
        },
        (bytes) => this.options.onProgress?.(offset + bytes, file.size),
        this.inFlight.signal,
      ).catch(() => null);
      // whatever the chunk's answer, a cancelled upload is gone (or going) on the server
      if (this.cancelled) throw new UploadError('cancelled', 'The upload was cancelled.');
      if (sent !== null && sent.status === 204) {
        offset = Number(sent.header('Upload-Offset') ?? end);
        failures = 0;
        this.options.onProgress?.(offset, file.size);
        continue;
      }
      if (sent !== null && sent.status >= 400 && sent.status < 500 && sent.status !== 409) throw errorOf(sent);
      if (++failures > (this.options.retries ?? 3)) {
        throw sent === null ? new UploadError('network', 'The connection was lost during the upload.') : errorOf(sent);
      }
      // resume where the server stands (a conflict or a lost connection)
      const head = await this.transport.send({ method: 'HEAD', url: location, headers: auth }, undefined, this.inFlight.signal).catch(() => null);
      if (this.cancelled) throw new UploadError('cancelled', 'The upload was cancelled.');
      if (head === null) throw new UploadError('network', 'The connection was lost during the upload.');
      if (head.status !== 200) throw errorOf(head);
      offset = Number(head.header('Upload-Offset') ?? 0);
      this.options.onProgress?.(offset, file.size);
    }
    return id;
  }

  /**
   * Stops sending (the chunk in flight too) and removes what was uploaded (tus termination). When
   * the upload is still being created, start() removes it as soon as the server has answered.
   */
  async cancel(): Promise<void> {
    this.cancelled = true;
    this.inFlight.abort();
    if (this.location !== null) await this.terminate();
  }

  private terminate(): Promise<void> {
    if (this.terminated === null && this.location !== null) {
      this.terminated = this.transport
        .send({ method: 'DELETE', url: this.location, headers: { Authorization: `Bearer ${this.options.token}`, 'Tus-Resumable': '1.0.0' } })
        .then(() => undefined)
        .catch(() => undefined);
    }
    return this.terminated ?? Promise.resolve();
  }
}

/** The browser transport: XMLHttpRequest, for upload progress events. */
export const xhrTransport: TusTransport = {
  send(request, onProgress, signal) {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) {
        reject(new UploadError('cancelled', 'The upload was cancelled.'));
        return;
      }
      const xhr = new XMLHttpRequest();
      signal?.addEventListener('abort', () => xhr.abort(), { once: true });
      xhr.open(request.method, request.url);
      for (const [name, value] of Object.entries(request.headers)) xhr.setRequestHeader(name, value);
      if (onProgress) xhr.upload.onprogress = (event) => onProgress(event.loaded);
      xhr.onload = () => resolve({ status: xhr.status, header: (name) => xhr.getResponseHeader(name), text: xhr.responseText });
      xhr.onerror = () => reject(new UploadError('network', 'The server cannot be reached.'));
      xhr.onabort = () => reject(new UploadError('cancelled', 'The upload was cancelled.'));
      xhr.send(request.body ?? null);
    });
  },
};
