package io.watchroom.http.protocol;

import io.watchroom.core.room.MemberStatus;
import io.watchroom.core.room.Permission;
import io.watchroom.core.room.Role;
import io.watchroom.core.room.Room;
import java.util.List;
import java.util.Map;

/** A whole room as {@code GET /api/rooms/{id}} and {@code welcome} show it to one viewer. */
public record RoomView(
    String id,
    String title,
    String ownerId,
    long createdAt,
    SettingsView settings,
    ItemView media,
    PlaybackView playback,
    List<ItemView> queue,
    boolean canUndo,
    List<MemberView> members,
    List<ChatView> chat,
    SkipVotes skipVotes,
    String viewerRole,
    long serverTime) {

  public record SkipVotes(int votes, int needed, List<String> voters) {}

  public static RoomView of(Room.Open room, Map<String, MemberStatus> presence, Role viewerRole, long serverTime) {
    boolean withInvite = viewerRole.atLeast(room.settings().required(Permission.CHANGE_SETTINGS));
    return new RoomView(
        room.id(),
        room.settings().title(),
        room.ownerId(),
        room.createdAt(),
        SettingsView.of(room.settings(), withInvite),
        ItemView.of(room.current()),
        PlaybackView.of(room.clock()),
        ItemView.of(room.orderedQueue()),
        room.undoQueue() != null,
        room.members().stream().map(m -> MemberView.of(m, room.roleOf(m), presence.get(m.id()))).toList(),
        room.chat().stream().map(ChatView::of).toList(),
        new SkipVotes(room.skipVotes().size(), Room.skipVotesNeeded(room), room.skipVotes()),
        WireNames.of(viewerRole),
        serverTime);
  }
}
