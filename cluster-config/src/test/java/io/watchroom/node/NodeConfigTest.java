package io.watchroom.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * One setting chooses the profile; every value keeps its environment variable on top. Variables
 * are given as root-level keys, which ${?VAR} substitutions consult before the environment.
 */
class NodeConfigTest {

  @Test
  void theEmbeddedNodeIsTheDefault() {
    Config config = NodeConfig.load();
    assertEquals("embedded", config.getString("watchroom.profile"));
    assertEquals("h2", config.getString("watchroom.database.kind"));
    assertTrue(config.getString("watchroom.database.jdbc-url").startsWith("jdbc:h2:file:"));
    assertEquals("local", config.getString("watchroom.media.storage"));
    assertFalse(config.getBoolean("watchroom.cluster.bootstrap"));
    assertFalse(config.getBoolean("watchroom.management.enabled"));
    assertFalse(config.getBoolean("watchroom.metrics.enabled"));
    assertEquals("slick.jdbc.H2Profile$", config.getString("pekko-persistence-jdbc.shared-databases.default.profile"));
  }

  @Test
  void theClusterProfileIsOneSetting() {
    Config config = load(Map.of("WATCHROOM_PROFILE", "cluster", "WATCHROOM_DB_SCHEMA", "rooms"));
    assertEquals("cluster", config.getString("watchroom.profile"));
    assertEquals("postgres", config.getString("watchroom.database.kind"));
    assertEquals("jdbc:postgresql://127.0.0.1:5432/watchroom?currentSchema=rooms", config.getString("watchroom.database.jdbc-url"));
    assertEquals("slick.jdbc.PostgresProfile$", config.getString("pekko-persistence-jdbc.shared-databases.default.profile"));
    assertEquals("s3", config.getString("watchroom.media.storage"));
    assertTrue(config.getBoolean("watchroom.cluster.bootstrap"));
    assertTrue(config.getBoolean("watchroom.management.enabled"));
    assertTrue(config.getBoolean("watchroom.metrics.enabled"));
    assertEquals("keep-majority", config.getString("pekko.cluster.split-brain-resolver.active-strategy"));
    assertEquals(20, config.getDuration("pekko.cluster.split-brain-resolver.stable-after").toSeconds());
    assertEquals("io.watchroom.node.MeasuredJournal", config.getString("jdbc-journal.class"));
  }

  @Test
  void environmentVariablesOverrideTheProfile() {
    Config config =
        load(
            Map.of(
                "WATCHROOM_PROFILE", "cluster",
                "WATCHROOM_DB", "h2",
                "WATCHROOM_MEDIA_STORAGE", "local",
                "WATCHROOM_METRICS_ENABLED", "false",
                "WATCHROOM_SBR_STABLE_AFTER", "7s",
                "WATCHROOM_CLUSTER_HOST", "10.1.2.3",
                "WATCHROOM_MANAGEMENT_PORT", "8558",
                "WATCHROOM_DISCOVERY_METHOD", "kubernetes-api"));
    assertEquals("h2", config.getString("watchroom.database.kind"));
    assertEquals("local", config.getString("watchroom.media.storage"));
    assertFalse(config.getBoolean("watchroom.metrics.enabled"));
    assertEquals(7, config.getDuration("pekko.cluster.split-brain-resolver.stable-after").toSeconds());
    assertEquals("10.1.2.3", config.getString("pekko.remote.artery.canonical.hostname"));
    assertEquals("10.1.2.3", config.getString("pekko.management.http.hostname"));
    assertEquals(8558, config.getInt("pekko.management.http.port"));
    assertEquals("kubernetes-api", config.getString("pekko.management.cluster.bootstrap.contact-point-discovery.discovery-method"));
  }

  @Test
  void everySettingHasAVariableOfItsOwn() {
    Config defaults = NodeConfig.load(ConfigFactory.empty(), Map.of());
    List<String> paths = NodeConfig.settingPaths(defaults);
    assertTrue(paths.size() > 80, paths.toString());
    Set<String> variables = new HashSet<>();
    for (String path : paths) {
      assertTrue(variables.add(NodeConfig.variableOf(path)), "two settings share " + NodeConfig.variableOf(path));
    }
    Config config =
        NodeConfig.load(
            ConfigFactory.empty(),
            Map.of(
                "WATCHROOM_MEDIA_LADDER_CRF", "20",
                "WATCHROOM_MEDIA_LADDER_PRESET", "medium",
                "WATCHROOM_MEDIA_S3_CREATE_BUCKET", "false",
                "WATCHROOM_ROOM_CHAT_MESSAGES", "3",
                "WATCHROOM_PROXY_PREFETCH_SEGMENTS", "0",
                "WATCHROOM_RESOLVE_STREAM_TTL", "45 minutes",
                "WATCHROOM_DATABASE_KIND", "postgres",
                "WATCHROOM_DATA_DIR", "/srv/watchroom"));
    assertEquals(20, config.getInt("watchroom.media.ladder.crf"));
    assertEquals("medium", config.getString("watchroom.media.ladder.preset"));
    assertFalse(config.getBoolean("watchroom.media.s3.create-bucket"));
    assertEquals(3, config.getInt("watchroom.room.chat.messages"));
    assertEquals(0, config.getInt("watchroom.proxy.prefetch-segments"));
    assertEquals(45, config.getDuration("watchroom.resolve.stream-ttl").toMinutes());
    // what the node derives from a setting follows the long name too
    assertTrue(config.getString("watchroom.database.jdbc-url").startsWith("jdbc:postgresql:"));
    assertEquals("/srv/watchroom/media", config.getString("watchroom.media.local.dir"));
    // the long name wins over the short one
    Config both = NodeConfig.load(ConfigFactory.parseMap(Map.of("WATCHROOM_DB", "postgres")), Map.of("WATCHROOM_DATABASE_KIND", "h2"));
    assertEquals("h2", both.getString("watchroom.database.kind"));
  }

  @Test
  void theConfigurationPageListsEverySettingAsTheFilesDefineIt() throws Exception {
    String page = Files.readString(DockerFilesTest.findRoot().resolve(ConfigurationReference.PAGE));
    assertEquals(ConfigurationReference.render(), page,
        "docs/configuration.md is out of date: cluster-config/bench/run-java.sh io.watchroom.node.ConfigurationReference");
    // the settings the files define (not what the node derives from them, like the JDBC URL)
    Config files = ConfigFactory.defaultApplication().withFallback(ConfigFactory.defaultReference()).resolve();
    for (String path : NodeConfig.settingPaths(files)) {
      assertTrue(page.contains("| `" + NodeConfig.variableOf(path) + "` | `" + path + "` |"), path);
    }
  }

  @Test
  void contactPointsBecomeConfigDiscoveryEndpoints() {
    Config config = load(Map.of("WATCHROOM_CONTACT_POINTS", "a.example:7626, 10.0.0.2:7700"));
    List<? extends Config> endpoints = config.getConfigList("pekko.discovery.config.services.watchroom.endpoints");
    assertEquals(2, endpoints.size());
    assertEquals("a.example", endpoints.get(0).getString("host"));
    assertEquals(7626, endpoints.get(0).getInt("port"));
    assertEquals("10.0.0.2", endpoints.get(1).getString("host"));
    assertEquals(7700, endpoints.get(1).getInt("port"));
  }

  @Test
  void mistakesAreRefusedWithTheVariableNamed() {
    var profile = assertThrows(IllegalArgumentException.class, () -> load(Map.of("WATCHROOM_PROFILE", "prod")));
    assertTrue(profile.getMessage().contains("WATCHROOM_PROFILE"));
    var db = assertThrows(IllegalArgumentException.class, () -> load(Map.of("WATCHROOM_DB", "mysql")));
    assertTrue(db.getMessage().contains("WATCHROOM_DB"));
    var discovery = assertThrows(IllegalArgumentException.class, () -> load(Map.of("WATCHROOM_DISCOVERY_METHOD", "dns")));
    assertTrue(discovery.getMessage().contains("pekko-dns"));
    var points = assertThrows(IllegalArgumentException.class, () -> load(Map.of("WATCHROOM_CONTACT_POINTS", "node1")));
    assertTrue(points.getMessage().contains("WATCHROOM_CONTACT_POINTS"));
  }

  private static Config load(Map<String, String> env) {
    return NodeConfig.load(ConfigFactory.parseMap(env));
  }
}
