package io.watchroom.node;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.watchroom.http.WsClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * A shell script that stands in for yt-dlp on a node under test (set as {@code
 * watchroom.resolve.yt-dlp}), because YouTube's search cannot be reached from these machines. It
 * answers one query of yt-dlp's YouTube search ({@code ytsearchN:words}) with the JSON yt-dlp
 * prints for a flat search, read from a file the test writes (so the answer may name servers that
 * start after the node); it records the arguments of every search it is asked; every other run
 * goes to the real yt-dlp, so searches for other words fail as they do without internet.
 */
record YtDlpStandIn(Path executable, Path answer, Path searches, String query) {

  /** Writes the script into {@code dir}; {@link #answer(List)} gives it its answer. */
  static YtDlpStandIn answering(Path dir, String query) throws IOException {
    if (query.contains("'") || query.contains("\n")) {
      throw new IllegalArgumentException("the script quotes the query in single quotes: " + query);
    }
    Files.createDirectories(dir);
    Path script = dir.resolve("yt-dlp");
    Path answer = dir.resolve("search-answer.json");
    Path searches = dir.resolve("searches.txt");
    Files.writeString(searches, "");
    Files.writeString(
        script,
        String.join(
            "\n",
            "#!/bin/sh",
            "for arg in \"$@\"; do target=\"$arg\"; done",
            "case \"$target\" in",
            "  ytsearch*) printf '%s\\n' \"$*\" >> '" + searches + "' ;;",
            "esac",
            "case \"$target\" in",
            "  ytsearch*:'" + query + "') cat '" + answer + "'; exit 0 ;;",
            "esac",
            "exec yt-dlp \"$@\"",
            ""));
    if (!script.toFile().setExecutable(true)) {
      throw new IOException("cannot make " + script + " executable");
    }
    return new YtDlpStandIn(script, answer, searches, query);
  }

  /** One entry of a flat search answer, as yt-dlp lists a YouTube hit. */
  record Hit(String id, String url, String title, Double duration, String thumbnail) {}

  /** The answer to the query: yt-dlp's JSON for a flat {@code ytsearch} with these entries. */
  void answer(List<Hit> hits) throws IOException {
    ObjectNode root = WsClient.JSON.createObjectNode();
    root.put("id", query).put("title", query).put("_type", "playlist");
    ArrayNode entries = root.putArray("entries");
    for (Hit hit : hits) {
      ObjectNode e = entries.addObject();
      // yt-dlp names a YouTube hit by its id alone, and anything else by its address
      String extractor = hit.url().contains(":") ? "Generic" : "Youtube";
      e.put("_type", "url").put("ie_key", extractor).put("id", hit.id()).put("url", hit.url()).put("title", hit.title());
      e.putNull("description");
      if (hit.duration() == null) {
        e.putNull("duration");
      } else {
        e.put("duration", hit.duration());
      }
      e.put("channel", "Piano Cats").put("channel_id", "UCpianocats0000000000000").put("view_count", 1834);
      e.putNull("live_status");
      ArrayNode thumbnails = e.putArray("thumbnails");
      if (hit.thumbnail() != null) {
        // yt-dlp lists a hit's pictures smallest first; the last is the one shown.
        thumbnails.addObject().put("url", hit.thumbnail() + "?size=small").put("width", 168).put("height", 94);
        thumbnails.addObject().put("url", hit.thumbnail()).put("width", 336).put("height", 188);
      }
    }
    root.put("webpage_url", "ytsearch10:" + query)
        .put("original_url", "ytsearch10:" + query)
        .put("extractor", "youtube:search")
        .put("extractor_key", "YoutubeSearch")
        .put("playlist_count", hits.size())
        .put("epoch", 1763712000);
    Files.writeString(answer, WsClient.JSON.writeValueAsString(root));
  }

  /** The argument lists of the searches for the query (in any case) the script was asked, in order. */
  List<String> runsForQuery() throws IOException {
    String wanted = ":" + query.toLowerCase(Locale.ROOT);
    return Files.readAllLines(searches).stream().filter(l -> l.toLowerCase(Locale.ROOT).endsWith(wanted)).toList();
  }
}
