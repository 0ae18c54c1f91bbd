package io.watchroom.http.protocol;

import io.watchroom.core.room.ChatMessage;
import java.util.List;
import java.util.Map;

/**
 * A chat message. The text is exactly what its author typed: clients must render it as text.
 * {@code reactions} map an emoji to the ids of those who reacted with it.
 */
public record ChatView(
    long id,
    String authorId,
    String authorName,
    String text,
    long at,
    Double videoTime,
    String itemId,
    Map<String, List<String>> reactions) {

  public static ChatView of(ChatMessage m) {
    return new ChatView(m.id(), m.authorId(), m.authorName(), m.text(), m.at(), m.videoTime(), m.itemId(), m.reactions());
  }
}
