package io.watchroom.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.watchroom.core.room.Room;
import io.watchroom.http.WsClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node JVM is killed (SIGKILL, no shutdown of any kind) in the middle of a transcode; the rest of
 * the cluster notices, takes the transcoding projection over, runs the job again and publishes a
 * complete ladder. Then the whole cluster restarts with the transcoding offsets gone, so every
 * Video event is replayed, and the published video is not transcoded again. Three node JVMs on
 * loopback (LocalCluster) on PostgreSQL, sharing one data folder as nodes with shared storage do;
 * three, because the split brain resolver keeps the majority, and one of two is none.
 */
class VideoKillTest {

  private static final Duration READY_TIMEOUT = Duration.ofMinutes(2);

  @TempDir static Path workDir;
  private static final String SCHEMA = "wr_video_kill_" + Room.randomToken(8).toLowerCase().replaceAll("[^a-z0-9]", "x");
  private static LocalCluster cluster;

  @BeforeAll
  static void startCluster() throws Exception {
    Map<String, String> env = TestNodes.nodeJvmEnvironment(SCHEMA);
    // as in ClusterScenario: detection and downing tuned for JVMs on a small shared machine
    env.putAll(ClusterScenario.failoverTuning());
    cluster = LocalCluster.create(3, workDir, env, TestNodes.NODE_JVM_OPTIONS);
    cluster.startAll(READY_TIMEOUT);
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      if (cluster != null) {
        for (LocalCluster.Node node : cluster.nodes()) {
          if (node.isRunning()) {
            killWithItsPrograms(node);
          }
        }
      }
    } finally {
      TestNodes.dropSchema(SCHEMA);
    }
  }

  @Test
  void anotherNodeFinishesAJobWhoseNodeWasKilled() throws Exception {
    // 30 s of 720p: the ladder runs long enough to be caught half way on a fast machine
    Path clip = MediaFixture.clip("kill-30s-720p.mp4", 30, "1280x720");
    VideoApi uploader = VideoApi.guest(cluster.node(0).httpBase());
    String id = uploader.upload(clip, "Interrupted", 1 << 20);

    // wait until one node runs the ladder's ffmpeg, past its start and well before its end
    LocalCluster.Node running = null;
    long end = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    while (running == null) {
      if (System.nanoTime() > end) {
        throw new AssertionError("no node was seen in the middle of the ladder: " + uploader.video(id));
      }
      JsonNode video = uploader.video(id);
      double progress = video.get("progress").asDouble();
      if (video.get("status").asText().equals("transcoding") && progress >= 5 && progress < 60) {
        for (LocalCluster.Node node : cluster.nodes()) {
          if (runsFfmpeg(node)) {
            running = node;
          }
        }
      }
      if (progress >= 60) {
        throw new AssertionError("the ladder went past 60 % before it was seen; this machine is too fast for the clip");
      }
      Thread.sleep(100);
    }
    LocalCluster.Node survivor = cluster.node(running.index == 0 ? 1 : 0);
    LocalCluster.Node killed = running;
    killWithItsPrograms(running);
    JsonNode interrupted = poll(new VideoApi(survivor.httpBase(), uploader.token), id, v -> true);
    assertTrue(interrupted.get("progress").asDouble() < 85, "killed mid-ladder: " + interrupted);

    VideoApi onSurvivor = new VideoApi(survivor.httpBase(), uploader.token);
    JsonNode published =
        poll(onSurvivor, id, v -> v.get("status").asText().equals("published") || v.get("status").asText().equals("failed"));
    PublishedVideo.verify(onSurvivor, published, List.of("1280x720", "854x480", "640x360", "426x240"), 30.0);

    List<JsonNode> events = events(id);
    List<String> names = events.stream().map(e -> e.get("name").asText()).toList();
    assertEquals(1, names.stream().filter(n -> n.equals("Published")).count(), names.toString());
    List<String> startedOn =
        events.stream().filter(e -> e.get("name").asText().equals("TranscodeStarted")).map(e -> e.get("node").asText()).toList();
    assertTrue(startedOn.size() >= 2, "a second attempt ran: " + names);
    assertEquals(running.clusterAddress(), startedOn.get(0), "the first attempt ran on the killed node");
    String finishedOn = startedOn.get(startedOn.size() - 1);
    assertTrue(
        cluster.nodes().stream().anyMatch(n -> n != killed && n.clusterAddress().equals(finishedOn)),
        "another node finished it: " + startedOn);

    // The media folder holds exactly the published files: no file of the interrupted attempt
    // (a partial segment, a temporary file) is left beside them.
    Path media = workDir.resolve("data").resolve("media").resolve("videos").resolve(id);
    assertOnlyPublishedFiles(media);

    // Replay every Video event from the start, as after losing the projection's offsets: the whole
    // cluster stops, the transcoding offsets go, and it starts again on the same journal.
    for (LocalCluster.Node node : cluster.nodes()) {
      cluster.stop(node, Duration.ofSeconds(60));
    }
    try (Connection c = DriverManager.getConnection(TestNodes.PG_URL, TestNodes.PG_USER, TestNodes.PG_PASSWORD);
        Statement s = c.createStatement()) {
      s.executeUpdate("DELETE FROM " + SCHEMA + ".pekko_projection_offset_store WHERE projection_name = 'video-transcoding'");
    }
    cluster.startAll(READY_TIMEOUT);
    awaitReplayed();
    assertEquals(names, events(id).stream().map(e -> e.get("name").asText()).toList(), "nothing happened to the published video");
    assertEquals("published", poll(new VideoApi(cluster.node(0).httpBase(), uploader.token), id, v -> true).get("status").asText());
    assertOnlyPublishedFiles(media);
  }

  /**
   * SIGKILL to the node's JVM and to the programs it started. On a real machine the node's ffmpeg
   * dies with its container or host; here it would be left running as an orphan, so it is killed
   * too (after its parent, so that the node cannot react).
   */
  private static void killWithItsPrograms(LocalCluster.Node node) throws InterruptedException {
    List<ProcessHandle> programs = ProcessHandle.of(node.pid()).map(p -> p.descendants().toList()).orElse(List.of());
    cluster.kill(node);
    for (ProcessHandle program : programs) {
      program.destroyForcibly();
    }
    for (ProcessHandle program : programs) {
      program.onExit().join();
    }
  }

  private static boolean runsFfmpeg(LocalCluster.Node node) {
    if (!node.isRunning()) {
      return false;
    }
    Optional<ProcessHandle> process = ProcessHandle.of(node.pid());
    return process.isPresent()
        && process.get().descendants().anyMatch(p -> p.info().command().map(c -> c.endsWith("/ffmpeg")).orElse(false));
  }

  /**
   * Polls GET /api/videos/{id} until {@code done} holds, through the node's failure detection and
   * the entity's move (until then the node may answer with an error).
   */
  private static JsonNode poll(VideoApi api, String id, Predicate<JsonNode> done) throws Exception {
    long end = System.nanoTime() + Duration.ofMinutes(4).toNanos();
    String last = null;
    while (System.nanoTime() < end) {
      try {
        HttpResponse<String> response = api.send(api.request("api/videos/" + id).timeout(Duration.ofSeconds(15)).GET());
        last = response.statusCode() + " " + response.body();
        if (response.statusCode() == 200) {
          JsonNode video = WsClient.JSON.readTree(response.body());
          if (done.test(video)) {
            return video;
          }
        }
      } catch (java.io.IOException e) {
        last = e.toString();
      }
      Thread.sleep(250);
    }
    throw new AssertionError("video " + id + " did not get there; last answer: " + last);
  }

  /** Each rung folder holds its playlist and exactly the init and segments that playlist names. */
  private static void assertOnlyPublishedFiles(Path media) throws Exception {
    List<String> top;
    try (Stream<Path> files = Files.list(media)) {
      top = files.map(p -> p.getFileName().toString()).sorted().toList();
    }
    for (String name : top) {
      Path path = media.resolve(name);
      if (!Files.isDirectory(path)) {
        assertTrue(List.of("master.m3u8", "poster.jpg", "thumbnails.vtt").contains(name), "unexpected " + path);
        continue;
      }
      if (name.equals("sprites")) {
        continue;
      }
      String playlist = Files.readString(path.resolve("index.m3u8"));
      try (Stream<Path> files = Files.list(path)) {
        for (Path file : files.toList()) {
          String fileName = file.getFileName().toString();
          assertTrue(fileName.equals("index.m3u8") || playlist.contains(fileName), "left over: " + file);
        }
      }
    }
  }

  /** Waits until the transcoding projection stored an offset again, and a moment for a (wrong) job to start. */
  private static void awaitReplayed() throws Exception {
    long end = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (System.nanoTime() < end) {
      try (Connection c = DriverManager.getConnection(TestNodes.PG_URL, TestNodes.PG_USER, TestNodes.PG_PASSWORD);
          Statement s = c.createStatement();
          ResultSet r = s.executeQuery(
              "SELECT COUNT(*) FROM " + SCHEMA + ".pekko_projection_offset_store WHERE projection_name = 'video-transcoding'")) {
        r.next();
        if (r.getInt(1) >= 1) {
          Thread.sleep(3_000);
          for (LocalCluster.Node node : cluster.nodes()) {
            assertTrue(!runsFfmpeg(node), "node " + node.index + " transcodes again");
          }
          return;
        }
      }
      Thread.sleep(200);
    }
    throw new AssertionError("the transcoding projection did not run again");
  }

  private static List<JsonNode> events(String id) throws Exception {
    try (Connection c = DriverManager.getConnection(TestNodes.PG_URL, TestNodes.PG_USER, TestNodes.PG_PASSWORD)) {
      return JournalAudit.videoEvents(c, SCHEMA, id);
    }
  }

}
