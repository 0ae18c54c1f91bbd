import { SEARCH_QUERY_MAX } from '../protocol';

/** What the add box holds: nothing, a link to add, or words to search for. */
export type LinkInput =
  | { kind: 'empty' }
  | { kind: 'url'; url: string }
  | { kind: 'search'; query: string };

/**
 * A link is an absolute http(s) URL without spaces (the server reads no other
 * kind); anything else is a search. Text that names another scheme
 * (`ftp:`, `javascript:`) is searched for too, never opened.
 */
export function classifyInput(text: string): LinkInput {
  const trimmed = text.trim();
  if (trimmed === '') return { kind: 'empty' };
  if (!/\s/.test(trimmed) && /^https?:\/\//i.test(trimmed)) {
    try {
      const parsed = new URL(trimmed);
      if ((parsed.protocol === 'http:' || parsed.protocol === 'https:') && parsed.hostname !== '') {
        return { kind: 'url', url: trimmed };
      }
    } catch {
      // not a URL after all: search for it
    }
  }
  return { kind: 'search', query: trimmed.replace(/\s+/g, ' ') };
}

/** Whether the server takes the search text (it refuses longer ones). */
export function searchable(query: string): boolean {
  return query.length > 0 && query.length <= SEARCH_QUERY_MAX;
}

/**
 * A picture address fit for <img src>: an absolute http(s) URL, or a path on
 * this node (`/api/...`). Anything else a site or a person typed (`javascript:`,
 * `data:`, protocol-relative `//host`) is not shown.
 */
export function imageSource(value: string | null | undefined): string | null {
  if (value == null) return null;
  const trimmed = value.trim();
  if (trimmed.startsWith('/')) return trimmed.startsWith('//') || trimmed.startsWith('/\\') ? null : trimmed;
  try {
    const parsed = new URL(trimmed);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.toString() : null;
  } catch {
    return null;
  }
}
