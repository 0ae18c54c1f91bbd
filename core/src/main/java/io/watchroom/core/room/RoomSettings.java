package io.watchroom.core.room;

import io.watchroom.core.JsonSerializable;
import java.util.EnumMap;
import java.util.Map;

/**
 * What a room's owner and moderators decide about it.
 *
 * @param inviteToken the secret part of a private room's invite link
 * @param temporary a temporary room is forgotten once it has been empty for the configured time
 * @param voteSkipRatio the share of present members whose skip votes skip the current item
 * @param permissions the lowest role allowed each action
 */
public record RoomSettings(
    String title,
    String description,
    Visibility visibility,
    String inviteToken,
    boolean temporary,
    PlaybackMode playbackMode,
    QueueMode queueMode,
    double voteSkipRatio,
    Map<Permission, Role> permissions)
    implements JsonSerializable {

  public static final int MAX_DESCRIPTION_LENGTH = 1000;

  public enum Visibility {
    /** Listed in the directory. */
    PUBLIC,
    /** Anyone with the link. */
    UNLISTED,
    /** Only with the invite link (or a role in the room). */
    PRIVATE
  }

  public enum PlaybackMode {
    /** Playback goes on whatever each player does. */
    FREE,
    /** A member buffering too long pauses the room; it resumes when all are ready. */
    WAIT_FOR_EVERYONE
  }

  public enum QueueMode {
    MANUAL,
    /** Upcoming items play in order of votes. */
    VOTE,
    /** A finished item goes back to the end of the queue. */
    LOOP,
    /** The current item plays again when it ends. */
    REPEAT_ONE
  }

  public RoomSettings {
    // Permissions the matrix does not mention keep their defaults.
    Map<Permission, Role> complete = new EnumMap<>(Permission.defaults());
    if (permissions != null) {
      complete.putAll(permissions);
    }
    permissions = Map.copyOf(complete);
    description = description == null ? "" : description;
  }

  public static RoomSettings defaults(String title, String inviteToken) {
    return new RoomSettings(
        title, "", Visibility.UNLISTED, inviteToken, false, PlaybackMode.FREE, QueueMode.MANUAL, 0.5,
        Permission.defaults());
  }

  public Role required(Permission permission) {
    return permissions.get(permission);
  }

  public RoomSettings withInviteToken(String token) {
    return new RoomSettings(
        title, description, visibility, token, temporary, playbackMode, queueMode, voteSkipRatio, permissions);
  }
}
