package io.watchroom.extraction;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * yt-dlp, run through ProcessBuilder: {@code --ignore-config} so no local configuration changes
 * what it does, {@code --} before the URL so a link can never be read as an option, a socket
 * timeout and a hard limit on the whole run, every connection through the egress proxy. Its JSON
 * is read from its output as a stream; its error lines become a {@link ResolveFailure}.
 */
final class YtDlp {

  private static final Logger log = LoggerFactory.getLogger(YtDlp.class);
  private static final long MAX_JSON_BYTES = 32L * 1024 * 1024;
  private static final java.util.regex.Pattern DRM = java.util.regex.Pattern.compile("\\bdrm\\b");

  /** A playlist or search entry. */
  record Entry(String url, String title, Double duration, String thumbnail) {}

  private final ExternalProgram programs;
  private final String executable;
  private final String proxyUrl;
  private final Duration timeout;
  private final int playlistCap;
  private final ObjectMapper mapper = new ObjectMapper();
  private volatile String version;

  YtDlp(ExternalProgram programs, String executable, String proxyUrl, Duration timeout, int playlistCap) {
    this.programs = programs;
    this.executable = executable;
    this.proxyUrl = proxyUrl;
    this.timeout = timeout;
    this.playlistCap = playlistCap;
  }

  /**
   * Everything yt-dlp knows about one video. A link that is only a list of videos (a page with
   * several, a channel or album) answers a playlist instead ({@link #isPlaylist}): its first
   * entries up to the cap, listed without resolving each.
   */
  CompletionStage<JsonNode> info(URI url) {
    return json(List.of("--no-playlist", "--flat-playlist", "--playlist-end", Integer.toString(playlistCap)), url.toString());
  }

  /** Whether yt-dlp answered a list of videos rather than one. */
  static boolean isPlaylist(JsonNode info) {
    String type = info.path("_type").asText("video");
    return type.equals("playlist") || type.equals("multi_video");
  }

  /** The entries of a playlist, at most {@code cap}, without resolving each. */
  CompletionStage<List<Entry>> playlist(URI url, int cap) {
    return json(List.of("--flat-playlist", "--yes-playlist", "--playlist-end", Integer.toString(cap)), url.toString())
        .thenApply(YtDlp::entries);
  }

  /** Search results from YouTube. */
  CompletionStage<List<Entry>> search(String query, int count) {
    return json(List.of("--flat-playlist"), "ytsearch" + count + ":" + query).thenApply(YtDlp::entries);
  }

  /** The installed version, for logs when an extractor fails. */
  CompletionStage<String> version() {
    if (version != null) {
      return CompletableFuture.completedFuture(version);
    }
    return programs
        .run(List.of(executable, "--version"), Duration.ofSeconds(20), 4096)
        .thenApply(r -> version = r.stdout().strip())
        .exceptionally(failure -> "unknown");
  }

  /** The command line: options first, then {@code --}, so the target is never read as an option. */
  List<String> command(List<String> options, String target) {
    List<String> command = new ArrayList<>(List.of(executable, "--ignore-config", "-J", "--no-warnings",
        "--socket-timeout", Long.toString(Math.max(5, timeout.toSeconds() / 2))));
    if (proxyUrl != null) {
      command.addAll(List.of("--proxy", proxyUrl));
    }
    command.addAll(options);
    command.add("--");
    command.add(target);
    return command;
  }

  private CompletionStage<JsonNode> json(List<String> options, String target) {
    List<String> command = command(options, target);
    return programs
        .run(command, timeout, MAX_JSON_BYTES)
        .handle(
            (result, failure) -> {
              if (failure != null) {
                Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
                if (cause instanceof TimeoutException) {
                  throw new CompletionException(new ResolveFailure(ResolveFailure.Code.PROBE_TIMEOUT));
                }
                throw new CompletionException(cause);
              }
              if (!result.succeeded() || result.stdout().isBlank()) {
                ResolveFailure why = classify(result.errors());
                if (why.code() == ResolveFailure.Code.EXTRACTOR_FAILED) {
                  version().thenAccept(v -> log.warn("yt-dlp {} failed on {}: {}", v, target, result.errors()));
                }
                throw new CompletionException(why);
              }
              try {
                return mapper.readTree(result.stdout());
              } catch (java.io.IOException e) {
                throw new CompletionException(new ResolveFailure(ResolveFailure.Code.EXTRACTOR_FAILED));
              }
            });
  }

  /** Turns yt-dlp's error lines into one of the failures people are told about. */
  static ResolveFailure classify(String errors) {
    String e = errors.toLowerCase(Locale.ROOT);
    if (e.contains("blocked by watchroom")) {
      return new ResolveFailure(ResolveFailure.Code.BLOCKED_DESTINATION);
    }
    if (e.contains("unsupported url")) {
      return new ResolveFailure(ResolveFailure.Code.UNSUPPORTED_SITE);
    }
    // As a word: video ids and addresses in the message may hold the letters "drm".
    if (DRM.matcher(e).find()) {
      return new ResolveFailure(ResolveFailure.Code.DRM);
    }
    if (e.contains("confirm your age") || e.contains("age-restricted") || e.contains("age restricted") || e.contains("inappropriate for some users")) {
      return new ResolveFailure(ResolveFailure.Code.AGE_RESTRICTED);
    }
    if (e.contains("not available in your country") || e.contains("geo restrict") || e.contains("geo-restrict")
        || e.contains("in your country") || e.contains("from your location")) {
      return new ResolveFailure(ResolveFailure.Code.GEO_BLOCKED);
    }
    // A site asking whether the server is a robot is limiting requests, not guarding a private video.
    if (e.contains("http error 429") || e.contains("too many requests") || e.contains("not a bot")
        || e.contains("rate-limit") || e.contains("rate limit")) {
      return e.contains("login required") || e.contains("log in") ? new ResolveFailure(ResolveFailure.Code.PRIVATE)
          : new ResolveFailure(ResolveFailure.Code.UPSTREAM_RATE_LIMITED);
    }
    if (e.contains("private video") || e.contains("video is private") || e.contains("sign in") || e.contains("login required")
        || e.contains("log in") || e.contains("members-only") || e.contains("http error 401") || e.contains("password")) {
      return new ResolveFailure(ResolveFailure.Code.PRIVATE);
    }
    if (e.contains("is live") || e.contains("live event") || e.contains("premieres in") || e.contains("is_live")) {
      return new ResolveFailure(ResolveFailure.Code.LIVE_NOT_SUPPORTED);
    }
    if (e.contains("http error 404") || e.contains("http error 410") || e.contains("video unavailable") || e.contains("does not exist")
        || e.contains("not found") || e.contains("has been removed") || e.contains("video is not available")
        || e.contains("no video formats found")) {
      return new ResolveFailure(ResolveFailure.Code.NOT_FOUND);
    }
    return new ResolveFailure(ResolveFailure.Code.EXTRACTOR_FAILED);
  }

  /**
   * The entries of a playlist answer that have a web address. A listed entry ({@code _type: url})
   * is its {@code url}; a resolved one its own page, or, when its page is the list's page (several
   * videos on one web page), the file it plays.
   */
  static List<Entry> entries(JsonNode root) {
    List<Entry> entries = new ArrayList<>();
    JsonNode list = root.path("entries");
    if (!list.isArray()) {
      return entries;
    }
    String listPage = root.path("webpage_url").asText("");
    for (JsonNode e : list) {
      String page = e.path("webpage_url").asText(null);
      String url = e.path("_type").asText("video").startsWith("url") || page == null || page.equals(listPage)
          ? e.path("url").asText(page)
          : page;
      if (url == null || url.isBlank()) {
        continue;
      }
      if (!url.startsWith("http") && e.has("ie_key") && e.path("ie_key").asText().equals("Youtube")) {
        url = "https://www.youtube.com/watch?v=" + url;
      }
      if (!isWebAddress(url)) {
        continue;
      }
      JsonNode thumbs = e.path("thumbnails");
      String thumbnail = e.path("thumbnail").asText(thumbs.isArray() && thumbs.size() > 0 ? thumbs.get(thumbs.size() - 1).path("url").asText(null) : null);
      // Shown to people as an image: only a web address, never a data: or javascript: URL.
      if (thumbnail != null && !isWebAddress(thumbnail)) {
        thumbnail = null;
      }
      entries.add(new Entry(url, e.path("title").asText(null), e.path("duration").isNumber() ? e.path("duration").asDouble() : null, thumbnail));
    }
    return entries;
  }

  private static boolean isWebAddress(String url) {
    String lower = url.toLowerCase(Locale.ROOT);
    return (lower.startsWith("https://") || lower.startsWith("http://")) && url.length() <= 2048;
  }
}
