package io.watchroom.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A simulated viewer for cluster tests and load benchmarks: one WebSocket to a room through any
 * of several nodes, acting by seeking to positions no one else uses, so every action can be found
 * again in the broadcasts and in the journal. It reconnects by itself, to the next node, when its
 * connection drops or the server says {@code reconnect}, as the web client does.
 *
 * <p>An action counts as acknowledged when its broadcast comes back: the server only broadcasts
 * what the room has persisted.
 */
final class Watcher {

  static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http;
  private final Executor executor;
  private final String roomId;
  private final String token;
  private final int id;
  private final List<String> nodeBases;
  private final RoomLog roomLog;
  private final AtomicInteger nodeIndex;
  private final AtomicLong counter = new AtomicLong();

  private volatile WebSocket socket;
  private volatile boolean joined;
  private volatile boolean stopped;

  /** Position -> System.nanoTime() when the seek was sent. */
  private final Map<Double, Long> sentAt = new ConcurrentHashMap<>();
  /** Nanoseconds from sending an action to seeing its broadcast. */
  final ConcurrentLinkedQueue<Long> roundTrips = new ConcurrentLinkedQueue<>();
  final AtomicInteger connects = new AtomicInteger();
  final AtomicInteger reconnectMessages = new AtomicInteger();
  final AtomicInteger errors = new AtomicInteger();
  final AtomicInteger sent = new AtomicInteger();

  /** What all watchers of one room saw: every acknowledged position and when it was seen. */
  static final class RoomLog {
    final String roomId;
    final Set<Double> acknowledged = ConcurrentHashMap.newKeySet();
    /** Position -> nanoTime the action was sent (by whichever watcher). */
    final Map<Double, Long> sentAt = new ConcurrentHashMap<>();
    /** nanoTime of the last broadcast of an action, and the send time of the newest such action. */
    final AtomicLong lastAckAt = new AtomicLong();
    final AtomicLong newestAckedSentAt = new AtomicLong();

    RoomLog(String roomId) {
      this.roomId = roomId;
    }

    void acknowledged(double position, long now) {
      acknowledged.add(position);
      Long sent = sentAt.get(position);
      lastAckAt.set(now);
      if (sent != null) {
        newestAckedSentAt.accumulateAndGet(sent, Math::max);
      }
    }
  }

  Watcher(
      HttpClient http,
      Executor executor,
      String roomId,
      String token,
      int id,
      List<String> nodeBases,
      int firstNode,
      RoomLog roomLog) {
    this.http = http;
    this.executor = executor;
    this.roomId = roomId;
    this.token = token;
    this.id = id;
    this.nodeBases = nodeBases;
    this.roomLog = roomLog;
    this.nodeIndex = new AtomicInteger(firstNode);
  }

  boolean isJoined() {
    return joined;
  }

  /** Connects (trying the nodes in turn) and joins; returns once the welcome has arrived. */
  void start(Duration timeout) throws InterruptedException {
    connect();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!joined) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("watcher " + id + " of room " + roomId + " did not join within " + timeout);
      }
      Thread.sleep(20);
    }
  }

  /**
   * A guest session for simulated user {@code n}, from {@code POST /api/session} on {@code base}.
   * Nodes allow 60 new sessions per client address in 10 minutes; each simulated user says it
   * comes from its own documentation-range address in X-Forwarded-For (which the nodes started for
   * tests and benchmarks believe from loopback, through WATCHROOM_TRUSTED_PROXIES), 50 users to an
   * address. No traffic goes to those addresses.
   */
  static String guest(HttpClient http, String base, int n) throws Exception {
    java.net.http.HttpResponse<String> response =
        http.send(
            java.net.http.HttpRequest.newBuilder(URI.create(base + "api/session"))
                .header("Content-Type", "application/json")
                .header("X-Forwarded-For", "198.51.100." + (n / 50 % 256))
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"name\":\"w" + n + "\"}"))
                .timeout(Duration.ofSeconds(10))
                .build(),
            java.net.http.HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 201) {
      throw new AssertionError("guest session: " + response.statusCode() + " " + response.body());
    }
    return JSON.readTree(response.body()).get("token").asText();
  }

  /** Sends one seek to a position that identifies this action; false when not connected. */
  boolean act() {
    WebSocket ws = socket;
    if (ws == null || !joined || stopped) {
      return false;
    }
    // counter.id, as seconds: unique in a room of fewer than 1000 viewers, and well inside the
    // media's duration. One correctly rounded division gives the double that the JSON text
    // parses back to.
    double position = (counter.incrementAndGet() * 1000 + id % 1000) / 1000.0;
    long now = System.nanoTime();
    sentAt.put(position, now);
    roomLog.sentAt.put(position, now);
    return send(ws, "{\"type\":\"seek\",\"position\":" + position + "}") && sent.incrementAndGet() > 0;
  }

  void send(String text) {
    WebSocket ws = socket;
    if (ws != null) {
      send(ws, text);
    }
  }

  private boolean send(WebSocket ws, String text) {
    // The JDK's WebSocket allows one outstanding send at a time.
    synchronized (this) {
      try {
        ws.sendText(text, true).get(5, TimeUnit.SECONDS);
        return true;
      } catch (Exception e) {
        return false;
      }
    }
  }

  void stop() {
    stopped = true;
    joined = false;
    WebSocket ws = socket;
    if (ws != null) {
      ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").exceptionally(e -> null);
      ws.abort();
    }
  }

  private void connect() {
    if (stopped) {
      return;
    }
    int index = Math.floorMod(nodeIndex.get(), nodeBases.size());
    String url = nodeBases.get(index).replace("http://", "ws://") + "api/rooms/" + roomId + "/ws";
    http.newWebSocketBuilder()
        .connectTimeout(Duration.ofSeconds(3))
        .buildAsync(URI.create(url), new Listener())
        .whenComplete(
            (ws, failure) -> {
              if (failure != null) {
                // That node is down or refused: try the next one shortly.
                nodeIndex.incrementAndGet();
                retryLater(100);
                return;
              }
              if (stopped) {
                ws.abort();
                return;
              }
              socket = ws;
              connects.incrementAndGet();
              send(ws, "{\"type\":\"join\",\"token\":\"" + token + "\"}");
            });
  }

  private void retryLater(long millis) {
    if (!stopped) {
      java.util.concurrent.CompletableFuture.delayedExecutor(millis, TimeUnit.MILLISECONDS, executor)
          .execute(this::connect);
    }
  }

  private void lost(WebSocket ws, boolean immediately) {
    if (ws != socket) {
      return;
    }
    socket = null;
    joined = false;
    nodeIndex.incrementAndGet();
    if (immediately) {
      executor.execute(this::connect);
    } else {
      retryLater(100);
    }
  }

  private void onFrame(WebSocket ws, String text) {
    long now = System.nanoTime();
    JsonNode frame;
    try {
      frame = JSON.readTree(text);
    } catch (Exception e) {
      return;
    }
    switch (frame.path("type").asText()) {
      case "welcome" -> joined = true;
      case "playback" -> {
        double position = frame.path("position").asDouble();
        if (position >= 1.0 && !frame.path("by").isNull()) {
          Long sent = sentAt.remove(position);
          if (sent != null) {
            roundTrips.add(now - sent);
          }
          roomLog.acknowledged(position, now);
        }
      }
      case "reconnect" -> {
        reconnectMessages.incrementAndGet();
        ws.abort();
        lost(ws, true);
      }
      case "error" -> errors.incrementAndGet();
      default -> {}
    }
  }

  private final class Listener implements WebSocket.Listener {
    private final StringBuilder partial = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        String text = partial.toString();
        partial.setLength(0);
        onFrame(webSocket, text);
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      lost(webSocket, false);
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      lost(webSocket, false);
    }
  }
}
