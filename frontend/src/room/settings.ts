import { PERMISSIONS, type Permission, type Role, type RoomSettings, type SettingsChange } from '../protocol';

/** The fields of the form: the settings without the invite. */
export type SettingsDraft = Omit<RoomSettings, 'invite'>;

/** What the form changed, as a `settings` message: only fields that differ, so others' changes are not undone. */
export function settingsChange(before: RoomSettings, draft: SettingsDraft, withPermissions: boolean): SettingsChange {
  const change: SettingsChange = {};
  if (draft.title.trim() !== before.title) change.title = draft.title.trim();
  if (draft.description !== before.description) change.description = draft.description;
  if (draft.visibility !== before.visibility) change.visibility = draft.visibility;
  if (draft.temporary !== before.temporary) change.temporary = draft.temporary;
  if (draft.playbackMode !== before.playbackMode) change.playbackMode = draft.playbackMode;
  if (draft.queueMode !== before.queueMode) change.queueMode = draft.queueMode;
  if (Math.abs(draft.voteSkipRatio - before.voteSkipRatio) > 1e-9) change.voteSkipRatio = draft.voteSkipRatio;
  if (withPermissions) {
    const permissions: Partial<Record<Permission, Role>> = {};
    for (const p of PERMISSIONS) {
      if (draft.permissions[p] !== before.permissions[p]) permissions[p] = draft.permissions[p];
    }
    if (Object.keys(permissions).length > 0) change.permissions = permissions;
  }
  return change;
}
