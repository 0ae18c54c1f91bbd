package io.watchroom.extraction;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;

/**
 * ffprobe on a media URL, through the egress proxy and with a hard time limit: duration, size,
 * codecs, and whether a browser can play the combination.
 */
final class MediaProbe {

  /** What ffprobe found. */
  record Probed(Double duration, Integer width, Integer height, String container, String videoCodec, String audioCodec) {
    boolean hasVideo() {
      return videoCodec != null;
    }
  }

  // What Chromium and Firefox play in <video> from a URL.
  private static final Set<String> BROWSER_VIDEO = Set.of("h264", "vp8", "vp9", "av1", "theora");
  private static final Set<String> BROWSER_AUDIO = Set.of("aac", "mp3", "opus", "vorbis", "flac");
  private static final Set<String> BROWSER_CONTAINERS = Set.of("mov,mp4,m4a,3gp,3g2,mj2", "matroska,webm", "ogg", "mp3", "wav", "flac");

  private final ExternalProgram programs;
  private final String ffprobe;
  private final String proxyUrl;
  private final Duration timeout;
  private final ObjectMapper mapper = new ObjectMapper();

  MediaProbe(ExternalProgram programs, String ffprobe, String proxyUrl, Duration timeout) {
    this.programs = programs;
    this.ffprobe = ffprobe;
    this.proxyUrl = proxyUrl;
    this.timeout = timeout;
  }

  CompletionStage<Probed> probe(URI url) {
    List<String> command = new ArrayList<>(List.of(ffprobe, "-hide_banner", "-v", "error"));
    if (proxyUrl != null) {
      command.addAll(List.of("-http_proxy", proxyUrl));
    }
    command.addAll(List.of("-rw_timeout", Long.toString(timeout.toMillis() * 1000),
        "-show_entries", "format=duration,format_name:stream=codec_type,codec_name,width,height",
        "-of", "json", url.toString()));
    return programs
        .run(command, timeout, 1024 * 1024)
        .handle(
            (result, failure) -> {
              if (failure != null) {
                Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
                if (cause instanceof TimeoutException) {
                  throw new CompletionException(new ResolveFailure(ResolveFailure.Code.PROBE_TIMEOUT));
                }
                throw new CompletionException(cause);
              }
              if (!result.succeeded()) {
                String errors = result.errors().toLowerCase(Locale.ROOT);
                if (errors.contains("403") || errors.contains("forbidden")) {
                  throw new CompletionException(new ResolveFailure(ResolveFailure.Code.BLOCKED_DESTINATION,
                      "The file could not be fetched: " + lastLine(result)));
                }
                if (errors.contains("404") || errors.contains("not found")) {
                  throw new CompletionException(new ResolveFailure(ResolveFailure.Code.NOT_FOUND));
                }
                throw new CompletionException(new ResolveFailure(ResolveFailure.Code.NO_PLAYABLE_FORMAT,
                    "This is not a video a browser can play (" + lastLine(result) + ")."));
              }
              return parse(result.stdout());
            });
  }

  Probed parse(String json) {
    try {
      JsonNode root = mapper.readTree(json);
      String container = root.at("/format/format_name").asText(null);
      JsonNode durationNode = root.at("/format/duration");
      Double duration = durationNode.isMissingNode() || durationNode.isNull() ? null : durationNode.asDouble();
      String video = null;
      String audio = null;
      Integer width = null;
      Integer height = null;
      for (JsonNode stream : root.path("streams")) {
        String type = stream.path("codec_type").asText();
        if (type.equals("video") && video == null && !isCoverArt(stream)) {
          video = stream.path("codec_name").asText(null);
          width = stream.path("width").isInt() ? stream.path("width").asInt() : null;
          height = stream.path("height").isInt() ? stream.path("height").asInt() : null;
        } else if (type.equals("audio") && audio == null) {
          audio = stream.path("codec_name").asText(null);
        }
      }
      return new Probed(duration != null && duration > 0 ? duration : null, width, height, container, video, audio);
    } catch (java.io.IOException e) {
      throw new CompletionException(new ResolveFailure(ResolveFailure.Code.NO_PLAYABLE_FORMAT, "The file's details cannot be read."));
    }
  }

  private static boolean isCoverArt(JsonNode stream) {
    String codec = stream.path("codec_name").asText("");
    return codec.equals("mjpeg") || codec.equals("png");
  }

  /** Whether a browser's video element can play what ffprobe found. */
  static boolean browserPlayable(Probed p) {
    boolean container = p.container() == null || BROWSER_CONTAINERS.contains(p.container());
    boolean video = p.videoCodec() == null || BROWSER_VIDEO.contains(p.videoCodec());
    boolean audio = p.audioCodec() == null || BROWSER_AUDIO.contains(p.audioCodec());
    return container && video && audio && (p.videoCodec() != null || p.audioCodec() != null);
  }

  private static String lastLine(ExternalProgram.Result result) {
    return result.stderrTail().isEmpty() ? "no details" : result.stderrTail().get(result.stderrTail().size() - 1);
  }
}
