import { Fragment } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import {
  PERMISSIONS,
  ROLES,
  ROOM_DESCRIPTION_MAX,
  ROOM_TITLE_MAX,
  type Member,
  type Permission,
  type PlaybackMode,
  type QueueMode,
  type Role,
  type Room,
  type Visibility,
} from '../protocol';
import { may } from '../room/permissions';
import { settingsChange, type SettingsDraft as Draft } from '../room/settings';
import type { RoomSession } from '../room/session';
import { roomPath } from '../routes';
import { CopyLink } from './CopyLink';

const PERMISSION_LABELS: Record<Permission, string> = {
  control_playback: 'Play, pause and seek',
  change_rate: 'Change the speed',
  queue_add: 'Add to the queue',
  queue_remove: "Remove others' items, clear",
  queue_reorder: 'Reorder the queue',
  skip: 'Skip',
  vote: 'Vote',
  chat: 'Chat and react',
  undo: 'Undo queue changes',
  kick: 'Kick',
  ban: 'Ban',
  change_settings: 'Change settings',
  manage_roles: 'Give roles',
};

interface Props {
  session: RoomSession;
  room: Room;
  me: Member;
  onClose(): void;
}

export function SettingsDialog({ session, room, me, onClose }: Props) {
  const before = room.settings;
  const [draft, setDraft] = useState<Draft>(() => {
    const { invite: _invite, ...rest } = before;
    return { ...rest, permissions: { ...rest.permissions } };
  });
  const dialogRef = useRef<HTMLDivElement>(null);
  const mayEdit = may(room, me.role, 'change_settings');
  const mayRoles = may(room, me.role, 'manage_roles');
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => setDraft((d) => ({ ...d, [key]: value }));

  useEffect(() => {
    dialogRef.current?.querySelector<HTMLElement>('input, select, button')?.focus();
    const onKey = (event: KeyboardEvent) => event.key === 'Escape' && onClose();
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);

  const save = (event: Event) => {
    event.preventDefault();
    const change = settingsChange(before, draft, mayRoles);
    if (Object.keys(change).length > 0) session.updateSettings(change);
    onClose();
  };

  const invite = room.settings.invite;
  const inviteUrl = invite !== null ? `${location.origin}${roomPath(room.id, invite)}` : null;

  return (
    <div class="dialog-backdrop" onClick={(event) => event.target === event.currentTarget && onClose()}>
      <div class="dialog" role="dialog" aria-modal="true" aria-labelledby="settings-heading" ref={dialogRef} data-testid="settings-dialog">
        <form onSubmit={save}>
          <h2 id="settings-heading">Room settings</h2>
          <fieldset disabled={!mayEdit}>
            <label for="settings-title">Title</label>
            <input
              id="settings-title"
              data-testid="settings-title"
              type="text"
              maxLength={ROOM_TITLE_MAX}
              value={draft.title}
              onInput={(e) => set('title', e.currentTarget.value)}
            />
            <label for="settings-description">Description</label>
            <textarea
              id="settings-description"
              data-testid="settings-description"
              rows={2}
              maxLength={ROOM_DESCRIPTION_MAX}
              value={draft.description}
              onInput={(e) => set('description', e.currentTarget.value)}
            />
            <div class="settings-grid">
              <label for="settings-visibility">Who can join</label>
              <select
                id="settings-visibility"
                data-testid="settings-visibility"
                value={draft.visibility}
                onChange={(e) => set('visibility', e.currentTarget.value as Visibility)}
              >
                <option value="public">Public: listed for everyone</option>
                <option value="unlisted">Unlisted: anyone with the link</option>
                <option value="private">Private: only with the invite link</option>
              </select>
              <label for="settings-playback-mode">Playback</label>
              <select
                id="settings-playback-mode"
                data-testid="settings-playback-mode"
                value={draft.playbackMode}
                onChange={(e) => set('playbackMode', e.currentTarget.value as PlaybackMode)}
              >
                <option value="free">Free: nobody waits</option>
                <option value="wait_for_everyone">Wait for everyone who buffers</option>
              </select>
              <label for="settings-queue-mode">Queue</label>
              <select
                id="settings-queue-mode"
                data-testid="settings-queue-mode"
                value={draft.queueMode}
                onChange={(e) => set('queueMode', e.currentTarget.value as QueueMode)}
              >
                <option value="manual">In order</option>
                <option value="vote">Most votes first</option>
                <option value="loop">Loop the queue</option>
                <option value="repeat_one">Repeat the current item</option>
              </select>
              <label for="settings-vote-skip-ratio">Votes to skip</label>
              <span class="row">
                <input
                  id="settings-vote-skip-ratio"
                  data-testid="settings-vote-skip-ratio"
                  type="range"
                  min={0.05}
                  max={1}
                  step={0.05}
                  value={draft.voteSkipRatio}
                  onInput={(e) => set('voteSkipRatio', Number(e.currentTarget.value))}
                />
                <span class="count">{Math.round(draft.voteSkipRatio * 100)} % of those here</span>
              </span>
            </div>
            <label class="checkbox">
              <input
                type="checkbox"
                data-testid="settings-temporary"
                checked={draft.temporary}
                onChange={(e) => set('temporary', e.currentTarget.checked)}
              />
              Temporary: forget the room once it has been empty for a while
            </label>
          </fieldset>

          {mayRoles && (
            <fieldset class="permissions">
              <legend>Who may do what (the lowest role allowed)</legend>
              <div class="settings-grid">
                {PERMISSIONS.map((p) => (
                  <Fragment key={p}>
                    <label for={`perm-${p}`}>
                      {PERMISSION_LABELS[p]}
                    </label>
                    <select
                      id={`perm-${p}`}
                      data-testid="settings-permission"
                      data-permission={p}
                      value={draft.permissions[p]}
                      onChange={(e) => set('permissions', { ...draft.permissions, [p]: e.currentTarget.value as Role })}
                    >
                      {/* giving roles never goes below moderator */}
                      {ROLES.filter((r) => p !== 'manage_roles' || r === 'moderator' || r === 'owner').map((r) => (
                        <option key={r} value={r}>
                          {r}
                        </option>
                      ))}
                    </select>
                  </Fragment>
                ))}
              </div>
            </fieldset>
          )}

          {room.settings.visibility === 'private' && mayEdit && (
            <fieldset class="invite">
              <legend>Invite link</legend>
              {inviteUrl !== null ? (
                <>
                  <a class="invite-link" data-testid="invite-link" href={inviteUrl} data-invite={invite}>
                    {inviteUrl}
                  </a>
                  <div class="row">
                    <CopyLink url={inviteUrl} label="Copy invite link" testId="invite-copy" />
                    <button type="button" data-testid="invite-rotate" onClick={() => session.rotateInvite()}>
                      New link
                    </button>
                  </div>
                  <p class="hint">A new link stops the old one from working; people already admitted keep their place.</p>
                </>
              ) : (
                <p class="hint">The invite link arrives in a moment.</p>
              )}
            </fieldset>
          )}

          <div class="row dialog-actions">
            <button type="button" data-testid="settings-cancel" onClick={onClose}>
              Cancel
            </button>
            <button type="submit" class="primary" data-testid="settings-save">
              Save
            </button>
          </div>
        </form>
      </div>
    </div>
  );
}
