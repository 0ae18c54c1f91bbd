package io.watchroom.node;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * clients have used a room. Its JSON log lines carry the node and, from sessions, the room.
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
              // Pekko (from the instrumentation) and the JVM
              "pekko_system_active_actors.*",
              "jvm_memory_used_bytes.*");
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (System.nanoTime() < deadline) {
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
