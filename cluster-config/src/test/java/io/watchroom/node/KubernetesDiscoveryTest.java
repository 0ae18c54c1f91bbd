package io.watchroom.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.watchroom.core.room.Room;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cluster Bootstrap with Kubernetes API discovery, as docker/k8s/deployment.yaml runs it: two node
 * JVMs with {@code WATCHROOM_DISCOVERY_METHOD=kubernetes-api} ask an API server on loopback, over
 * HTTPS with the service account's CA certificate and bearer token, for the pods labelled {@code
 * app=watchroom} in their namespace, and form one cluster from the pods' container ports named
 * {@code management}. The list of configured contact points points nowhere, so the API server is
 * the only way the nodes learn of each other.
 *
 * <p>The nodes run as separate JVMs because the discovery reads the API server's address from
 * environment variables ({@code KUBERNETES_SERVICE_HOST}, {@code KUBERNETES_SERVICE_PORT}), which
 * only a new process can be given; the paths of the mounted service account files are set as
 * system properties, which the node's configuration lays over its files.
 */
class KubernetesDiscoveryTest {

  private static final String NAMESPACE = "watch-party";
  private static final String LABEL_SELECTOR = "app=watchroom";
  private static final Duration READY_TIMEOUT = Duration.ofMinutes(2);

  @TempDir Path workDir;

  @Test
  void twoNodesFindEachOtherThroughThePodListAndFormOneCluster() throws Exception {
    String schema = "wr_k8s_" + Room.randomToken(8).toLowerCase().replaceAll("[^a-z0-9]", "x");
    String token = "service-account-" + Room.randomToken(16);
    Path serviceAccount = Files.createDirectories(workDir.resolve("serviceaccount"));
    Path tokenFile = Files.writeString(serviceAccount.resolve("token"), token);
    Path keyStore = serviceAccount.resolve("apiserver.p12");
    Path caCert = serviceAccount.resolve("ca.crt");
    selfSignedCertificate(keyStore, caCert);

    Map<String, String> env = TestNodes.nodeJvmEnvironment(schema);
    env.put("WATCHROOM_DISCOVERY_METHOD", "kubernetes-api");
    env.put("WATCHROOM_DISCOVERY_SERVICE", "watchroom");
    env.put("WATCHROOM_K8S_NAMESPACE", NAMESPACE);
    // Nobody listens on port 1: were the configured list used instead of the API, no cluster forms.
    env.put("WATCHROOM_CONTACT_POINTS", "127.0.0.1:1");
    List<String> jvmOptions = new ArrayList<>(TestNodes.NODE_JVM_OPTIONS);
    jvmOptions.addAll(
        List.of(
            "-Dpekko.discovery.kubernetes-api.api-ca-path=" + caCert,
            "-Dpekko.discovery.kubernetes-api.api-token-path=" + tokenFile,
            // A pod's default target host is its DNS name (127-0-0-1.watch-party.pod.cluster.local),
            // which only a Kubernetes cluster's DNS answers; here the pod IP is used as it is.
            "-Dpekko.discovery.kubernetes-api.use-raw-ip=true"));

    try (ApiServer api = new ApiServer(keyStore, token)) {
      env.put("KUBERNETES_SERVICE_HOST", "127.0.0.1");
      env.put("KUBERNETES_SERVICE_PORT", String.valueOf(api.port()));
      LocalCluster cluster = LocalCluster.create(2, workDir.resolve("nodes"), env, jvmOptions);
      api.pods(cluster.nodes().stream().map(n -> n.managementPort).toList());
      try {
        try {
          cluster.startAll(READY_TIMEOUT);
        } catch (IllegalStateException notReady) {
          throw new AssertionError(api.report() + "\n" + notReady.getMessage(), notReady);
        }
        List<JsonNode> views = awaitOneClusterOfTwo(cluster, api);
        assertTrue(views.get(0).hasNonNull("leader"), "a leader: " + views);
        assertEquals(views.get(0).get("leader"), views.get(1).get("leader"), "one leader: " + views);

        assertTrue(api.listed.get() > 0, api.report());
        assertTrue(api.refused.isEmpty(), "every request had the token, namespace and label selector; " + api.report());
      } finally {
        cluster.close();
        TestNodes.dropSchema(schema);
      }
    }
  }

  /** Each node's {@code /cluster/members}, once both list two Up members. */
  private static List<JsonNode> awaitOneClusterOfTwo(LocalCluster cluster, ApiServer api) throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (true) {
      List<JsonNode> views = new ArrayList<>();
      for (LocalCluster.Node node : cluster.nodes()) {
        HttpResponse<String> response =
            http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.managementPort + "/cluster/members"))
                    .timeout(Duration.ofSeconds(10))
                    .GET()
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        views.add(Watcher.JSON.readTree(response.body()));
      }
      if (views.stream().allMatch(view -> upMembers(view) == 2)) {
        return views;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no cluster of two formed; " + api.report() + "; members seen: " + views);
      }
      Thread.sleep(200);
    }
  }

  private static long upMembers(JsonNode view) {
    long up = 0;
    for (JsonNode member : view.path("members")) {
      if (member.path("status").asText().equals("Up")) {
        up++;
      }
    }
    return up;
  }

  /**
   * A key pair and a self-signed certificate for the address 127.0.0.1, made with the JDK's
   * keytool: the key store for the API server, the certificate as the PEM file a pod finds at
   * {@code /var/run/secrets/kubernetes.io/serviceaccount/ca.crt}.
   */
  private static void selfSignedCertificate(Path keyStore, Path caCert) throws Exception {
    String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    run(keytool, "-genkeypair", "-alias", "apiserver", "-keyalg", "EC", "-groupname", "secp256r1",
        "-dname", "CN=kubernetes", "-ext", "SAN=ip:127.0.0.1", "-validity", "2",
        "-keystore", keyStore.toString(), "-storetype", "PKCS12", "-storepass", ApiServer.PASSWORD);
    run(keytool, "-exportcert", "-rfc", "-alias", "apiserver",
        "-keystore", keyStore.toString(), "-storetype", "PKCS12", "-storepass", ApiServer.PASSWORD,
        "-file", caCert.toString());
  }

  private static void run(String... command) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
    }
  }

  /**
   * The one call of the Kubernetes API that the discovery makes, {@code GET
   * /api/v1/namespaces/{namespace}/pods?labelSelector=...}, over HTTPS on loopback. As a real API
   * server does, it refuses a request without the service account's token (401), and one for a
   * namespace the account may not read (403, the Role in docker/k8s/rbac.yaml is namespaced); a
   * selector that matches no pod gets an empty list. The pods are the nodes, Running, with
   * their management port named {@code management}.
   */
  private static final class ApiServer implements AutoCloseable {
    static final String PASSWORD = "apiserver";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpsServer server;
    private final String token;
    private volatile List<Integer> managementPorts = List.of();
    /** Requests answered with the pods. */
    final AtomicInteger listed = new AtomicInteger();
    /** What was wrong with every other request. */
    final List<String> refused = new CopyOnWriteArrayList<>();

    ApiServer(Path keyStore, String token) throws Exception {
      this.token = token;
      KeyStore keys = KeyStore.getInstance("PKCS12");
      try (InputStream in = Files.newInputStream(keyStore)) {
        keys.load(in, PASSWORD.toCharArray());
      }
      KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keyManagers.init(keys, PASSWORD.toCharArray());
      SSLContext tls = SSLContext.getInstance("TLS");
      tls.init(keyManagers.getKeyManagers(), null, null);
      server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      server.setHttpsConfigurator(new HttpsConfigurator(tls));
      server.createContext("/", this::answer);
      server.start();
    }

    int port() {
      return server.getAddress().getPort();
    }

    void pods(List<Integer> managementPorts) {
      this.managementPorts = List.copyOf(managementPorts);
    }

    String report() {
      // bootstrap asks again and again: each distinct refusal once, with how often
      Map<String, Long> refusals =
          refused.stream().collect(Collectors.groupingBy(r -> r, TreeMap::new, Collectors.counting()));
      return "Kubernetes API requests answered with the pods: " + listed.get() + ", refused: " + refusals;
    }

    private void answer(HttpExchange exchange) throws IOException {
      try {
        String path = exchange.getRequestURI().getPath();
        String selector = queryParameter(exchange.getRequestURI().getRawQuery(), "labelSelector");
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        String request = exchange.getRequestMethod() + " " + exchange.getRequestURI();
        if (!("Bearer " + token).equals(authorization)) {
          refused.add(request + " with Authorization " + authorization);
          send(exchange, 401, status("Unauthorized", 401));
        } else if (!exchange.getRequestMethod().equals("GET") || !path.matches("/api/v1/namespaces/[^/]+/pods")) {
          refused.add(request + ": not a pod list");
          send(exchange, 404, status("NotFound", 404));
        } else if (!path.equals("/api/v1/namespaces/" + NAMESPACE + "/pods")) {
          refused.add(request + ": another namespace");
          send(exchange, 403, status("Forbidden", 403));
        } else if (!LABEL_SELECTOR.equals(selector)) {
          refused.add(request + ": label selector " + selector);
          send(exchange, 200, podList(List.of()));
        } else {
          listed.incrementAndGet();
          send(exchange, 200, podList(managementPorts));
        }
      } finally {
        exchange.close();
      }
    }

    private static String queryParameter(String rawQuery, String name) {
      if (rawQuery == null) {
        return null;
      }
      for (String pair : rawQuery.split("&")) {
        int equals = pair.indexOf('=');
        if (equals > 0 && URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8).equals(name)) {
          return URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
        }
      }
      return null;
    }

    private static Map<String, Object> podList(List<Integer> managementPorts) {
      List<Object> items = new ArrayList<>();
      for (int i = 0; i < managementPorts.size(); i++) {
        items.add(
            Map.of(
                "metadata",
                Map.of(
                    "name", "watchroom-5c8d7f9b6-" + i,
                    "namespace", NAMESPACE,
                    "labels", Map.of("app", "watchroom", "actorSystemName", "watchroom")),
                "spec",
                Map.of(
                    "containers",
                    List.of(
                        Map.of(
                            "name", "watchroom",
                            "ports",
                            List.of(
                                Map.of("name", "http", "containerPort", 8080),
                                Map.of("name", "management", "containerPort", managementPorts.get(i)))))),
                "status",
                Map.of(
                    "phase", "Running",
                    "podIP", "127.0.0.1",
                    "containerStatuses",
                    List.of(Map.of("name", "watchroom", "state", Map.of("running", Map.of()))))));
      }
      return Map.of("kind", "PodList", "apiVersion", "v1", "metadata", Map.of(), "items", items);
    }

    private static Map<String, Object> status(String reason, int code) {
      return Map.of("kind", "Status", "apiVersion", "v1", "status", "Failure", "reason", reason, "code", code);
    }

    private static void send(HttpExchange exchange, int status, Object body) throws IOException {
      byte[] bytes = JSON.writeValueAsBytes(body);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(status, bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }
}
