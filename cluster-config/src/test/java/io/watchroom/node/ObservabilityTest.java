package io.watchroom.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Set;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node started as its own JVM with metrics on (Kamon's agent attaches before the actor system,
 * as in production) exports JVM, Pekko and Watchroom metrics on its Prometheus endpoint, and
 * reports its active rooms, connections, messages, persist and ask latency and client drift once
 * clients have used a room, the media proxy's misses, hits and upstream bytes once a pasted link
 * was played through it, and transcoding job time and slots once an upload was published. Its
 * JSON log lines carry the node and, from sessions, the room.
 */
class ObservabilityTest {

  @TempDir Path workDir;

  @Test
  void metricsAndStructuredLogs() throws Exception {
    LocalCluster.Node node;
    Set<String> rooms;
    try (ClusterScenario scenario =
        new ClusterScenario(
            workDir,
            1,
            Map.of(
                "WATCHROOM_METRICS_INSTRUMENTATION", "true",
                "WATCHROOM_METRICS_TICK", "1s",
                "WATCHROOM_LOG_FORMAT", "json"))) {
      scenario.start();
      node = scenario.cluster.node(0);
      scenario.populate(2, 2);
      rooms = Set.copyOf(scenario.rooms.keySet());
      for (int i = 0; i < 5; i++) {
        scenario.watchers.forEach(Watcher::act);
      }
      scenario.watchers.get(0).send("{\"type\":\"drift\",\"ms\":-12.5}");
      scenario.watchers.get(1).send("{\"type\":\"drift\",\"ms\":40}");

      HttpClient http = HttpClient.newHttpClient();
      String base = node.httpBase();
      String token = scenario.owners.values().iterator().next();
      URI segment = proxiedSegment(http, base, token, scenario.media.url());
      String videoId = upload(http, base, token, MediaFixture.clip("observed.mp4", 2));
      awaitPublished(http, base, token, videoId);
      String scrape = "";
      List<String> expected =
          List.of(
              // Watchroom's own
              "watchroom_rooms_active\\{.*node=\"127.0.0.1:" + node.clusterPort + "\".*\\} 2(\\.0)?",
              "watchroom_ws_connections_max(\\{.*\\})? [1-9].*",
              "watchroom_ws_messages_total\\{.*direction=\"in\".*\\} [1-9].*",
              "watchroom_ws_messages_total\\{.*direction=\"out\".*\\} [1-9].*",
              "watchroom_journal_write_seconds_count(\\{.*\\})? [1-9].*",
              "watchroom_room_ask_seconds_count\\{.*kind=\"action\".*\\} [1-9].*",
              "watchroom_sync_drift_seconds_count(\\{.*\\})? 2(\\.0)?",
              "watchroom_proxy_misses_total(\\{.*\\})? [1-9].*",
              "watchroom_proxy_hits_total\\{.*tier=\"memory\".*\\} [1-9].*",
              "watchroom_proxy_upstream_bytes_total(\\{.*\\})? [1-9][0-9]{4,}.*",
              "watchroom_transcode_job_seconds_count\\{.*outcome=\"done\".*\\} 1(\\.0)?",
              "watchroom_transcode_running(\\{.*\\})? 0(\\.0)?",
              "watchroom_transcode_queue(\\{.*\\})? 0(\\.0)?",
              // Pekko (from the instrumentation) and the JVM
              "pekko_system_active_actors.*",
              "jvm_memory_used_bytes.*");
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (System.nanoTime() < deadline) {
        // the first answer is a miss; once it is cached, the next ones are memory hits
        HttpResponse<byte[]> played = http.send(HttpRequest.newBuilder(segment).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, played.statusCode());
        assertEquals(64 * 1024, played.body().length);
        HttpResponse<String> response =
            http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.metricsPort + "/metrics")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        scrape = response.body();
        if (response.statusCode() == 200 && expected.stream().allMatch(e -> has(response.body(), e))) {
          break;
        }
        Thread.sleep(1000);
      }
      for (String metric : expected) {
        String body = scrape;
        assertTrue(has(body, metric), () -> "no line matching " + metric + " in\n" + watchroomLines(body));
      }
      // SIGTERM while the watchers are connected: each session logs how it sends its client away.
      scenario.cluster.stop(node, Duration.ofSeconds(60));
    }
    String nodeName = "127.0.0.1:" + node.clusterPort;
    int withRoom = 0;
    int lines = 0;
    for (String line : Files.readAllLines(node.log)) {
      if (!line.startsWith("{")) {
        continue;
      }
      JsonNode entry = Watcher.JSON.readTree(line);
      lines++;
      if (entry.at("/context/properties/node").asText().equals(nodeName)
          && rooms.contains(entry.at("/mdc/roomId").asText())) {
        withRoom++;
      }
    }
    assertTrue(lines > 10, "JSON log lines: " + lines);
    assertTrue(withRoom >= 4, "log lines with node and room: " + withRoom);
  }

  /** Resolves the loopback playlist and answers the proxy URL of its segment. */
  private static URI proxiedSegment(HttpClient http, String base, String token, String link) throws Exception {
    HttpResponse<String> resolved =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "api/resolve"))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofString("{\"url\":\"" + link + "\"}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, resolved.statusCode(), resolved.body());
    URI manifest = URI.create(base).resolve(Watcher.JSON.readTree(resolved.body()).get("stream").asText());
    String playlist = http.send(HttpRequest.newBuilder(manifest).GET().build(), HttpResponse.BodyHandlers.ofString()).body();
    String line = playlist.lines().filter(l -> !l.isBlank() && !l.startsWith("#")).findFirst().orElseThrow();
    assertTrue(line.contains("/api/proxy/") || !line.contains("://"), "the segment goes through the proxy: " + line);
    return manifest.resolve(line);
  }

  /** A tus upload of {@code file} in one request; answers the video id. */
  private static String upload(HttpClient http, String base, String token, Path file) throws Exception {
    byte[] bytes = Files.readAllBytes(file);
    HttpResponse<String> created =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "api/uploads"))
                .header("Authorization", "Bearer " + token)
                .header("Tus-Resumable", "1.0.0")
                .header("Upload-Length", Integer.toString(bytes.length))
                .header("Upload-Metadata", "filename " + Base64.getEncoder().encodeToString("observed.mp4".getBytes()))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(201, created.statusCode(), created.body());
    String location = created.headers().firstValue("Location").orElseThrow();
    String id = location.substring(location.lastIndexOf('/') + 1);
    HttpResponse<String> patched =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "api/uploads/" + id))
                .header("Authorization", "Bearer " + token)
                .header("Tus-Resumable", "1.0.0")
                .header("Upload-Offset", "0")
                .header("Content-Type", "application/offset+octet-stream")
                .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(bytes))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(204, patched.statusCode(), patched.body());
    return id;
  }

  private static void awaitPublished(HttpClient http, String base, String token, String id) throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    String status = "";
    while (System.nanoTime() < deadline) {
      HttpResponse<String> video =
          http.send(
              HttpRequest.newBuilder(URI.create(base + "api/videos/" + id)).header("Authorization", "Bearer " + token).GET().build(),
              HttpResponse.BodyHandlers.ofString());
      status = video.statusCode() == 200 ? Watcher.JSON.readTree(video.body()).path("status").asText() : video.body();
      if (status.equals("published")) {
        return;
      }
      assertFalse(status.equals("failed"), video.body());
      Thread.sleep(500);
    }
    throw new AssertionError("video " + id + " not published in 3 min: " + status);
  }

  private static boolean has(String scrape, String regex) {
    return Pattern.compile("^" + regex + "$", Pattern.MULTILINE).matcher(scrape).find();
  }

  private static String watchroomLines(String scrape) {
    StringBuilder lines = new StringBuilder();
    Matcher m = Pattern.compile("^(watchroom|pekko_system|jvm_memory)\\S*.*$", Pattern.MULTILINE).matcher(scrape);
    while (m.find()) {
      lines.append(m.group()).append('\n');
    }
    return lines.length() == 0 ? scrape.substring(0, Math.min(3000, scrape.length())) : lines.toString();
  }
}
