import { describe, expect, it } from 'vitest';
import { historyPath, inviteFromSearch, matchRoute, parseRoomInput, parseRoomLink, roomPath } from './routes';

describe('matchRoute', () => {
  it('knows the home page and room pages', () => {
    expect(matchRoute('/')).toEqual({ page: 'home' });
    expect(matchRoute('/rooms/k3J9xQ2mW7pZ')).toEqual({ page: 'room', roomId: 'k3J9xQ2mW7pZ' });
    expect(matchRoute('/rooms/k3J9xQ2mW7pZ/')).toEqual({ page: 'room', roomId: 'k3J9xQ2mW7pZ' });
  });

  it('knows the history page of a room', () => {
    expect(matchRoute('/rooms/k3J9xQ2mW7pZ/history')).toEqual({ page: 'history', roomId: 'k3J9xQ2mW7pZ' });
    expect(matchRoute(historyPath('k3J9xQ2mW7pZ'))).toEqual({ page: 'history', roomId: 'k3J9xQ2mW7pZ' });
  });

  it('has no page for anything else', () => {
    expect(matchRoute('/rooms/')).toEqual({ page: 'not_found' });
    expect(matchRoute('/rooms/a/b')).toEqual({ page: 'not_found' });
    expect(matchRoute('/rooms/a%20b')).toEqual({ page: 'not_found' });
    expect(matchRoute('/elsewhere')).toEqual({ page: 'not_found' });
  });
});

describe('parseRoomInput', () => {
  it('takes a bare id', () => {
    expect(parseRoomInput('  k3J9xQ2mW7pZ ')).toBe('k3J9xQ2mW7pZ');
  });

  it('takes a room link from any host, or a path', () => {
    expect(parseRoomInput('https://watch.example.org/rooms/k3J9xQ2mW7pZ')).toBe('k3J9xQ2mW7pZ');
    expect(parseRoomInput('http://localhost:8080/rooms/k3J9xQ2mW7pZ?x=1#t')).toBe('k3J9xQ2mW7pZ');
    expect(parseRoomInput('/rooms/k3J9xQ2mW7pZ')).toBe('k3J9xQ2mW7pZ');
    expect(parseRoomInput('watch.example.org/rooms/k3J9xQ2mW7pZ/')).toBe('k3J9xQ2mW7pZ');
  });

  it('refuses anything else', () => {
    expect(parseRoomInput('')).toBeNull();
    expect(parseRoomInput('hello')).toBeNull();
    expect(parseRoomInput('k3J9xQ2mW7p')).toBeNull(); // 11 characters
    expect(parseRoomInput('ftp://watch.example.org/rooms/k3J9xQ2mW7pZ')).toBeNull();
    expect(parseRoomInput('https://watch.example.org/')).toBeNull();
    expect(parseRoomInput('javascript:alert(1)//rooms/k3J9xQ2mW7pZ')).toBeNull();
  });

  it('round-trips with roomPath', () => {
    expect(parseRoomInput(roomPath('k3J9xQ2mW7pZ'))).toBe('k3J9xQ2mW7pZ');
  });
});

describe('invites', () => {
  it('puts the invite in room and history links', () => {
    expect(roomPath('k3J9xQ2mW7pZ', 'S06Eb8XUjcmHr-XW')).toBe('/rooms/k3J9xQ2mW7pZ?invite=S06Eb8XUjcmHr-XW');
    expect(roomPath('k3J9xQ2mW7pZ', null)).toBe('/rooms/k3J9xQ2mW7pZ');
    expect(historyPath('k3J9xQ2mW7pZ', 'abc')).toBe('/rooms/k3J9xQ2mW7pZ/history?invite=abc');
  });

  it('reads the invite of a page', () => {
    expect(inviteFromSearch('?invite=S06Eb8XUjcmHr-XW')).toBe('S06Eb8XUjcmHr-XW');
    expect(inviteFromSearch('?x=1')).toBeNull();
    expect(inviteFromSearch('?invite=<script>')).toBeNull();
    expect(inviteFromSearch(`?invite=${'a'.repeat(65)}`)).toBeNull();
  });

  it('takes the invite from a pasted private link', () => {
    expect(parseRoomLink('https://watch.example.org/rooms/k3J9xQ2mW7pZ?invite=S06Eb8XUjcmHr-XW')).toEqual({
      roomId: 'k3J9xQ2mW7pZ',
      invite: 'S06Eb8XUjcmHr-XW',
    });
    expect(parseRoomLink('/rooms/k3J9xQ2mW7pZ')).toEqual({ roomId: 'k3J9xQ2mW7pZ', invite: null });
    expect(parseRoomLink('nothing')).toBeNull();
  });
});

describe('video pages', () => {
  it('routes the upload and library pages', () => {
    expect(matchRoute('/upload')).toEqual({ page: 'upload' });
    expect(matchRoute('/library')).toEqual({ page: 'library' });
    expect(matchRoute('/upload/x')).toEqual({ page: 'not_found' });
  });
});
