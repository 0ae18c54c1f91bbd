package io.watchroom.transcoding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.watchroom.core.video.Probe;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * What the prober reads from ffprobe's JSON (recorded from ffprobe 5.1 on clips made by ffmpeg:
 * see src/test/resources/recorded) and what it refuses.
 */
class ProberTest {

  private static String recorded(String name) throws IOException {
    try (InputStream in = ProberTest.class.getResourceAsStream("/recorded/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void aVideoWithAudio() throws Exception {
    Probe probe = Prober.parse(recorded("ffprobe-640x360-audio.json"));
    assertEquals(640, probe.width());
    assertEquals(360, probe.height());
    assertEquals(25.0, probe.frameRate());
    assertTrue(probe.hasAudio());
    assertEquals(3.0, probe.duration(), 0.05);
    assertEquals("mov,mp4,m4a,3gp,3g2,mj2", probe.container());
  }

  @Test
  void aRotatedPhoneVideoIsMeasuredAsDisplayed() throws Exception {
    // stored 640x360 with a display matrix turning it by 90 degrees
    Probe probe = Prober.parse(recorded("ffprobe-rotated-90.json"));
    assertEquals(360, probe.width());
    assertEquals(640, probe.height());
  }

  @Test
  void coverArtIsNotAVideoStream() throws Exception {
    // an MP3 with an attached picture: ffprobe lists the picture as a video stream
    MediaRejected rejected = assertThrows(MediaRejected.class, () -> Prober.parse(recorded("ffprobe-mp3-cover-art.json")));
    assertEquals("The file has no video stream.", rejected.getMessage());
  }

  @Test
  void missingDurationSizeOrJsonAreRefused() {
    assertEquals("The file has no duration; it may be truncated or not a video.",
        assertThrows(MediaRejected.class, () -> Prober.parse(
            "{\"streams\":[{\"codec_type\":\"video\",\"width\":640,\"height\":360}],\"format\":{}}")).getMessage());
    assertEquals("The video stream has no picture size.",
        assertThrows(MediaRejected.class, () -> Prober.parse(
            "{\"streams\":[{\"codec_type\":\"video\",\"duration\":\"2.0\"}],\"format\":{}}")).getMessage());
    assertEquals("The file is not a video that can be read.",
        assertThrows(MediaRejected.class, () -> Prober.parse("not json {")).getMessage());
  }

  @Test
  void anImplausibleFrameRateFallsBack() throws Exception {
    Probe probe = Prober.parse(
        "{\"streams\":[{\"codec_type\":\"video\",\"width\":320,\"height\":240,\"avg_frame_rate\":\"90000/1\","
            + "\"r_frame_rate\":\"0/0\"}],\"format\":{\"duration\":\"4.5\"}}");
    assertEquals(30.0, probe.frameRate());
    assertFalse(probe.hasAudio());
  }

  @Test
  void limitsOnDurationAndPictureSize() throws Exception {
    LadderSettings settings =
        new LadderSettings(1080, 23, "veryfast", 2, 128, Duration.ofSeconds(60), 1920, 100, 160, 10, 10);
    Probe fits = new Probe(60, 1920, 1080, 30, true, "mp4");
    assertEquals(fits, Prober.check(fits, settings));
    // portrait: the long side is the height
    assertEquals(new Probe(10, 1080, 1920, 30, true, "mp4"), Prober.check(new Probe(10, 1080, 1920, 30, true, "mp4"), settings));

    assertEquals("The video is 60.5 s long; videos are limited to 60 s.",
        assertThrows(MediaRejected.class, () -> Prober.check(new Probe(60.5, 640, 360, 30, true, "mp4"), settings)).getMessage());
    assertEquals("The video is 2560x1440; pictures are limited to 1920 pixels on their long side.",
        assertThrows(MediaRejected.class, () -> Prober.check(new Probe(10, 2560, 1440, 30, true, "mp4"), settings)).getMessage());
    assertEquals("The video is 1080x2560; pictures are limited to 1920 pixels on their long side.",
        assertThrows(MediaRejected.class, () -> Prober.check(new Probe(10, 1080, 2560, 30, true, "mp4"), settings)).getMessage());
  }
}
