package io.watchroom.node;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * N Watchroom nodes as separate JVMs on loopback, sharing one PostgreSQL database, forming their
 * cluster through Cluster Bootstrap with config discovery (each node's management port is a
 * contact point). Used by {@code java -jar watchroom.jar local-cluster N} and by the failover
 * tests and benchmarks, which kill and restart nodes. Each node keeps its ports across restarts,
 * as a pod or container would keep its address.
 */
public final class LocalCluster implements AutoCloseable {

  /** The ports of one node; the process is replaced when the node restarts. */
  public static final class Node {
    public final int index;
    public final int httpPort;
    public final int clusterPort;
    public final int managementPort;
    public final int metricsPort;
    public final Path log;
    private volatile Process process;

    private Node(int index, int httpPort, int clusterPort, int managementPort, int metricsPort, Path log) {
      this.index = index;
      this.httpPort = httpPort;
      this.clusterPort = clusterPort;
      this.managementPort = managementPort;
      this.metricsPort = metricsPort;
      this.log = log;
    }

    public String httpBase() {
      return "http://127.0.0.1:" + httpPort + "/";
    }

    public String clusterAddress() {
      return "pekko://" + WatchroomNode.SYSTEM_NAME + "@127.0.0.1:" + clusterPort;
    }

    public boolean isRunning() {
      Process p = process;
      return p != null && p.isAlive();
    }

    public long pid() {
      return process.pid();
    }

    @Override
    public String toString() {
      return "node " + index + ": " + httpBase() + "  cluster " + clusterAddress()
          + "  management http://127.0.0.1:" + managementPort + "/ready"
          + "  metrics http://127.0.0.1:" + metricsPort + "/metrics  log " + log;
    }
  }

  private final List<Node> nodes;
  private final Map<String, String> environment;
  private final List<String> jvmOptions;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private LocalCluster(List<Node> nodes, Map<String, String> environment, List<String> jvmOptions) {
    this.nodes = nodes;
    this.environment = environment;
    this.jvmOptions = jvmOptions;
  }

  /**
   * Prepares {@code size} nodes on free loopback ports, writing their logs under {@code workDir}.
   * {@code environment} is laid over the cluster profile's variables (database URL, schema,
   * tuning); nothing starts until {@link #startAll()}.
   */
  public static LocalCluster create(
      int size, Path workDir, Map<String, String> environment, List<String> jvmOptions) {
    try {
      Files.createDirectories(workDir);
      List<Node> nodes = new ArrayList<>();
      for (int i = 0; i < size; i++) {
        nodes.add(new Node(i, freePort(), freePort(), freePort(), freePort(), workDir.resolve("node-" + i + ".log")));
      }
      String contactPoints =
          nodes.stream().map(n -> "127.0.0.1:" + n.managementPort).collect(Collectors.joining(","));
      Map<String, String> env = new HashMap<>();
      env.put("WATCHROOM_PROFILE", "cluster");
      env.put("WATCHROOM_DB", "postgres");
      env.put("WATCHROOM_MEDIA_STORAGE", "local");
      // Every node must sign and check session tokens with the same secret.
      byte[] secret = new byte[32];
      new java.security.SecureRandom().nextBytes(secret);
      env.put("WATCHROOM_AUTH_SECRET", java.util.Base64.getEncoder().encodeToString(secret));
      env.put("WATCHROOM_DATA_DIR", workDir.resolve("data").toString());
      env.put("WATCHROOM_DISCOVERY_METHOD", "config");
      env.put("WATCHROOM_CONTACT_POINTS", contactPoints);
      env.put("WATCHROOM_REQUIRED_CONTACT_POINTS", String.valueOf(size));
      env.put("WATCHROOM_HTTP_INTERFACE", "127.0.0.1");
      env.put("WATCHROOM_MANAGEMENT_INTERFACE", "127.0.0.1");
      env.put("WATCHROOM_METRICS_INTERFACE", "127.0.0.1");
      env.put("WATCHROOM_CLUSTER_HOST", "127.0.0.1");
      env.put("WATCHROOM_LOG_FORMAT", "text");
      env.putAll(environment);
      return new LocalCluster(List.copyOf(nodes), Map.copyOf(env), List.copyOf(jvmOptions));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public List<Node> nodes() {
    return nodes;
  }

  public Node node(int index) {
    return nodes.get(index);
  }

  /** Starts every node and waits until each is ready (an Up member serving HTTP). */
  public LocalCluster startAll(Duration timeout) throws Exception {
    for (Node node : nodes) {
      launch(node);
    }
    for (Node node : nodes) {
      awaitReady(node, timeout);
    }
    return this;
  }

  /** Starts one (stopped or killed) node again on its ports and waits until it is ready. */
  public void restart(Node node, Duration timeout) throws Exception {
    if (node.isRunning()) {
      throw new IllegalStateException("node " + node.index + " is still running");
    }
    launch(node);
    awaitReady(node, timeout);
  }

  /** kill -9: no goodbye, no hand-off; the cluster must notice and down the node. */
  public void kill(Node node) throws InterruptedException {
    node.process.destroyForcibly();
    node.process.waitFor(30, TimeUnit.SECONDS);
  }

  /** SIGTERM: coordinated shutdown, sessions sent away, shards handed off, the node leaves. */
  public void stop(Node node, Duration timeout) throws InterruptedException {
    Process process = node.process;
    if (process == null || !process.isAlive()) {
      return;
    }
    process.destroy();
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
      throw new IllegalStateException("node " + node.index + " did not stop within " + timeout);
    }
  }

  public boolean isReady(Node node) {
    try {
      HttpResponse<Void> response =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.managementPort + "/ready"))
                  .timeout(Duration.ofSeconds(2))
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.discarding());
      return response.statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * Waits until {@code node} is ready. A node joins only with the others, so the failure names
   * every node that is not running and shows the end of each one's log.
   */
  public void awaitReady(Node node, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!isReady(node)) {
      if (!node.isRunning()) {
        throw new IllegalStateException("node " + node.index + " exited" + diagnosis());
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("node " + node.index + " not ready within " + timeout + diagnosis());
      }
      Thread.sleep(200);
    }
  }

  private String diagnosis() {
    StringBuilder text = new StringBuilder();
    for (Node n : nodes) {
      text.append("\n--- node ").append(n.index).append(n.isRunning() ? " (running)" : " (not running)")
          .append(", ").append(n.log).append(":\n").append(tail(n.log));
    }
    return text.toString();
  }

  /** Stops every running node gracefully, in parallel. */
  @Override
  public void close() throws InterruptedException {
    for (Node node : nodes) {
      if (node.isRunning()) {
        node.process.destroy();
      }
    }
    for (Node node : nodes) {
      Process p = node.process;
      if (p != null && !p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
  }

  private void launch(Node node) throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> command = new ArrayList<>();
    command.add(java);
    command.addAll(jvmOptions);
    // The node's own logging setup, even when a test's logback-test.xml is on the class path.
    command.add("-Dlogback.configurationFile=logback.xml");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(Main.class.getName());
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().putAll(environment);
    builder.environment().put("WATCHROOM_HTTP_PORT", String.valueOf(node.httpPort));
    builder.environment().put("WATCHROOM_CLUSTER_PORT", String.valueOf(node.clusterPort));
    builder.environment().put("WATCHROOM_MANAGEMENT_PORT", String.valueOf(node.managementPort));
    builder.environment().put("WATCHROOM_METRICS_PORT", String.valueOf(node.metricsPort));
    builder.redirectErrorStream(true);
    builder.redirectOutput(ProcessBuilder.Redirect.appendTo(node.log.toFile()));
    node.process = builder.start();
  }

  /**
   * A free loopback port below the kernel's ephemeral range (32768 and up on Linux), never one
   * handed out before in this JVM. A node keeps its ports across restarts, and an ephemeral port
   * may meanwhile become the local end of some outgoing connection (to PostgreSQL, say), which
   * would keep the node from binding it again.
   */
  private static synchronized int freePort() throws IOException {
    for (int attempt = 0; attempt < 1000; attempt++) {
      int port = FIRST_PORT + RANDOM.nextInt(PORT_SPAN);
      if (!HANDED_OUT.add(port)) {
        continue;
      }
      try (ServerSocket socket = new ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
        return socket.getLocalPort();
      } catch (IOException taken) {
        // In use: try another.
      }
    }
    throw new IOException("No free port between " + FIRST_PORT + " and " + (FIRST_PORT + PORT_SPAN));
  }

  private static final int FIRST_PORT = 20_000;
  private static final int PORT_SPAN = 12_000;
  private static final java.util.Random RANDOM = new java.util.Random();
  private static final java.util.Set<Integer> HANDED_OUT = new java.util.HashSet<>();

  /** The last lines of a node's log, for a failure message. */
  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException | UncheckedIOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }
}
