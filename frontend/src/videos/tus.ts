import type { DetailedError, HttpStack, Upload } from 'tus-js-client';
import type { ErrorBody } from '../protocol';

/**
 * The upload page's side of tus 1.0 (docs/videos.md): tus-js-client speaks the protocol
 * (creation, chunked PATCHes with byte-level progress, resuming from the server's offset after a
 * failed chunk, termination); this module says how this server is used: who uploads (the bearer
 * token), what the metadata is, which failures are worth a retry, what a refusal means for the
 * person (the server's code and sentence), and that a cancelled upload leaves nothing behind.
 */

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
  /** The wait before each retry of a failed chunk (each resumes from the server's offset); one entry per retry. */
  retryDelays?: number[];
  onProgress?: (uploaded: number, total: number) => void;
  /** Called once the video exists on the server, before any byte is sent. */
  onCreated?: (videoId: string) => void;
  /** Where uploads are created: /api/uploads of the page's own origin unless given. */
  endpoint?: string;
  /** How requests go out: tus-js-client's XMLHttpRequest stack unless given. */
  httpStack?: HttpStack;
}

export const DEFAULT_CHUNK = 8 * 1024 * 1024;
export const DEFAULT_RETRY_DELAYS = [0, 1000, 3000];

const CANCELLED = () => new UploadError('cancelled', 'The upload was cancelled.');

/** The video id is the last segment of the upload's URL (/api/uploads/{id}). */
function videoIdOf(url: string): string {
  return url.substring(url.lastIndexOf('/') + 1);
}

/** tus-js-client's error about a request (and its answer, when there was one). */
function isDetailed(error: unknown): error is DetailedError {
  return error instanceof Error && 'originalRequest' in error;
}

/** The server's code and sentence when it answered with its error body, else what went wrong in words. */
function errorOf(error: unknown, created: boolean): UploadError {
  if (error instanceof UploadError) return error;
  const response = isDetailed(error) ? error.originalResponse : null;
  if (response) {
    try {
      const body = JSON.parse(response.getBody()) as Partial<ErrorBody>;
      if (typeof body.code === 'string' && typeof body.message === 'string') return new UploadError(body.code, body.message);
    } catch {
      // not our error shape
    }
    return new UploadError(`http_${response.getStatus()}`, `The server answered with status ${response.getStatus()}.`);
  }
  if (isDetailed(error)) {
    return created
      ? new UploadError('network', 'The connection was lost during the upload.')
      : new UploadError('network', 'The server cannot be reached.');
  }
  return new UploadError('upload_failed', 'The file could not be sent.');
}

/** A failure worth resuming: no answer, a server error, or a conflict about the offset (tus's own rule). */
function retryable(error: DetailedError): boolean {
  const status = error.originalResponse?.getStatus() ?? 0;
  return status < 400 || status >= 500 || status === 409 || status === 423;
}

export class VideoUpload {
  private upload: Upload | null = null;
  private cancelled = false;
  private terminated: Promise<void> | null = null;
  private rejectStart: (error: UploadError) => void = () => undefined;

  constructor(private readonly options: UploadOptions) {}

  /** Uploads the whole file; resolves with the video id. */
  async start(): Promise<string> {
    const { file, fileName, title, token } = this.options;
    // loaded when the first upload starts, so the other pages do not carry it
    let tus: typeof import('tus-js-client');
    try {
      tus = await import('tus-js-client');
    } catch {
      throw new UploadError('network', 'The server cannot be reached.');
    }
    if (this.cancelled) throw CANCELLED();
    return new Promise<string>((resolve, reject) => {
      this.rejectStart = reject;
      const metadata: Record<string, string> = { filename: fileName };
      if (title?.trim()) metadata.title = title.trim();
      const upload = new tus.Upload(file, {
        endpoint: this.options.endpoint ?? new URL('/api/uploads', location.href).href,
        metadata,
        headers: { Authorization: `Bearer ${token}` },
        chunkSize: this.options.chunkSize ?? DEFAULT_CHUNK,
        retryDelays: this.options.retryDelays ?? DEFAULT_RETRY_DELAYS,
        // the page does not offer to resume after a reload, so nothing is remembered in localStorage
        storeFingerprintForResuming: false,
        ...(this.options.httpStack ? { httpStack: this.options.httpStack } : {}),
        onShouldRetry: (error) => {
          const method = error.originalRequest.getMethod();
          // a creation whose answer was lost may have created an upload already; a second would be left behind
          return method !== 'POST' && retryable(error);
        },
        // after a cancel, only the termination goes out
        onBeforeRequest: (request) => {
          if (this.cancelled && request.getMethod() !== 'DELETE') throw CANCELLED();
        },
        onUploadUrlAvailable: () => {
          // cancelled while the server was creating it: remove what it created
          if (this.cancelled) void this.terminate();
          else if (upload.url !== null) this.options.onCreated?.(videoIdOf(upload.url));
        },
        onProgress: (sent, total) => this.options.onProgress?.(sent, total),
        onSuccess: () => resolve(videoIdOf(upload.url ?? '')),
        onError: (error) => reject(this.cancelled ? CANCELLED() : errorOf(error, upload.url !== null)),
      });
      this.upload = upload;
      upload.start();
    });
  }

  /**
   * Stops sending (the chunk in flight too) and removes what was uploaded (tus termination). When
   * the upload is still being created, it is removed as soon as the server says where it is.
   */
  async cancel(): Promise<void> {
    this.cancelled = true;
    this.rejectStart(CANCELLED());
    // while the creation is on its way there is nothing to abort yet: aborting it would lose the answer naming what to remove
    if (this.upload?.url != null) await this.terminate();
  }

  private terminate(): Promise<void> {
    // abort(true): stop the request in flight, then DELETE the upload
    this.terminated ??= this.upload !== null ? this.upload.abort(true).catch(() => undefined) : Promise.resolve();
    return this.terminated;
  }
}
