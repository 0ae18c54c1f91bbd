package io.watchroom.http.protocol;

import io.watchroom.core.room.Permission;
import io.watchroom.core.room.Role;
import io.watchroom.core.room.RoomSettings;
import java.util.Map;
import java.util.TreeMap;

/**
 * A room's settings. {@code invite} (the private link's token) is only filled in for those who may
 * change settings; {@code permissions} maps each action to the lowest role allowed it.
 */
public record SettingsView(
    String title,
    String description,
    String visibility,
    boolean temporary,
    String playbackMode,
    String queueMode,
    double voteSkipRatio,
    Map<String, String> permissions,
    String invite) {

  public static SettingsView of(RoomSettings s, boolean withInvite) {
    Map<String, String> permissions = new TreeMap<>();
    for (Map.Entry<Permission, Role> e : s.permissions().entrySet()) {
      permissions.put(WireNames.of(e.getKey()), WireNames.of(e.getValue()));
    }
    return new SettingsView(
        s.title(), s.description(), WireNames.of(s.visibility()), s.temporary(),
        WireNames.of(s.playbackMode()), WireNames.of(s.queueMode()), s.voteSkipRatio(), permissions,
        withInvite ? s.inviteToken() : null);
  }
}
