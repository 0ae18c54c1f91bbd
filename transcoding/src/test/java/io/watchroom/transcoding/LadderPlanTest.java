package io.watchroom.transcoding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.watchroom.core.video.Probe;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class LadderPlanTest {

  private static final LadderSettings SETTINGS = LadderSettings.defaults();

  private static List<String> sizes(LadderPlan plan) {
    return plan.rungs().stream().map(r -> r.name() + " " + r.width() + "x" + r.height() + " @" + r.frameRate()).toList();
  }

  @Test
  void landscape1080p30GetsFiveRungsAtThirtyFps() throws Exception {
    LadderPlan plan = LadderPlan.from(new Probe(600, 1920, 1080, 30, true, "mp4"), SETTINGS);
    assertEquals(
        List.of("1080p 1920x1080 @30", "720p 1280x720 @30", "480p 854x480 @30", "360p 640x360 @30", "240p 426x240 @30"),
        sizes(plan));
    assertTrue(plan.audio());
    assertEquals(List.of("1080p", "720p", "480p", "360p", "240p", "audio"), plan.renditionNames());
    // 2 s GOP at 30 fps, capped CRF
    plan.rungs().forEach(r -> assertEquals(60, r.gop()));
    plan.rungs().forEach(r -> assertEquals(23, r.crf()));
    assertEquals(5000, plan.rungs().get(0).maxrateKbps());
    assertEquals(10000, plan.rungs().get(0).bufsizeKbps());
  }

  @Test
  void sixtyFpsKeepsItsRateOnlyOnTheTallRungs() throws Exception {
    LadderPlan plan = LadderPlan.from(new Probe(60, 1280, 720, 60, true, "mp4"), SETTINGS);
    assertEquals(
        List.of("720p 1280x720 @60", "480p 854x480 @30", "360p 640x360 @30", "240p 426x240 @30"), sizes(plan));
    assertEquals(120, plan.rungs().get(0).gop());
    assertEquals(60, plan.rungs().get(1).gop());
    // high frame rates get a higher cap
    assertEquals(4200, plan.rungs().get(0).maxrateKbps());
    assertEquals(1400, plan.rungs().get(1).maxrateKbps());
  }

  @Test
  void portraitRungsFollowTheShortSide() throws Exception {
    LadderPlan plan = LadderPlan.from(new Probe(30, 1080, 1920, 30, true, "mp4"), SETTINGS);
    assertEquals(
        List.of("1080p 1080x1920 @30", "720p 720x1280 @30", "480p 480x854 @30", "360p 360x640 @30", "240p 240x426 @30"),
        sizes(plan));
  }

  @Test
  void fourByThree480pHasNoUpscaledRung() throws Exception {
    LadderPlan plan = LadderPlan.from(new Probe(30, 640, 480, 29.97, false, "avi"), SETTINGS);
    assertEquals(
        List.of("480p 640x480 @30000/1001", "360p 480x360 @30000/1001", "240p 320x240 @30000/1001"), sizes(plan));
    assertFalse(plan.audio());
    assertEquals(List.of("480p", "360p", "240p"), plan.renditionNames());
  }

  @Test
  void audioOnlyIsRefused() {
    MediaRejected refused =
        assertThrows(MediaRejected.class, () -> LadderPlan.from(new Probe(200, 0, 0, 0, true, "mp3"), SETTINGS));
    assertEquals("The file has no video stream.", refused.getMessage());
  }

  @Test
  void tinySourcesGetOneRungAtTheirOwnSize() throws Exception {
    LadderPlan plan = LadderPlan.from(new Probe(5, 160, 120, 15, false, "mp4"), SETTINGS);
    assertEquals(List.of("120p 160x120 @15"), sizes(plan));
  }

  @Test
  void optionalTallRungsOnlyWhenEnabled() throws Exception {
    Probe uhd = new Probe(10, 3840, 2160, 30, true, "mp4");
    assertEquals("1080p", LadderPlan.from(uhd, SETTINGS).rungs().get(0).name());
    assertEquals(
        List.of("2160p", "1440p", "1080p", "720p", "480p", "360p", "240p"),
        LadderPlan.from(uhd, SETTINGS.withMaxHeight(2160)).rungs().stream().map(LadderPlan.Rung::name).toList());
  }

  @Test
  void oneFfmpegCommandWritesEveryRungWithAlignedKeyframes() throws Exception {
    LadderPlan plan = LadderPlan.from(new Probe(10, 640, 360, 30, true, "mp4"), SETTINGS);
    List<String> args = plan.ffmpegArguments(Path.of("/w/source"), Path.of("/w/out"));
    String line = String.join(" ", args);
    assertTrue(line.contains("[0:v]split=2[s0][s1];[s0]scale=640:360,setsar=1,fps=30,format=yuv420p[v0];[s1]scale=426:240"), line);
    assertTrue(line.contains("-force_key_frames expr:gte(t,n_forced*2)"), line);
    assertTrue(line.contains("-sc_threshold 0"), line);
    assertTrue(line.contains("-hls_segment_type fmp4"), line);
    assertTrue(line.contains("-var_stream_map v:0,name:360p v:1,name:240p a:0,name:audio"), line);
    assertTrue(line.contains("-progress pipe:1"), line);
    assertTrue(line.contains("-format_whitelist"), line);
    assertTrue(line.endsWith("/w/out/%v/index.m3u8"), line);
  }
}
