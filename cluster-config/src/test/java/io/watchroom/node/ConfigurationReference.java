package io.watchroom.node;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Writes docs/configuration.md, the table of every Watchroom setting with its environment
 * variable, default and meaning, from the configuration files themselves (their comments are the
 * meanings), so that the page cannot drift from what the node reads. {@code
 * NodeConfigTest} fails when the page is out of date; regenerate it with {@code
 * cluster-config/bench/run-java.sh io.watchroom.node.ConfigurationReference}.
 */
public final class ConfigurationReference {

  static final Path PAGE = Path.of("docs", "configuration.md");

  public static void main(String[] args) throws IOException {
    Path root = DockerFilesTest.findRoot();
    Files.writeString(root.resolve(PAGE), render());
    System.out.println("wrote " + root.resolve(PAGE));
  }

  static String render() {
    // Defaults as the files give them: relative folders stay relative, nothing from this machine's
    // environment (the named variables are left out on purpose).
    Config embedded = ConfigFactory.defaultApplication().withFallback(ConfigFactory.defaultReference()).resolve();
    Config cluster =
        ConfigFactory.parseResourcesAnySyntax("profile-cluster")
            .withFallback(ConfigFactory.defaultApplication())
            .withFallback(ConfigFactory.defaultReference())
            .resolve();
    Config reference = ConfigFactory.defaultReference();
    StringBuilder page = new StringBuilder();
    page.append("""
        # Configuration

        Every setting of a Watchroom node, with the environment variable that sets it. The
        variable is spelled from the setting's path: `watchroom.media.ladder.crf` is
        `WATCHROOM_MEDIA_LADDER_CRF` (dots and dashes become underscores). The settings a
        deployment usually changes also have the shorter names that [README.md](../README.md#configuration)
        lists (`WATCHROOM_DB` for `watchroom.database.kind`); when both are set, the long name wins.
        Durations take units (`30 seconds`, `2h`), sizes too (`256 MiB`). "cluster:" gives the
        value of the cluster profile (`WATCHROOM_PROFILE=cluster`) where it differs.

        This page is generated from the configuration files and their comments:
        `cluster-config/bench/run-java.sh io.watchroom.node.ConfigurationReference`.
        A test fails when it is out of date.

        """);
    Map<String, List<String>> sections =
        NodeConfig.settingPaths(embedded).stream()
            .collect(Collectors.groupingBy(ConfigurationReference::section, java.util.TreeMap::new, Collectors.toList()));
    sections.forEach(
        (section, paths) -> {
          page.append("## ").append(section).append("\n\n");
          page.append("| Variable | Setting | Default | Meaning |\n|---|---|---|---|\n");
          for (String path : paths) {
            String value = shown(embedded.getValue(path));
            String clustered = shown(cluster.getValue(path));
            String defaults = value.equals(clustered) ? value : value + " (cluster: " + clustered + ")";
            page.append("| `").append(NodeConfig.variableOf(path)).append("` | `").append(path).append("` | ")
                .append(defaults).append(" | ").append(meaning(path, embedded, reference)).append(" |\n");
          }
          page.append('\n');
        });
    return page.toString();
  }

  private static String section(String path) {
    String rest = path.substring("watchroom.".length());
    int dot = rest.indexOf('.');
    return "watchroom." + (dot < 0 ? "(node)" : rest.substring(0, dot));
  }

  private static String shown(ConfigValue value) {
    Object raw = value.unwrapped();
    if (value.valueType() == ConfigValueType.STRING && raw.toString().isEmpty()) {
      return "(empty)";
    }
    return "`" + raw + "`";
  }

  /** The comment above the setting in the file that sets it, else in the library's defaults. */
  private static String meaning(String path, Config effective, Config reference) {
    List<String> comments = effective.getValue(path).origin().comments();
    if (comments.isEmpty() && reference.hasPath(path)) {
      comments = reference.getValue(path).origin().comments();
    }
    return comments.stream().map(String::strip).collect(Collectors.joining(" ")).replace("|", "\\|");
  }
}
