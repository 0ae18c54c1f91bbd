/** 75.4 -> "1:15", 3723 -> "1:02:03". */
export function formatTime(seconds: number | null | undefined): string {
  if (seconds == null || !Number.isFinite(seconds) || seconds < 0) return '--:--';
  const total = Math.floor(seconds);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** Milliseconds for the sync status line: one decimal, explicit sign where it matters. */
export function formatMs(ms: number | null, signed = false): string {
  if (ms === null || !Number.isFinite(ms)) return '–';
  const text = ms.toFixed(1);
  return signed && ms > 0 ? `+${text}` : text;
}

export function formatRate(rate: number): string {
  return `${rate}×`;
}

/** "just now", "5 min ago", "3 h ago", "2 days ago", from an epoch-ms time. */
export function formatAgo(at: number | null | undefined, now: number = Date.now()): string {
  if (at == null || !Number.isFinite(at)) return 'a while ago';
  const seconds = Math.max(0, (now - at) / 1000);
  if (seconds < 60) return 'just now';
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} h ago`;
  const days = Math.floor(hours / 24);
  return days === 1 ? 'yesterday' : `${days} days ago`;
}

/** A clock time of day, "14:05", for chat and history. */
export function formatClock(at: number): string {
  const d = new Date(at);
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
}
