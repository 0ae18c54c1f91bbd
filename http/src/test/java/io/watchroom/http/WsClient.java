package io.watchroom.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A real WebSocket client (the JDK's, independent of Pekko) that collects the server's frames as
 * JSON and lets a test wait for the next frame of a given kind.
 */
public final class WsClient implements AutoCloseable {

  public static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WAIT = Duration.ofSeconds(10);

  private final LinkedBlockingQueue<JsonNode> frames = new LinkedBlockingQueue<>();
  private final CompletableFuture<Integer> closed = new CompletableFuture<>();
  private final List<JsonNode> seen = new ArrayList<>();
  private final WebSocket socket;

  private WsClient(String url) throws Exception {
    this.socket =
        HttpClient.newHttpClient()
            .newWebSocketBuilder()
            .connectTimeout(WAIT)
            .buildAsync(URI.create(url), new Listener())
            .get(10, TimeUnit.SECONDS);
  }

  public static WsClient connect(String url) throws Exception {
    return new WsClient(url);
  }

  /** Connects and joins with a session token; returns the client once its welcome has arrived. */
  public static WsClient join(String url, String token) throws Exception {
    return join(url, token, null);
  }

  public static WsClient join(String url, String token, String invite) throws Exception {
    WsClient client = new WsClient(url);
    ObjectNode join = JSON.createObjectNode().put("type", "join").put("token", token);
    if (invite != null) {
      join.put("invite", invite);
    }
    client.send(join);
    client.welcome = client.await("welcome");
    return client;
  }

  private JsonNode welcome;

  /** The welcome this client got when it joined. */
  public JsonNode welcome() {
    return welcome;
  }

  public void send(ObjectNode message) {
    sendText(message.toString());
  }

  public void sendText(String text) {
    socket.sendText(text, true).join();
  }

  public void sendBinary(byte[] data) {
    socket.sendBinary(ByteBuffer.wrap(data), true).join();
  }

  public static ObjectNode msg(String type) {
    return JSON.createObjectNode().put("type", type);
  }

  public JsonNode await(String type) throws InterruptedException {
    return await(type, m -> true);
  }

  /** The next frame of {@code type} matching {@code condition}; earlier frames are skipped. */
  public JsonNode await(String type, Predicate<JsonNode> condition) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      JsonNode frame = left > 0 ? frames.poll(left, TimeUnit.NANOSECONDS) : null;
      if (frame == null) {
        throw new AssertionError("No \"" + type + "\" frame within " + WAIT + "; seen " + seen);
      }
      seen.add(frame);
      if (type.equals(frame.path("type").asText()) && condition.test(frame)) {
        return frame;
      }
    }
  }

  /** Fails if any frame of {@code type} arrives within {@code window}. */
  public void expectNo(String type, Duration window) throws InterruptedException {
    long deadline = System.nanoTime() + window.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return;
      }
      JsonNode frame = frames.poll(left, TimeUnit.NANOSECONDS);
      if (frame != null) {
        seen.add(frame);
        if (type.equals(frame.path("type").asText())) {
          throw new AssertionError("Unexpected " + frame);
        }
      }
    }
  }

  public CompletableFuture<Integer> closed() {
    return closed;
  }

  @Override
  public void close() {
    if (!socket.isOutputClosed()) {
      socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").exceptionally(e -> null);
    }
    socket.abort();
  }

  private final class Listener implements WebSocket.Listener {
    private final StringBuilder partial = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        try {
          frames.add(JSON.readTree(partial.toString()));
        } catch (Exception e) {
          frames.add(JSON.createObjectNode().put("type", "unparseable").put("text", partial.toString()));
        }
        partial.setLength(0);
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      closed.complete(statusCode);
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      closed.complete(-1);
    }
  }
}
