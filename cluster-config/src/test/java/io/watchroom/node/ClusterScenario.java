package io.watchroom.node;

import com.fasterxml.jackson.databind.JsonNode;
import io.watchroom.core.room.Room;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.cluster.sharding.typed.HashCodeMessageExtractor;

/**
 * Three (or N) node JVMs on loopback sharing a PostgreSQL schema, rooms with watchers spread over
 * the nodes and acting all the time: the setting of the failover and rolling-restart tests and of
 * the failover benchmark.
 *
 * <p>Failure detection and downing are tuned for a test on a small shared machine, explicitly:
 * heartbeats may pause 5 s before a node counts as unreachable (the default 3 s risks false
 * alarms when three JVMs and other builds share two cores: a healthy node taken for dead would be
 * downed, and with two of three gone the last one downs itself too), and the Split Brain Resolver
 * downs an unreachable node after 3 s of stable membership (production: 20 s, see cluster.conf),
 * which is enough here because every node is on the same host and nothing can partition them.
 * A crashed node's rooms are thus away for about 5 + 3 s, plus the hand-over of the shard
 * coordinator when the crashed node was the oldest, plus the sessions' re-join backoff. The
 * bootstrap's stable margin is 1 s instead of 5 s so that the cluster forms quickly.
 */
final class ClusterScenario implements AutoCloseable {

  static final Duration READY_TIMEOUT = Duration.ofMinutes(2);

  /** Failure detection and downing as the class comment explains. */
  static Map<String, String> failoverTuning() {
    return Map.of("WATCHROOM_SBR_STABLE_AFTER", "3s", "WATCHROOM_FD_ACCEPTABLE_PAUSE", "5s");
  }

  final String schema;
  final LongPlaylist media;
  final LocalCluster cluster;
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
  final ExecutorService executor = Executors.newFixedThreadPool(4);
  final ScheduledExecutorService ticker = Executors.newScheduledThreadPool(2);
  final List<Watcher> watchers = new ArrayList<>();
  final Map<String, Watcher.RoomLog> rooms = new HashMap<>();
  /** The owner's session token of each room. */
  final Map<String, String> owners = new HashMap<>();
  private ScheduledFuture<?> acting;

  ClusterScenario(Path workDir, int nodes, Map<String, String> extraEnvironment) throws Exception {
    this.media = LongPlaylist.start();
    this.schema = "wr_cluster_" + Room.randomToken(8).toLowerCase().replaceAll("[^a-z0-9]", "x");
    Map<String, String> env = TestNodes.nodeJvmEnvironment(schema);
    env.putAll(failoverTuning());
    // Simulated users say which address they come from (see Watcher.guest); the test is the proxy.
    env.put("WATCHROOM_TRUSTED_PROXIES", "127.0.0.1/32");
    env.put("WATCHROOM_FETCH_ALLOW", LongPlaylist.FETCH_ALLOW);
    env.putAll(extraEnvironment);
    this.cluster = LocalCluster.create(nodes, workDir, env, TestNodes.NODE_JVM_OPTIONS);
  }

  ClusterScenario start() throws Exception {
    cluster.startAll(READY_TIMEOUT);
    return this;
  }

  List<String> nodeBases() {
    return cluster.nodes().stream().map(LocalCluster.Node::httpBase).toList();
  }

  /** Creates {@code roomCount} rooms with media; watcher j of room r first connects to node r + j. */
  void populate(int roomCount, int watchersPerRoom) throws Exception {
    List<String> bases = nodeBases();
    int first = watchers.size();
    for (int r = 0; r < roomCount; r++) {
      String base = bases.get(r % bases.size());
      int ownerId = first + r * watchersPerRoom + 1;
      String ownerToken = Watcher.guest(http, base, ownerId);
      String roomId = createRoom(base, ownerToken);
      owners.put(roomId, ownerToken);
      Watcher.RoomLog log = new Watcher.RoomLog(roomId);
      rooms.put(roomId, log);
      for (int j = 0; j < watchersPerRoom; j++) {
        int id = first + r * watchersPerRoom + j + 1;
        String token = j == 0 ? ownerToken : Watcher.guest(http, bases.get((r + j) % bases.size()), id);
        Watcher watcher = new Watcher(http, executor, roomId, token, id, bases, r + j, log);
        watcher.start(Duration.ofSeconds(30));
        if (j == 0) {
          watcher.send("{\"type\":\"set_media\",\"url\":\"" + media.url() + "\"}");
        }
        watchers.add(watcher);
      }
    }
  }

  /** Every watcher acts every {@code period} (spread over the period). */
  void startActing(Duration period) {
    long step = Math.max(1, period.toMillis() / Math.max(1, watchers.size()));
    acting =
        ticker.scheduleAtFixedRate(
            new Runnable() {
              int next;

              @Override
              public void run() {
                if (watchers.isEmpty()) {
                  return;
                }
                executor.execute(watchers.get(next++ % watchers.size())::act);
              }
            },
            0,
            step,
            TimeUnit.MILLISECONDS);
  }

  void stopActing() throws InterruptedException {
    if (acting != null) {
      acting.cancel(false);
    }
    // Let the last actions come back.
    Thread.sleep(1500);
  }

  /** The rooms each node hosts, from Pekko Management's shard routes on each running node. */
  Map<Integer, Set<String>> placement() throws Exception {
    HashCodeMessageExtractor<Object> extractor = new HashCodeMessageExtractor<>(1000);
    Map<Integer, Set<String>> placement = new HashMap<>();
    for (LocalCluster.Node node : cluster.nodes()) {
      if (!node.isRunning()) {
        continue;
      }
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.managementPort + "/cluster/shards/Room"))
                  .timeout(Duration.ofSeconds(5))
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      Set<String> shards = new HashSet<>();
      if (response.statusCode() == 200) {
        for (JsonNode region : Watcher.JSON.readTree(response.body()).path("regions")) {
          if (region.path("numEntities").asInt() > 0) {
            shards.add(region.path("shardId").asText());
          }
        }
      }
      Set<String> hosted = new HashSet<>();
      for (String roomId : rooms.keySet()) {
        if (shards.contains(extractor.shardId(roomId))) {
          hosted.add(roomId);
        }
      }
      placement.put(node.index, hosted);
    }
    return placement;
  }

  /** The node hosting the most rooms. */
  LocalCluster.Node busiestNode() throws Exception {
    Map<Integer, Set<String>> placement = placement();
    int best = placement.entrySet().stream().max(Map.Entry.comparingByValue((a, b) -> a.size() - b.size())).orElseThrow().getKey();
    return cluster.node(best);
  }

  /**
   * Waits until every room has acknowledged an action sent after {@code since} (nanoTime) and
   * returns, per room, how long after {@code since} that first happened, in milliseconds.
   */
  Map<String, Long> awaitRecovery(long since, Duration timeout) throws InterruptedException {
    Map<String, Long> recovered = new HashMap<>();
    long deadline = since + timeout.toNanos();
    while (recovered.size() < rooms.size()) {
      for (Watcher.RoomLog log : rooms.values()) {
        if (!recovered.containsKey(log.roomId) && log.newestAckedSentAt.get() > since) {
          recovered.put(log.roomId, (log.lastAckAt.get() - since) / 1_000_000);
        }
      }
      if (System.nanoTime() > deadline) {
        Set<String> missing = new HashSet<>(rooms.keySet());
        missing.removeAll(recovered.keySet());
        throw new AssertionError("rooms not serving again within " + timeout + ": " + missing);
      }
      Thread.sleep(20);
    }
    return recovered;
  }

  JsonNode roomState(String roomId) throws Exception {
    for (LocalCluster.Node node : cluster.nodes()) {
      if (!node.isRunning()) {
        continue;
      }
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(URI.create(node.httpBase() + "api/rooms/" + roomId))
                  .header("Authorization", "Bearer " + owners.get(roomId))
                  .timeout(Duration.ofSeconds(10))
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() == 200) {
        return Watcher.JSON.readTree(response.body());
      }
    }
    throw new AssertionError("no node answered for room " + roomId);
  }

  int acknowledgedActions() {
    return rooms.values().stream().mapToInt(l -> l.acknowledged.size()).sum();
  }

  int reconnectMessages() {
    return watchers.stream().mapToInt(w -> w.reconnectMessages.get()).sum();
  }

  @Override
  public void close() throws Exception {
    if (acting != null) {
      acting.cancel(true);
    }
    watchers.forEach(Watcher::stop);
    ticker.shutdownNow();
    executor.shutdownNow();
    try {
      cluster.close();
    } finally {
      media.close();
      TestNodes.dropSchema(schema);
    }
  }

  private String createRoom(String base, String token) throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "api/rooms"))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofString("{\"title\":\"Cluster room\"}"))
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 201) {
      throw new AssertionError("create room: " + response.statusCode() + " " + response.body());
    }
    return Watcher.JSON.readTree(response.body()).get("id").asText();
  }
}
