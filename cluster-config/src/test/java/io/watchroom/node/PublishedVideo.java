package io.watchroom.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.lindstrom.m3u8.model.MasterPlaylist;
import io.lindstrom.m3u8.model.MediaPlaylist;
import io.lindstrom.m3u8.model.MediaSegment;
import io.lindstrom.m3u8.model.Variant;
import io.lindstrom.m3u8.parser.MasterPlaylistParser;
import io.lindstrom.m3u8.parser.MediaPlaylistParser;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;

/**
 * Checks a published video through the HTTP API only (so the same checks hold whatever the
 * store): the master playlist, every rung's playlist and segments, the poster, the sprite sheets
 * and the WebVTT index.
 */
final class PublishedVideo {
  private PublishedVideo() {}

  private static final Pattern CUE = Pattern.compile("(sprites/sheet_\\d{3}\\.jpg)#xywh=(\\d+),(\\d+),(\\d+),(\\d+)");

  /**
   * @param rungs the expected video rungs, tallest first, as "WxH"
   */
  static void verify(VideoApi api, JsonNode video, List<String> rungs, double duration) throws Exception {
    assertEquals("published", video.get("status").asText(), video.toString());
    assertEquals(100.0, video.get("progress").asDouble());
    JsonNode media = video.get("media");
    String master = media.get("master").asText();
    String base = master.substring(0, master.lastIndexOf('/') + 1);

    MasterPlaylist playlist = new MasterPlaylistParser().readPlaylist(text(api, master));
    assertEquals(rungs.size(), playlist.variants().size(), "variants");
    assertEquals(1, playlist.alternativeRenditions().size(), "one audio rendition");
    for (int i = 0; i < rungs.size(); i++) {
      Variant variant = playlist.variants().get(i);
      var resolution = variant.resolution().orElseThrow();
      assertEquals(rungs.get(i), resolution.width() + "x" + resolution.height());
      assertTrue(variant.codecs().get(0).startsWith("avc1.64"), variant.codecs().toString());
      assertEquals("mp4a.40.2", variant.codecs().get(1));
      assertEquals(30.0, variant.frameRate().orElseThrow(), 0.01);
      assertTrue(variant.averageBandwidth().orElseThrow() <= variant.bandwidth(), "average <= peak");
      assertTrue(variant.averageBandwidth().orElseThrow() > 100_000, "plausible bit rate");
      checkMediaPlaylist(api, base + variant.uri(), duration, true);
    }
    checkMediaPlaylist(api, base + playlist.alternativeRenditions().get(0).uri().orElseThrow(), duration, false);

    BufferedImage poster = image(api, media.get("poster").asText());
    int tallest = Integer.parseInt(rungs.get(0).substring(rungs.get(0).indexOf('x') + 1));
    assertEquals(Math.min(720, tallest), poster.getHeight(), "poster height");

    String vtt = text(api, media.get("thumbnails").asText());
    assertTrue(vtt.startsWith("WEBVTT"));
    Matcher cue = CUE.matcher(vtt);
    int cues = 0;
    Set<String> sheets = new HashSet<>();
    while (cue.find()) {
      cues++;
      String sheet = cue.group(1);
      BufferedImage image = image(api, base + sheet);
      sheets.add(sheet);
      int x = Integer.parseInt(cue.group(2));
      int y = Integer.parseInt(cue.group(3));
      int w = Integer.parseInt(cue.group(4));
      int h = Integer.parseInt(cue.group(5));
      assertTrue(x + w <= image.getWidth() && y + h <= image.getHeight(), "tile inside its sheet: " + cue.group());
    }
    double interval = media.get("thumbnailInterval").asDouble();
    assertEquals((int) Math.floor(duration / interval), cues, "one thumbnail per interval");
    assertEquals(1, sheets.size());
  }

  private static void checkMediaPlaylist(VideoApi api, String url, double duration, boolean video) throws Exception {
    MediaPlaylist playlist = new MediaPlaylistParser().readPlaylist(text(api, url));
    String base = url.substring(0, url.lastIndexOf('/') + 1);
    double total = 0;
    List<MediaSegment> segments = playlist.mediaSegments();
    assertTrue(segments.size() >= 5, "segments of " + url);
    String init = segments.get(0).segmentMap().orElseThrow().uri();
    assertEquals(200, api.get(base + init).statusCode());
    for (MediaSegment segment : segments) {
      HttpResponse<byte[]> bytes = api.get(base + segment.uri());
      assertEquals(200, bytes.statusCode(), segment.uri());
      assertTrue(bytes.body().length > 0);
      if (video && segment != segments.get(segments.size() - 1)) {
        assertEquals(2.0, segment.duration(), 0.05, "2 s segments in " + url);
      }
      total += segment.duration();
    }
    assertEquals(duration, total, 0.15, "duration of " + url);
  }

  static String text(VideoApi api, String path) throws Exception {
    HttpResponse<byte[]> response = api.get(path);
    assertEquals(200, response.statusCode(), path);
    return new String(response.body(), StandardCharsets.UTF_8);
  }

  static BufferedImage image(VideoApi api, String path) throws Exception {
    HttpResponse<byte[]> response = api.get(path);
    assertEquals(200, response.statusCode(), path);
    assertEquals("image/jpeg", response.headers().firstValue("Content-Type").orElse(""));
    return ImageIO.read(new ByteArrayInputStream(response.body()));
  }
}
