package io.watchroom.core.room;

import java.util.EnumMap;
import java.util.Map;

/**
 * The actions a room's permission matrix governs, each with the lowest role allowed by default.
 * The defaults suit friends sharing a link (everyone drives playback and the queue; moderation is
 * for moderators); a public room's owner tightens them.
 * The owner can move any of them; {@link #MANAGE_ROLES} never goes below moderator, so a room
 * cannot be taken over by letting guests hand out roles.
 */
public enum Permission {
  CONTROL_PLAYBACK(Role.GUEST),
  CHANGE_RATE(Role.GUEST),
  QUEUE_ADD(Role.GUEST),
  QUEUE_REMOVE(Role.GUEST),
  QUEUE_REORDER(Role.GUEST),
  SKIP(Role.GUEST),
  VOTE(Role.GUEST),
  CHAT(Role.GUEST),
  UNDO(Role.MODERATOR),
  KICK(Role.MODERATOR),
  BAN(Role.MODERATOR),
  CHANGE_SETTINGS(Role.MODERATOR),
  MANAGE_ROLES(Role.OWNER);

  private final Role byDefault;

  Permission(Role byDefault) {
    this.byDefault = byDefault;
  }

  public Role byDefault() {
    return byDefault;
  }

  /** The lowest role the owner may grant this permission to. */
  public Role lowestAllowed() {
    return this == MANAGE_ROLES ? Role.MODERATOR : Role.GUEST;
  }

  public static Map<Permission, Role> defaults() {
    Map<Permission, Role> matrix = new EnumMap<>(Permission.class);
    for (Permission p : values()) {
      matrix.put(p, p.byDefault);
    }
    return Map.copyOf(matrix);
  }
}
