package io.watchroom.extraction;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Test media made with ffmpeg, once per build under target/media-fixtures: a short mp4 and webm,
 * an HLS ladder (two fMP4 variants with init segments, one variant in a single byte-range file),
 * and a DASH stream.
 */
public final class MediaFixtures {
  private MediaFixtures() {}

  public static final Path DIR = Path.of("target", "media-fixtures").toAbsolutePath();
  public static final int SECONDS = 6;

  /** Makes everything if it is not there yet; returns the folder. */
  public static synchronized Path ensure() throws IOException, InterruptedException {
    Path done = DIR.resolve(".complete");
    if (Files.exists(done)) {
      return DIR;
    }
    if (Files.exists(DIR)) {
      try (Stream<Path> files = Files.walk(DIR)) {
        for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
    Files.createDirectories(DIR.resolve("hls"));
    Files.createDirectories(DIR.resolve("dash"));
    Files.createDirectories(DIR.resolve("hls-range"));
    String video = "testsrc2=size=320x180:rate=25";
    String audio = "sine=frequency=330:sample_rate=44100";
    String t = Integer.toString(SECONDS);

    ffmpeg("-f", "lavfi", "-i", video, "-f", "lavfi", "-i", audio, "-t", t,
        "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-g", "25",
        "-c:a", "aac", "-b:a", "64k", "-movflags", "+faststart", DIR.resolve("clip.mp4").toString());
    ffmpeg("-f", "lavfi", "-i", video, "-f", "lavfi", "-i", audio, "-t", t,
        "-c:v", "libvpx", "-deadline", "realtime", "-cpu-used", "8", "-b:v", "300k",
        "-c:a", "libvorbis", DIR.resolve("clip.webm").toString());
    // A two-rung HLS ladder in fMP4, segments of 2 s.
    for (String[] rung : new String[][] {{"360", "640x360", "600k"}, {"180", "320x180", "200k"}}) {
      Path folder = DIR.resolve("hls").resolve(rung[0]);
      Files.createDirectories(folder);
      ffmpeg("-f", "lavfi", "-i", video, "-f", "lavfi", "-i", audio, "-t", t,
          "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-s", rung[1], "-b:v", rung[2],
          "-g", "50", "-keyint_min", "50", "-sc_threshold", "0", "-c:a", "aac", "-b:a", "64k",
          "-f", "hls", "-hls_time", "2", "-hls_playlist_type", "vod", "-hls_segment_type", "fmp4",
          "-hls_fmp4_init_filename", "init.mp4", "-hls_segment_filename", folder.resolve("seg%d.m4s").toString(),
          folder.resolve("index.m3u8").toString());
    }
    // One variant as a single file addressed with byte ranges.
    ffmpeg("-f", "lavfi", "-i", video, "-f", "lavfi", "-i", audio, "-t", t,
        "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-g", "50",
        "-c:a", "aac", "-b:a", "64k", "-f", "hls", "-hls_time", "2", "-hls_playlist_type", "vod",
        "-hls_flags", "single_file", DIR.resolve("hls-range").resolve("index.m3u8").toString());
    // A DASH stream.
    ffmpeg("-f", "lavfi", "-i", video, "-f", "lavfi", "-i", audio, "-t", t,
        "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-g", "50",
        "-c:a", "aac", "-b:a", "64k", "-f", "dash", "-seg_duration", "2", "-use_template", "1",
        "-use_timeline", "0", DIR.resolve("dash").resolve("manifest.mpd").toString());
    Files.writeString(done, "ok", StandardCharsets.US_ASCII);
    return DIR;
  }

  /** The HLS master playlist, with one relative and one absolute variant URI. */
  public static String master(String base) {
    return "#EXTM3U\n"
        + "#EXT-X-VERSION:7\n"
        + "#EXT-X-INDEPENDENT-SEGMENTS\n"
        + "#EXT-X-STREAM-INF:BANDWIDTH=800000,AVERAGE-BANDWIDTH=700000,RESOLUTION=640x360,CODECS=\"avc1.42c01e,mp4a.40.2\"\n"
        + "360/index.m3u8\n"
        + "#EXT-X-STREAM-INF:BANDWIDTH=300000,RESOLUTION=320x180,CODECS=\"avc1.42c01e,mp4a.40.2\"\n"
        + base + "/hls/180/index.m3u8\n"
        + "#EXT-X-X-WATCHROOM-UNKNOWN-TAG:kept=\"yes\"\n";
  }

  static void ffmpeg(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("ffmpeg", "-hide_banner", "-loglevel", "error", "-y"));
    command.addAll(List.of(args));
    Path partialLog = Files.createTempFile("ffmpeg", ".log");
    Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(partialLog.toFile()).start();
    if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
      process.destroyForcibly();
      throw new IOException("ffmpeg failed: " + String.join(" ", command) + "\n" + Files.readString(partialLog));
    }
    Files.delete(partialLog);
  }

  static void move(Path from, Path to) throws IOException {
    Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
  }
}
