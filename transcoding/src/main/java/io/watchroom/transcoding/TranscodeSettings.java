package io.watchroom.transcoding;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.time.Duration;

/**
 * How this node runs transcoding jobs, from {@code watchroom.media}.
 *
 * @param concurrency ffmpeg ladders this node runs at once
 * @param maxAttempts attempts of a job before the video fails for good
 * @param minBackoff wait before the second attempt; doubles each time up to {@code maxBackoff}
 * @param workDir local scratch space for sources and outputs being written
 * @param errorLines how many of ffmpeg's last error lines a failure keeps
 */
public record TranscodeSettings(
    int concurrency,
    int maxAttempts,
    Duration minBackoff,
    Duration maxBackoff,
    Path workDir,
    int errorLines,
    Duration askTimeout) {

  public static TranscodeSettings fromConfig(Config config) {
    Config media = config.getConfig("watchroom.media");
    return new TranscodeSettings(
        media.getInt("concurrency"),
        media.getInt("retries.max-attempts"),
        media.getDuration("retries.min-backoff"),
        media.getDuration("retries.max-backoff"),
        Path.of(media.getString("work-dir")),
        media.getInt("error-lines"),
        media.getDuration("ask-timeout"));
  }

  Duration backoff(int attempt) {
    long millis = minBackoff.toMillis() << Math.min(Math.max(attempt - 1, 0), 10);
    return Duration.ofMillis(Math.min(millis, maxBackoff.toMillis()));
  }
}
