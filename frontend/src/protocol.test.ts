import { describe, expect, it } from 'vitest';
import { nowPlayingTitle, parseServerMessage } from './protocol';

describe('parseServerMessage', () => {
  it('reads every message type of the protocol', () => {
    const types = [
      'welcome',
      'time',
      'playback',
      'media',
      'queue',
      'member_joined',
      'member_left',
      'member_renamed',
      'member_role',
      'presence',
      'chat',
      'settings',
      'invite',
      'skip_votes',
      'removed',
      'closed',
      'reconnect',
      'error',
    ];
    for (const type of types) expect(parseServerMessage(JSON.stringify({ type }))?.type).toBe(type);
  });

  it('skips what is not a known message', () => {
    expect(parseServerMessage('not json')).toBeNull();
    expect(parseServerMessage('[1]')).toBeNull();
    expect(parseServerMessage('null')).toBeNull();
    expect(parseServerMessage('{"type":"something_new"}')).toBeNull();
    expect(parseServerMessage('{"no":"type"}')).toBeNull();
    expect(parseServerMessage(new ArrayBuffer(2))).toBeNull();
  });

  it('keeps the fields as sent, text included', () => {
    const frame = {
      type: 'chat',
      message: { id: 17, authorId: 'g-1', authorName: 'Bob', text: '<img src=x onerror=alert(1)>', at: 1, videoTime: 754.2, reactions: {} },
    };
    expect(parseServerMessage(JSON.stringify(frame))).toEqual(frame);
  });

  it('gives a playback without waitingFor an empty list', () => {
    const parsed = parseServerMessage('{"type":"playback","playing":true,"position":1,"anchor":2,"rate":1,"by":null}');
    expect(parsed).toMatchObject({ type: 'playback', waitingFor: [] });
  });
});

describe('nowPlayingTitle', () => {
  it('reads both shapes room lists use', () => {
    expect(nowPlayingTitle({ title: 'Night', url: 'https://x.test/n.mp4' })).toBe('Night');
    expect(nowPlayingTitle({ title: '', url: 'https://x.test/n.mp4' })).toBe('https://x.test/n.mp4');
    expect(nowPlayingTitle('Night')).toBe('Night');
    expect(nowPlayingTitle(null)).toBeNull();
    expect(nowPlayingTitle(undefined)).toBeNull();
  });
});
