package io.watchroom.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.watchroom.core.room.Room;
import io.watchroom.http.protocol.ServerMessage;
import org.apache.pekko.http.javadsl.model.ws.TextMessage;

/**
 * The WebSocket frame of each room update, encoded once per node. A room tells every member's
 * session the same update object, so without this each of N local sessions would write the same
 * JSON again: N encodings per broadcast, and for updates that list the room (members, the queue)
 * N times a text that grows with N. Keys are held weakly and compared by identity, so an entry
 * lives exactly as long as the update is still being delivered.
 */
final class UpdateFrames {

  private final ObjectMapper mapper;
  private final Cache<Room.Update, TextMessage> frames =
      Caffeine.newBuilder().weakKeys().maximumSize(10_000).build();

  UpdateFrames(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  TextMessage frame(Room.Update update) {
    return frames.get(update, u -> TextMessage.create(Json.write(mapper, ServerMessage.of(u))));
  }
}
