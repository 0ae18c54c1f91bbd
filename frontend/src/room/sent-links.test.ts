import { describe, expect, it } from 'vitest';
import { CONNECTION_LOST, FAILURES_KEPT, linkDismissed, linkRefused, linksDropped, linkSent, linkTaken } from './sent-links';

const drm = { code: 'drm', message: 'Protected.' };

describe('sent links', () => {
  it('reads a sent link until the error answering its ref', () => {
    const sent = linkSent([], 'a1', 'queue_add', 'https://v.example/1');
    expect(sent).toEqual([{ ref: 'a1', action: 'queue_add', url: 'https://v.example/1', state: 'reading', failure: null }]);
    expect(linkRefused(sent, 'a1', drm)).toEqual([{ ref: 'a1', action: 'queue_add', url: 'https://v.example/1', state: 'failed', failure: drm }]);
  });

  it('leaves errors of other refs to someone else', () => {
    expect(linkRefused(linkSent([], 'a1', 'queue_add', 'https://v.example/1'), 'a2', drm)).toBeNull();
  });

  it('takes the link whose URL the room now shows, else the oldest one being read', () => {
    let links = linkSent([], 'a1', 'queue_add', 'https://v.example/1');
    links = linkSent(links, 'a2', 'queue_add', 'https://v.example/2');
    expect(linkTaken(links, ['https://v.example/2']).map((l) => l.ref)).toEqual(['a1']);
    expect(linkTaken(links, ['https://other.example/x']).map((l) => l.ref)).toEqual(['a2']);
  });

  it('keeps failures in view when links go in, and clears a box’s failures when it sends the next', () => {
    let links = linkRefused(linkSent([], 'a1', 'queue_add', 'https://v.example/1'), 'a1', drm)!;
    links = linkSent(links, 'a2', 'set_media', 'https://v.example/2');
    expect(linkTaken(links, []).map((l) => l.ref)).toEqual(['a1']);
    expect(linkSent(links, 'a3', 'queue_add', 'https://v.example/3').map((l) => l.ref)).toEqual(['a2', 'a3']);
  });

  it('keeps the latest few failures', () => {
    let links: ReturnType<typeof linkSent> = [];
    for (let i = 0; i < FAILURES_KEPT + 2; i++) {
      links = [...links, ...linkSent([], `a${i}`, 'queue_add', `https://v.example/${i}`)];
      links = linkRefused(links, `a${i}`, drm)!;
    }
    expect(links.map((l) => l.ref)).toEqual(['a2', 'a3', 'a4', 'a5', 'a6']);
  });

  it('fails the links being read when the connection drops, and forgets a dismissed one', () => {
    const links = linksDropped(linkSent([], 'a1', 'set_media', 'https://v.example/1'));
    expect(links[0]).toMatchObject({ state: 'failed', failure: CONNECTION_LOST });
    expect(linkDismissed(links, 'a1')).toEqual([]);
  });
});
