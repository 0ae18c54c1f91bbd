package io.watchroom.node;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Assembles a node's configuration. From strongest to weakest: overrides (tests, the command
 * line), system properties, the profile's file ({@code profile-cluster.conf} when {@code
 * WATCHROOM_PROFILE=cluster}), application.conf with its concern files, the persistence file of
 * the chosen database, the libraries' defaults. The profile and the database kind are one setting
 * each; values that HOCON cannot compute (the embedded JDBC URL, the discovery endpoints of a
 * comma-separated list) are derived here.
 */
public final class NodeConfig {
  private NodeConfig() {}

  public static final Set<String> PROFILES = Set.of("embedded", "cluster");
  public static final Set<String> DISCOVERY_METHODS = Set.of("config", "pekko-dns", "kubernetes-api");

  public static Config load() {
    return load(ConfigFactory.empty());
  }

  public static Config load(Config overrides) {
    Config base =
        overrides
            .withFallback(ConfigFactory.defaultOverrides())
            .withFallback(ConfigFactory.defaultApplication());
    String profile =
        base.withFallback(ConfigFactory.defaultReference())
            .resolve()
            .getString("watchroom.profile")
            .toLowerCase(Locale.ROOT);
    if (!PROFILES.contains(profile)) {
      throw new IllegalArgumentException(
          "watchroom.profile (WATCHROOM_PROFILE) must be embedded or cluster, was \"" + profile + "\"");
    }
    Config application =
        profile.equals("embedded")
            ? base
            : overrides
                .withFallback(ConfigFactory.defaultOverrides())
                .withFallback(ConfigFactory.parseResourcesAnySyntax("profile-" + profile))
                .withFallback(ConfigFactory.defaultApplication());
    Config settings = application.withFallback(ConfigFactory.defaultReference()).resolve();

    String kind = settings.getString("watchroom.database.kind").toLowerCase(Locale.ROOT);
    if (!kind.equals("h2") && !kind.equals("postgres")) {
      throw new IllegalArgumentException(
          "watchroom.database.kind (WATCHROOM_DB) must be h2 or postgres, was \"" + kind + "\"");
    }
    String discovery = settings.getString("watchroom.discovery.method");
    if (!DISCOVERY_METHODS.contains(discovery)) {
      throw new IllegalArgumentException(
          "watchroom.discovery.method (WATCHROOM_DISCOVERY_METHOD) must be one of "
              + DISCOVERY_METHODS + ", was \"" + discovery + "\"");
    }
    Path dataDir = Path.of(settings.getString("watchroom.data-dir")).toAbsolutePath().normalize();
    String jdbcUrl =
        kind.equals("h2")
            ? "jdbc:h2:file:" + dataDir.resolve("db").resolve("watchroom") + ";AUTO_SERVER=TRUE"
            : withSchema(
                settings.getString("watchroom.database.url"),
                settings.getString("watchroom.database.schema"));

    Config derived =
        ConfigFactory.empty()
            .withValue("watchroom.profile", ConfigValueFactory.fromAnyRef(profile))
            .withValue("watchroom.database.kind", ConfigValueFactory.fromAnyRef(kind))
            .withValue("watchroom.data-dir", ConfigValueFactory.fromAnyRef(dataDir.toString()))
            .withValue("watchroom.database.jdbc-url", ConfigValueFactory.fromAnyRef(jdbcUrl))
            .withValue(
                "pekko.discovery.config.services." + quoted(settings.getString("watchroom.discovery.service-name")),
                ConfigValueFactory.fromMap(
                    Map.of("endpoints", endpoints(settings.getString("watchroom.discovery.contact-points")))));

    return derived
        .withFallback(application)
        .withFallback(ConfigFactory.parseResourcesAnySyntax("persistence-" + kind))
        .withFallback(ConfigFactory.defaultReference())
        .resolve();
  }

  /** {@code "host:port,host:port"} as config discovery endpoints. */
  static List<Map<String, Object>> endpoints(String contactPoints) {
    List<Map<String, Object>> endpoints = new ArrayList<>();
    for (String entry : contactPoints.split(",")) {
      String point = entry.strip();
      if (point.isEmpty()) {
        continue;
      }
      int colon = point.lastIndexOf(':');
      if (colon <= 0 || colon == point.length() - 1) {
        throw new IllegalArgumentException(
            "watchroom.discovery.contact-points (WATCHROOM_CONTACT_POINTS) needs host:port entries, got \"" + point + "\"");
      }
      int port;
      try {
        port = Integer.parseInt(point.substring(colon + 1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("Not a port number in contact point \"" + point + "\"");
      }
      endpoints.add(Map.of("host", point.substring(0, colon), "port", port));
    }
    return endpoints;
  }

  private static String quoted(String key) {
    return "\"" + key.replace("\"", "") + "\"";
  }

  private static String withSchema(String url, String schema) {
    if (schema.isBlank() || schema.equals("public") || url.contains("currentSchema=")) {
      return url;
    }
    return url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
  }
}
