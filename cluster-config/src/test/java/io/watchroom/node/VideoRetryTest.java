package io.watchroom.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.watchroom.http.WsClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A transcode that fails every time: the node's ffmpeg is a script that writes twelve error lines
 * and exits 1 (ffprobe is the real one, so the upload passes its probe). The job retries with
 * growing waits and, after the configured three attempts, the video fails with ffmpeg's last
 * error lines in its reason and leaves nothing behind.
 */
class VideoRetryTest {

  @TempDir static Path dataDir;
  private static WatchroomNode node;

  @BeforeAll
  static void start() throws Exception {
    Path ffmpeg = dataDir.resolve("failing-ffmpeg");
    StringBuilder script = new StringBuilder("#!/bin/sh\n");
    for (int i = 1; i <= 12; i++) {
      script.append(String.format("echo '[libx264 @ 0x5617] step %02d: encoder refused the frame' >&2%n", i));
    }
    script.append("exit 1\n");
    Files.writeString(ffmpeg, script.toString(), StandardCharsets.UTF_8);
    assertTrue(ffmpeg.toFile().setExecutable(true));
    node = WatchroomNode.start(TestNodes.config(dataDir, Map.of(
        "watchroom.database.kind", "h2",
        "watchroom.media.ffmpeg", ffmpeg.toString(),
        "watchroom.media.error-lines", "8",
        "watchroom.media.retries.max-attempts", "3",
        "watchroom.media.retries.min-backoff", "1s",
        "watchroom.media.retries.max-backoff", "4s")));
  }

  @AfterAll
  static void stop() throws Exception {
    if (node != null) {
      node.close();
    }
  }

  @Test
  void aTranscodeThatAlwaysFailsIsRetriedWithBackoffThenFailsWithFfmpegsLastLines() throws Exception {
    VideoApi api = VideoApi.guest(node);
    String id = api.upload(MediaFixture.clip("short-4s.mp4", 4), "Never works", 256 * 1024);
    JsonNode failed = api.awaitVideo(id, v -> v.get("status").asText().equals("failed"), Duration.ofMinutes(2));

    String reason = failed.get("reason").asText();
    assertTrue(reason.startsWith("Transcoding failed after 3 attempts: ffmpeg (ladder) exited with 1:\n"), reason);
    // the last eight lines ffmpeg wrote, in order, and nothing before them
    for (int i = 5; i <= 12; i++) {
      assertTrue(reason.contains(String.format("step %02d:", i)), reason);
    }
    assertFalse(reason.contains("step 04:"), reason);
    assertTrue(reason.indexOf("step 05:") < reason.indexOf("step 12:"));
    assertTrue(failed.get("media").isNull());

    // three attempts, each failure recorded, then the video failed
    List<JsonNode> attempts = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (JsonNode event : events(id)) {
      String name = event.get("name").asText();
      if (name.equals("TranscodeStarted") || name.equals("AttemptFailed") || name.equals("Failed")) {
        names.add(name + (event.has("attempt") ? " " + event.get("attempt").asInt() : ""));
        attempts.add(event);
      }
    }
    assertEquals(
        List.of("TranscodeStarted 1", "AttemptFailed 1", "TranscodeStarted 2", "AttemptFailed 2",
            "TranscodeStarted 3", "AttemptFailed 3", "Failed"),
        names);
    assertTrue(attempts.get(1).get("reason").asText().contains("step 12:"), "each attempt keeps its error");
    // the waits between attempts: 1 s, then twice that (the events carry the entity's time)
    long firstWait = attempts.get(2).get("at").asLong() - attempts.get(1).get("at").asLong();
    long secondWait = attempts.get(4).get("at").asLong() - attempts.get(3).get("at").asLong();
    System.out.printf("Waits between attempts: %d ms, %d ms%n", firstWait, secondWait);
    assertTrue(firstWait >= 1_000, "first backoff " + firstWait + " ms");
    assertTrue(secondWait >= 2_000, "second backoff " + secondWait + " ms");

    // nothing of it is left
    assertEquals(List.of(), node.mediaStore().list("uploads/" + id + "/").toCompletableFuture().get(10, TimeUnit.SECONDS));
    assertEquals(List.of(), node.mediaStore().list("videos/" + id + "/").toCompletableFuture().get(10, TimeUnit.SECONDS));
  }

  private static List<JsonNode> events(String id) throws Exception {
    try (Connection c = node.readModels().getConnection()) {
      return JournalAudit.videoEvents(c, null, id);
    }
  }

}
