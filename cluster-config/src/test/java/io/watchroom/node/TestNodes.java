package io.watchroom.node;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import com.fasterxml.jackson.databind.JsonNode;
import io.watchroom.http.WsClient;

/** Starting real nodes for tests, on H2 in a temporary folder or on the machine's PostgreSQL. */
final class TestNodes {
  private TestNodes() {}

  static final String PG_URL =
      System.getenv().getOrDefault("WATCHROOM_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test");
  static final String PG_USER = System.getenv().getOrDefault("WATCHROOM_TEST_PG_USER", "postgres");
  static final String PG_PASSWORD = System.getenv().getOrDefault("WATCHROOM_TEST_PG_PASSWORD", "");

  static Config h2(Path dataDir) {
    return config(dataDir, Map.of("watchroom.database.kind", "h2"));
  }

  /** PostgreSQL in its own schema, so test runs never see each other's rooms. */
  static Config postgres(Path dataDir, String schema) {
    return config(
        dataDir,
        Map.of(
            "watchroom.database.kind", "postgres",
            "watchroom.database.url", PG_URL,
            "watchroom.database.user", PG_USER,
            "watchroom.database.password", PG_PASSWORD,
            "watchroom.database.schema", schema));
  }

  static Config config(Path dataDir, Map<String, Object> values) {
    Map<String, Object> all = new HashMap<>(values);
    all.put("watchroom.data-dir", dataDir.toString());
    return NodeConfig.load(
        ConfigFactory.parseMap(all).withFallback(ConfigFactory.parseResources("test-node.conf")));
  }

  static Config withSeed(Config config, WatchroomNode seed) {
    String address = seed.system().address().toString();
    return ConfigFactory.parseMap(Map.of("watchroom.cluster.seed-nodes", address)).withFallback(config);
  }

  /**
   * Small heaps, the serial collector and the quick JIT tier for node JVMs: several nodes and the
   * test share two cores.
   */
  static final List<String> NODE_JVM_OPTIONS =
      List.of("-Xms64m", "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss512k");

  /**
   * The environment of node JVMs on the machine's PostgreSQL in {@code schema}: a small pool each,
   * no instrumentation agent (about 5 s at start), and a short bootstrap margin so that the
   * cluster forms quickly. Callers add their own settings to it.
   */
  static Map<String, String> nodeJvmEnvironment(String schema) {
    Map<String, String> env = new HashMap<>();
    env.put("WATCHROOM_DB_URL", PG_URL);
    env.put("WATCHROOM_DB_USER", PG_USER);
    env.put("WATCHROOM_DB_PASSWORD", PG_PASSWORD);
    env.put("WATCHROOM_DB_SCHEMA", schema);
    env.put("WATCHROOM_DB_POOL_SIZE", "4");
    env.put("WATCHROOM_METRICS_INSTRUMENTATION", "false");
    env.put("WATCHROOM_BOOTSTRAP_STABLE_MARGIN", "1s");
    return env;
  }

  static void dropSchema(String schema) throws Exception {
    try (Connection c = DriverManager.getConnection(PG_URL, PG_USER, PG_PASSWORD);
        Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }
  }

  /** A guest session token from {@code POST /api/session}. */
  static String guest(WatchroomNode node, String name) throws Exception {
    HttpResponse<String> response = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create(base(node) + "api/session"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + name + "\"}"))
            .build(),
        HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 201) {
      throw new AssertionError("session: " + response.statusCode() + " " + response.body());
    }
    return WsClient.JSON.readTree(response.body()).get("token").asText();
  }

  static String createRoom(WatchroomNode node, String token) throws Exception {
    HttpResponse<String> response = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create(base(node) + "api/rooms"))
            .header("Content-Type", "application/json")
            .header("Authorization", "Bearer " + token)
            .POST(HttpRequest.BodyPublishers.ofString("{\"title\":\"Test room\"}"))
            .build(),
        HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 201) {
      throw new AssertionError("create room: " + response.statusCode() + " " + response.body());
    }
    return WsClient.JSON.readTree(response.body()).get("id").asText();
  }

  /** GET {@code path} (relative to the node), with a bearer token when given; the JSON body. */
  static JsonNode get(WatchroomNode node, String path, String token, int expectedStatus) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base(node) + path)).GET();
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    HttpResponse<String> response = HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != expectedStatus) {
      throw new AssertionError("GET " + path + ": " + response.statusCode() + " " + response.body());
    }
    return WsClient.JSON.readTree(response.body());
  }

  static String createRoom(WatchroomNode node, String token, String body) throws Exception {
    HttpResponse<String> response = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create(base(node) + "api/rooms"))
            .header("Content-Type", "application/json")
            .header("Authorization", "Bearer " + token)
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 201) {
      throw new AssertionError("create room: " + response.statusCode() + " " + response.body());
    }
    return WsClient.JSON.readTree(response.body()).get("id").asText();
  }

  /** Polls until {@code condition} holds (read models follow the journal a moment later). */
  static void eventually(String what, java.util.concurrent.Callable<Boolean> condition) throws Exception {
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
    AssertionError last = null;
    while (System.nanoTime() < deadline) {
      try {
        if (condition.call()) {
          return;
        }
      } catch (AssertionError e) {
        last = e;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("Not within 20 s: " + what + (last == null ? "" : " (" + last.getMessage() + ")"));
  }

  private static org.apache.pekko.actor.typed.ActorSystem<Void> mediaSystem;
  private static org.apache.pekko.http.javadsl.ServerBinding mediaServer;

  /**
   * A 60 s clip made with ffmpeg, served from loopback for the whole test run: what tests that are
   * not about links put into rooms (the node resolves and probes it like any pasted file).
   */
  static synchronized String clipUrl() throws Exception {
    java.nio.file.Path clip = MediaFixture.clip("sync-60s.mp4", 60);
    if (mediaServer == null) {
      mediaSystem = org.apache.pekko.actor.typed.ActorSystem.create(
          org.apache.pekko.actor.typed.javadsl.Behaviors.empty(), "test-media",
          com.typesafe.config.ConfigFactory.parseMap(Map.of("pekko.loglevel", "WARNING")).withFallback(ConfigFactory.load()));
      mediaServer = MediaFixture.serve(mediaSystem);
    }
    return MediaFixture.url(mediaServer, clip);
  }

  static JsonNode getRoom(WatchroomNode node, String roomId) throws Exception {
    HttpResponse<String> response = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create(base(node) + "api/rooms/" + roomId)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new AssertionError("get room: " + response.statusCode() + " " + response.body());
    }
    return WsClient.JSON.readTree(response.body());
  }

  static String base(WatchroomNode node) {
    return "http://127.0.0.1:" + node.httpPort() + "/";
  }

  static String ws(WatchroomNode node, String roomId) {
    return "ws://127.0.0.1:" + node.httpPort() + "/api/rooms/" + roomId + "/ws";
  }
}
