package io.watchroom.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node stops in the middle of a transcode; the other node of the cluster takes the job over and
 * publishes a complete ladder, and a replay of every event afterwards transcodes nothing again.
 * Two nodes on PostgreSQL sharing one media folder, as a cluster with shared storage runs.
 */
class VideoKillTest {

  @TempDir static Path dir;
  private static final String SCHEMA = "video_kill_" + Long.toHexString(System.nanoTime());
  private static WatchroomNode first;
  private static WatchroomNode second;
  private static WatchroomNode third;

  static Map<String, Object> settings() {
    Map<String, Object> values = new HashMap<>();
    values.put("watchroom.database.kind", "postgres");
    values.put("watchroom.database.url", TestNodes.PG_URL);
    values.put("watchroom.database.user", TestNodes.PG_USER);
    values.put("watchroom.database.password", TestNodes.PG_PASSWORD);
    values.put("watchroom.database.schema", SCHEMA);
    values.put("watchroom.media.local.dir", dir.resolve("shared-media").toString());
    values.put("watchroom.media.retries.min-backoff", "1s");
    // one signing secret for the cluster, so a session from one node is good on the others
    values.put("watchroom.auth.secret", java.util.Base64.getEncoder().encodeToString(new byte[32]).replace("AAAA", "kill"));
    // a slower preset keeps the ladder running long enough to stop it half way on a fast machine
    values.put("watchroom.media.ladder.preset", "medium");
    return values;
  }

  @BeforeAll
  static void startCluster() throws Exception {
    first = WatchroomNode.start(TestNodes.config(dir.resolve("a"), settings()));
    second = WatchroomNode.start(TestNodes.withSeed(TestNodes.config(dir.resolve("b"), settings()), first));
    awaitMembers(first, 2);
  }

  @AfterAll
  static void stop() throws Exception {
    for (WatchroomNode node : new WatchroomNode[] {third, second, first}) {
      if (node != null) {
        try {
          node.close();
        } catch (Exception e) {
          // already stopped by the test
        }
      }
    }
    TestNodes.dropSchema(SCHEMA);
  }

  @Test
  void anotherNodeFinishesAJobWhoseNodeStopped() throws Exception {
    Path clip = MediaFixture.clip("kill-20s-720p.mp4", 20, "1280x720");
    VideoApi onFirst = VideoApi.guest(first);
    String id = onFirst.upload(clip, "Interrupted", 1 << 20);

    // wait until one of the nodes is in the middle of the ladder
    onFirst.awaitVideo(id, v -> v.get("status").asText().equals("transcoding") && v.get("progress").asDouble() >= 5, Duration.ofMinutes(2));
    long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (first.runningTranscodes() + second.runningTranscodes() == 0 && System.nanoTime() < end) {
      Thread.sleep(50);
    }
    WatchroomNode running = first.runningTranscodes() > 0 ? first : second;
    WatchroomNode survivor = running == first ? second : first;
    assertEquals(1, running.runningTranscodes(), "the job runs on one node");
    assertTrue(onFirst.video(id).get("progress").asDouble() < 100, "stopped mid-transcode");
    running.close();
    if (running == first) {
      first = null;
    } else {
      second = null;
    }

    VideoApi onSurvivor = new VideoApi(survivor, onFirst.token);
    JsonNode published = onSurvivor.awaitVideo(id, v -> v.get("status").asText().equals("published") || v.get("status").asText().equals("failed"), Duration.ofMinutes(3));
    PublishedVideo.verify(onSurvivor, published, List.of("1280x720", "854x480", "640x360", "426x240"), 20.0);

    List<String> events = events(survivor, id);
    assertEquals(1, events.stream().filter(e -> e.equals("Published")).count(), events.toString());
    assertTrue(events.stream().filter(e -> e.equals("TranscodeStarted")).count() >= 2, "a second attempt ran: " + events);
    // no file of an interrupted attempt is left beside the published ones: the media folder holds
    // exactly what the master playlist and its media playlists name
    try (Stream<Path> files = Files.walk(dir.resolve("shared-media").resolve("videos").resolve(id))) {
      assertTrue(files.noneMatch(p -> p.getFileName().toString().startsWith(".")), "no partial files");
    }

    // Replay every video event from the start (as after losing the offsets): the published video
    // is not transcoded again. The last node stops, the offsets go, and a new node starts alone on
    // the same journal, so every projection instance starts from the first event.
    survivor.close();
    if (survivor == first) {
      first = null;
    } else {
      second = null;
    }
    try (Connection c = DriverManager.getConnection(TestNodes.PG_URL, TestNodes.PG_USER, TestNodes.PG_PASSWORD);
        Statement s = c.createStatement()) {
      s.executeUpdate("DELETE FROM " + SCHEMA + ".pekko_projection_offset_store WHERE projection_name = 'video-transcoding'");
    }
    third = WatchroomNode.start(TestNodes.config(dir.resolve("c"), settings()));
    awaitReplayed(third);
    List<String> after = events(third, id);
    assertEquals(events, after, "nothing happened to the published video");
    assertEquals("published", new VideoApi(third, onFirst.token).video(id).get("status").asText());
  }

  /** Waits until all four transcoding projection instances stored an offset again. */
  private static void awaitReplayed(WatchroomNode node) throws Exception {
    long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < end) {
      try (Connection c = node.readModels().getConnection();
          Statement s = c.createStatement();
          ResultSet r = s.executeQuery("SELECT COUNT(*) FROM pekko_projection_offset_store WHERE projection_name = 'video-transcoding'")) {
        r.next();
        if (r.getInt(1) >= 1) {
          Thread.sleep(2_000); // let any (wrong) job start
          return;
        }
      }
      Thread.sleep(200);
    }
    throw new AssertionError("the transcoding projection did not run again");
  }

  /** The simple names of the video's events, in order, from the journal. */
  private static List<String> events(WatchroomNode node, String id) throws Exception {
    List<String> names = new ArrayList<>();
    try (Connection c = node.readModels().getConnection();
        PreparedStatement s = c.prepareStatement(
            "SELECT event_ser_manifest FROM event_journal WHERE persistence_id = ? ORDER BY sequence_number")) {
      s.setString(1, "Video|" + id);
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          String manifest = r.getString(1);
          names.add(manifest.substring(manifest.lastIndexOf('$') + 1));
        }
      }
    }
    return names;
  }

  private static void awaitMembers(WatchroomNode node, int count) throws Exception {
    long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (Cluster.get(node.system()).state().getMembers().spliterator().estimateSize() >= 0) {
      long up = 0;
      for (var m : Cluster.get(node.system()).state().getMembers()) {
        if (m.status().equals(MemberStatus.up())) {
          up++;
        }
      }
      if (up >= count) {
        return;
      }
      if (System.nanoTime() > end) {
        throw new AssertionError("cluster did not form");
      }
      Thread.sleep(100);
    }
  }
}
