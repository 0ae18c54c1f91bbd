package io.watchroom.transcoding;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * How uploads are transcoded, from {@code watchroom.media}.
 *
 * @param maxHeight the tallest rung (by the short side of the picture): 1080, or 1440 / 2160 to
 *     enable those optional rungs
 * @param crf the quality target of every rung; each rung is also capped at its maximum bitrate
 * @param preset the x264 preset (speed against size)
 * @param segmentSeconds HLS segment and GOP length
 * @param audioBitrateKbps the AAC rendition's bitrate
 * @param maxDuration longer uploads are refused
 * @param maxLongSide uploads whose picture is wider (or taller) than this many pixels are refused
 * @param thumbnailTarget about how many trick-play thumbnails a video gets (the interval scales
 *     with the duration)
 * @param thumbnailWidth the long side of a thumbnail, in pixels
 * @param sheetColumns thumbnails per row of a sprite sheet
 * @param sheetRows rows of a sprite sheet
 */
public record LadderSettings(
    int maxHeight,
    int crf,
    String preset,
    int segmentSeconds,
    int audioBitrateKbps,
    Duration maxDuration,
    int maxLongSide,
    int thumbnailTarget,
    int thumbnailWidth,
    int sheetColumns,
    int sheetRows) {

  public static LadderSettings fromConfig(Config config) {
    Config media = config.getConfig("watchroom.media");
    return new LadderSettings(
        media.getInt("ladder.max-height"),
        media.getInt("ladder.crf"),
        media.getString("ladder.preset"),
        media.getInt("ladder.segment-seconds"),
        media.getInt("ladder.audio-bitrate-kbps"),
        media.getDuration("limits.max-duration"),
        media.getInt("limits.max-long-side"),
        media.getInt("thumbnails.target-count"),
        media.getInt("thumbnails.width"),
        media.getInt("thumbnails.columns"),
        media.getInt("thumbnails.rows"));
  }

  public static LadderSettings defaults() {
    return new LadderSettings(1080, 23, "veryfast", 2, 128, Duration.ofHours(6), 7680, 100, 160, 10, 10);
  }

  public LadderSettings withMaxHeight(int height) {
    return new LadderSettings(height, crf, preset, segmentSeconds, audioBitrateKbps, maxDuration, maxLongSide,
        thumbnailTarget, thumbnailWidth, sheetColumns, sheetRows);
  }

  public LadderSettings withMaxDuration(Duration duration) {
    return new LadderSettings(maxHeight, crf, preset, segmentSeconds, audioBitrateKbps, duration, maxLongSide,
        thumbnailTarget, thumbnailWidth, sheetColumns, sheetRows);
  }
}
