package io.watchroom.extraction;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.javadsl.Tcp;
import org.apache.pekko.util.ByteString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A forward proxy on loopback for the programs Watchroom runs on links people paste (yt-dlp,
 * ffprobe). Those programs open their own connections and follow their own redirects; pointing
 * them here puts every connection they make through {@link DestinationGuard}: {@code CONNECT}
 * tunnels (https) and absolute-form requests (http) are both resolved, checked and opened to the
 * checked address, or refused with 403. Plain http requests are sent with {@code Connection:
 * close}, one request per connection, so a client cannot reuse a checked connection for another
 * host.
 */
public final class EgressProxy implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(EgressProxy.class);
  private static final int MAX_HEAD_BYTES = 16 * 1024;
  private static final ByteString END_OF_HEAD = ByteString.fromString("\r\n\r\n");

  private final Tcp.ServerBinding binding;

  private EgressProxy(Tcp.ServerBinding binding) {
    this.binding = binding;
  }

  public static EgressProxy start(ActorSystem<?> system, DestinationGuard guard) throws Exception {
    Executor blocking = system.dispatchers().lookup(DispatcherSelector.blocking());
    Tcp.ServerBinding binding =
        Tcp.get(system)
            .bind("127.0.0.1", 0)
            .to(
                Sink.foreach(
                    connection ->
                        connection.handleWith(
                            Flow.<ByteString>create()
                                .via(splitHead())
                                .flatMapPrefix(1, first -> route(system, guard, blocking, first.iterator().next())),
                            system)))
            .run(system)
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
    return new EgressProxy(binding);
  }

  /** The proxy's URL, for {@code --proxy} and {@code -http_proxy}. */
  public String url() {
    return "http://127.0.0.1:" + binding.localAddress().getPort();
  }

  @Override
  public void close() {
    binding.unbind();
  }

  /** The request head, then the bytes after it as they come. */
  record Head(String text) {}

  private static Flow<ByteString, Object, NotUsed> splitHead() {
    return Flow.<ByteString>create()
        .statefulMapConcat(
            () -> {
              ByteString[] buffer = {ByteString.emptyByteString()};
              boolean[] done = {false};
              return chunk -> {
                if (done[0]) {
                  return List.of(chunk);
                }
                ByteString all = buffer[0].concat(chunk);
                int end = all.indexOfSlice(END_OF_HEAD);
                if (end < 0) {
                  if (all.size() > MAX_HEAD_BYTES) {
                    throw new IllegalArgumentException("request head too large");
                  }
                  buffer[0] = all;
                  return List.of();
                }
                done[0] = true;
                List<Object> out = new ArrayList<>();
                out.add(new Head(all.take(end + END_OF_HEAD.size()).decodeString(StandardCharsets.ISO_8859_1)));
                ByteString rest = all.drop(end + END_OF_HEAD.size());
                if (!rest.isEmpty()) {
                  out.add(rest);
                }
                return out;
              };
            });
  }

  private static Flow<Object, ByteString, NotUsed> route(
      ActorSystem<?> system, DestinationGuard guard, Executor blocking, Object first) {
    if (!(first instanceof Head head)) {
      return refuse(400, "Bad Request", "no request head");
    }
    String[] lines = head.text().split("\r\n");
    String[] requestLine = lines[0].split(" ");
    if (requestLine.length != 3) {
      return refuse(400, "Bad Request", "malformed request line");
    }
    String method = requestLine[0].toUpperCase(Locale.ROOT);
    String host;
    int port;
    ByteString forwardHead;
    if (method.equals("CONNECT")) {
      int colon = requestLine[1].lastIndexOf(':');
      if (colon < 0) {
        return refuse(400, "Bad Request", "CONNECT needs host:port");
      }
      host = requestLine[1].substring(0, colon);
      try {
        port = Integer.parseInt(requestLine[1].substring(colon + 1));
      } catch (NumberFormatException e) {
        return refuse(400, "Bad Request", "bad port");
      }
      forwardHead = null;
    } else {
      URI target;
      try {
        target = guard.checkUrl(requestLine[1]);
      } catch (BlockedDestination | DestinationGuard.NotAUrl e) {
        return refuse(403, "Blocked By Watchroom", e.getMessage());
      }
      host = target.getHost();
      port = target.getPort() > 0 ? target.getPort() : 80;
      if (!"http".equalsIgnoreCase(target.getScheme())) {
        return refuse(400, "Bad Request", "only http requests are forwarded; use CONNECT for https");
      }
      forwardHead = originForm(method, target, requestLine[2], lines);
    }
    String hostName = host;
    int hostPort = port;
    // Connect at once: after a GET's head the client sends nothing until it has an answer.
    return Flow.completionStageFlow(
            CompletableFuture.supplyAsync(
                () -> {
                  InetAddress address;
                  try {
                    address = guard.resolve(hostName);
                  } catch (BlockedDestination e) {
                    log.info("Refused a tool's connection to {}: {}", hostName, e.getMessage());
                    return refuse(403, "Blocked By Watchroom", e.getMessage());
                  }
                  Flow<ByteString, ByteString, ?> upstream =
                      Tcp.get(system)
                          .outgoingConnection(
                              new InetSocketAddress(address, hostPort),
                              java.util.Optional.empty(),
                              List.of(),
                              true,
                              java.util.Optional.of(java.time.Duration.ofSeconds(15)),
                              java.util.Optional.of(java.time.Duration.ofSeconds(60)));
                  Flow<Object, ByteString, NotUsed> bytes = Flow.<Object>create().map(ByteString.class::cast);
                  if (forwardHead == null) {
                    return bytes.via(upstream)
                        .prepend(Source.single(ByteString.fromString("HTTP/1.1 200 Connection Established\r\n\r\n")))
                        .mapMaterializedValue(m -> NotUsed.getInstance());
                  }
                  return bytes.prepend(Source.single(forwardHead)).via(upstream).mapMaterializedValue(m -> NotUsed.getInstance());
                },
                blocking))
        .mapMaterializedValue(m -> NotUsed.getInstance());
  }

  /** The request as an origin server expects it: path only, one request, no proxy headers. */
  private static ByteString originForm(String method, URI target, String version, String[] lines) {
    StringBuilder out = new StringBuilder();
    String path = target.getRawPath() == null || target.getRawPath().isEmpty() ? "/" : target.getRawPath();
    out.append(method).append(' ').append(path);
    if (target.getRawQuery() != null) {
      out.append('?').append(target.getRawQuery());
    }
    out.append(' ').append(version).append("\r\n");
    for (int i = 1; i < lines.length; i++) {
      String line = lines[i];
      String lower = line.toLowerCase(Locale.ROOT);
      if (line.isEmpty() || lower.startsWith("proxy-") || lower.startsWith("connection:") || lower.startsWith("keep-alive:")) {
        continue;
      }
      out.append(line).append("\r\n");
    }
    out.append("Connection: close\r\n\r\n");
    return ByteString.fromString(out.toString(), StandardCharsets.ISO_8859_1);
  }

  private static Flow<Object, ByteString, NotUsed> refuse(int status, String reason, String message) {
    byte[] body = message.getBytes(StandardCharsets.UTF_8);
    String head =
        "HTTP/1.1 " + status + " " + reason + "\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: "
            + body.length + "\r\nConnection: close\r\n\r\n";
    return Flow.fromSinkAndSource(
        Sink.ignore(), Source.single(ByteString.fromString(head).concat(ByteString.fromArray(body))));
  }
}
