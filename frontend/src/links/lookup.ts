import { signal, type ReadonlySignal } from '@preact/signals';
import type { ResolveResponse, SearchResponse, SearchResult } from '../protocol';
import { describeError, type LinkFailure } from './failures';
import { classifyInput, searchable, type LinkInput } from './input';

/**
 * What the add box shows under the text: nothing yet (`idle`), a link waiting
 * out the typing pause (`waiting`), a resolution or search under way
 * (`pending`), its answer (`done`: a preview or search results), or why it
 * failed (`failed`).
 */
export type LookupPhase = 'idle' | 'waiting' | 'pending' | 'done' | 'failed';

export interface LookupState {
  text: string;
  input: LinkInput;
  phase: LookupPhase;
  /** Numbers each request: an answer to an older one is dropped. */
  seq: number;
  /** The resolved link, while the text is that link. */
  preview: ResolveResponse | null;
  /** The latest search's hits, kept while its words are being edited. */
  results: SearchResult[] | null;
  /** The words `results` answer. */
  resultsFor: string | null;
  failure: LinkFailure | null;
}

export type LookupEvent =
  | { type: 'input'; text: string }
  | { type: 'pause_over'; seq: number }
  | { type: 'search' }
  | { type: 'resolved'; seq: number; preview: ResolveResponse }
  | { type: 'found'; seq: number; query: string; results: SearchResult[] }
  | { type: 'failed'; seq: number; failure: LinkFailure }
  | { type: 'clear' };

/** What the controller does after a step: wait out the typing pause, or ask the server. */
export type LookupEffect =
  | { type: 'wait'; seq: number }
  | { type: 'resolve'; seq: number; url: string }
  | { type: 'search'; seq: number; query: string };

export const EMPTY_LOOKUP: LookupState = {
  text: '',
  input: { kind: 'empty' },
  phase: 'idle',
  seq: 0,
  preview: null,
  results: null,
  resultsFor: null,
  failure: null,
};

/**
 * The add box's lookups as a pure step function. A typed or pasted link is
 * resolved for a preview once typing pauses; words are searched only when
 * asked (a search runs an extractor on the server). Every new request gets a
 * new `seq`, so a late answer to text that has since changed is dropped.
 */
export function stepLookup(state: LookupState, event: LookupEvent): { state: LookupState; effect: LookupEffect | null } {
  switch (event.type) {
    case 'input': {
      const input = classifyInput(event.text);
      if (input.kind === 'url') {
        // the same link, differently spaced: keep its preview
        if (state.input.kind === 'url' && state.input.url === input.url) {
          return { state: { ...state, text: event.text }, effect: null };
        }
        const seq = state.seq + 1;
        return {
          state: { ...state, text: event.text, input, phase: 'waiting', seq, preview: null, failure: null, results: null, resultsFor: null },
          effect: { type: 'wait', seq },
        };
      }
      if (input.kind === 'search') {
        // words: nothing is asked until the search is submitted; earlier hits stay in view
        const phase = state.input.kind === 'search' && state.phase === 'pending' ? 'pending' : 'idle';
        return { state: { ...state, text: event.text, input, phase, preview: null, failure: null }, effect: null };
      }
      return { state: { ...EMPTY_LOOKUP, seq: state.seq + 1 }, effect: null };
    }
    case 'pause_over':
      if (event.seq !== state.seq || state.phase !== 'waiting' || state.input.kind !== 'url') return { state, effect: null };
      return { state: { ...state, phase: 'pending' }, effect: { type: 'resolve', seq: state.seq, url: state.input.url } };
    case 'search': {
      if (state.input.kind !== 'search') return { state, effect: null };
      const query = state.input.query;
      if (!searchable(query)) {
        return {
          state: { ...state, phase: 'failed', failure: { code: 'invalid', message: 'Search for at most 200 characters.' } },
          effect: null,
        };
      }
      const seq = state.seq + 1;
      return { state: { ...state, phase: 'pending', seq, failure: null }, effect: { type: 'search', seq, query } };
    }
    case 'resolved':
      if (event.seq !== state.seq) return { state, effect: null };
      return { state: { ...state, phase: 'done', preview: event.preview }, effect: null };
    case 'found':
      if (event.seq !== state.seq || state.input.kind !== 'search') return { state, effect: null };
      return { state: { ...state, phase: 'done', results: event.results, resultsFor: event.query }, effect: null };
    case 'failed':
      if (event.seq !== state.seq) return { state, effect: null };
      return { state: { ...state, phase: 'failed', failure: event.failure }, effect: null };
    case 'clear':
      return { state: { ...EMPTY_LOOKUP, seq: state.seq + 1 }, effect: null };
  }
}

export interface LinkLookupOptions {
  resolve(url: string): Promise<ResolveResponse>;
  search(query: string): Promise<SearchResponse>;
  /** How long typing must pause before a link is resolved. */
  pauseMs?: number;
}

/** The pause before a typed link is resolved: long enough to skip keystrokes, short enough to feel immediate. */
export const LOOKUP_PAUSE_MS = 400;

/** Runs stepLookup's effects: the typing pause, /api/resolve and /api/search. One per add box. */
export class LinkLookup {
  private readonly current = signal<LookupState>(EMPTY_LOOKUP);
  readonly state: ReadonlySignal<LookupState> = this.current;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private disposed = false;

  constructor(private readonly options: LinkLookupOptions) {}

  input(text: string): void {
    this.dispatch({ type: 'input', text });
  }

  /** Searches for the words in the box (a link is added, not searched). */
  search(): void {
    this.dispatch({ type: 'search' });
  }

  clear(): void {
    this.dispatch({ type: 'clear' });
  }

  dispose(): void {
    this.disposed = true;
    this.stopTimer();
  }

  private dispatch(event: LookupEvent): void {
    if (this.disposed) return;
    const { state, effect } = stepLookup(this.current.peek(), event);
    if (state !== this.current.peek()) this.current.value = state;
    if (state.phase !== 'waiting') this.stopTimer();
    if (effect !== null) this.run(effect);
  }

  private run(effect: LookupEffect): void {
    const { seq } = effect;
    switch (effect.type) {
      case 'wait':
        this.stopTimer();
        this.timer = setTimeout(() => {
          this.timer = null;
          this.dispatch({ type: 'pause_over', seq });
        }, this.options.pauseMs ?? LOOKUP_PAUSE_MS);
        return;
      case 'resolve':
        this.options.resolve(effect.url).then(
          (preview) => this.dispatch({ type: 'resolved', seq, preview }),
          (error: unknown) => this.dispatch({ type: 'failed', seq, failure: describeError(error) }),
        );
        return;
      case 'search':
        this.options.search(effect.query).then(
          (answer) =>
            this.dispatch({ type: 'found', seq, query: effect.query, results: Array.isArray(answer?.results) ? answer.results : [] }),
          (error: unknown) => this.dispatch({ type: 'failed', seq, failure: describeError(error) }),
        );
        return;
    }
  }

  private stopTimer(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }
}
