import { ApiError } from '../api';

/** Why a link cannot be added or played: a stable code and the sentence that came with it. */
export interface LinkFailure {
  code: string;
  message: string;
}

/** A failure as the page shows it: a heading for the code, and what to do. */
export interface FailureText {
  title: string;
  detail: string;
}

/**
 * The heading and default advice for each code: the resolver's and the media
 * proxy's (docs/links.md), the room's answers to a link, and the client's own
 * for streams that stop.
 */
const TEXTS: Readonly<Record<string, FailureText>> = {
  not_a_url: { title: 'That is not a link', detail: 'Paste an address starting with http:// or https://, or type words to search.' },
  unsupported_site: { title: 'This site is not supported', detail: 'Watchroom cannot play videos from this page.' },
  blocked_destination: { title: 'This address is blocked', detail: 'The server does not fetch from private or local addresses.' },
  not_found: { title: 'Video not found', detail: 'The link may be wrong, or the video was removed.' },
  private: { title: 'Private video', detail: 'The video is private or needs a login.' },
  age_restricted: { title: 'Age-restricted video', detail: 'The video needs a login to prove your age, which Watchroom cannot do.' },
  geo_blocked: { title: 'Not available here', detail: 'The video is not available in the server’s country.' },
  drm: { title: 'Protected by DRM', detail: 'The video is protected by DRM, which Watchroom cannot play.' },
  live_not_supported: { title: 'Live stream', detail: 'Live streams cannot be watched in sync yet.' },
  no_playable_format: { title: 'No playable format', detail: 'None of the video’s formats can be played by a browser.' },
  probe_timeout: { title: 'The video took too long to answer', detail: 'Try again in a moment.' },
  upstream_rate_limited: { title: 'The video site is limiting requests', detail: 'Try again in a while.' },
  extractor_failed: { title: 'The video page could not be read', detail: 'The site may have changed; try another link.' },
  link_expired: { title: 'The link expired', detail: 'Its stream could not be renewed. Add the link again.' },
  upstream_failed: { title: 'The video’s site failed to answer', detail: 'The server could not fetch the video from it; try again in a moment.' },
  rate_limited: { title: 'Too many links at once', detail: 'Wait a moment, then try again.' },
  invalid: { title: 'The link was refused', detail: 'Check the address and try again.' },
  forbidden: { title: 'Not allowed', detail: 'Your role may not do that in this room.' },
  connection_lost: { title: 'Connection lost', detail: 'Check the room, and add the link again if it is missing.' },
  network: { title: 'The server cannot be reached', detail: 'Check your connection and try again.' },
  stream_failed: { title: 'The video stopped loading', detail: 'Its source did not answer, also after the link was read again.' },
  unplayable: { title: 'This browser cannot play it', detail: 'The video’s format is not supported here.' },
  media_decode: { title: 'The video could not be decoded', detail: 'The file may be damaged, or use a format this browser does not decode.' },
  media_aborted: { title: 'Loading the video was stopped', detail: 'Try again.' },
};

const UNKNOWN: FailureText = { title: 'The link cannot be played', detail: 'Try another link.' };

/**
 * The text for a failure: the code's heading, and the server's sentence when
 * it sent one (it may say more, e.g. which video is missing), else the code's
 * own advice. Unknown codes (a newer server's) still read well.
 */
export function describeFailure(failure: LinkFailure): FailureText {
  const known = TEXTS[failure.code] ?? UNKNOWN;
  const message = failure.message.trim();
  return { title: known.title, detail: message !== '' && message !== known.title ? message : known.detail };
}

/** A failed request as a LinkFailure: the server's code and sentence, or `network`. */
export function describeError(error: unknown): LinkFailure {
  if (error instanceof ApiError) return { code: error.code, message: error.message };
  return { code: 'network', message: '' };
}
