package io.watchroom.transcoding;

import io.watchroom.core.video.Probe;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The HLS ladder for one source: which rungs, at what size, frame rate and bitrate cap, and the one
 * ffmpeg command that writes all of them.
 *
 * <p>Rungs are chosen by the short side of the picture, so a portrait 1080x1920 phone video gets
 * the same five rungs as a landscape 1920x1080 one; no rung is taller than the source (no
 * upscaling). Every rung keys at exactly the same times (a closed GOP of {@code segmentSeconds},
 * forced at {@code n * segmentSeconds}, scene cuts off), so segment boundaries line up across
 * rungs and a player can switch between them at any segment. Rungs of 480 and below halve a frame
 * rate above 30, where the extra frames cost more bits than they show at that size.
 */
public record LadderPlan(List<Rung> rungs, boolean audio, int segmentSeconds, int audioBitrateKbps, String preset) {

  public LadderPlan {
    rungs = List.copyOf(rungs);
  }

  /**
   * One video rung.
   *
   * @param name "1080p", also the rung's folder
   * @param frameRate frames per second, as an ffmpeg rational ("30", "30000/1001")
   * @param gop frames per GOP (= per segment)
   */
  public record Rung(
      String name, int width, int height, String frameRate, int gop, int crf, int maxrateKbps, int bufsizeKbps) {

    public double frameRateValue() {
      return rationalValue(frameRate);
    }
  }

  /** Standard rung heights, tallest first; 2160 and 1440 only when enabled. */
  static final int[] HEIGHTS = {2160, 1440, 1080, 720, 480, 360, 240};

  /** Bitrate cap in kbit/s at 30 fps or less, per rung height. */
  static int baseMaxrate(int height) {
    if (height >= 2160) return 16_000;
    if (height >= 1440) return 9_000;
    if (height >= 1080) return 5_000;
    if (height >= 720) return 2_800;
    if (height >= 480) return 1_400;
    if (height >= 360) return 800;
    return 400;
  }

  public static final String AUDIO = "audio";

  /**
   * The containers ffprobe and ffmpeg may open. Uploads are untrusted: without this, a text file
   * that looks like a playlist (HLS, concat) would make ffmpeg read other files or URLs.
   */
  public static final String INPUT_FORMATS =
      "mov,mp4,m4a,3gp,3g2,mj2,matroska,webm,avi,flv,mpegts,mpeg,ogg,asf,mxf";

  public static LadderPlan from(Probe probe, LadderSettings settings) throws MediaRejected {
    if (probe.width() <= 0 || probe.height() <= 0) {
      throw new MediaRejected("The file has no video stream.");
    }
    int shortSide = Math.min(probe.width(), probe.height());
    int longSide = Math.max(probe.width(), probe.height());
    boolean portrait = probe.height() > probe.width();
    double sourceFps = probe.frameRate() > 0 ? Math.min(probe.frameRate(), 60) : 30;

    List<Rung> rungs = new ArrayList<>();
    for (int height : HEIGHTS) {
      if (height > settings.maxHeight() || height > shortSide) {
        continue;
      }
      int scaledLong = even((double) longSide * height / shortSide);
      rungs.add(rung(height + "p", portrait ? height : scaledLong, portrait ? scaledLong : height, height, sourceFps, settings));
    }
    if (rungs.isEmpty()) {
      // Smaller than the lowest rung: one rung at the source's own size.
      int height = even(shortSide);
      int w = even(probe.width());
      int h = even(probe.height());
      rungs.add(rung(height + "p", w, h, height, sourceFps, settings));
    }
    return new LadderPlan(rungs, probe.hasAudio(), settings.segmentSeconds(), settings.audioBitrateKbps(), settings.preset());
  }

  private static Rung rung(String name, int width, int height, int classHeight, double sourceFps, LadderSettings settings) {
    double fps = classHeight <= 480 && sourceFps > 30.5 ? sourceFps / 2 : sourceFps;
    boolean high = fps > 30.5;
    int maxrate = (int) Math.round(baseMaxrate(classHeight) * (high ? 1.5 : 1.0));
    int gop = (int) Math.round(fps * settings.segmentSeconds());
    return new Rung(name, width, height, rational(fps), gop, settings.crf(), maxrate, maxrate * 2);
  }

  /** Every rung and the audio rendition's folder names, in ladder order. */
  public List<String> renditionNames() {
    List<String> names = rungs.stream().map(Rung::name).collect(Collectors.toCollection(ArrayList::new));
    if (audio) {
      names.add(AUDIO);
    }
    return names;
  }

  /**
   * The ffmpeg arguments (after the program name) that write every rung of this plan as fMP4 HLS
   * into {@code out/<rung>/index.m3u8}, reporting progress on standard output.
   */
  public List<String> ffmpegArguments(Path source, Path out) {
    List<String> args = new ArrayList<>(List.of(
        "-hide_banner", "-nostdin", "-nostats", "-loglevel", "error",
        "-progress", "pipe:1", "-stats_period", "0.5", "-y",
        // a damaged upload fails the job instead of publishing a video that stops half way
        "-xerror",
        "-protocol_whitelist", "file", "-format_whitelist", INPUT_FORMATS,
        "-i", source.toString()));
    StringBuilder filter = new StringBuilder("[0:v]split=").append(rungs.size());
    for (int i = 0; i < rungs.size(); i++) {
      filter.append("[s").append(i).append(']');
    }
    for (int i = 0; i < rungs.size(); i++) {
      Rung r = rungs.get(i);
      filter.append(";[s").append(i).append("]scale=").append(r.width()).append(':').append(r.height())
          .append(",setsar=1,fps=").append(r.frameRate()).append(",format=yuv420p[v").append(i).append(']');
    }
    args.add("-filter_complex");
    args.add(filter.toString());
    for (int i = 0; i < rungs.size(); i++) {
      args.add("-map");
      args.add("[v" + i + "]");
    }
    if (audio) {
      args.addAll(List.of("-map", "0:a:0"));
    }
    args.addAll(List.of(
        "-c:v", "libx264", "-preset", preset, "-profile:v", "high",
        "-sc_threshold", "0", "-flags", "+cgop",
        "-force_key_frames", "expr:gte(t,n_forced*" + segmentSeconds + ")"));
    for (int i = 0; i < rungs.size(); i++) {
      Rung r = rungs.get(i);
      args.addAll(List.of(
          "-crf:v:" + i, Integer.toString(r.crf()),
          "-maxrate:v:" + i, r.maxrateKbps() + "k",
          "-bufsize:v:" + i, r.bufsizeKbps() + "k",
          "-g:v:" + i, Integer.toString(r.gop()),
          "-keyint_min:v:" + i, Integer.toString(r.gop())));
    }
    if (audio) {
      args.addAll(List.of("-c:a", "aac", "-b:a", audioBitrateKbps + "k", "-ac", "2", "-ar", "48000"));
    }
    StringBuilder streamMap = new StringBuilder();
    for (int i = 0; i < rungs.size(); i++) {
      streamMap.append(i == 0 ? "" : " ").append("v:").append(i).append(",name:").append(rungs.get(i).name());
    }
    if (audio) {
      streamMap.append(" a:0,name:").append(AUDIO);
    }
    args.addAll(List.of(
        "-f", "hls", "-hls_time", Integer.toString(segmentSeconds),
        "-hls_playlist_type", "vod", "-hls_segment_type", "fmp4",
        "-hls_flags", "independent_segments",
        "-hls_fmp4_init_filename", "init.mp4",
        "-hls_segment_filename", out.resolve("%v").resolve("seg_%05d.m4s").toString(),
        "-var_stream_map", streamMap.toString(),
        out.resolve("%v").resolve("index.m3u8").toString()));
    return args;
  }

  static int even(double value) {
    return Math.max(2, 2 * (int) Math.round(value / 2));
  }

  /** A frame rate as ffmpeg's exact rational where it is an NTSC rate, else as a decimal. */
  static String rational(double fps) {
    for (int base : new int[] {24, 30, 60}) {
      if (Math.abs(fps - base * 1000.0 / 1001) < 0.005) {
        return (base * 1000) + "/1001";
      }
    }
    if (Math.abs(fps - Math.rint(fps)) < 0.005) {
      return Long.toString(Math.round(fps));
    }
    return String.format(Locale.ROOT, "%.3f", fps);
  }

  static double rationalValue(String rational) {
    int slash = rational.indexOf('/');
    if (slash < 0) {
      return Double.parseDouble(rational);
    }
    double denominator = Double.parseDouble(rational.substring(slash + 1));
    return denominator == 0 ? 0 : Double.parseDouble(rational.substring(0, slash)) / denominator;
  }
}
