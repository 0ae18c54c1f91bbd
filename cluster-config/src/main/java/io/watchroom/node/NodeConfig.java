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
    return load(overrides, System.getenv());
  }

  /**
   * The configuration with {@code environment} standing in for the process environment's
   * variables named after settings ({@link #variableOf}); the short names the configuration files
   * read with {@code ${?VAR}} still come from the real environment or {@code overrides}.
   */
  public static Config load(Config overrides, Map<String, String> environment) {
    Config named =
        settingsFromEnvironment(
            overrides
                .withFallback(ConfigFactory.defaultOverrides())
                .withFallback(ConfigFactory.defaultApplication())
                .withFallback(ConfigFactory.defaultReference())
                .resolve(),
            environment);
    overrides = overrides.withFallback(named);
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

  /**
   * The environment variable of a Watchroom setting, spelled from its path so that every setting
   * has one without a line of configuration each: {@code watchroom.media.ladder.crf} is {@code
   * WATCHROOM_MEDIA_LADDER_CRF}. Deployment settings also have the shorter names README.md lists
   * ({@code WATCHROOM_DB}); when both are set, this one wins.
   */
  public static String variableOf(String path) {
    if (!path.startsWith(PREFIX)) {
      throw new IllegalArgumentException("not a Watchroom setting: " + path);
    }
    return "WATCHROOM_" + path.substring(PREFIX.length()).toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  /** Every Watchroom setting that {@code config} has, by path. */
  public static List<String> settingPaths(Config config) {
    return config.getConfig("watchroom").entrySet().stream().map(e -> PREFIX + e.getKey()).sorted().toList();
  }

  private static final String PREFIX = "watchroom.";

  private static Config settingsFromEnvironment(Config known, Map<String, String> environment) {
    Config named = ConfigFactory.empty();
    for (String path : settingPaths(known)) {
      String value = environment.get(variableOf(path));
      if (value != null) {
        // A string value converts on read (getInt, getDuration, getBoolean), as with ${?VAR}.
        named = named.withValue(path, ConfigValueFactory.fromAnyRef(value, "environment variable " + variableOf(path)));
      }
    }
    return named;
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
