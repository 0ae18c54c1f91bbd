package io.watchroom.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The container and cluster deployment files, checked without a container engine: every file
 * they reference exists, every environment variable they set is one the node reads, and the
 * ports and paths they use are the ones the node listens on with exactly that environment (the
 * node's configuration is loaded with the file's variables standing in for the environment).
 */
class DockerFilesTest {

  private static final Path ROOT = findRoot();
  private static final Path DOCKER = ROOT.resolve("docker");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Pattern ENV_NAME = Pattern.compile("\\bWATCHROOM_[A-Z0-9_]+\\b");

  @Test
  void theDockerfileCopiesExistingFilesAndExposesTheNodesPorts() throws IOException {
    List<String> lines = Files.readAllLines(DOCKER.resolve("Dockerfile"));
    for (String line : lines) {
      if (line.startsWith("COPY ") && !line.contains("--from=")) {
        String[] parts = line.substring(5).trim().split("\\s+");
        for (int i = 0; i < parts.length - 1; i++) {
          assertTrue(Files.exists(ROOT.resolve(parts[i])), "Dockerfile copies missing " + parts[i]);
        }
      }
    }
    Config node = nodeConfig(dockerfileEnvironment(lines));
    Set<Integer> exposed = new HashSet<>();
    lines.stream()
        .filter(l -> l.startsWith("EXPOSE "))
        .flatMap(l -> Stream.of(l.substring(7).trim().split("\\s+")))
        .forEach(p -> exposed.add(Integer.parseInt(p)));
    assertEquals(Set.of(
            node.getInt("watchroom.http.port"),
            node.getInt("watchroom.cluster.port"),
            node.getInt("watchroom.management.port"),
            node.getInt("watchroom.metrics.port")),
        exposed);
    String healthcheck = String.join("\n", lines.subList(indexOf(lines, "HEALTHCHECK"), lines.size()));
    assertTrue(healthcheck.contains(":" + node.getInt("watchroom.management.port") + "/"
        + node.getString("pekko.management.health-checks.liveness-path")), healthcheck);
    assertEquals("cluster", node.getString("watchroom.profile"));
    assertTrue(lines.stream().anyMatch(l -> l.startsWith("USER ") && !l.contains("root")), "runs as a non-root user");
    assertTrue(lines.stream().anyMatch(l -> l.contains("ffmpeg") && l.contains("yt-dlp")), "installs ffmpeg and yt-dlp");
    assertKnown(envNames(String.join("\n", lines)), "Dockerfile");
  }

  @Test
  void theDockerfileBuildsWithMavenInOneStageAndRunsWhatThatBuildProducesInAnother() throws IOException {
    List<String> lines = Files.readAllLines(DOCKER.resolve("Dockerfile"));
    // stages in order, by name
    List<String> stages = new ArrayList<>();
    List<List<String>> bodies = new ArrayList<>();
    for (String line : lines) {
      if (line.startsWith("FROM ")) {
        String[] words = line.split("\\s+");
        stages.add(words.length >= 4 && words[2].equalsIgnoreCase("AS") ? words[3] : "final");
        bodies.add(new ArrayList<>());
      } else if (!bodies.isEmpty()) {
        bodies.get(bodies.size() - 1).add(line);
      }
    }
    int build = stages.indexOf("build");
    assertTrue(build >= 0 && build < stages.size() - 1, "a build stage before the image that runs: " + stages);
    String buildSteps = String.join("\n", bodies.get(build));
    assertTrue(buildSteps.contains("./mvnw") && buildSteps.contains(" package"), "the build stage packages with the Maven wrapper");
    assertTrue(Files.isRegularFile(ROOT.resolve(".mvn/wrapper/maven-wrapper.properties")));
    // every module the reactor builds is copied into the build stage
    String pom = Files.readString(ROOT.resolve("pom.xml"));
    Matcher module = Pattern.compile("<module>([^<]+)</module>").matcher(pom);
    while (module.find()) {
      assertTrue(buildSteps.contains("COPY " + module.group(1) + " " + module.group(1)), "the build copies module " + module.group(1));
    }
    // the running image takes the jar and its lib/ folder where cluster-config's build puts them,
    // side by side as the jar's manifest class path expects, and runs that jar
    String clusterPom = Files.readString(ROOT.resolve("cluster-config/pom.xml"));
    String jarName = between(clusterPom, "<finalName>", "</finalName>") + ".jar";
    String libFolder = between(clusterPom, "<outputDirectory>${project.build.directory}/", "</outputDirectory>");
    String prefix = between(clusterPom, "<classpathPrefix>", "</classpathPrefix>");
    assertEquals(libFolder + "/", prefix);
    List<String> runSteps = bodies.get(stages.size() - 1);
    String jarTarget = null;
    String libTarget = null;
    for (String line : runSteps) {
      if (line.startsWith("COPY --from=")) {
        String[] words = line.split("\\s+");
        String from = words[1].substring("--from=".length());
        assertTrue(stages.indexOf(from) >= 0 && stages.indexOf(from) < stages.size() - 1, "copies from an earlier stage: " + line);
        if (words[2].equals("/src/cluster-config/target/" + jarName)) {
          jarTarget = words[3];
        } else if (words[2].equals("/src/cluster-config/target/" + libFolder)) {
          libTarget = words[3];
        }
      }
    }
    assertTrue(jarTarget != null && libTarget != null, "the image copies the built jar and its libraries: " + runSteps);
    assertEquals(Path.of(jarTarget).getParent().resolve(libFolder).toString(), libTarget);
    assertTrue(String.join("\n", bodies.get(build)).contains("WORKDIR /src"));
    String entrypoint = runSteps.stream().filter(l -> l.startsWith("ENTRYPOINT")).findFirst().orElseThrow();
    assertTrue(entrypoint.contains("\"-jar\", \"" + jarTarget + "\""), entrypoint);
    // a Java runtime at least as new as the release the build compiles for
    int release = Integer.parseInt(between(pom, "<maven.compiler.release>", "</maven.compiler.release>"));
    Matcher jre = Pattern.compile("openjdk-(\\d+)-jre").matcher(String.join("\n", runSteps));
    assertTrue(jre.find() && Integer.parseInt(jre.group(1)) >= release, "the image's JRE runs Java " + release);
  }

  @Test
  void composeNodesReachPostgresAndMinioWithTheCredentialsAndBucketThoseServicesHave() throws IOException {
    JsonNode services = yaml(DOCKER.resolve("compose.yaml")).get("services");
    JsonNode postgres = services.get("postgres").get("environment");
    JsonNode minio = services.get("minio");
    String minioPort = "9000"; // the server's default API port; the command changes only the console's
    assertFalse(minio.get("command").toString().contains("--address"), "MinIO keeps its API on " + minioPort);
    String bucketSetup = services.at("/minio-bucket/entrypoint").toString();
    for (String name : List.of("node1", "node2", "node3")) {
      JsonNode service = services.get(name);
      Map<String, String> env = new HashMap<>();
      service.get("environment").fields().forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
      Config node = nodeConfig(env);
      assertEquals("jdbc:postgresql://postgres:5432/" + postgres.get("POSTGRES_DB").asText(), node.getString("watchroom.database.url"));
      assertEquals(postgres.get("POSTGRES_USER").asText(), node.getString("watchroom.database.user"));
      assertEquals(postgres.get("POSTGRES_PASSWORD").asText(), node.getString("watchroom.database.password"));
      assertEquals("s3", node.getString("watchroom.media.storage"));
      assertEquals("http://minio:" + minioPort, node.getString("watchroom.media.s3.endpoint"));
      assertEquals(minio.at("/environment/MINIO_ROOT_USER").asText(), node.getString("watchroom.media.s3.access-key"));
      assertEquals(minio.at("/environment/MINIO_ROOT_PASSWORD").asText(), node.getString("watchroom.media.s3.secret-key"));
      assertTrue(node.getBoolean("watchroom.media.s3.path-style"), "MinIO is addressed path-style");
      String bucket = node.getString("watchroom.media.s3.bucket");
      assertTrue(bucketSetup.contains("mc mb --ignore-existing local/" + bucket), "the bucket " + bucket + " is created");
      assertTrue(bucketSetup.contains("http://minio:" + minioPort + " " + minio.at("/environment/MINIO_ROOT_USER").asText()
          + " " + minio.at("/environment/MINIO_ROOT_PASSWORD").asText()), bucketSetup);
      assertEquals("service_healthy", service.at("/depends_on/postgres/condition").asText());
      assertEquals("service_completed_successfully", service.at("/depends_on/minio-bucket/condition").asText());
      assertEquals(env.get("WATCHROOM_AUTH_SECRET"), services.at("/node1/environment/WATCHROOM_AUTH_SECRET").asText(),
          "every node signs session tokens with the same secret");
    }
  }

  @Test
  void theComposeFileWiresThreeNodesTheBalancerAndMonitoringOnTheNodesPorts() throws IOException {
    JsonNode compose = yaml(DOCKER.resolve("compose.yaml"));
    JsonNode services = compose.get("services");
    for (String needed : List.of("postgres", "minio", "nginx", "prometheus", "grafana", "node1", "node2", "node3")) {
      assertTrue(services.has(needed), "compose has " + needed);
    }
    services.fields().forEachRemaining(service -> {
      assertTrue(service.getValue().has("healthcheck") || service.getKey().equals("minio-bucket"),
          service.getKey() + " has a health check");
      JsonNode build = service.getValue().get("build");
      if (build != null) {
        Path context = DOCKER.resolve(build.get("context").asText()).normalize();
        assertTrue(Files.isRegularFile(context.resolve(build.get("dockerfile").asText())), "dockerfile of " + service.getKey());
      }
      for (JsonNode volume : service.getValue().path("volumes")) {
        String source = volume.asText().split(":")[0];
        if (source.startsWith(".")) {
          assertTrue(Files.exists(DOCKER.resolve(source)), service.getKey() + " mounts missing " + source);
        }
      }
    });

    String nginx = Files.readString(DOCKER.resolve("nginx.conf")).replaceAll("(?m)#.*$", "");
    String prometheus = Files.readString(DOCKER.resolve("prometheus.yml"));
    assertFalse(nginx.contains("ip_hash") || nginx.contains("sticky"), "no sticky sessions");
    assertTrue(nginx.contains("Upgrade $http_upgrade"), "nginx passes the WebSocket upgrade");
    for (String name : List.of("node1", "node2", "node3")) {
      JsonNode service = services.get(name);
      Map<String, String> env = new HashMap<>();
      service.get("environment").fields().forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
      assertKnown(env.keySet(), "compose " + name);
      Config node = nodeConfig(env);
      assertEquals("cluster", node.getString("watchroom.profile"));
      assertEquals("postgres", node.getString("watchroom.database.kind"));
      assertEquals(name, node.getString("pekko.remote.artery.canonical.hostname"));
      assertTrue(nginx.contains("server " + name + ":" + node.getInt("watchroom.http.port")), "nginx reaches " + name);
      assertTrue(prometheus.contains(name + ":" + node.getInt("watchroom.metrics.port")), "prometheus scrapes " + name);
      assertTrue(service.at("/healthcheck/test").toString().contains(
              ":" + node.getInt("watchroom.management.port") + "/" + node.getString("pekko.management.health-checks.readiness-path")),
          "health check of " + name);
      // Bootstrap finds all three nodes on their management ports.
      List<String> endpoints = new ArrayList<>();
      node.getConfigList("pekko.discovery.config.services.watchroom.endpoints")
          .forEach(e -> endpoints.add(e.getString("host") + ":" + e.getInt("port")));
      assertEquals(List.of("node1:7626", "node2:7626", "node3:7626"), endpoints);
      assertEquals(node.getInt("watchroom.management.port"), 7626);
      assertEquals("config", node.getString("pekko.management.cluster.bootstrap.contact-point-discovery.discovery-method"));
    }
  }

  @Test
  void grafanaShowsMetricsTheNodeExports() throws IOException {
    JsonNode provisioning = yaml(DOCKER.resolve("grafana/provisioning/dashboards/watchroom.yaml"));
    String path = provisioning.at("/providers/0/options/path").asText();
    JsonNode grafana = yaml(DOCKER.resolve("compose.yaml")).at("/services/grafana/volumes");
    assertTrue(grafana.toString().contains("./grafana/dashboards:" + path), "dashboards are mounted where provisioning looks");

    Set<String> declared = declaredMetrics();
    String dashboard = Files.readString(DOCKER.resolve("grafana/dashboards/watchroom.json"));
    new ObjectMapper().readTree(dashboard); // valid JSON
    Matcher used = Pattern.compile("\\bwatchroom_[a-z_]+").matcher(dashboard);
    Set<String> names = new TreeSet<>();
    while (used.find()) {
      names.add(used.group());
    }
    assertTrue(names.size() >= 7, names.toString());
    for (String name : names) {
      assertTrue(declared.stream().anyMatch(name::startsWith), name + " is not a metric the node declares: " + declared);
    }
    for (String metric : declared) {
      assertTrue(names.stream().anyMatch(n -> n.startsWith(metric)), "the dashboard shows " + metric);
    }
  }

  @Test
  void theKubernetesDeploymentIsLabelledForBootstrapWithProbesOnTheManagementPort() throws IOException {
    JsonNode deployment = yaml(DOCKER.resolve("k8s/deployment.yaml"));
    List<JsonNode> rbac = yamlDocuments(DOCKER.resolve("k8s/rbac.yaml"));
    List<JsonNode> services = yamlDocuments(DOCKER.resolve("k8s/service.yaml"));

    JsonNode pod = deployment.at("/spec/template");
    JsonNode container = pod.at("/spec/containers/0");
    Map<String, String> env = new HashMap<>();
    for (JsonNode e : container.get("env")) {
      env.put(e.get("name").asText(), e.has("value") ? e.get("value").asText() : "10.0.0.7");
    }
    assertKnown(env.keySet(), "deployment");
    Config node = nodeConfig(env);
    assertEquals("kubernetes-api", node.getString("pekko.management.cluster.bootstrap.contact-point-discovery.discovery-method"));
    String selector = node.getString("pekko.discovery.kubernetes-api.pod-label-selector")
        .replace("%s", node.getString("pekko.management.cluster.bootstrap.contact-point-discovery.service-name"));
    String[] label = selector.split("=");
    assertEquals(label[1], pod.at("/metadata/labels/" + label[0]).asText(), "pods carry the label bootstrap looks for");
    assertEquals(pod.at("/metadata/labels"), deployment.at("/spec/template/metadata/labels"));

    Map<String, Integer> ports = new HashMap<>();
    container.get("ports").forEach(p -> ports.put(p.get("name").asText(), p.get("containerPort").asInt()));
    assertEquals(node.getInt("watchroom.http.port"), ports.get("http"));
    assertEquals(node.getInt("watchroom.cluster.port"), ports.get("remoting"));
    assertEquals(node.getInt("watchroom.metrics.port"), ports.get("metrics"));
    String portName = node.getString("pekko.management.cluster.bootstrap.contact-point-discovery.port-name");
    assertEquals(node.getInt("watchroom.management.port"), ports.get(portName));
    assertEquals("/" + node.getString("pekko.management.health-checks.readiness-path"), container.at("/readinessProbe/httpGet/path").asText());
    assertEquals("/" + node.getString("pekko.management.health-checks.liveness-path"), container.at("/livenessProbe/httpGet/path").asText());
    assertEquals(portName, container.at("/readinessProbe/httpGet/port").asText());
    assertEquals(portName, container.at("/livenessProbe/httpGet/port").asText());

    String account = pod.at("/spec/serviceAccountName").asText();
    assertTrue(rbac.stream().anyMatch(d -> d.path("kind").asText().equals("ServiceAccount") && d.at("/metadata/name").asText().equals(account)));
    JsonNode role = rbac.stream().filter(d -> d.path("kind").asText().equals("Role")).findFirst().orElseThrow();
    assertTrue(role.at("/rules/0/resources").toString().contains("pods"));
    assertTrue(role.at("/rules/0/verbs").toString().contains("list"));
    JsonNode binding = rbac.stream().filter(d -> d.path("kind").asText().equals("RoleBinding")).findFirst().orElseThrow();
    assertEquals(account, binding.at("/subjects/0/name").asText());
    assertEquals(role.at("/metadata/name").asText(), binding.at("/roleRef/name").asText());

    for (JsonNode service : services) {
      assertEquals("watchroom", service.at("/spec/selector/app").asText());
      for (JsonNode port : service.at("/spec/ports")) {
        assertTrue(ports.containsKey(port.get("targetPort").asText()), "service targets a named container port: " + port);
      }
    }
    assertTrue(deployment.at("/spec/template/spec/terminationGracePeriodSeconds").asInt()
        > node.getDuration("pekko.coordinated-shutdown.phases.cluster-sharding-shutdown-region.timeout").toSeconds());
  }

  @Test
  void theReadmeListsEveryEnvironmentVariableTheNodeReads() throws IOException {
    String readme = Files.readString(ROOT.resolve("README.md"));
    for (String name : nodeVariables()) {
      assertTrue(readme.contains("`" + name + "`"), "README.md lists " + name);
    }
  }

  // ---------------------------------------------------------------------------------------------

  /** The node's configuration with {@code env} standing in for the process environment. */
  private static Config nodeConfig(Map<String, String> env) {
    // ${?VAR} substitutions look in the configuration's root before the environment.
    return NodeConfig.load(ConfigFactory.parseMap(env), env);
  }

  private static Map<String, String> dockerfileEnvironment(List<String> lines) {
    Map<String, String> env = new HashMap<>();
    Matcher m = Pattern.compile("(WATCHROOM_[A-Z0-9_]+)=(\\S+)").matcher(String.join("\n", lines));
    while (m.find()) {
      env.put(m.group(1), m.group(2));
    }
    return env;
  }

  /** Every WATCHROOM_ variable the configuration files and logback.xml read. */
  private static Set<String> nodeVariables() throws IOException {
    Set<String> names = new TreeSet<>();
    Path resources = ROOT.resolve("cluster-config/src/main/resources");
    try (Stream<Path> files = Files.list(resources)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".conf") || f.toString().endsWith(".xml")).toList()) {
        Matcher m = Pattern.compile("\\$\\{\\??(WATCHROOM_[A-Z0-9_]+)").matcher(Files.readString(file));
        while (m.find()) {
          names.add(m.group(1));
        }
      }
    }
    assertTrue(names.size() > 30, names.toString());
    return names;
  }

  private static void assertKnown(Set<String> names, String where) throws IOException {
    Set<String> known = new HashSet<>(nodeVariables());
    NodeConfig.settingPaths(NodeConfig.load(ConfigFactory.empty(), Map.of())).forEach(p -> known.add(NodeConfig.variableOf(p)));
    for (String name : names) {
      if (name.startsWith("WATCHROOM_")) {
        assertTrue(known.contains(name), where + " sets " + name + ", which the node does not read");
      }
    }
  }

  private static Set<String> envNames(String text) {
    Set<String> names = new HashSet<>();
    Matcher m = ENV_NAME.matcher(text);
    while (m.find()) {
      names.add(m.group());
    }
    return names;
  }

  /** Metric names declared with Kamon in the project's sources, in Prometheus spelling. */
  private static Set<String> declaredMetrics() throws IOException {
    Set<String> names = new TreeSet<>();
    Pattern declaration = Pattern.compile("Kamon\\.(?:counter|gauge|histogram|timer|rangeSampler)\\(\\s*\"(watchroom\\.[a-z.]+)\"");
    try (Stream<Path> files = Files.walk(ROOT)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java") && f.toString().contains("src/main")).toList()) {
        Matcher m = declaration.matcher(Files.readString(file));
        while (m.find()) {
          names.add(m.group(1).replace('.', '_'));
        }
      }
    }
    return names;
  }

  private static JsonNode yaml(Path file) throws IOException {
    return YAML.readTree(file.toFile());
  }

  private static List<JsonNode> yamlDocuments(Path file) throws IOException {
    List<JsonNode> documents = new ArrayList<>();
    try (YAMLParser parser = new YAMLFactory().createParser(file.toFile())) {
      var values = YAML.readValues(parser, ObjectNode.class);
      while (values.hasNext()) {
        documents.add(values.next());
      }
    }
    return documents;
  }

  private static String between(String text, String start, String end) {
    int from = text.indexOf(start);
    assertTrue(from >= 0, "no " + start);
    return text.substring(from + start.length(), text.indexOf(end, from)).strip();
  }

  private static int indexOf(List<String> lines, String prefix) {
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).startsWith(prefix)) {
        return i;
      }
    }
    throw new AssertionError("no " + prefix + " line");
  }

  static Path findRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isDirectory(dir.resolve("docker"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException("no docker/ folder above " + Path.of("").toAbsolutePath());
    }
    return dir;
  }
}
