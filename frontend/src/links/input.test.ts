import { describe, expect, it } from 'vitest';
import { classifyInput, imageSource, searchable } from './input';

describe('classifyInput', () => {
  it('takes absolute http(s) URLs as links', () => {
    expect(classifyInput('https://example.org/v.mp4')).toEqual({ kind: 'url', url: 'https://example.org/v.mp4' });
    expect(classifyInput('  http://127.0.0.1:8080/a.m3u8?x=1 ')).toEqual({ kind: 'url', url: 'http://127.0.0.1:8080/a.m3u8?x=1' });
    expect(classifyInput('HTTPS://Example.org/watch?v=1')).toEqual({ kind: 'url', url: 'HTTPS://Example.org/watch?v=1' });
  });

  it('searches for words, and for anything that is not an http(s) link', () => {
    expect(classifyInput('big buck  bunny')).toEqual({ kind: 'search', query: 'big buck bunny' });
    expect(classifyInput('example.org/v.mp4')).toEqual({ kind: 'search', query: 'example.org/v.mp4' });
    expect(classifyInput('javascript:alert(1)')).toEqual({ kind: 'search', query: 'javascript:alert(1)' });
    expect(classifyInput('ftp://example.org/v.mp4')).toEqual({ kind: 'search', query: 'ftp://example.org/v.mp4' });
    expect(classifyInput('https://example.org/a b')).toEqual({ kind: 'search', query: 'https://example.org/a b' });
    expect(classifyInput('https://')).toEqual({ kind: 'search', query: 'https://' });
  });

  it('is empty for blank text', () => {
    expect(classifyInput('')).toEqual({ kind: 'empty' });
    expect(classifyInput(' \n\t')).toEqual({ kind: 'empty' });
  });
});

describe('searchable', () => {
  it('takes 1 to 200 characters', () => {
    expect(searchable('a')).toBe(true);
    expect(searchable('a'.repeat(200))).toBe(true);
    expect(searchable('a'.repeat(201))).toBe(false);
    expect(searchable('')).toBe(false);
  });
});

describe('imageSource', () => {
  it('keeps http(s) addresses and paths on this node', () => {
    expect(imageSource('https://i.example.org/t.jpg')).toBe('https://i.example.org/t.jpg');
    expect(imageSource('http://i.example.org/t.jpg?a=1')).toBe('http://i.example.org/t.jpg?a=1');
    expect(imageSource('/api/videos/abcdefabcdef/media/poster.jpg')).toBe('/api/videos/abcdefabcdef/media/poster.jpg');
  });

  it('drops every other scheme, protocol-relative addresses and nothing', () => {
    expect(imageSource('javascript:alert(1)')).toBeNull();
    expect(imageSource('data:image/svg+xml,<svg onload=alert(1)>')).toBeNull();
    expect(imageSource('//evil.example/t.jpg')).toBeNull();
    expect(imageSource('/\\evil.example/t.jpg')).toBeNull();
    expect(imageSource('t.jpg')).toBeNull();
    expect(imageSource('')).toBeNull();
    expect(imageSource(null)).toBeNull();
    expect(imageSource(undefined)).toBeNull();
  });
});
