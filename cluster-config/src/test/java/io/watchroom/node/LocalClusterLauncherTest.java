package io.watchroom.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.watchroom.core.room.Room;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code watchroom local-cluster N}, run as a user runs it: it starts N node JVMs against the
 * local PostgreSQL, prints each node's addresses, and those addresses answer (the web client, a
 * ready management endpoint, metrics, one cluster of N members); Enter stops every node.
 */
class LocalClusterLauncherTest {

  private static final Pattern NODE_LINE =
      Pattern.compile("node (\\d+): (http://127\\.0\\.0\\.1:\\d+/) +cluster (\\S+) +management (\\S+) +metrics (\\S+) +log (\\S+)");

  @TempDir Path workDir;

  @Test
  void startsNodesPrintsTheirAddressesAndStopsThem() throws Exception {
    String schema = "wr_launcher_" + Room.randomToken(8).toLowerCase().replaceAll("[^a-z0-9]", "x");
    String java = ProcessHandle.current().info().command().orElse("java");
    ProcessBuilder builder =
        new ProcessBuilder(
            java, "-Xmx128m", "-Dlogback.configurationFile=logback.xml",
            "-cp", System.getProperty("java.class.path"),
            Main.class.getName(), "local-cluster", "2");
    // the launcher's nodes inherit its environment
    builder.environment().putAll(TestNodes.nodeJvmEnvironment(schema));
    builder.environment().put("WATCHROOM_DATA_DIR", workDir.toString());
    builder.environment().put("WATCHROOM_NODE_JVM_OPTS", String.join(" ", TestNodes.NODE_JVM_OPTIONS));
    builder.redirectErrorStream(true);
    Process launcher = builder.start();
    BlockingQueue<String> output = new LinkedBlockingQueue<>();
    Thread reader = new Thread(() -> readLines(launcher, output), "launcher-output");
    reader.setDaemon(true);
    reader.start();
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    List<Matcher> nodes = new ArrayList<>();
    StringBuilder seen = new StringBuilder();
    try {
      String line;
      long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
      while (!(line = next(output, deadline, seen)).startsWith("All 2 nodes are up")) {
        Matcher node = NODE_LINE.matcher(line);
        if (node.find()) {
          nodes.add(node);
        }
      }
      assertEquals(2, nodes.size(), seen.toString());

      for (Matcher node : nodes) {
        HttpResponse<String> page = get(http, node.group(2));
        assertEquals(200, page.statusCode());
        assertTrue(page.body().toLowerCase().startsWith("<!doctype html>"), page.body());
        assertEquals(200, get(http, node.group(4)).statusCode(), "ready: " + node.group(4));
        assertEquals(200, get(http, node.group(5)).statusCode(), "metrics: " + node.group(5));
        assertTrue(node.group(3).startsWith("pekko://watchroom@127.0.0.1:"), node.group(3));
        // one cluster: the node's management lists both printed cluster addresses as Up
        JsonNode members =
            Watcher.JSON.readTree(get(http, node.group(4).replace("/ready", "/cluster/members")).body());
        List<String> up = new ArrayList<>();
        members.get("members").forEach(m -> {
          if (m.get("status").asText().equals("Up")) {
            up.add(m.get("node").asText());
          }
        });
        assertTrue(up.containsAll(List.of(nodes.get(0).group(3), nodes.get(1).group(3))), members.toString());
      }

      OutputStream stdin = launcher.getOutputStream();
      stdin.write('\n');
      stdin.flush();
      assertTrue(launcher.waitFor(2, TimeUnit.MINUTES), "the launcher stops after Enter: " + seen);
      assertEquals(0, launcher.exitValue());
      for (Matcher node : nodes) {
        assertThrows(ConnectException.class, () -> get(http, node.group(2)), "node stopped: " + node.group(2));
      }
    } finally {
      if (launcher.isAlive()) {
        launcher.destroy();
        launcher.waitFor(2, TimeUnit.MINUTES);
      }
      TestNodes.dropSchema(schema);
    }
  }

  private static HttpResponse<String> get(HttpClient http, String url) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String next(BlockingQueue<String> output, long deadline, StringBuilder seen) throws InterruptedException {
    String line = output.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    if (line == null) {
      throw new AssertionError("the launcher did not report its nodes up; it printed:\n" + seen);
    }
    seen.append(line).append('\n');
    return line;
  }

  private static void readLines(Process process, BlockingQueue<String> output) {
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = lines.readLine()) != null) {
        output.add(line);
      }
    } catch (IOException e) {
      output.add("(output closed: " + e.getMessage() + ")");
    }
  }
}
