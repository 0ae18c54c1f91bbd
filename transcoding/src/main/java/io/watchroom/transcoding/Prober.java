package io.watchroom.transcoding;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.watchroom.core.video.Probe;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;

/**
 * Runs ffprobe on an upload and decides whether it is a video Watchroom can publish: it must be
 * readable, have a video stream and a duration, and be within the configured duration and size
 * limits. Anything else is a {@link MediaRejected} with a sentence saying why.
 */
public final class Prober {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final MediaPrograms programs;
  private final LadderSettings settings;
  private final ActorSystem<?> system;

  public Prober(MediaPrograms programs, LadderSettings settings, ActorSystem<?> system) {
    this.programs = programs;
    this.settings = settings;
    this.system = system;
  }

  /** Completes with the probe, or fails with {@link MediaRejected} (or an I/O failure). */
  public CompletionStage<Probe> probe(Path file) {
    List<String> command =
        programs.ffprobeCommand(
            List.of("-v", "error", "-protocol_whitelist", "file", "-format_whitelist", LadderPlan.INPUT_FORMATS,
                "-print_format", "json", "-show_format", "-show_streams", file.toString()));
    var running =
        ProcessLines.run(command, 10)
            .toMat(Sink.fold(new StringBuilder(), (sb, line) -> sb.append(line).append('\n')), Keep.both())
            .run(system);
    return running
        .second()
        .thenCombine(running.first(), (output, exit) -> {
          if (!exit.succeeded()) {
            return CompletableFuture.<Probe>failedFuture(
                new MediaRejected("The file is not a video that can be read (" + lastLine(exit) + ")."));
          }
          try {
            return CompletableFuture.completedFuture(check(parse(output.toString()), settings));
          } catch (MediaRejected e) {
            return CompletableFuture.<Probe>failedFuture(e);
          }
        })
        .thenCompose(x -> x);
  }

  private static String lastLine(ProcessLines.Exit exit) {
    List<String> lines = exit.lastErrorLines();
    return lines.isEmpty() ? "ffprobe exited with " + exit.code() : "ffprobe: " + lines.get(lines.size() - 1).strip();
  }

  /** Reads ffprobe's JSON; display dimensions account for a rotation tag or matrix. */
  static Probe parse(String json) throws MediaRejected {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (Exception e) {
      throw new MediaRejected("The file is not a video that can be read.");
    }
    JsonNode video = null;
    boolean audio = false;
    for (JsonNode stream : root.path("streams")) {
      String type = stream.path("codec_type").asText();
      boolean cover = stream.path("disposition").path("attached_pic").asInt(0) == 1;
      if (type.equals("video") && !cover && video == null) {
        video = stream;
      } else if (type.equals("audio")) {
        audio = true;
      }
    }
    if (video == null) {
      throw new MediaRejected("The file has no video stream.");
    }
    double duration = root.path("format").path("duration").asDouble(0);
    if (!(duration > 0)) {
      duration = video.path("duration").asDouble(0);
    }
    if (!(duration > 0)) {
      throw new MediaRejected("The file has no duration; it may be truncated or not a video.");
    }
    int width = video.path("width").asInt(0);
    int height = video.path("height").asInt(0);
    if (width <= 0 || height <= 0) {
      throw new MediaRejected("The video stream has no picture size.");
    }
    if (Math.abs(rotation(video)) % 180 == 90) {
      int swap = width;
      width = height;
      height = swap;
    }
    double fps = LadderPlan.rationalValue(video.path("avg_frame_rate").asText("0/0"));
    if (!(fps > 0) || fps > 1000) {
      fps = LadderPlan.rationalValue(video.path("r_frame_rate").asText("0/0"));
    }
    if (!(fps > 0) || fps > 1000) {
      fps = 30;
    }
    return new Probe(duration, width, height, Math.round(fps * 1000) / 1000.0, audio, root.path("format").path("format_name").asText(""));
  }

  private static int rotation(JsonNode video) {
    for (JsonNode side : video.path("side_data_list")) {
      if (side.has("rotation")) {
        return side.path("rotation").asInt(0);
      }
    }
    return video.path("tags").path("rotate").asInt(0);
  }

  /** Refuses a probed video over the configured duration or picture size. */
  static Probe check(Probe probe, LadderSettings settings) throws MediaRejected {
    double max = settings.maxDuration().toMillis() / 1000.0;
    if (probe.duration() > max) {
      throw new MediaRejected(String.format(Locale.ROOT,
          "The video is %.1f s long; videos are limited to %.0f s.", probe.duration(), max));
    }
    int longSide = Math.max(probe.width(), probe.height());
    if (longSide > settings.maxLongSide()) {
      throw new MediaRejected(
          "The video is " + probe.width() + "x" + probe.height() + "; pictures are limited to "
              + settings.maxLongSide() + " pixels on their long side.");
    }
    return probe;
  }
}
