import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../api';
import type { VideoStatus } from '../protocol';
import type { Notice } from '../room/session';
import { playableUrl } from '../videos/assets';
import { watchVideo } from '../videos/api';
import { credentials } from '../services';
import { UploadError, VideoUpload } from '../videos/tus';
import { watchInNewRoom } from '../videos/watch';
import { AppHeader } from './AppHeader';
import { Toast } from './Toast';

type Phase = 'idle' | 'upload' | 'transcode' | 'done' | 'failed' | 'cancelled';

interface Progress {
  phase: Phase;
  /** Percent of the current phase. */
  percent: number;
  text: string;
}

const IDLE: Progress = { phase: 'idle', percent: 0, text: '' };

function statusText(status: VideoStatus): string {
  switch (status.status) {
    case 'processing':
      return 'Checking the video…';
    case 'transcoding':
      return status.reason ? `Transcoding (retrying after: ${status.reason.split('\n')[0]})` : 'Transcoding…';
    case 'published':
      return 'Ready to watch.';
    case 'failed':
      return status.reason ?? 'The video could not be processed.';
    default:
      return 'Uploading…';
  }
}

/**
 * Upload a video: drop a file (or pick one), watch one progress bar go through
 * the upload and then the transcoding, cancel at any time; when the ladder is
 * ready, watch it in a new room.
 */
export function UploadPage({ navigate }: { navigate: (path: string) => void }) {
  const [title, setTitle] = useState('');
  const [progress, setProgress] = useState<Progress>(IDLE);
  const [video, setVideo] = useState<VideoStatus | null>(null);
  const [dragging, setDragging] = useState(false);
  const [notice, setNotice] = useState<Notice | null>(null);
  const upload = useRef<VideoUpload | null>(null);
  // counts starts and cancels, so a start that was cancelled while it waited for its session stops
  const attempts = useRef(0);
  const videoId = useRef<string | null>(null);
  const stopWatching = useRef<(() => void) | null>(null);

  useEffect(() => {
    document.title = 'Upload · Watchroom';
    return () => stopWatching.current?.();
  }, []);

  const busy = progress.phase === 'upload' || progress.phase === 'transcode';

  const start = async (file: File) => {
    if (busy) return;
    setVideo(null);
    videoId.current = null;
    setProgress({ phase: 'upload', percent: 0, text: `Uploading ${file.name}…` });
    upload.current = null;
    const attempt = ++attempts.current;
    let token: string;
    try {
      // the session (guest or account) that will own the video
      token = await credentials.ensure();
    } catch {
      setProgress({ phase: 'failed', percent: 0, text: 'The server cannot be reached. Try again.' });
      return;
    }
    // cancelled before anything was sent
    if (attempt !== attempts.current) return;
    const tus = new VideoUpload({
      file,
      fileName: file.name,
      title,
      token,
      onCreated: (id) => (videoId.current = id),
      onProgress: (sent, total) =>
        setProgress((p) => (p.phase === 'upload' ? { ...p, percent: total > 0 ? (100 * sent) / total : 100 } : p)),
    });
    upload.current = tus;
    tus
      .start()
      .then((id) => {
        setProgress({ phase: 'transcode', percent: 0, text: 'Checking the video…' });
        stopWatching.current = watchVideo(
          id,
          (status) => {
            setVideo(status);
            if (status.status === 'published') setProgress({ phase: 'done', percent: 100, text: statusText(status) });
            else if (status.status === 'failed') setProgress({ phase: 'failed', percent: 0, text: statusText(status) });
            else setProgress({ phase: 'transcode', percent: status.progress, text: statusText(status) });
          },
          (error) => setProgress({ phase: 'failed', percent: 0, text: error.message }),
        );
      })
      .catch((error: unknown) => {
        if (error instanceof UploadError && error.code === 'cancelled') return;
        setProgress({ phase: 'failed', percent: 0, text: error instanceof Error ? error.message : 'The upload failed.' });
      });
  };

  const cancel = async () => {
    stopWatching.current?.();
    stopWatching.current = null;
    attempts.current++;
    if (progress.phase === 'upload') {
      await upload.current?.cancel();
    } else if (videoId.current !== null) {
      await fetch(`/api/videos/${encodeURIComponent(videoId.current)}`, {
        method: 'DELETE',
        headers: { Authorization: `Bearer ${credentials.token() ?? ''}` },
      }).catch(() => undefined);
    }
    setProgress({ phase: 'cancelled', percent: 0, text: 'Cancelled; nothing was kept.' });
  };

  const watch = async () => {
    if (video?.media == null) return;
    try {
      await watchInNewRoom(navigate, video.media.master, video.title);
    } catch (error) {
      const message = error instanceof ApiError ? error.message : 'The room could not be created.';
      setNotice({ id: Date.now(), code: 'room', message });
    }
  };

  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    const file = event.dataTransfer?.files?.[0];
    if (file) void start(file);
  };

  return (
    <div class="page upload">
      <AppHeader />
      <main class="home-card upload-card">
        <h1>Upload a video</h1>
        <label for="upload-title">Title (optional)</label>
        <input
          id="upload-title"
          data-testid="upload-title"
          type="text"
          maxLength={200}
          placeholder="Taken from the file name"
          value={title}
          disabled={busy}
          onInput={(event) => setTitle(event.currentTarget.value)}
        />
        <label
          class={`drop-zone${dragging ? ' dragging' : ''}${busy ? ' disabled' : ''}`}
          data-testid="upload-drop"
          onDragEnter={(event) => {
            event.preventDefault();
            setDragging(true);
          }}
          onDragOver={(event) => {
            // without this the browser opens the dropped file instead of handing it to the page
            event.preventDefault();
            setDragging(true);
          }}
          onDragLeave={() => setDragging(false)}
          onDrop={onDrop}
        >
          <span>{busy ? 'One upload at a time' : 'Drop a video here, or click to choose one'}</span>
          <input
            type="file"
            accept="video/*"
            class="visually-hidden"
            data-testid="upload-file"
            disabled={busy}
            onChange={(event) => {
              const file = event.currentTarget.files?.[0];
              if (file) void start(file);
              event.currentTarget.value = '';
            }}
          />
        </label>
        {progress.phase !== 'idle' && (
          <div class="upload-progress">
            <div class="upload-phase">
              {progress.phase === 'upload' ? 'Upload' : progress.phase === 'transcode' ? 'Transcoding' : ''}
            </div>
            <progress
              data-testid="upload-progress"
              data-phase={progress.phase}
              data-percent={progress.percent.toFixed(1)}
              max={100}
              value={progress.percent}
            />
            <p class="upload-status" data-testid="upload-status" role="status">
              {progress.phase === 'upload' || progress.phase === 'transcode' ? `${Math.floor(progress.percent)} % · ` : ''}
              {progress.text}
            </p>
            {busy && (
              <button type="button" data-testid="upload-cancel" onClick={cancel}>
                Cancel
              </button>
            )}
          </div>
        )}
        {progress.phase === 'done' && video?.media && (
          <div class="upload-done">
            <img class="upload-poster" src={video.media.poster} alt="" data-testid="upload-poster" />
            <label for="video-url">Link to play in any room</label>
            <input id="video-url" data-testid="video-url" type="text" readOnly value={playableUrl(video.media.master, location.origin)} />
            <button type="button" class="primary" data-testid="watch-in-room" onClick={watch}>
              Watch in a new room
            </button>
          </div>
        )}
        <nav class="home-links">
          <a href="/library" onClick={(event) => (event.preventDefault(), navigate('/library'))}>
            Video library
          </a>
        </nav>
      </main>
      <Toast notice={notice} onDismiss={() => setNotice(null)} />
    </div>
  );
}
