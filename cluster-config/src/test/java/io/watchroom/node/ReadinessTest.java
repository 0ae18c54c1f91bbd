package io.watchroom.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The management endpoints a load balancer or Kubernetes probes: {@code /alive} and {@code /ready}
 * answer 200 once the node serves, and {@code /ready} stops answering 200 as soon as coordinated
 * shutdown starts, while the node is still handing its rooms off.
 */
class ReadinessTest {

  @TempDir Path dataDir;

  @Test
  void readyWhileServingNotReadyOnceLeaving() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    WatchroomNode node =
        WatchroomNode.start(
            TestNodes.config(
                dataDir,
                Map.of(
                    "watchroom.database.kind", "h2",
                    "watchroom.management.enabled", true,
                    "watchroom.management.port", port,
                    "watchroom.management.interface", "127.0.0.1")));
    HttpClient http = HttpClient.newHttpClient();
    try {
      TestNodes.eventually("the node is ready", () -> status(http, port, "ready") == 200);
      assertEquals(200, status(http, port, "alive"));

      CompletionStage<Done> leaving = CoordinatedShutdown.get(node.system()).runAll(CoordinatedShutdown.unknownReason());
      boolean sawNotReady = false;
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (!leaving.toCompletableFuture().isDone() && System.nanoTime() < deadline) {
        int ready = status(http, port, "ready");
        if (ready != 200) {
          sawNotReady = ready > 0;
          break;
        }
        Thread.sleep(20);
      }
      assertTrue(sawNotReady, "/ready stopped answering 200 while the node was leaving");
    } finally {
      node.close();
    }
  }

  /** The status of a management path, or -1 when nothing answers. */
  private static int status(HttpClient http, int port, String path) {
    try {
      return http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/" + path)).timeout(Duration.ofSeconds(2)).GET().build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (Exception e) {
      return -1;
    }
  }
}
