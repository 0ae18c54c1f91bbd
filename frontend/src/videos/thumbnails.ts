/** One trick-play thumbnail: a tile of a sprite sheet shown from `start` to `end` seconds. */
export interface ThumbnailCue {
  start: number;
  end: number;
  /** The sheet's URL, resolved against the VTT's URL. */
  sheet: string;
  x: number;
  y: number;
  w: number;
  h: number;
}

const TIMING = /^(\S+)\s+-->\s+(\S+)/;
const TARGET = /^(.*)#xywh=(\d+),(\d+),(\d+),(\d+)$/;

/** "hh:mm:ss.mmm" or "mm:ss.mmm" in seconds; NaN when malformed. */
export function parseTimestamp(text: string): number {
  const parts = text.split(':');
  if (parts.length < 2 || parts.length > 3) return NaN;
  let seconds = 0;
  for (const part of parts) {
    if (!/^\d+(\.\d+)?$/.test(part)) return NaN;
    seconds = seconds * 60 + Number(part);
  }
  return seconds;
}

/**
 * Reads a trick-play WebVTT index (`sheet.jpg#xywh=x,y,w,h` cues). Cues that
 * do not parse are skipped rather than failing the whole index.
 */
export function parseThumbnails(vtt: string, vttUrl: string): ThumbnailCue[] {
  const lines = vtt.replace(/\r\n?/g, '\n').split('\n');
  if (!lines[0]?.startsWith('WEBVTT')) return [];
  const cues: ThumbnailCue[] = [];
  for (let i = 1; i < lines.length; i++) {
    const timing = TIMING.exec(lines[i]!.trim());
    if (!timing) continue;
    const target = TARGET.exec((lines[i + 1] ?? '').trim());
    const start = parseTimestamp(timing[1]!);
    const end = parseTimestamp(timing[2]!);
    if (!target || !Number.isFinite(start) || !Number.isFinite(end) || end <= start) continue;
    cues.push({
      start,
      end,
      sheet: new URL(target[1]!, vttUrl).toString(),
      x: Number(target[2]),
      y: Number(target[3]),
      w: Number(target[4]),
      h: Number(target[5]),
    });
    i++;
  }
  return cues;
}

/** The cue showing at `time`, or null. Cues are in time order. */
export function cueAt(cues: readonly ThumbnailCue[], time: number): ThumbnailCue | null {
  let low = 0;
  let high = cues.length - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    const cue = cues[mid]!;
    if (time < cue.start) high = mid - 1;
    else if (time >= cue.end) low = mid + 1;
    else return cue;
  }
  // past the end: the last thumbnail
  const last = cues[cues.length - 1];
  return last !== undefined && time >= last.end ? last : null;
}
