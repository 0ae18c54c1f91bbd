package io.watchroom.transcoding;

import java.util.Optional;

/** Reads ffmpeg's {@code -progress} output: {@code key=value} lines, one block every period. */
public final class FfmpegProgress {
  private FfmpegProgress() {}

  /** The media time reached, in seconds, when {@code line} reports it. */
  public static Optional<Double> seconds(String line) {
    // out_time_us is microseconds (out_time_ms is too, despite its name)
    if (line.startsWith("out_time_us=")) {
      try {
        long micros = Long.parseLong(line.substring("out_time_us=".length()).strip());
        return micros >= 0 ? Optional.of(micros / 1_000_000.0) : Optional.empty();
      } catch (NumberFormatException e) {
        return Optional.empty(); // "N/A" before the first frame
      }
    }
    return Optional.empty();
  }
}
