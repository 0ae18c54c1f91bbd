package io.watchroom.node;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The node's launcher.
 *
 * <pre>
 *   watchroom [serve]                          run a node with this environment's configuration
 *   watchroom history &lt;room id&gt; [--at &lt;n&gt;]   print a room's timeline, and its state at event n
 *   watchroom local-cluster [N]                start N nodes on loopback ports against PostgreSQL,
 *                                              print their addresses, stop them on Enter or SIGTERM
 * </pre>
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) throws Exception {
    List<String> arguments = Arrays.asList(args);
    String command = arguments.isEmpty() ? "serve" : arguments.get(0);
    switch (command) {
      case "serve" -> serve(NodeConfig.load());
      case "history" -> System.exit(HistoryCommand.run(arguments.subList(1, arguments.size()), NodeConfig.load(), System.out));
      case "local-cluster" -> localCluster(arguments.size() > 1 ? Integer.parseInt(arguments.get(1)) : 3);
      default -> {
        System.err.println(
            "usage: watchroom [serve] | watchroom history <room id> [--at <event number>] | watchroom local-cluster [N]");
        System.exit(2);
      }
    }
  }

  private static void serve(Config config) throws Exception {
    WatchroomNode node = WatchroomNode.start(config);
    System.out.println(
        "Watchroom is running at "
            + node.publicAddress()
            + "  (profile: "
            + config.getString("watchroom.profile")
            + ", database: "
            + config.getString("watchroom.database.kind")
            + ", data: "
            + config.getString("watchroom.data-dir")
            + ", cluster: "
            + node.system().address()
            + node.managementPort().map(p -> ", management: " + p).orElse("")
            + node.metricsPort().map(p -> ", metrics: " + p).orElse("")
            + ")");
  }

  /**
   * The nodes inherit this process's environment (WATCHROOM_DB_URL, WATCHROOM_DB_USER,
   * WATCHROOM_DB_SCHEMA, ...); WATCHROOM_NODE_JVM_OPTS adds JVM options to each.
   */
  private static void localCluster(int size) throws Exception {
    if (size < 1 || size > 9) {
      throw new IllegalArgumentException("local-cluster runs 1 to 9 nodes");
    }
    Path workDir =
        Path.of(System.getenv().getOrDefault("WATCHROOM_DATA_DIR", "./data")).resolve("local-cluster").toAbsolutePath();
    List<String> jvmOptions =
        Arrays.stream(System.getenv().getOrDefault("WATCHROOM_NODE_JVM_OPTS", "-Xmx512m").split("\\s+"))
            .filter(s -> !s.isBlank())
            .toList();
    LocalCluster cluster =
        LocalCluster.create(size, workDir, Map.of("WATCHROOM_DATA_DIR", workDir.resolve("data").toString()), jvmOptions);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    cluster.close();
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                }));
    System.out.println("Starting " + size + " Watchroom nodes (logs under " + workDir + ") ...");
    cluster.startAll(Duration.ofMinutes(3));
    for (LocalCluster.Node node : cluster.nodes()) {
      System.out.println(node);
    }
    System.out.println("All " + size + " nodes are up. Press Enter (or send SIGTERM) to stop them.");
    if (System.in.read() < 0) {
      // No terminal: run until SIGTERM; the shutdown hook stops the nodes.
      Thread.currentThread().join();
    }
    cluster.close();
    System.out.println("Stopped.");
  }
}
