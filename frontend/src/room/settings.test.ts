import { describe, expect, it } from 'vitest';
import { settings } from '../testing/fixtures';
import { settingsChange } from './settings';

describe('settingsChange', () => {
  const before = settings({ invite: 'tok' });
  const { invite: _invite, ...draft } = before;

  it('is empty when nothing changed', () => {
    expect(settingsChange(before, { ...draft, permissions: { ...draft.permissions } }, true)).toEqual({});
  });

  it('carries only what changed, with the title trimmed', () => {
    const change = settingsChange(
      before,
      { ...draft, title: ' Classics ', queueMode: 'vote', voteSkipRatio: 0.6, permissions: { ...draft.permissions, chat: 'member' } },
      true,
    );
    expect(change).toEqual({ title: 'Classics', queueMode: 'vote', voteSkipRatio: 0.6, permissions: { chat: 'member' } });
  });

  it('leaves the permissions out for those who may not manage roles', () => {
    const change = settingsChange(before, { ...draft, permissions: { ...draft.permissions, chat: 'member' } }, false);
    expect(change).toEqual({});
  });
});
