import { describe, expect, it } from 'vitest';
// the page that documents the codes a link can fail with, as text
import linksDoc from '../../../docs/links.md?raw';
import { ApiError } from '../api';
import { LINK_FAILURE_CODES } from '../protocol';
import { describeError, describeFailure } from './failures';

/** The rows of every Markdown table in `markdown` whose header has a `code` column: each row's codes and its other cells. */
function documentedCodes(markdown: string): { section: string; codes: string[]; cells: string[] }[] {
  const rows: { section: string; codes: string[]; cells: string[] }[] = [];
  let section = '';
  let codeColumn = -1;
  let inTable = false;
  for (const line of markdown.split('\n')) {
    if (line.startsWith('#')) section = line.replace(/^#+\s*/, '');
    if (!line.startsWith('|')) {
      inTable = false;
      continue;
    }
    const cells = line.split('|').slice(1, -1).map((cell) => cell.trim());
    if (!inTable) {
      inTable = true;
      codeColumn = cells.indexOf('code');
      continue;
    }
    if (codeColumn < 0 || cells.every((cell) => /^-+$/.test(cell))) continue;
    const codes = [...(cells[codeColumn] ?? '').matchAll(/`([a-z_]+)`/g)].map((m) => m[1] as string);
    rows.push({ section, codes, cells: cells.filter((_, i) => i !== codeColumn) });
  }
  return rows;
}

const DOCUMENTED = documentedCodes(linksDoc);
/** What a code without its own text reads as. */
const GENERIC = describeFailure({ code: 'a_code_no_one_sends', message: '' });

describe('describeFailure', () => {
  it('has its own heading for every code the resolver sends', () => {
    const titles = LINK_FAILURE_CODES.map((code) => describeFailure({ code, message: '' }).title);
    expect(titles).not.toContain('The link cannot be played');
    // every code reads differently
    expect(new Set(titles).size).toBe(LINK_FAILURE_CODES.length);
  });

  it('says what to do: the server’s sentence when there is one, else the code’s own advice', () => {
    expect(describeFailure({ code: 'drm', message: 'The video is protected by DRM, which Watchroom cannot play.' })).toEqual({
      title: 'Protected by DRM',
      detail: 'The video is protected by DRM, which Watchroom cannot play.',
    });
    expect(describeFailure({ code: 'geo_blocked', message: '  ' })).toEqual({
      title: 'Not available here',
      detail: 'The video is not available in the server’s country.',
    });
  });

  it('reads well for a code it does not know', () => {
    expect(describeFailure({ code: 'some_new_code', message: 'A newer server says why.' })).toEqual({
      title: 'The link cannot be played',
      detail: 'A newer server says why.',
    });
  });
});

describe('the failure codes of docs/links.md', () => {
  const failureTable = DOCUMENTED.filter((row) => row.section === 'Failure codes');
  // the tables' codes, and those named with their status in the text (`429 rate_limited`)
  const everyCode = [
    ...new Set([...DOCUMENTED.flatMap((row) => row.codes), ...[...linksDoc.matchAll(/`\d{3} ([a-z_]+)`/g)].map((m) => m[1] as string)]),
  ];

  it('are read from the page', () => {
    expect(failureTable.length).toBeGreaterThanOrEqual(14);
    // the media proxy's table adds its own
    expect(everyCode).toContain('upstream_failed');
    expect(everyCode).toContain('rate_limited');
  });

  it('are the codes the client knows a link can fail with', () => {
    expect(failureTable.flatMap((row) => row.codes)).toEqual([...LINK_FAILURE_CODES]);
  });

  it.each(everyCode)('%s has a heading of its own and advice without the server’s sentence', (code) => {
    const text = describeFailure({ code, message: '' });
    expect(text.title).not.toBe(GENERIC.title);
    expect(text.detail.trim()).not.toBe('');
    expect(text.detail).not.toBe(GENERIC.detail);
  });

  it('give each resolver failure a heading that no other one has', () => {
    const titles = failureTable.map((row) => describeFailure({ code: row.codes[0] as string, message: '' }).title);
    expect(new Set(titles).size).toBe(failureTable.length);
  });

  // the table's sentence, without a note for operators in parentheses
  it.each(failureTable.map((row) => [row.codes[0] as string, (row.cells[0] as string).replace(/\s*\(.*\)$/, '')]))(
    '%s shows the sentence the server sends under its heading',
    (code, sentence) => {
      const text = describeFailure({ code, message: sentence });
      expect(text.detail).toBe(sentence);
      expect(text.title).not.toBe(GENERIC.title);
    },
  );
});

describe('describeError', () => {
  it('keeps the code and sentence of an API answer', () => {
    expect(describeError(new ApiError(422, 'private', 'The video is private or needs a login.'))).toEqual({
      code: 'private',
      message: 'The video is private or needs a login.',
    });
    expect(describeError(new ApiError(429, 'rate_limited', 'Slow down.'))).toEqual({ code: 'rate_limited', message: 'Slow down.' });
  });

  it('calls anything else a network failure', () => {
    expect(describeError(new TypeError('Failed to fetch')).code).toBe('network');
  });
});
