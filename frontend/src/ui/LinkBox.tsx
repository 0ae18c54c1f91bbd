import { useEffect, useState } from 'preact/hooks';
import { imageSource } from '../links/input';
import { LinkLookup, type LookupState } from '../links/lookup';
import { MEDIA_TITLE_MAX, MEDIA_URL_MAX, type ResolveResponse, type SearchResult } from '../protocol';
import type { LinkAction, SentLink } from '../room/sent-links';
import type { RoomSession } from '../room/session';
import { api } from '../services';
import { formatTime } from './format';
import { LinkFailureNote } from './LinkFailureNote';

/** The test ids of a box's own fields (the two boxes of a room page keep their old ones). */
export interface LinkBoxIds {
  input: string;
  submit: string;
  /** The optional title field; none when absent. */
  title?: string;
}

interface Props {
  session: RoomSession;
  /** What sending a link does: queue it, or play it now. */
  action: LinkAction;
  ids: LinkBoxIds;
  label: string;
  placeholder: string;
  submitLabel: string;
  disabled?: boolean;
  class?: string;
}

/**
 * Where a link or a search goes in. A pasted link is previewed (title,
 * length, picture) once typing pauses; words are searched on submit, and each
 * hit can be added. The server reads a sent link again itself: when it
 * refuses, its answer (matched by ref) shows here, under the box it came from.
 */
export function LinkBox({ session, action, ids, label, placeholder, submitLabel, disabled = false, class: className }: Props) {
  const [lookup] = useState(() => new LinkLookup({ resolve: (url) => api.resolve(url), search: (q) => api.search(q) }));
  const [title, setTitle] = useState('');
  // hits already added from the current results
  const [added, setAdded] = useState<ReadonlySet<string>>(new Set());
  useEffect(() => () => lookup.dispose(), [lookup]);

  const state = lookup.state.value;
  const sent = session.sentLinks.value.filter((l) => l.action === action);
  const send = (url: string, withTitle?: string) => (action === 'set_media' ? session.setMedia(url, withTitle) : session.queueAdd(url, withTitle));
  const isSearch = state.input.kind === 'search';

  return (
    <form
      class={`link-box ${className ?? ''}`}
      data-action={action}
      onSubmit={(event) => {
        event.preventDefault();
        if (disabled) return;
        if (state.input.kind === 'search') {
          setAdded(new Set());
          lookup.search();
        } else if (state.input.kind === 'url' && send(state.input.url, title)) {
          lookup.clear();
          setTitle('');
        }
      }}
    >
      <div class="link-box-fields">
        <label for={ids.input} class="visually-hidden">
          {label}
        </label>
        <input
          id={ids.input}
          data-testid={ids.input}
          type="text"
          inputMode="url"
          autocomplete="off"
          spellcheck={false}
          placeholder={placeholder}
          maxLength={MEDIA_URL_MAX}
          value={state.text}
          disabled={disabled}
          onInput={(event) => lookup.input(event.currentTarget.value)}
        />
        {ids.title !== undefined && (
          <>
            <label for={ids.title} class="visually-hidden">
              Title (optional)
            </label>
            <input
              id={ids.title}
              data-testid={ids.title}
              type="text"
              placeholder="Title (optional)"
              maxLength={MEDIA_TITLE_MAX}
              value={title}
              disabled={disabled || isSearch}
              onInput={(event) => setTitle(event.currentTarget.value)}
            />
          </>
        )}
        <button type="submit" data-testid={ids.submit} disabled={disabled} data-mode={isSearch ? 'search' : 'add'}>
          {isSearch ? 'Search' : submitLabel}
        </button>
      </div>
      {disabled && <p class="hint">Your role may not add to the queue here.</p>}
      {!disabled && (
        <LookupView
          state={state}
          added={added}
          addLabel={action === 'set_media' ? 'Play' : 'Add'}
          // the hit's title goes along: the server keeps it over what it reads from a single link
          onAdd={(hit) => send(hit.url, hit.title?.slice(0, MEDIA_TITLE_MAX)) && setAdded(new Set(added).add(hit.url))}
        />
      )}
      {sent.map((link) => (
        <SentLinkView key={link.ref} link={link} onDismiss={() => session.dismissLink(link.ref)} />
      ))}
    </form>
  );
}

interface LookupViewProps {
  state: LookupState;
  added: ReadonlySet<string>;
  /** What a hit's button says: Add (to the queue) or Play (now). */
  addLabel: string;
  onAdd(hit: SearchResult): void;
}

function LookupView({ state, added, addLabel, onAdd }: LookupViewProps) {
  const searching = state.input.kind === 'search';
  return (
    <>
      {(state.phase === 'waiting' || state.phase === 'pending') && (
        <p class="hint link-pending" data-testid="link-pending" role="status">
          {searching ? 'Searching…' : 'Reading the link…'}
        </p>
      )}
      {state.phase === 'failed' && state.failure !== null && <LinkFailureNote failure={state.failure} testId="link-error" />}
      {state.preview !== null && state.input.kind === 'url' && <LinkPreview preview={state.preview} />}
      {searching && state.results !== null && (
        <SearchResults results={state.results} query={state.resultsFor ?? ''} added={added} addLabel={addLabel} onAdd={onAdd} />
      )}
    </>
  );
}

/** What the pasted link turned out to be, before it is added. */
function LinkPreview({ preview }: { preview: ResolveResponse }) {
  return (
    <div class="link-preview" data-testid="link-preview" data-kind={preview.kind}>
      <Thumbnail src={preview.thumbnail} testId="link-preview-thumbnail" />
      <div class="item-text">
        <span class="item-title" data-testid="link-preview-title" title={preview.url}>
          {preview.title || preview.url}
        </span>
        <span class="item-meta">
          <span data-testid="link-preview-duration">{preview.live ? 'Live' : formatTime(preview.duration)}</span>
          <span> · {preview.kind === 'direct' ? 'video file' : preview.kind.toUpperCase()}</span>
        </span>
      </div>
    </div>
  );
}

type SearchResultsProps = Omit<LookupViewProps, 'state'> & { results: SearchResult[]; query: string };

function SearchResults({ results, query, added, addLabel, onAdd }: SearchResultsProps) {
  if (results.length === 0) {
    return (
      <p class="hint" data-testid="search-empty">
        No videos found for “{query}”.
      </p>
    );
  }
  return (
    <ul class="search-results" aria-label={`Videos found for ${query}`}>
      {results.map((hit) => (
        <li key={hit.url} class="search-result" data-testid="search-result">
          <Thumbnail src={hit.thumbnail} testId="search-result-thumbnail" />
          <div class="item-text">
            <span class="item-title" data-testid="search-result-title" title={hit.url}>
              {hit.title || hit.url}
            </span>
            <span class="item-meta" data-testid="search-result-duration">
              {formatTime(hit.duration)}
            </span>
          </div>
          <button
            type="button"
            data-testid="search-result-add"
            disabled={added.has(hit.url)}
            aria-label={`${addLabel} ${hit.title || hit.url}`}
            onClick={() => onAdd(hit)}
          >
            {added.has(hit.url) ? 'Sent' : addLabel}
          </button>
        </li>
      ))}
    </ul>
  );
}

/** A picture only from an http(s) address or this node; else the empty frame. */
export function Thumbnail({ src, testId }: { src: string | null | undefined; testId?: string }) {
  const safe = imageSource(src);
  return safe !== null ? (
    <img class="thumb" src={safe} alt="" loading="lazy" referrerpolicy="no-referrer" data-testid={testId} />
  ) : (
    <span class="thumb thumb-empty" aria-hidden="true">
      ▶
    </span>
  );
}

function SentLinkView({ link, onDismiss }: { link: SentLink; onDismiss(): void }) {
  if (link.state === 'reading') {
    return (
      <p class="hint link-adding" data-testid="link-adding" role="status">
        Adding <span class="link-url">{link.url}</span>…
      </p>
    );
  }
  if (link.failure === null) return null;
  return (
    <LinkFailureNote failure={link.failure} testId="link-error">
      <span class="link-url" data-testid="link-error-url">
        {link.url}
      </span>
      <button type="button" class="icon-button" data-testid="link-error-dismiss" aria-label="Dismiss" onClick={onDismiss}>
        ×
      </button>
    </LinkFailureNote>
  );
}
