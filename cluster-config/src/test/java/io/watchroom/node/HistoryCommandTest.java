package io.watchroom.node;

import static io.watchroom.http.WsClient.msg;
import static org.junit.jupiter.api.Assertions.assertEquals;
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

      String atThree = run(config, roomId, "--at", "3");
      assertTrue(atThree.contains("State after event 3"), atThree);
      assertTrue(atThree.contains("\"queue\" : [ {"), atThree);
      assertTrue(atThree.contains("\"current\" : null"), atThree);

      assertTrue(run(config, "unknownRoom123").contains("has no events"));
      assertTrue(run(config, "bad!").startsWith("usage"));
    }
  }

  private static String run(Config config, String... args) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    HistoryCommand.run(List.of(args), config, new PrintStream(bytes, true, StandardCharsets.UTF_8));
    return bytes.toString(StandardCharsets.UTF_8);
  }
}
