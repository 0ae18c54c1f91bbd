package io.watchroom.extraction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** ffprobe on files the test makes: what browsers cannot play is refused, and a probe has a hard limit. */
class MediaProbeTest {

  private static ActorTestKit testKit;
  private static FixtureServer web;
  private static EgressProxy egress;
  private static MediaResolver resolver;

  @BeforeAll
  static void start() throws Exception {
    testKit = ActorTestKit.create();
    web = FixtureServer.start(testKit.system());
    // Codecs no browser decodes: MPEG-4 Part 2 video with MP2 audio, in Matroska.
    Path mkv = MediaFixtures.DIR.resolve("mpeg4.mkv");
    if (!Files.exists(mkv)) {
      Path partial = MediaFixtures.DIR.resolve("mpeg4.partial.mkv");
      MediaFixtures.ffmpeg("-f", "lavfi", "-i", "testsrc2=size=160x90:rate=10", "-f", "lavfi", "-i", "sine", "-t", "2",
          "-c:v", "mpeg4", "-c:a", "mp2", partial.toString());
      MediaFixtures.move(partial, mkv);
    }
    DestinationGuard guard = new DestinationGuard(List.of("127.0.0.1/32"));
    egress = EgressProxy.start(testKit.system(), guard);
    resolver = MediaResolver.create(testKit.system(), new Upstream(testKit.system(), guard, Duration.ofSeconds(3), Duration.ofSeconds(5), 16),
        egress, "yt-dlp", "ffprobe", Duration.ofSeconds(10), Optional.empty(),
        new MediaResolver.Settings(Duration.ofSeconds(30), Duration.ofHours(2), Duration.ofDays(30), Duration.ofHours(24), 50, 5,
            false, web.base() + "/oembed", web.base() + "/oembed", web.base() + "/oembed"),
        InstantSource.system());
  }

  @AfterAll
  static void stop() throws Exception {
    egress.close();
    web.close();
    testKit.shutdownTestKit();
  }

  @Test
  void aFileWithCodecsBrowsersCannotPlayIsRefusedNamingThem() throws Exception {
    try {
      resolver.resolve(web.base() + "/media/mpeg4.mkv").toCompletableFuture().get(60, TimeUnit.SECONDS);
      fail("an MPEG-4 Part 2 file is not playable in a browser");
    } catch (ExecutionException e) {
      ResolveFailure failure = assertInstanceOf(ResolveFailure.class, e.getCause());
      assertEquals(ResolveFailure.Code.NO_PLAYABLE_FORMAT, failure.code());
      assertTrue(failure.getMessage().contains("mpeg4") && failure.getMessage().contains("mp2"), failure.getMessage());
    }
    // The same container with codecs browsers play is fine.
    assertTrue(MediaProbe.browserPlayable(new MediaProbe.Probed(6.0, 320, 180, "matroska,webm", "vp9", "opus")));
    assertFalse(MediaProbe.browserPlayable(new MediaProbe.Probed(6.0, 320, 180, "matroska,webm", "hevc", "aac")));
    assertFalse(MediaProbe.browserPlayable(new MediaProbe.Probed(6.0, 320, 180, "avi", "h264", "aac")));
  }

  @Test
  void aProbeThatRunsOverItsLimitIsKilledAndTimesOut() throws Exception {
    MediaProbe probe = new MediaProbe(new ExternalProgram(testKit.system()), "ffprobe", null, Duration.ofSeconds(2));
    try {
      // The file trickles out at 200 bytes a second: ffprobe keeps reading and never finishes in time.
      probe.probe(URI.create(web.base() + "/trickle.mp4")).toCompletableFuture().get(30, TimeUnit.SECONDS);
      fail("the probe should have run out of time");
    } catch (ExecutionException e) {
      assertEquals(ResolveFailure.Code.PROBE_TIMEOUT, assertInstanceOf(ResolveFailure.class, e.getCause()).code());
    }
    // No ffprobe of this JVM is left running (waiting boundedly for the kill to land).
    for (int i = 0; i < 100 && ffprobes() > 0; i++) {
      Thread.sleep(50);
    }
    assertEquals(0, ffprobes());
  }

  private static long ffprobes() {
    return ProcessHandle.current().descendants()
        .filter(p -> p.isAlive() && p.info().command().map(c -> c.endsWith("ffprobe")).orElse(false))
        .count();
  }
}
