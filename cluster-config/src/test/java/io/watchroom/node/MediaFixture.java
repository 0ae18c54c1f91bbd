package io.watchroom.node;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import static org.apache.pekko.http.javadsl.server.Directives.getFromDirectory;

/**
 * Test media made on the spot with ffmpeg, and a local HTTP server (with Range, which browsers
 * need to seek) that serves it. Made once per build under target/test-media.
 */
final class MediaFixture {
  private MediaFixture() {}

  static final Path DIR = Path.of("target", "test-media").toAbsolutePath();

  /** An H.264/AAC mp4 with a running test pattern and tone, one keyframe per second. */
  static Path clip(String name, int seconds) throws IOException, InterruptedException {
    return clip(name, seconds, "640x360");
  }

  /** The same at another picture size ("1280x720"). */
  static synchronized Path clip(String name, int seconds, String size) throws IOException, InterruptedException {
    Path file = DIR.resolve(name);
    if (Files.exists(file)) {
      return file;
    }
    Files.createDirectories(DIR);
    Path partial = DIR.resolve(name + ".part.mp4");
    List<String> command =
        List.of(
            "ffmpeg", "-hide_banner", "-loglevel", "error", "-y",
            "-f", "lavfi", "-i", "testsrc2=size=" + size + ":rate=30",
            "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
            "-t", Integer.toString(seconds),
            "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p", "-g", "30",
            "-c:a", "aac", "-b:a", "96k",
            "-movflags", "+faststart",
            partial.toString());
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IOException("ffmpeg could not make the test clip: " + output);
    }
    Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE);
    return file;
  }

  /** A still JPEG of the test pattern, as a site's picture of a video. */
  static synchronized Path picture(String name) throws IOException, InterruptedException {
    Path file = DIR.resolve(name);
    if (Files.exists(file)) {
      return file;
    }
    Files.createDirectories(DIR);
    Path partial = DIR.resolve(name + ".part.jpg");
    List<String> command =
        List.of(
            "ffmpeg", "-hide_banner", "-loglevel", "error", "-y",
            "-f", "lavfi", "-i", "testsrc2=size=320x180", "-frames:v", "1",
            partial.toString());
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IOException("ffmpeg could not make the test picture: " + output);
    }
    Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE);
    return file;
  }

  /**
   * An HLS ladder of two rungs (360p and 180p, fMP4 segments of 2 s, keyframes aligned) under
   * {@code DIR/name}; returns its master playlist.
   */
  static synchronized Path hlsLadder(String name, int seconds) throws IOException, InterruptedException {
    Path folder = DIR.resolve(name);
    Path master = folder.resolve("master.m3u8");
    if (Files.exists(master)) {
      return master;
    }
    Files.createDirectories(folder);
    StringBuilder playlist = new StringBuilder("#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-INDEPENDENT-SEGMENTS\n");
    for (String[] rung : new String[][] {{"360", "640x360", "700k", "800000"}, {"180", "320x180", "250k", "350000"}}) {
      Path rungFolder = folder.resolve(rung[0]);
      Files.createDirectories(rungFolder);
      List<String> command =
          List.of(
              "ffmpeg", "-hide_banner", "-loglevel", "error", "-y",
              "-f", "lavfi", "-i", "testsrc2=size=" + rung[1] + ":rate=30",
              "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
              "-t", Integer.toString(seconds),
              "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p", "-b:v", rung[2],
              "-g", "60", "-keyint_min", "60", "-sc_threshold", "0",
              "-c:a", "aac", "-b:a", "64k",
              "-f", "hls", "-hls_time", "2", "-hls_playlist_type", "vod", "-hls_segment_type", "fmp4",
              "-hls_fmp4_init_filename", "init.mp4",
              "-hls_segment_filename", rungFolder.resolve("seg%d.m4s").toString(),
              rungFolder.resolve("index.m3u8").toString());
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes());
      if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IOException("ffmpeg could not make the test ladder: " + output);
      }
      playlist.append("#EXT-X-STREAM-INF:BANDWIDTH=").append(rung[3]).append(",RESOLUTION=").append(rung[1])
          .append(",CODECS=\"avc1.64001e,mp4a.40.2\"\n").append(rung[0]).append("/index.m3u8\n");
    }
    // Written last: its presence means the ladder is complete.
    Path partial = folder.resolve("master.m3u8.part");
    Files.writeString(partial, playlist.toString());
    Files.move(partial, master, StandardCopyOption.ATOMIC_MOVE);
    return master;
  }

  /**
   * A DASH stream of two video representations (360p, 180p) and one audio, segments of 2 s,
   * under {@code DIR/name}; returns its manifest.
   */
  static synchronized Path dash(String name, int seconds) throws IOException, InterruptedException {
    Path folder = DIR.resolve(name);
    Path manifest = folder.resolve("manifest.mpd");
    if (Files.exists(manifest)) {
      return manifest;
    }
    Path partial = DIR.resolve(name + ".part");
    Files.createDirectories(partial);
    List<String> command =
        List.of(
            "ffmpeg", "-hide_banner", "-loglevel", "error", "-y",
            "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=30",
            "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
            "-t", Integer.toString(seconds),
            "-filter_complex", "[0:v]split=2[tall][small];[small]scale=320:180[short]",
            "-map", "[tall]", "-map", "[short]", "-map", "1:a",
            "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p", "-g", "60", "-keyint_min", "60",
            "-sc_threshold", "0", "-b:v:0", "700k", "-b:v:1", "250k", "-c:a", "aac", "-b:a", "64k",
            "-f", "dash", "-seg_duration", "2", "-use_template", "1", "-use_timeline", "1",
            "-adaptation_sets", "id=0,streams=v id=1,streams=a",
            partial.resolve("manifest.mpd").toString());
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IOException("ffmpeg could not make the test DASH stream: " + output);
    }
    Files.move(partial, folder, StandardCopyOption.ATOMIC_MOVE);
    return manifest;
  }

  /** Serves {@link #DIR} on a free loopback port; returns the base URL. */
  static ServerBinding serve(ActorSystem<?> system) throws Exception {
    Files.createDirectories(DIR);
    return Http.get(system)
        .newServerAt("127.0.0.1", 0)
        .bind(getFromDirectory(DIR.toString()))
        .toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
  }

  static String url(ServerBinding binding, Path file) {
    return "http://127.0.0.1:" + binding.localAddress().getPort() + "/" + DIR.relativize(file).toString().replace('\\', '/');
  }
}
