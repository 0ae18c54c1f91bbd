package io.watchroom.transcoding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.watchroom.core.video.Probe;
import java.util.List;
import org.junit.jupiter.api.Test;

class ThumbnailPlanTest {

  @Test
  void theIntervalScalesWithTheDuration() {
    ThumbnailPlan short10s = ThumbnailPlan.from(new Probe(10, 640, 360, 30, true, "mp4"), LadderSettings.defaults());
    assertEquals(1, short10s.interval());
    assertEquals(10, short10s.count());
    assertEquals(1, short10s.sheets());
    assertEquals(1, short10s.rows());
    assertEquals(160, short10s.tileWidth());
    assertEquals(90, short10s.tileHeight());

    ThumbnailPlan hour = ThumbnailPlan.from(new Probe(3600, 1920, 1080, 30, true, "mp4"), LadderSettings.defaults());
    assertEquals(36, hour.interval());
    assertEquals(100, hour.count());
    assertEquals(1, hour.sheets());

    ThumbnailPlan portrait = ThumbnailPlan.from(new Probe(250, 1080, 1920, 30, true, "mp4"), LadderSettings.defaults());
    assertEquals(3, portrait.interval());
    assertEquals(83, portrait.count());
    assertEquals(90, portrait.tileWidth());
    assertEquals(160, portrait.tileHeight());
  }

  @Test
  void theVttPointsEachCueAtItsTile() {
    ThumbnailPlan plan = new ThumbnailPlan(2, 12, 160, 90, 5, 2, 1, 360);
    String vtt = plan.vtt(24.5);
    List<String> lines = vtt.lines().toList();
    assertEquals("WEBVTT", lines.get(0));
    List<String> cues = lines.stream().filter(l -> l.contains("#xywh=")).toList();
    assertEquals(12, cues.size());
    assertEquals("sprites/sheet_001.jpg#xywh=0,0,160,90", cues.get(0));
    assertEquals("sprites/sheet_001.jpg#xywh=160,90,160,90", cues.get(6));
    // the eleventh thumbnail starts the second sheet
    assertEquals("sprites/sheet_002.jpg#xywh=0,0,160,90", cues.get(10));
    assertTrue(vtt.contains("00:00:22.000 --> 00:00:24.500"), vtt);
    assertEquals(2, plan.sheets());
  }
}
