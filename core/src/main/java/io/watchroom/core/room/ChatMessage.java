package io.watchroom.core.room;

import io.watchroom.core.JsonSerializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A chat message. {@code id} counts up within the room. {@code videoTime} anchors the message to
 * a moment of the item {@code itemId} that was playing when it was written (both null when not
 * anchored); {@code reactions} map an emoji to the user ids who reacted with it, in the order
 * they did.
 */
public record ChatMessage(
    long id,
    String authorId,
    String authorName,
    String text,
    long at,
    Double videoTime,
    String itemId,
    Map<String, List<String>> reactions)
    implements JsonSerializable {

  public static final int MAX_LENGTH = 2000;
  public static final int MAX_EMOJI_LENGTH = 16;
  public static final int MAX_DISTINCT_REACTIONS = 20;

  public ChatMessage {
    Map<String, List<String>> copy = new LinkedHashMap<>();
    if (reactions != null) {
      reactions.forEach((emoji, users) -> copy.put(emoji, List.copyOf(users)));
    }
    reactions = java.util.Collections.unmodifiableMap(copy);
  }

  public ChatMessage withReaction(String emoji, String userId, boolean added) {
    Map<String, List<String>> next = new LinkedHashMap<>(reactions);
    List<String> users = new ArrayList<>(next.getOrDefault(emoji, List.of()));
    users.remove(userId);
    if (added) {
      users.add(userId);
    }
    if (users.isEmpty()) {
      next.remove(emoji);
    } else {
      next.put(emoji, users);
    }
    return new ChatMessage(id, authorId, authorName, text, at, videoTime, itemId, next);
  }
}
