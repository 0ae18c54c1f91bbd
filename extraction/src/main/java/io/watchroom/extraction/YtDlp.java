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

  /** A playlist or search entry. */
  record Entry(String url, String title, Double duration, String thumbnail) {}

  private final ExternalProgram programs;
  private final String executable;
  private final String proxyUrl;
  private final Duration timeout;
  private final ObjectMapper mapper = new ObjectMapper();
  private volatile String version;

  YtDlp(ExternalProgram programs, String executable, String proxyUrl, Duration timeout) {
    this.programs = programs;
    this.executable = executable;
    this.proxyUrl = proxyUrl;
    this.timeout = timeout;
  }

  /** Everything yt-dlp knows about one video. */
  CompletionStage<JsonNode> info(URI url) {
    return json(List.of("--no-playlist"), url.toString());
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

  private CompletionStage<JsonNode> json(List<String> options, String target) {
    List<String> command = new ArrayList<>(List.of(executable, "--ignore-config", "-J", "--no-warnings",
        "--socket-timeout", Long.toString(Math.max(5, timeout.toSeconds() / 2))));
    if (proxyUrl != null) {
      command.addAll(List.of("--proxy", proxyUrl));
    }
    command.addAll(options);
    command.add("--");
    command.add(target);
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
    if (e.contains("drm")) {
      return new ResolveFailure(ResolveFailure.Code.DRM);
    }
    if (e.contains("confirm your age") || e.contains("age-restricted") || e.contains("age restricted") || e.contains("inappropriate for some users")) {
      return new ResolveFailure(ResolveFailure.Code.AGE_RESTRICTED);
    }
    if (e.contains("not available in your country") || e.contains("geo restrict") || e.contains("geo-restrict")
        || e.contains("in your country") || e.contains("from your location")) {
      return new ResolveFailure(ResolveFailure.Code.GEO_BLOCKED);
    }
    if (e.contains("private video") || e.contains("video is private") || e.contains("sign in") || e.contains("login required")
        || e.contains("log in") || e.contains("members-only") || e.contains("http error 401")) {
      return new ResolveFailure(ResolveFailure.Code.PRIVATE);
    }
    if (e.contains("is live") || e.contains("live event") || e.contains("premieres in") || e.contains("is_live")) {
      return new ResolveFailure(ResolveFailure.Code.LIVE_NOT_SUPPORTED);
    }
    if (e.contains("http error 429") || e.contains("too many requests") || e.contains("rate-limit") || e.contains("rate limit")) {
      return new ResolveFailure(ResolveFailure.Code.UPSTREAM_RATE_LIMITED);
    }
    if (e.contains("http error 404") || e.contains("video unavailable") || e.contains("does not exist") || e.contains("not found")
        || e.contains("has been removed") || e.contains("no video formats found")) {
      return new ResolveFailure(ResolveFailure.Code.NOT_FOUND);
    }
    return new ResolveFailure(ResolveFailure.Code.EXTRACTOR_FAILED);
  }

  private static List<Entry> entries(JsonNode root) {
    List<Entry> entries = new ArrayList<>();
    JsonNode list = root.path("entries");
    if (!list.isArray()) {
      return entries;
    }
    for (JsonNode e : list) {
      String url = e.path("webpage_url").asText(e.path("url").asText(null));
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
