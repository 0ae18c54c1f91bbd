import { ApiError } from '../api';
import type { CatalogPage, ErrorBody, VideoStatus } from '../protocol';

async function json<T>(response: Response): Promise<T> {
  if (!response.ok) {
    let body: Partial<ErrorBody> = {};
    try {
      body = (await response.json()) as Partial<ErrorBody>;
    } catch {
      // not our error shape
    }
    throw new ApiError(response.status, body.code ?? `http_${response.status}`, body.message ?? `The server answered with status ${response.status}.`);
  }
  return (await response.json()) as T;
}

/** GET /api/videos: published videos, newest first, optionally searched by title. */
export async function listVideos(query: string, offset: number, limit = 24): Promise<CatalogPage> {
  const params = new URLSearchParams({ offset: String(offset), limit: String(limit) });
  if (query.trim()) params.set('q', query.trim());
  return json<CatalogPage>(await fetch(`/api/videos?${params}`, { headers: { Accept: 'application/json' } }));
}

/** The video's status every half second until it is published, failed or deleted (SSE). */
export function watchVideo(id: string, onStatus: (status: VideoStatus) => void, onError: (error: ErrorBody) => void): () => void {
  const source = new EventSource(`/api/videos/${encodeURIComponent(id)}/events`);
  source.addEventListener('status', (event) => {
    const status = JSON.parse((event as MessageEvent<string>).data) as VideoStatus;
    onStatus(status);
    if (status.status === 'published' || status.status === 'failed' || status.status === 'deleted') source.close();
  });
  source.addEventListener('error', (event) => {
    const data = (event as MessageEvent<string>).data;
    if (typeof data === 'string') {
      onError(JSON.parse(data) as ErrorBody);
      source.close();
    }
    // without data it is a dropped connection: EventSource reconnects by itself
  });
  return () => source.close();
}
