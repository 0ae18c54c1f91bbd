package io.watchroom.node;

import static io.watchroom.http.WsClient.msg;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import io.watchroom.http.WsClient;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launcher's history command, against the database of a node that is still running. */
class HistoryCommandTest {

  @TempDir Path dataDir;

  @Test
  void printsTheTimelineAndTheStateAtAnEvent() throws Exception {
    Config config = TestNodes.h2(dataDir);
    try (WatchroomNode node = WatchroomNode.start(config)) {
      String token = TestNodes.guest(node, "Olive");
      String roomId = TestNodes.createRoom(node, token);
      try (WsClient olive = WsClient.join(TestNodes.ws(node, roomId), token)) {
        olive.send(msg("set_media").put("url", TestNodes.clipUrl()));
        olive.await("media");
        olive.send(msg("seek").put("position", 42));
        olive.await("playback", p -> p.get("position").asDouble() == 42.0);
      }

      String timeline = run(config, roomId);
      List<String> lines = timeline.lines().toList();
      assertEquals(5, lines.size(), timeline);
      assertTrue(lines.get(0).startsWith("#1 "), timeline);
      assertTrue(lines.get(0).contains("RoomCreated"), timeline);
      assertTrue(lines.get(1).contains("MemberJoined"), timeline);
      assertTrue(lines.get(2).contains("QueueItemAdded"), timeline);
      assertTrue(lines.get(3).contains("NowPlaying"), timeline);
      assertTrue(lines.get(4).contains("PlaybackSeeked") && lines.get(4).contains("\"position\":42.0"), timeline);

      // The timeline comes first, then the state right after the chosen event.
      String atThree = run(config, roomId, "--at", "3");
      assertTrue(atThree.startsWith(timeline), atThree);
      String stateAtThree = state(atThree, 3);
      assertTrue(stateAtThree.contains("\"queue\" : [ {"), stateAtThree);
      assertTrue(stateAtThree.contains("\"current\" : null"), stateAtThree);
      assertTrue(stateAtThree.contains("\"position\" : 0.0"), stateAtThree);

      // A later event: the item plays (the queue is empty again) and the clock is where the seek put it.
      String stateAtFive = state(run(config, roomId, "--at", "5"), 5);
      assertTrue(stateAtFive.contains("\"queue\" : [ ]"), stateAtFive);
      assertFalse(stateAtFive.contains("\"current\" : null"), stateAtFive);
      assertTrue(stateAtFive.contains("\"position\" : 42.0"), stateAtFive);

      assertTrue(run(config, roomId, "--at", "1000").contains("has no event 1000"));
      assertTrue(run(config, "unknownRoom123").contains("has no events"));
      assertTrue(run(config, "bad!").startsWith("usage"));
      // A bad event number is told, not thrown.
      for (String bad : List.of("three", "0", "-1")) {
        String answer = run(config, roomId, "--at", bad);
        assertTrue(answer.contains("must be a whole number") && answer.contains("usage"), answer);
      }
    }
  }

  /** The state part of the output, checked to be about {@code seq}. */
  private static String state(String output, int seq) {
    int start = output.indexOf("State after event " + seq + " (");
    assertTrue(start > 0, output);
    return output.substring(start);
  }

  private static String run(Config config, String... args) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    HistoryCommand.run(List.of(args), config, new PrintStream(bytes, true, StandardCharsets.UTF_8));
    return bytes.toString(StandardCharsets.UTF_8);
  }
}
