package io.watchroom.extraction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lindstrom.mpd.MPDParser;
import io.lindstrom.mpd.data.AdaptationSet;
import io.lindstrom.mpd.data.MPD;
import io.lindstrom.mpd.data.Representation;
import java.net.URI;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What is played of a video yt-dlp describes: one file with both tracks, else HLS, else DASH,
 * else separate video and audio joined in a manifest Watchroom writes (read back here with the
 * DASH parser the resolver uses).
 */
class FormatChoiceTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final URI PAGE = URI.create("https://video.example.org/watch/1");

  /** Formats as yt-dlp lists them, the ones a browser cannot use among them. */
  private static final String FORMATS = """
      [
       {"format_id": "18", "url": "https://r.example.org/v18.mp4", "protocol": "https", "ext": "mp4",
        "vcodec": "avc1.42001E", "acodec": "mp4a.40.2", "width": 640, "height": 360, "tbr": 500},
       {"format_id": "22", "url": "https://r.example.org/v22.mp4", "protocol": "https", "ext": "mp4",
        "vcodec": "avc1.64001F", "acodec": "mp4a.40.2", "width": 1280, "height": 720, "tbr": 1500},
       {"format_id": "hevc", "url": "https://r.example.org/hevc.mp4", "protocol": "https", "ext": "mp4",
        "vcodec": "hvc1.1.6.L93.B0", "acodec": "mp4a.40.2", "width": 1920, "height": 1080, "tbr": 3000},
       {"format_id": "4k", "url": "https://r.example.org/4k.mp4", "protocol": "https", "ext": "mp4",
        "vcodec": "avc1.640033", "acodec": "mp4a.40.2", "width": 3840, "height": 2160, "tbr": 20000},
       {"format_id": "hls-720", "url": "https://m.example.org/720.m3u8", "manifest_url": "https://m.example.org/master.m3u8",
        "protocol": "m3u8_native", "ext": "mp4", "vcodec": "avc1.64001F", "acodec": "mp4a.40.2", "height": 720, "tbr": 1400},
       {"format_id": "dash-v720", "url": "https://d.example.org/v720.mp4", "manifest_url": "https://d.example.org/manifest.mpd",
        "protocol": "http_dash_segments", "ext": "mp4", "vcodec": "avc1.64001F", "acodec": "none", "height": 720},
       {"format_id": "137", "url": "https://r.example.org/v137.mp4", "protocol": "https", "ext": "mp4",
        "vcodec": "avc1.640028", "acodec": "none", "width": 1920, "height": 1080, "tbr": 4000},
       {"format_id": "136", "url": "https://r.example.org/v136.mp4", "protocol": "https", "ext": "mp4",
        "vcodec": "avc1.4d401f", "acodec": "none", "width": 1280, "height": 720, "tbr": 2000},
       {"format_id": "313", "url": "https://r.example.org/v313.webm", "protocol": "https", "ext": "webm",
        "vcodec": "vp9", "acodec": "none", "width": 3840, "height": 2160, "tbr": 16000},
       {"format_id": "140", "url": "https://r.example.org/a140.m4a", "protocol": "https", "ext": "m4a",
        "vcodec": "none", "acodec": "mp4a.40.2", "tbr": 129.5},
       {"format_id": "139", "url": "https://r.example.org/a139.m4a", "protocol": "https", "ext": "m4a",
        "vcodec": "none", "acodec": "mp4a.40.5", "tbr": 48}
      ]""";

  @Test
  void oneFileWithBothTracksComesFirstThenHlsThenDashThenSeparateTracks() throws Exception {
    ResolvedMedia direct = choose(Set.of());
    assertEquals(ResolvedMedia.Kind.DIRECT, direct.kind());
    assertEquals("https://r.example.org/v22.mp4", direct.stream().toString(), "the best a browser plays, at most 1080p");

    ResolvedMedia hls = choose(Set.of("18", "22"));
    assertEquals(ResolvedMedia.Kind.HLS, hls.kind());
    assertEquals("https://m.example.org/master.m3u8", hls.stream().toString(), "the master playlist, not one variant");

    ResolvedMedia dash = choose(Set.of("18", "22", "hls-720"));
    assertEquals(ResolvedMedia.Kind.DASH, dash.kind());
    assertEquals("https://d.example.org/manifest.mpd", dash.stream().toString());

    ResolvedMedia split = choose(Set.of("18", "22", "hls-720", "dash-v720"));
    assertEquals(ResolvedMedia.Kind.SPLIT, split.kind());
    assertEquals(URI.create("https://r.example.org/v137.mp4"), split.split().video());
    assertEquals(URI.create("https://r.example.org/a140.m4a"), split.split().audio());
    assertEquals(1080, split.split().height());
    assertEquals(4_000_000L, split.split().videoBandwidth());

    assertEquals(ResolveFailure.Code.NO_PLAYABLE_FORMAT,
        assertThrows(ResolveFailure.class, () -> choose(Set.of("18", "22", "hls-720", "dash-v720", "140", "139"))).code(),
        "video without audio is not played");
  }

  @Test
  void liveAndDrmAreRefused() throws Exception {
    ObjectNode live = info(Set.of());
    live.put("live_status", "is_live");
    assertEquals(ResolveFailure.Code.LIVE_NOT_SUPPORTED, assertThrows(ResolveFailure.class, () -> FormatChoice.choose(live, PAGE, "s", "1")).code());
    ObjectNode drm = info(Set.of());
    ((ArrayNode) drm.get("formats")).forEach(f -> ((ObjectNode) f).put("has_drm", true));
    assertEquals(ResolveFailure.Code.DRM, assertThrows(ResolveFailure.class, () -> FormatChoice.choose(drm, PAGE, "s", "1")).code());
  }

  @Test
  void theManifestJoiningSeparateTracksNamesBothWithTheirRanges() throws Exception {
    ResolvedMedia.Split split = choose(Set.of("18", "22", "hls-720", "dash-v720")).split()
        .withLayouts(new Mp4Boxes.Layout(1203, 1204, 1899), new Mp4Boxes.Layout(633, 634, 1021));
    String written = DashManifestWriter.write(split, 212.5, file -> "/api/proxy/token-of-" + file.getPath().substring(1) + "?a=1&b=2");
    MPD mpd = new MPDParser().parse(written);

    assertEquals(212.5, mpd.getMediaPresentationDuration().toMillis() / 1000.0, 0.001);
    List<AdaptationSet> sets = mpd.getPeriods().get(0).getAdaptationSets();
    assertEquals(2, sets.size());
    AdaptationSet video = sets.get(0);
    assertEquals("video/mp4", video.getMimeType());
    Representation v = video.getRepresentations().get(0);
    assertEquals("avc1.640028", v.getCodecs());
    assertEquals(1920L, v.getWidth());
    assertEquals(1080L, v.getHeight());
    assertEquals(4_000_000L, v.getBandwidth());
    assertEquals("/api/proxy/token-of-v137.mp4?a=1&b=2", v.getBaseURLs().get(0).getValue());
    assertEquals("1204-1899", v.getSegmentBase().getIndexRange());
    assertEquals("0-1203", v.getSegmentBase().getInitialization().getRange());

    AdaptationSet audio = sets.get(1);
    assertEquals("audio/mp4", audio.getMimeType());
    Representation a = audio.getRepresentations().get(0);
    assertEquals("mp4a.40.2", a.getCodecs());
    assertEquals(129_500L, a.getBandwidth());
    assertEquals("/api/proxy/token-of-a140.m4a?a=1&b=2", a.getBaseURLs().get(0).getValue());
    assertEquals("634-1021", a.getSegmentBase().getIndexRange());
    assertEquals("0-633", a.getSegmentBase().getInitialization().getRange());
  }

  // --- helpers -----------------------------------------------------------------------------------

  private static ResolvedMedia choose(Set<String> without) throws Exception {
    return FormatChoice.choose(info(without), PAGE, "example", "1");
  }

  private static ObjectNode info(Set<String> without) throws Exception {
    ArrayNode formats = JSON.createArrayNode();
    for (JsonNode f : JSON.readTree(FORMATS)) {
      if (!without.contains(f.path("format_id").asText())) {
        formats.add(f);
      }
    }
    ObjectNode info = JSON.createObjectNode();
    info.put("id", "1").put("title", "A video").put("duration", 212.5);
    info.set("formats", formats);
    return info;
  }
}
