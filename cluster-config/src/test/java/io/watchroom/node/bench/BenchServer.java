package io.watchroom.node.bench;

import io.watchroom.node.LocalCluster;
import io.watchroom.node.LongPlaylist;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A server under benchmark, each in its own process so that the client JVM and the server share
 * the machine the same way for all of them: a Watchroom node (embedded H2 by default, or
 * PostgreSQL), the minimal Node {@code ws} server, or the minimal Netty server.
 */
abstract class BenchServer implements AutoCloseable {

  abstract String name();

  /** The WebSocket URL of a room. */
  abstract String roomUrl(String roomId);

  /** Creates a room owned by {@code token} (Watchroom) or names one (the minimal servers have one). */
  String createRoom(HttpClient http, String token) throws Exception {
    return "bench-room-0001";
  }

  /** A session token for simulated user {@code n} (the minimal servers take any). */
  String guest(HttpClient http, int n) throws Exception {
    return "t" + n;
  }

  abstract long pid();

  /** A link the room can play (the minimal servers never read it). */
  String mediaUrl() {
    return "https://media.example.org/bench.mp4";
  }

  static BenchServer start(String kind, Path workDir, Map<String, String> env) throws Exception {
    return switch (kind) {
      case "watchroom" -> new Watchroom(workDir, env);
      case "node" -> new ChildProcess("node ws", nodeCommand(), Map.of());
      case "netty" -> new ChildProcess("netty", javaCommand(NettyBroadcastServer.class.getName()), Map.of());
      default -> throw new IllegalArgumentException("server: watchroom, node or netty");
    };
  }

  static final class Watchroom extends BenchServer {
    final LocalCluster cluster;
    final LongPlaylist media;

    Watchroom(Path workDir, Map<String, String> env) throws Exception {
      media = LongPlaylist.start();
      Map<String, String> all = new java.util.HashMap<>();
      all.put("WATCHROOM_PROFILE", "embedded");
      all.put("WATCHROOM_DB", "h2");
      all.put("WATCHROOM_MANAGEMENT_ENABLED", "true");
      all.put("WATCHROOM_METRICS_ENABLED", "false");
      all.put("WATCHROOM_LOG_FORMAT", "text");
      // Simulated users say which address they come from (see Watcher.guest); the bench is the proxy.
      all.put("WATCHROOM_TRUSTED_PROXIES", "127.0.0.1/32");
      all.put("WATCHROOM_FETCH_ALLOW", LongPlaylist.FETCH_ALLOW);
      all.putAll(env);
      cluster = LocalCluster.create(1, workDir, all, List.of("-Xms512m", "-Xmx1g"));
      cluster.startAll(Duration.ofMinutes(2));
    }

    @Override
    String name() {
      return "watchroom (" + (cluster == null ? "" : "node JVM") + ")";
    }

    @Override
    String roomUrl(String roomId) {
      return "ws://127.0.0.1:" + cluster.node(0).httpPort + "/api/rooms/" + roomId + "/ws";
    }

    @Override
    String guest(HttpClient http, int n) throws Exception {
      return io.watchroom.node.BenchAccess.guest(http, cluster.node(0).httpBase(), n);
    }

    @Override
    String createRoom(HttpClient http, String token) throws Exception {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(URI.create(cluster.node(0).httpBase() + "api/rooms"))
                  .POST(HttpRequest.BodyPublishers.ofString("{}"))
                  .header("Content-Type", "application/json")
                  .header("Authorization", "Bearer " + token)
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      String body = response.body();
      return body.substring(body.indexOf(":\"") + 2, body.lastIndexOf('"'));
    }

    @Override
    long pid() {
      return cluster.node(0).pid();
    }

    @Override
    String mediaUrl() {
      return media.url();
    }

    @Override
    public void close() throws Exception {
      try {
        cluster.close();
      } finally {
        media.close();
      }
    }
  }

  /** A server that prints "listening PORT" when ready. */
  static final class ChildProcess extends BenchServer {
    private final String name;
    private final Process process;
    private final int port;

    ChildProcess(String name, List<String> command, Map<String, String> env) throws Exception {
      this.name = name;
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
      builder.environment().putAll(env);
      process = builder.start();
      BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      String line;
      int found = -1;
      while ((line = out.readLine()) != null) {
        if (line.startsWith("listening ")) {
          found = Integer.parseInt(line.substring(10).trim());
          break;
        }
        System.out.println(name + ": " + line);
      }
      if (found < 0) {
        throw new IllegalStateException(name + " did not start");
      }
      port = found;
      // Keep draining its output so it never blocks on a full pipe.
      Thread drain = new Thread(() -> out.lines().forEach(l -> {}));
      drain.setDaemon(true);
      drain.start();
    }

    @Override
    String name() {
      return name;
    }

    @Override
    String roomUrl(String roomId) {
      return "ws://127.0.0.1:" + port + "/api/rooms/" + roomId + "/ws";
    }

    @Override
    long pid() {
      return process.pid();
    }

    @Override
    public void close() throws Exception {
      process.destroy();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }

  private static List<String> nodeCommand() {
    Path script = Path.of("bench/ws-broadcast/server.js").toAbsolutePath();
    Path modules = Path.of("bench/.node/node_modules").toAbsolutePath();
    if (!Files.isDirectory(modules.resolve("ws"))) {
      throw new IllegalStateException("npm packages missing: run cluster-config/bench/broadcast.sh, which installs ws into " + modules);
    }
    // The script imports `ws`; Node resolves bare imports from the script's folders upwards, so a
    // link next to it points into the ignored install folder.
    Path link = script.getParent().resolve("node_modules");
    try {
      if (!Files.exists(link)) {
        Files.createSymbolicLink(link, modules);
      }
    } catch (Exception e) {
      throw new IllegalStateException("cannot link " + link + " to " + modules, e);
    }
    return List.of("node", script.toString(), "0");
  }

  private static List<String> javaCommand(String mainClass) {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.add("-Xms512m");
    command.add("-Xmx1g");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(mainClass);
    command.add("0");
    return command;
  }
}
