package io.watchroom.extraction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lindstrom.mpd.MPDParser;
import io.lindstrom.mpd.data.AdaptationSet;
import io.lindstrom.mpd.data.MPD;
import io.lindstrom.mpd.data.Period;
import io.lindstrom.mpd.data.Representation;
import java.net.URI;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * DASH manifests rewritten for the proxy, read back: every URL in them, followed the way a DASH
 * player follows it (each BaseURL against the one above it, segment names against the nearest
 * BaseURL), must reach exactly the upstream file the original manifest meant.
 */
class ManifestRewriterTest {

  private static final URI MANIFEST = URI.create("https://media.example.org/shows/one/manifest.mpd");
  private final ProxyTokens tokens = new ProxyTokens("a test secret of some length, 32+".getBytes(), InstantSource.system(), 3600_000L);
  private final ManifestRewriter rewriter = new ManifestRewriter(tokens);
  private final MPDParser parser = new MPDParser(
      MPDParser.defaultObjectMapper().configure(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false));

  @Test
  void baseUrlsAtEveryLevelResolveAgainstTheOneAboveThem() throws Exception {
    String mpd = """
        <?xml version="1.0" encoding="UTF-8"?>
        <MPD xmlns="urn:mpeg:dash:schema:mpd:2011" type="static" mediaPresentationDuration="PT6S" minBufferTime="PT2S">
          <BaseURL>media/</BaseURL>
          <Period id="p0">
            <BaseURL>period0/</BaseURL>
            <AdaptationSet id="0" mimeType="video/mp4">
              <BaseURL>../video/</BaseURL>
              <Representation id="v1" bandwidth="500000" width="640" height="360" codecs="avc1.42c01e">
                <BaseURL>v360.mp4</BaseURL>
                <SegmentBase indexRange="800-900"><Initialization range="0-799"/></SegmentBase>
              </Representation>
              <Representation id="v2" bandwidth="900000" width="1280" height="720" codecs="avc1.64001f">
                <SegmentTemplate media="v720-$Number$.m4s" initialization="v720-init.mp4" duration="2" timescale="1"/>
              </Representation>
            </AdaptationSet>
            <AdaptationSet id="1" mimeType="audio/mp4">
              <SegmentTemplate media="a-$Number$.m4s" initialization="a-init.mp4" duration="2" timescale="1"/>
              <Representation id="a" bandwidth="64000" codecs="mp4a.40.2"/>
            </AdaptationSet>
          </Period>
        </MPD>
        """;
    String rewritten = rewriter.dash(mpd, MANIFEST, null);
    assertFalse(rewritten.contains("example.org"), rewritten);
    assertEquals(4, count(rewritten, "<BaseURL>"), "no BaseURL added when the MPD has one:\n" + rewritten);

    MPD parsed = parser.parse(rewritten);
    String top = parsed.getBaseURLs().get(0).getValue();
    assertEquals("https://media.example.org/shows/one/media/", upstream(top, ""), "the MPD's own relative BaseURL");
    Period period = parsed.getPeriods().get(0);
    String periodBase = period.getBaseURLs().get(0).getValue();
    assertEquals("https://media.example.org/shows/one/media/period0/", upstream(periodBase, ""));
    AdaptationSet video = period.getAdaptationSets().get(0);
    String videoBase = video.getBaseURLs().get(0).getValue();
    assertEquals("https://media.example.org/shows/one/media/video/", upstream(videoBase, ""));
    Representation v360 = video.getRepresentations().get(0);
    // A player fetches a single-file representation at its BaseURL itself.
    assertEquals("https://media.example.org/shows/one/media/video/v360.mp4", upstream(v360.getBaseURLs().get(0).getValue(), ""));
    // Segment templates resolve against the nearest BaseURL, now a proxied folder.
    Representation v720 = video.getRepresentations().get(1);
    assertEquals("https://media.example.org/shows/one/media/video/v720-7.m4s",
        upstream(videoBase, v720.getSegmentTemplate().getMedia().replace("$Number$", "7")));
    AdaptationSet audio = period.getAdaptationSets().get(1);
    assertTrue(audio.getBaseURLs().isEmpty());
    assertEquals("https://media.example.org/shows/one/media/period0/a-init.mp4",
        upstream(periodBase, audio.getSegmentTemplate().getInitialization()));
  }

  @Test
  void withoutATopLevelBaseUrlTheManifestsFolderIsAddedAndRelativeNamesStay() throws Exception {
    String mpd = """
        <?xml version="1.0"?>
        <MPD xmlns="urn:mpeg:dash:schema:mpd:2011" type="static" mediaPresentationDuration="PT6S">
          <!-- an editor's note: <BaseURL>https://old.example.org/</BaseURL> -->
          <ProgramInformation moreInformationURL="https://example.org/about"><Title>Show</Title></ProgramInformation>
          <Period>
            <AdaptationSet mimeType="video/mp4">
              <Representation id="v" bandwidth="500000" codecs="avc1.42c01e">
                <SegmentTemplate media="chunk-$RepresentationID$-$Number%05d$.m4s" initialization="init-$RepresentationID$.m4s" duration="2" timescale="1"/>
              </Representation>
            </AdaptationSet>
          </Period>
          <SupplementalProperty schemeIdUri="urn:watchroom:unknown" value="kept"/>
        </MPD>
        """;
    String rewritten = rewriter.dash(mpd, MANIFEST, null);
    MPD parsed = parser.parse(rewritten);
    String top = parsed.getBaseURLs().get(0).getValue();
    assertEquals("https://media.example.org/shows/one/chunk-v-00001.m4s", upstream(top, "chunk-v-00001.m4s"));
    assertTrue(rewritten.contains("media=\"chunk-$RepresentationID$-$Number%05d$.m4s\""), "templates stay as they are");
    assertTrue(rewritten.contains("<!-- an editor's note: <BaseURL>https://old.example.org/</BaseURL> -->"), "comments are not touched");
    assertTrue(rewritten.contains("<SupplementalProperty schemeIdUri=\"urn:watchroom:unknown\" value=\"kept\"/>"), "unknown elements survive");
    assertTrue(rewritten.contains("<Title>Show</Title>"));
  }

  @Test
  void absoluteTemplatesLocationAndTemplatesLeavingTheFolderAreProxied() throws Exception {
    String mpd = """
        <?xml version="1.0"?>
        <MPD xmlns="urn:mpeg:dash:schema:mpd:2011" type="static" mediaPresentationDuration="PT6S">
          <Location>../two/manifest.mpd?v=2&amp;k=1</Location>
          <Period>
            <AdaptationSet mimeType="video/mp4">
              <SegmentTemplate media="https://cdn.example.net/seg/v-$Number$.m4s?sig=abc&amp;e=1" initialization="https://cdn.example.net/seg/v-init.mp4" duration="2" timescale="1"/>
              <Representation id="v" bandwidth="500000" codecs="avc1.42c01e"/>
            </AdaptationSet>
            <AdaptationSet mimeType="audio/mp4">
              <SegmentTemplate media="../audio/a-$Number$.m4s" initialization="/root/a-init.mp4" duration="2" timescale="1"/>
              <Representation id="a" bandwidth="64000" codecs="mp4a.40.2"/>
            </AdaptationSet>
          </Period>
        </MPD>
        """;
    String rewritten = rewriter.dash(mpd, MANIFEST, "https://media.example.org/shows/one/");
    assertFalse(rewritten.contains("example.net"), rewritten);
    MPD parsed = parser.parse(rewritten);

    String location = parsed.getLocations().get(0);
    ProxyTokens.Ref manifest = tokens.verify(token(location)).orElseThrow();
    assertEquals(ProxyTokens.Role.DASH, manifest.role(), "the manifest is reloaded through the proxy and rewritten again");
    assertEquals("https://media.example.org/shows/two/manifest.mpd?v=2&k=1", manifest.url());

    AdaptationSet video = parsed.getPeriods().get(0).getAdaptationSets().get(0);
    String media = video.getSegmentTemplate().getMedia();
    assertTrue(media.startsWith(ProxyTokens.PATH), media);
    assertEquals("https://cdn.example.net/seg/v-3.m4s?sig=abc&e=1", upstream(media.replace("$Number$", "3"), ""));
    assertEquals("https://cdn.example.net/seg/v-init.mp4", upstream(video.getSegmentTemplate().getInitialization(), ""));

    AdaptationSet audio = parsed.getPeriods().get(0).getAdaptationSets().get(1);
    // Relative names that climb out of the manifest's folder, or start at the root, get a folder of their own.
    assertEquals("https://media.example.org/shows/audio/a-4.m4s", upstream(audio.getSegmentTemplate().getMedia().replace("$Number$", "4"), ""));
    assertEquals("https://media.example.org/root/a-init.mp4", upstream(audio.getSegmentTemplate().getInitialization(), ""));
  }

  @Test
  void hlsUrisAndUriAttributesResolveAgainstTheGivenBase() {
    String playlist = "#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-MAP:URI=\"init.mp4\"\n#EXT-X-UNKNOWN:x=1\n#EXTINF:2.0,\nseg0.m4s\n"
        + "#EXTINF:2.0,\n../other/seg1.m4s\n#EXT-X-ENDLIST\n";
    List<URI> segments = new ArrayList<>();
    String rewritten = rewriter.hls(playlist, URI.create("https://cdn.example.org/a/b/index.m3u8"), null, (i, u) -> segments.add(u));
    assertTrue(rewritten.contains("#EXT-X-UNKNOWN:x=1"));
    assertFalse(rewritten.contains("example.org"));
    Matcher map = Pattern.compile("URI=\"([^\"]+)\"").matcher(rewritten);
    assertTrue(map.find());
    assertEquals("https://cdn.example.org/a/b/init.mp4", upstream(map.group(1), ""));
    assertEquals(List.of(URI.create("https://cdn.example.org/a/b/seg0.m4s"), URI.create("https://cdn.example.org/a/other/seg1.m4s")), segments);
  }

  // --- helpers -----------------------------------------------------------------------------------

  /**
   * The upstream URL a player reaches by resolving {@code relative} against the proxy path
   * {@code proxyPath}, as the proxy works it out: the token's URL, or for a folder token the
   * file after it.
   */
  private String upstream(String proxyPath, String relative) {
    assertTrue(proxyPath.startsWith(ProxyTokens.PATH), "not proxied: " + proxyPath);
    URI page = URI.create("https://watchroom.example").resolve(proxyPath.replace("$", "%24"));
    String resolved = (relative.isEmpty() ? page : page.resolve(relative.replace("$", "%24")))
        .toString().substring("https://watchroom.example".length()).replace("%24", "$");
    String rest = resolved.substring(ProxyTokens.PATH.length());
    int slash = rest.indexOf('/');
    ProxyTokens.Ref ref = tokens.verify(rest.substring(0, slash)).orElseThrow();
    String after = rest.substring(slash + 1);
    if (after.isEmpty() && ref.url().endsWith("/")) {
      // A folder itself: what names inside it resolve against.
      return ref.url();
    }
    int q = after.indexOf('?');
    return MediaProxy.target(ref, q < 0 ? after : after.substring(0, q),
        q < 0 ? java.util.Optional.empty() : java.util.Optional.of(after.substring(q + 1))).toString();
  }

  private static String token(String proxyPath) {
    String rest = proxyPath.substring(ProxyTokens.PATH.length());
    return rest.substring(0, rest.indexOf('/'));
  }

  private static int count(String text, String what) {
    int n = 0;
    for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
      n++;
    }
    return n;
  }
}
