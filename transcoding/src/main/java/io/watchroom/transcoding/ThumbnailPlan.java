package io.watchroom.transcoding;

import io.watchroom.core.video.Probe;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The poster and the trick-play thumbnails of a video. Thumbnails are taken every {@code
 * interval} seconds (scaled to the duration so that a video gets about the configured number of
 * them), tiled {@code columns x rows} into JPEG sprite sheets, and indexed by a WebVTT file whose
 * cues point into the sheets ({@code sheet_001.jpg#xywh=x,y,w,h}).
 */
public record ThumbnailPlan(
    double interval, int count, int tileWidth, int tileHeight, int columns, int rows, double posterAt, int posterHeight) {

  public static final String POSTER = "poster.jpg";
  public static final String VTT = "thumbnails.vtt";
  public static final String SHEETS = "sprites";

  public static ThumbnailPlan from(Probe probe, LadderSettings settings) {
    double duration = probe.duration();
    // whole seconds, at least one: cues stay readable and the count exact
    double interval = Math.max(1, Math.ceil(duration / settings.thumbnailTarget()));
    int count = Math.max(1, (int) Math.floor(duration / interval + 1e-6));
    boolean portrait = probe.height() > probe.width();
    int longSide = settings.thumbnailWidth();
    int shortSide = LadderPlan.even((double) longSide * Math.min(probe.width(), probe.height()) / Math.max(probe.width(), probe.height()));
    int tileWidth = portrait ? shortSide : longSide;
    int tileHeight = portrait ? longSide : shortSide;
    int perSheet = settings.sheetColumns() * settings.sheetRows();
    int rows = count >= perSheet ? settings.sheetRows() : (int) Math.ceil((double) count / settings.sheetColumns());
    double posterAt = Math.min(duration * 0.25, 5.0);
    int posterHeight = Math.min(720, LadderPlan.even(Math.min(probe.width(), probe.height())));
    return new ThumbnailPlan(interval, count, tileWidth, tileHeight, settings.sheetColumns(), Math.max(1, rows), posterAt, posterHeight);
  }

  public int perSheet() {
    return columns * rows;
  }

  public int sheets() {
    return (count + perSheet() - 1) / perSheet();
  }

  public static String sheetName(int index) {
    return String.format(Locale.ROOT, "sheet_%03d.jpg", index + 1);
  }

  /** ffmpeg arguments writing the sprite sheets into {@code out/sprites/} and the poster. */
  public List<String> ffmpegArguments(Path source, Path out) {
    String filter =
        "[0:v]split=2[t][p];"
            + "[t]fps=1/" + format(interval) + ",trim=end_frame=" + count
            + ",scale=" + tileWidth + ":" + tileHeight + ",setsar=1,tile=" + columns + "x" + rows + "[sheets];"
            + "[p]trim=start=" + format(posterAt) + ",setpts=PTS-STARTPTS,scale=-2:" + posterHeight + ",setsar=1[poster]";
    List<String> args = new ArrayList<>(List.of(
        "-hide_banner", "-nostdin", "-nostats", "-loglevel", "error", "-y",
        "-protocol_whitelist", "file", "-format_whitelist", LadderPlan.INPUT_FORMATS,
        "-i", source.toString(),
        "-filter_complex", filter,
        "-map", "[sheets]", "-q:v", "5", "-start_number", "1",
        out.resolve(SHEETS).resolve("sheet_%03d.jpg").toString(),
        "-map", "[poster]", "-frames:v", "1", "-q:v", "3",
        out.resolve(POSTER).toString()));
    return args;
  }

  /** The WebVTT index: one cue per thumbnail, pointing at its tile (paths relative to the VTT). */
  public String vtt(double duration) {
    StringBuilder out = new StringBuilder("WEBVTT\n\n");
    for (int i = 0; i < count; i++) {
      double start = i * interval;
      double end = i == count - 1 ? Math.max(duration, start + interval) : (i + 1) * interval;
      int sheet = i / perSheet();
      int cell = i % perSheet();
      int x = (cell % columns) * tileWidth;
      int y = (cell / columns) * tileHeight;
      out.append(timestamp(start)).append(" --> ").append(timestamp(end)).append('\n')
          .append(SHEETS).append('/').append(sheetName(sheet))
          .append("#xywh=").append(x).append(',').append(y).append(',').append(tileWidth).append(',').append(tileHeight)
          .append("\n\n");
    }
    return out.toString();
  }

  static String timestamp(double seconds) {
    long millis = Math.round(seconds * 1000);
    return String.format(Locale.ROOT, "%02d:%02d:%02d.%03d",
        millis / 3_600_000, (millis / 60_000) % 60, (millis / 1000) % 60, millis % 1000);
  }

  private static String format(double value) {
    return value == Math.rint(value) ? Long.toString((long) value) : String.format(Locale.ROOT, "%.3f", value);
  }
}
