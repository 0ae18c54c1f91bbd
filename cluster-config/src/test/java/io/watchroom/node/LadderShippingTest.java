package io.watchroom.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.watchroom.transcoding.TranscodeJob;
import io.watchroom.transcoding.store.S3Server;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ladder's segments reach the media store (S3, through s3proxy) while ffmpeg still runs, and
 * every ffmpeg runs at the configured niceness.
 *
 * <p>ffmpeg is a stand-in script: it records its own niceness and runs the real ffmpeg; for the
 * ladder it then keeps the process open until the test lets it go. Whatever the bucket holds at
 * that moment was shipped while the job's ffmpeg process was running, on any machine speed: the
 * order of events is what the test looks at, not the clock.
 */
class LadderShippingTest {

  @TempDir static Path dataDir;

  /** The stand-in's files: its script, the niceness of each run, the ladder markers. */
  private record StandIn(Path script, Path niceness, Path ladderWritten, Path release) {

    static StandIn in(Path dir) throws IOException {
      Files.createDirectories(dir);
      StandIn standIn =
          new StandIn(dir.resolve("ffmpeg"), dir.resolve("niceness.txt"), dir.resolve("ladder-written"), dir.resolve("release"));
      Files.writeString(standIn.niceness(), "");
      Files.writeString(
          standIn.script(),
          String.join(
              "\n",
              "#!/bin/sh",
              "ps -o ni= -p $$ >> '" + standIn.niceness() + "'",
              "case \" $* \" in",
              "  *\" -var_stream_map \"*) ;;",
              "  *) exec ffmpeg \"$@\" ;;",
              "esac",
              "ffmpeg \"$@\"",
              "code=$?",
              ": > '" + standIn.ladderWritten() + "'",
              // bounded, so a test that fails before releasing it leaves no process behind for long
              "n=0",
              "while [ ! -e '" + standIn.release() + "' ] && [ $n -lt 1800 ]; do sleep 0.1; n=$((n+1)); done",
              "exit $code",
              ""));
      if (!standIn.script().toFile().setExecutable(true)) {
        throw new IOException("cannot make " + standIn.script() + " executable");
      }
      return standIn;
    }
  }

  @Test
  void segmentsAreStoredWhileFfmpegStillRunsAndFfmpegRunsNiced() throws Exception {
    int base = niceness(ProcessHandle.current().pid());
    StandIn standIn = StandIn.in(dataDir.resolve("bin"));
    Path clip = MediaFixture.clip("shipping-10s.mp4", 10);
    try (S3Server s3 = S3Server.start()) {
      Map<String, Object> settings = new HashMap<>(VideoUploadS3Test.s3Settings(s3, "watchroom-shipping"));
      settings.put("watchroom.media.ffmpeg", standIn.script().toString());
      settings.put("watchroom.media.nice", 7);
      WatchroomNode node = WatchroomNode.start(TestNodes.config(dataDir.resolve("node"), settings));
      try {
        VideoApi api = VideoApi.guest(node);
        String id = api.upload(clip, "Shipped as written", 1 << 20);
        String prefix = TranscodeJob.videoPrefix(id);

        // the real ffmpeg has written the whole ladder; the job's ffmpeg process is still open
        awaitTrue("the ladder is written", () -> Files.exists(standIn.ladderWritten()));
        // ffmpeg writes segments in order, so each one but the last of a rendition is finished
        Path out = dataDir.resolve("node").resolve("work").resolve(id).resolve("out");
        Set<String> finished = new TreeSet<>();
        Set<String> renditions = new TreeSet<>();
        try (var folders = Files.list(out)) {
          for (Path folder : folders.filter(Files::isDirectory).toList()) {
            List<String> segments;
            try (var files = Files.list(folder)) {
              segments = files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".m4s")).sorted().toList();
            }
            assertTrue(segments.size() >= 2, folder + " holds " + segments);
            renditions.add(folder.getFileName().toString());
            segments.subList(0, segments.size() - 1).forEach(n -> finished.add(prefix + folder.getFileName() + "/" + n));
          }
        }
        assertTrue(renditions.size() >= 2, "a ladder: " + renditions);
        Set<String> whileRunning = new TreeSet<>();
        awaitTrue(
            "the finished segments are in the bucket while ffmpeg runs",
            () -> {
              whileRunning.clear();
              whileRunning.addAll(node.mediaStore().list(prefix).toCompletableFuture().get(30, TimeUnit.SECONDS));
              return whileRunning.containsAll(finished);
            });
        assertEquals("transcoding", api.video(id).get("status").asText());
        assertFalse(Files.exists(standIn.release()));
        // playlists and the master come once the ladder is complete
        assertTrue(whileRunning.stream().noneMatch(key -> key.endsWith(".m3u8")), whileRunning.toString());

        Files.writeString(standIn.release(), "");
        JsonNode published =
            api.awaitVideo(id, v -> !v.get("status").asText().equals("transcoding") && !v.get("status").asText().equals("processing"),
                Duration.ofMinutes(3));
        assertEquals("published", published.get("status").asText(), published.toString());
        List<String> stored = node.mediaStore().list(prefix).toCompletableFuture().get(30, TimeUnit.SECONDS);
        assertTrue(stored.containsAll(whileRunning), "what was shipped early stays: " + stored);
        assertTrue(stored.size() > whileRunning.size(), "the rest followed at the end: " + stored);
      } finally {
        Files.writeString(standIn.release(), "");
        node.close();
      }
    }

    // the ladder, the poster and sprites: every ffmpeg ran at the configured niceness
    List<String> runs = Files.readAllLines(standIn.niceness()).stream().map(String::strip).filter(l -> !l.isEmpty()).toList();
    assertTrue(runs.size() >= 2, "ffmpeg ran for the ladder and the thumbnails: " + runs);
    assertEquals(List.of(Integer.toString(Math.min(19, base + 7))), runs.stream().distinct().toList(), "base niceness " + base);
  }

  /** Waits for an event of the transcode; generous, since a busy machine transcodes slowly. */
  private static void awaitTrue(String what, Callable<Boolean> condition) throws Exception {
    long end = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
    while (!condition.call()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("not seen within 3 minutes: " + what);
      }
      Thread.sleep(100);
    }
  }

  static int niceness(long pid) throws IOException, InterruptedException {
    Process ps = new ProcessBuilder("ps", "-o", "ni=", "-p", Long.toString(pid)).redirectErrorStream(true).start();
    String out = new String(ps.getInputStream().readAllBytes()).strip();
    if (!ps.waitFor(10, TimeUnit.SECONDS) || ps.exitValue() != 0) {
      throw new IOException("ps answered: " + out);
    }
    return Integer.parseInt(out);
  }
}
