package io.watchroom.transcoding;

import io.watchroom.core.video.Probe;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The single-process ladder against one ffmpeg run per rung (PeerTube's way), on the same input
 * and the same LadderPlan settings, plus the cost of the poster and sprites. Wall time and CPU
 * time (user + system of the ffmpeg processes, from the shell's {@code times}) per variant,
 * medians over the runs, variants interleaved so that load from elsewhere hits them alike.
 *
 * <p>Run through transcoding/bench/ladder.sh; prints a Markdown table row for docs/benchmarks.md.
 */
public final class LadderBenchmark {

  record Measure(double wall, double cpu) {}

  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    String size = args.length > 2 ? args[2] : "1920x1080";
    Path dir = Files.createTempDirectory("watchroom-ladder-bench");
    try {
      Path source = dir.resolve("source.mp4");
      int width = Integer.parseInt(size.substring(0, size.indexOf('x')));
      int height = Integer.parseInt(size.substring(size.indexOf('x') + 1));
      run(List.of("ffmpeg", "-hide_banner", "-loglevel", "error", "-y",
          "-f", "lavfi", "-i", "testsrc2=size=" + size + ":rate=30",
          "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
          "-t", Integer.toString(seconds), "-c:v", "libx264", "-preset", "veryfast", "-crf", "18",
          "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "192k", source.toString()));
      Probe probe = new Probe(seconds, width, height, 30, true, "mp4");
      LadderSettings settings = LadderSettings.defaults();
      LadderPlan plan = LadderPlan.from(probe, settings);
      ThumbnailPlan thumbs = ThumbnailPlan.from(probe, settings);

      List<Measure> single = new ArrayList<>();
      List<Measure> perRung = new ArrayList<>();
      List<Measure> extras = new ArrayList<>();
      for (int i = 0; i < runs; i++) {
        single.add(timed(List.of(withProgram(plan.ffmpegArguments(source, clean(dir.resolve("single")))))));
        List<List<String>> commands = new ArrayList<>();
        Path out = clean(dir.resolve("per-rung"));
        for (LadderPlan.Rung rung : plan.rungs()) {
          LadderPlan one = new LadderPlan(List.of(rung), false, plan.segmentSeconds(), plan.audioBitrateKbps(), plan.preset());
          commands.add(withProgram(one.ffmpegArguments(source, out)));
        }
        commands.add(List.of("ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error", "-y", "-i", source.toString(),
            "-map", "0:a:0", "-c:a", "aac", "-b:a", plan.audioBitrateKbps() + "k", "-ac", "2", "-ar", "48000",
            "-f", "hls", "-hls_time", Integer.toString(plan.segmentSeconds()), "-hls_playlist_type", "vod",
            "-hls_segment_type", "fmp4", "-hls_fmp4_init_filename", "init.mp4",
            "-hls_segment_filename", out.resolve("audio").resolve("seg_%05d.m4s").toString(),
            out.resolve("audio").resolve("index.m3u8").toString()));
        Files.createDirectories(out.resolve("audio"));
        perRung.add(timed(commands));
        Path thumbOut = clean(dir.resolve("thumbs"));
        Files.createDirectories(thumbOut.resolve(ThumbnailPlan.SHEETS));
        extras.add(timed(List.of(withProgram(thumbs.ffmpegArguments(source, thumbOut)))));
        System.err.printf(Locale.ROOT, "run %d: single %s, per rung %s, poster+sprites %s%n", i + 1, single.get(i), perRung.get(i), extras.get(i));
      }
      Measure s = median(single);
      Measure p = median(perRung);
      Measure e = median(extras);
      System.out.printf(Locale.ROOT,
          "| %s %d s, %d rungs + audio | %d | %.1f s / %.1f s | %.1f s / %.1f s | %.2f | %.2f | %.1f s / %.1f s (+%.0f %% / +%.0f %%) |%n",
          size, seconds, plan.rungs().size(), runs, s.wall(), s.cpu(), p.wall(), p.cpu(),
          s.wall() / p.wall(), s.cpu() / p.cpu(), e.wall(), e.cpu(), 100 * e.wall() / s.wall(), 100 * e.cpu() / s.cpu());
    } finally {
      TranscodeJob.deleteQuietly(dir);
    }
  }

  private static List<String> withProgram(List<String> arguments) {
    List<String> command = new ArrayList<>();
    command.add("ffmpeg");
    command.addAll(arguments);
    return command;
  }

  private static Path clean(Path dir) throws IOException {
    TranscodeJob.deleteQuietly(dir);
    Files.createDirectories(dir);
    return dir;
  }

  /** Runs the commands one after another in one shell; CPU is the children's user + system time. */
  private static Measure timed(List<List<String>> commands) throws Exception {
    StringBuilder script = new StringBuilder("set -e\n");
    for (List<String> command : commands) {
      if (command.stream().anyMatch(a -> a.contains("%v"))) {
        // rung folders exist before ffmpeg writes into them
        for (String arg : command) {
          if (arg.contains("name:")) {
            for (String part : arg.split(" ")) {
              String name = part.substring(part.indexOf("name:") + 5);
              Path out = Path.of(command.get(command.size() - 1)).getParent().getParent();
              Files.createDirectories(out.resolve(name));
            }
          }
        }
      }
      for (String arg : command) {
        script.append('\'').append(arg.replace("'", "'\\''")).append("' ");
      }
      script.append(">/dev/null\n");
    }
    script.append("times\n");
    long start = System.nanoTime();
    String output = run(List.of("bash", "-c", script.toString()));
    double wall = (System.nanoTime() - start) / 1e9;
    String[] lines = output.strip().split("\n");
    String[] children = lines[lines.length - 1].strip().split("\\s+");
    return new Measure(wall, seconds(children[0]) + seconds(children[1]));
  }

  /** bash's "1m2.345s". */
  private static double seconds(String text) {
    int m = text.indexOf('m');
    return Double.parseDouble(text.substring(0, m)) * 60 + Double.parseDouble(text.substring(m + 1, text.length() - 1));
  }

  private static Measure median(List<Measure> measures) {
    List<Double> walls = measures.stream().map(Measure::wall).sorted().toList();
    List<Double> cpus = measures.stream().map(Measure::cpu).sorted().toList();
    return new Measure(walls.get(walls.size() / 2), cpus.get(cpus.size() / 2));
  }

  private static String run(List<String> command) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (process.waitFor() != 0) {
      throw new IOException(String.join(" ", command.subList(0, Math.min(3, command.size()))) + " failed:\n" + output);
    }
    return output;
  }

}
