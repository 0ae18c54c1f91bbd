package io.watchroom.node;

import static io.watchroom.http.WsClient.msg;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import io.watchroom.core.room.Room;
import io.watchroom.http.WsClient;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node is stopped and a new one started on the same database: the room comes back with its
 * media and exactly the same clock. Once on the embedded H2 file, once on PostgreSQL.
 */
class RestartTest {


  @TempDir Path dataDir;

  @Test
  void aRoomSurvivesARestartOnTheEmbeddedDatabase() throws Exception {
    Config config = TestNodes.h2(dataDir);
    roomSurvivesRestart(config);
    assertTrue(Files.isDirectory(dataDir.resolve("media")), "the media folder lives under the data folder");
    assertTrue(Files.exists(dataDir.resolve("db").resolve("watchroom.mv.db")), "the H2 file lives under the data folder");
  }

  @Test
  void aRoomSurvivesARestartOnPostgres() throws Exception {
    String schema = "wr_restart_" + Room.randomToken(8).toLowerCase().replaceAll("[^a-z0-9]", "x");
    try {
      // Snapshots every 3 events, so recovery goes through the snapshot store as well.
      Config config =
          ConfigFactory.parseMap(Map.of("watchroom.room.snapshot-every", 3))
              .withFallback(TestNodes.postgres(dataDir, schema));
      roomSurvivesRestart(config);
      try (Connection c = DriverManager.getConnection(TestNodes.PG_URL, TestNodes.PG_USER, TestNodes.PG_PASSWORD);
          Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT count(*) FROM " + schema + ".snapshot")) {
        rs.next();
        assertTrue(rs.getInt(1) > 0, "snapshots were written");
      }
    } finally {
      TestNodes.dropSchema(schema);
    }
  }

  private void roomSurvivesRestart(Config config) throws Exception {
    String video = TestNodes.clipUrl();
    String roomId;
    String annToken;
    JsonNode before;
    try (WatchroomNode first = WatchroomNode.start(config)) {
      annToken = TestNodes.guest(first, "Ann");
      roomId = TestNodes.createRoom(first, annToken);
      try (WsClient ann = WsClient.join(TestNodes.ws(first, roomId), annToken)) {
        // The node probed the file, so the room knows its duration from the start.
        ann.send(msg("set_media").put("url", video).put("title", "Restart"));
        assertEquals(60.0, ann.await("media").get("duration").asDouble(), 0.5);
        ann.send(msg("seek").put("position", 20.0));
        ann.await("playback", p -> p.get("position").asDouble() == 20.0);
        ann.send(msg("rate").put("rate", 1.25));
        ann.await("playback", p -> p.get("rate").asDouble() == 1.25);
        ann.send(msg("play"));
        ann.await("playback", p -> p.get("playing").asBoolean());
      }
      before = TestNodes.getRoom(first, roomId);
    }

    try (WatchroomNode second = WatchroomNode.start(config)) {
      JsonNode after = TestNodes.getRoom(second, roomId);
      assertEquals("Test room", after.get("title").asText());
      assertEquals(before.get("media"), after.get("media"));
      assertEquals(video, after.at("/media/url").asText());
      assertEquals(60.0, after.at("/media/duration").asDouble(), 0.5);
      // The clock is the persisted one, to the millisecond: same anchor, position, rate, state.
      assertEquals(before.get("playback"), after.get("playback"));
      assertTrue(after.at("/playback/playing").asBoolean());
      assertEquals(1.25, after.at("/playback/rate").asDouble());

      // And the room is live: a new member can act on it.
      // The server secret lives in the data folder, so sessions survive the restart too.
      try (WsClient ann = WsClient.join(TestNodes.ws(second, roomId), annToken)) {
        assertEquals("owner", ann.welcome().at("/you/role").asText());
      }
      try (WsClient bob = WsClient.join(TestNodes.ws(second, roomId), TestNodes.guest(second, "Bob"))) {
        bob.send(msg("pause"));
        JsonNode paused = bob.await("playback", p -> !p.get("playing").asBoolean());
        assertTrue(paused.get("position").asDouble() > 20.0);
      }
    }
  }
}
