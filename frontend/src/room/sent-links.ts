import type { LinkFailure } from '../links/failures';

/** How a link went into the room: queued, or played at once. */
export type LinkAction = 'queue_add' | 'set_media';

/**
 * A link sent with queue_add or set_media: `reading` while the server reads
 * it (it answers only when it refuses), `failed` with the `error` that
 * answered its ref.
 */
export interface SentLink {
  ref: string;
  action: LinkAction;
  url: string;
  state: 'reading' | 'failed';
  failure: LinkFailure | null;
}

/** Failures kept in view at most; older ones make way. */
export const FAILURES_KEPT = 5;

/** A link was sent: it reads; earlier failures of the same box are done with. */
export function linkSent(links: readonly SentLink[], ref: string, action: LinkAction, url: string): SentLink[] {
  return [
    ...links.filter((l) => l.action !== action || l.state === 'reading'),
    { ref, action, url, state: 'reading', failure: null },
  ];
}

/** The `error` answering `ref`, or null when `ref` is not a link's. */
export function linkRefused(links: readonly SentLink[], ref: string, failure: LinkFailure): SentLink[] | null {
  if (!links.some((l) => l.ref === ref)) return null;
  const next = links.map((l) => (l.ref === ref ? { ...l, state: 'failed' as const, failure } : l));
  const failed = next.filter((l) => l.state === 'failed');
  const drop = new Set(failed.slice(0, Math.max(0, failed.length - FAILURES_KEPT)).map((l) => l.ref));
  return next.filter((l) => !drop.has(l.ref));
}

/**
 * The room changed at our hand (a `media` or `queue` frame naming us): a link
 * being read went in. The server applies links in the order they were sent,
 * so it is the one whose URL the room now shows, else the oldest.
 */
export function linkTaken(links: readonly SentLink[], urls: readonly string[]): SentLink[] {
  const reading = links.filter((l) => l.state === 'reading');
  const taken = reading.find((l) => urls.includes(l.url)) ?? reading[0];
  return taken === undefined ? [...links] : links.filter((l) => l !== taken);
}

/** Why links being read failed when the connection closed. */
export const CONNECTION_LOST: LinkFailure = {
  code: 'connection_lost',
  message: 'The connection dropped while the link was being read. If it is not in the room now, add it again.',
};

/** The connection closed: the server forgot the links it was reading (or their answer was lost). */
export function linksDropped(links: readonly SentLink[]): SentLink[] {
  return links.map((l) => (l.state === 'reading' ? { ...l, state: 'failed' as const, failure: CONNECTION_LOST } : l));
}

export function linkDismissed(links: readonly SentLink[], ref: string): SentLink[] {
  return links.filter((l) => l.ref !== ref);
}
