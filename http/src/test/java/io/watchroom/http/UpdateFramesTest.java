package io.watchroom.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.watchroom.core.room.PlaybackClock;
import io.watchroom.core.room.Room;
import java.util.List;
import org.apache.pekko.http.javadsl.model.ws.TextMessage;
import org.junit.jupiter.api.Test;

class UpdateFramesTest {

  private final ObjectMapper mapper = new ObjectMapper();
  private final UpdateFrames frames = new UpdateFrames(mapper);

  @Test
  void oneUpdateIsEncodedOnceForEveryMember() throws Exception {
    Room.Update update = new Room.PlaybackUpdate(new PlaybackClock(true, 12.5, 1_700_000_000_000L, 1.0), "u1", List.of());
    TextMessage first = frames.frame(update);
    for (int member = 0; member < 100; member++) {
      assertSame(first, frames.frame(update));
    }
    JsonNode json = mapper.readTree(first.getStrictText());
    assertEquals("playback", json.get("type").asText());
    assertEquals(12.5, json.get("position").asDouble());
    assertEquals("u1", json.get("by").asText());
  }

  @Test
  void equalUpdatesSentAtDifferentTimesAreFramedApart() {
    // Identity, not equality: two broadcasts of equal content are two deliveries.
    PlaybackClock clock = new PlaybackClock(false, 3, 1_700_000_000_000L, 1.0);
    Room.Update one = new Room.PlaybackUpdate(clock, "u1", List.of());
    Room.Update two = new Room.PlaybackUpdate(clock, "u1", List.of());
    assertEquals(one, two);
    assertNotSame(frames.frame(one), frames.frame(two));
    assertTrue(frames.frame(two).getStrictText().contains("\"position\":3"));
  }
}
