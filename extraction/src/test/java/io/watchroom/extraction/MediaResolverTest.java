package io.watchroom.extraction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The resolver against a local stand-in for the web: each kind of link, each way it can fail, and
 * yt-dlp and ffprobe really running (through the egress proxy) on what the fixture serves.
 */
class MediaResolverTest {

  private static ActorTestKit testKit;
  private static FixtureServer web;
  private static EgressProxy egress;
  private static MediaResolver resolver;
  private static String base;

  @BeforeAll
  static void start() throws Exception {
    testKit = ActorTestKit.create();
    web = FixtureServer.start(testKit.system());
    base = web.base();
    // The fixture lives on loopback; only that one address is let through.
    DestinationGuard guard = new DestinationGuard(List.of("127.0.0.1/32"));
    Upstream upstream = new Upstream(testKit.system(), guard, Duration.ofSeconds(3), Duration.ofSeconds(5), 16);
    egress = EgressProxy.start(testKit.system(), guard);
    MediaResolver.Settings settings =
        new MediaResolver.Settings(Duration.ofSeconds(30), Duration.ofHours(2), Duration.ofDays(30), Duration.ofHours(24), 50, 5,
            false, base + "/oembed", base + "/oembed", base + "/oembed");
    resolver = MediaResolver.create(testKit.system(), upstream, egress, "yt-dlp", "ffprobe", Duration.ofSeconds(4),
        Optional.empty(), settings, InstantSource.system());
  }

  @AfterAll
  static void stop() throws Exception {
    egress.close();
    web.close();
    testKit.shutdownTestKit();
  }

  // --- files -------------------------------------------------------------------------------------

  @Test
  void anMp4IsADirectFileWithItsDurationAndSize() throws Exception {
    ResolvedMedia media = resolve(base + "/media/clip.mp4");
    assertEquals(ResolvedMedia.Kind.DIRECT, media.kind());
    assertEquals(MediaFixtures.SECONDS, media.duration(), 0.2);
    assertEquals("clip.mp4", media.title());
    assertEquals(180, media.qualities().get(0).height());
    assertEquals(base + "/media/clip.mp4", media.stream().toString());
    assertFalse(media.proxied(), "a file on the open web plays from where it is");
  }

  @Test
  void aWebmIsADirectFile() throws Exception {
    ResolvedMedia media = resolve(base + "/media/clip.webm");
    assertEquals(ResolvedMedia.Kind.DIRECT, media.kind());
    assertEquals(MediaFixtures.SECONDS, media.duration(), 0.2);
  }

  @Test
  void redirectsAreFollowedToTheFile() throws Exception {
    ResolvedMedia media = resolve(base + "/redirect/3");
    assertEquals(base + "/media/clip.mp4", media.stream().toString());
    assertFailure(base + "/redirect/9", ResolveFailure.Code.NOT_FOUND);
  }

  @Test
  void filesThatAreNotVideosAreRefused() throws Exception {
    assertFailure(base + "/text.mp4", ResolveFailure.Code.NO_PLAYABLE_FORMAT);
    assertFailure(base + "/broken.mp4", ResolveFailure.Code.NO_PLAYABLE_FORMAT);
  }

  @Test
  void httpErrorsBecomePlainReasons() throws Exception {
    assertFailure(base + "/not-found.mp4", ResolveFailure.Code.NOT_FOUND);
    assertFailure(base + "/private.mp4", ResolveFailure.Code.PRIVATE);
    assertFailure(base + "/busy.mp4", ResolveFailure.Code.UPSTREAM_RATE_LIMITED);
  }

  @Test
  void aSlowServerTimesOut() throws Exception {
    assertFailure(base + "/slow.mp4", ResolveFailure.Code.PROBE_TIMEOUT);
  }

  // --- search ------------------------------------------------------------------------------------

  /**
   * Search goes to YouTube, which these tests cannot reach; a stand-in for yt-dlp answers as yt-dlp
   * does for {@code ytsearchN:} so that what the resolver makes of the answer is tested: the
   * results, that unsafe addresses are dropped, that a repeated search is served from the cache,
   * and that a failing run becomes a coded failure.
   */
  @Test
  void searchResultsComeFromYtDlpAndAreCached(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    java.nio.file.Path runs = dir.resolve("runs.log");
    java.nio.file.Path script = dir.resolve("yt-dlp");
    java.nio.file.Files.writeString(script, String.join("\n",
        "#!/bin/sh",
        "for last; do :; done",
        "echo \"$last\" >> '" + runs + "'",
        "case \"$last\" in",
        "  ytsearch5:broken*) echo 'ERROR: [youtube:search] Unable to download API page' >&2; exit 1 ;;",
        "esac",
        "cat <<'JSON'",
        "{\"_type\": \"playlist\", \"entries\": [",
        " {\"_type\": \"url\", \"ie_key\": \"Youtube\", \"url\": \"https://www.youtube.com/watch?v=aaaaaaaaaaa\", \"title\": \"Cats <b>bold</b>\",",
        "  \"duration\": 61.0, \"thumbnails\": [{\"url\": \"https://i.ytimg.com/vi/aaaaaaaaaaa/hq.jpg\"}]},",
        " {\"_type\": \"url\", \"ie_key\": \"Youtube\", \"url\": \"bbbbbbbbbbb\", \"title\": \"More cats\", \"duration\": null,",
        "  \"thumbnails\": [{\"url\": \"javascript:alert(1)\"}]},",
        " {\"_type\": \"url\", \"url\": \"file:///etc/passwd\", \"title\": \"Not a video\"}",
        "]}",
        "JSON",
        ""));
    script.toFile().setExecutable(true);
    MediaResolver.Settings settings =
        new MediaResolver.Settings(Duration.ofSeconds(30), Duration.ofHours(2), Duration.ofDays(30), Duration.ofHours(24), 50, 5,
            false, base + "/oembed", base + "/oembed", base + "/oembed");
    DestinationGuard guard = new DestinationGuard(List.of("127.0.0.1/32"));
    MediaResolver searching = MediaResolver.create(testKit.system(),
        new Upstream(testKit.system(), guard, Duration.ofSeconds(3), Duration.ofSeconds(5), 16), egress,
        script.toString(), "ffprobe", Duration.ofSeconds(4), Optional.empty(), settings, InstantSource.system());

    List<LinkInfo> results = searching.search("  cats ").toCompletableFuture().get(30, TimeUnit.SECONDS);
    assertEquals(2, results.size(), results.toString());
    assertEquals(new LinkInfo("https://www.youtube.com/watch?v=aaaaaaaaaaa", "Cats <b>bold</b>", 61.0,
        "https://i.ytimg.com/vi/aaaaaaaaaaa/hq.jpg"), results.get(0));
    assertEquals(new LinkInfo("https://www.youtube.com/watch?v=bbbbbbbbbbb", "More cats", null, null), results.get(1));

    // The same search, however it is spelled, does not run yt-dlp again.
    assertEquals(results, searching.search("CATS").toCompletableFuture().get(30, TimeUnit.SECONDS));
    assertEquals(List.of("ytsearch5:cats"), java.nio.file.Files.readAllLines(runs));

    try {
      searching.search("broken").toCompletableFuture().get(30, TimeUnit.SECONDS);
      fail("a failing search answers a failure");
    } catch (ExecutionException e) {
      assertEquals(ResolveFailure.Code.EXTRACTOR_FAILED, assertInstanceOf(ResolveFailure.class, e.getCause()).code());
    }
  }

  // --- manifests ---------------------------------------------------------------------------------

  @Test
  void anHlsMasterPlaylistGivesItsVariantsAndDuration() throws Exception {
    ResolvedMedia media = resolve(base + "/hls/master.m3u8");
    assertEquals(ResolvedMedia.Kind.HLS, media.kind());
    assertEquals(MediaFixtures.SECONDS, media.duration(), 0.2);
    assertEquals(List.of(360, 180), media.qualities().stream().map(ResolvedMedia.Quality::height).toList());
    assertEquals(800_000L, media.qualities().get(0).bandwidth());
    assertTrue(media.proxied(), "manifests play through the proxy");
  }

  @Test
  void aByteRangeMediaPlaylistIsHls() throws Exception {
    ResolvedMedia media = resolve(base + "/hls-range/index.m3u8");
    assertEquals(ResolvedMedia.Kind.HLS, media.kind());
    assertEquals(MediaFixtures.SECONDS, media.duration(), 0.2);
  }

  @Test
  void aDashManifestGivesItsDurationAndQualities() throws Exception {
    ResolvedMedia media = resolve(base + "/dash/manifest.mpd");
    assertEquals(ResolvedMedia.Kind.DASH, media.kind());
    assertEquals(MediaFixtures.SECONDS, media.duration(), 0.2);
    assertEquals(180, media.qualities().get(0).height());
  }

  @Test
  void drmAndLiveAreRefused() throws Exception {
    assertFailure(base + "/drm/master.m3u8", ResolveFailure.Code.DRM);
    assertFailure(base + "/drm.mpd", ResolveFailure.Code.DRM);
    assertFailure(base + "/live/index.m3u8", ResolveFailure.Code.LIVE_NOT_SUPPORTED);
    assertFailure(base + "/live.mpd", ResolveFailure.Code.LIVE_NOT_SUPPORTED);
  }

  // --- PeerTube, pages, oEmbed -------------------------------------------------------------------

  @Test
  void aPeerTubeWatchPageUsesTheInstanceApi() throws Exception {
    ResolvedMedia media = resolve(base + "/w/abc123def");
    assertEquals(ResolvedMedia.Kind.HLS, media.kind());
    assertEquals("A PeerTube video", media.title());
    assertEquals("peertube", media.service());
    assertEquals(base + "/hls/master.m3u8", media.stream().toString());
    assertEquals(base + "/media/poster.jpg", media.thumbnail());
    assertFailure(base + "/w/missing0", ResolveFailure.Code.NOT_FOUND);
    assertFailure(base + "/w/private0", ResolveFailure.Code.PRIVATE);
  }

  /**
   * An instance that keeps web videos only: no HLS playlist, so the tallest file a browser is
   * given (at most 1080p) is played as a file, with the API's title, duration and thumbnail.
   */
  @Test
  void aPeerTubeVideoWithoutHlsPlaysItsTallestFileUpTo1080p() throws Exception {
    String id = "files-only1";
    ResolvedMedia media = resolve(base + "/videos/watch/" + id);
    assertEquals(ResolvedMedia.Kind.DIRECT, media.kind());
    assertEquals(base + "/media/clip.mp4?r=720", media.stream().toString());
    assertEquals("Web videos only", media.title());
    assertEquals(6.0, media.duration());
    assertEquals(base + "/lazy-static/thumbnails/" + id + ".jpg", media.thumbnail());
    assertEquals("peertube", media.service());
    assertEquals("127.0.0.1/" + id, media.serviceId());
    assertFalse(media.proxied(), "a file on the open web plays from where it is");
    assertEquals(0, web.hits("/videos/watch/" + id), "the API is asked, not the watch page");
  }

  @Test
  void aWebPageWithAVideoGoesThroughYtDlp() throws Exception {
    ResolvedMedia media = resolve(base + "/page.html");
    assertEquals(ResolvedMedia.Kind.DIRECT, media.kind());
    assertEquals(base + "/media/clip.mp4", media.stream().toString());
    assertTrue(media.title().contains("A local clip"), media.title());
    assertTrue(media.proxied(), "what an extractor found is fetched through the proxy");
  }

  @Test
  void aPageWithSeveralVideosIsAListCutAtTheCap() throws Exception {
    String page = base + "/three-videos.html";
    List<LinkInfo> all = resolver.inspect(page).toCompletableFuture().get(60, TimeUnit.SECONDS);
    assertEquals(List.of(base + "/media/clip.mp4", base + "/media/clip.webm", base + "/media/clip.mp4?copy=2"),
        all.stream().map(LinkInfo::url).toList());
    assertEquals("Three clips (2)", all.get(1).title());
    // Each entry is a link of its own, played like any other.
    ResolvedMedia second = resolve(all.get(1).url());
    assertEquals(ResolvedMedia.Kind.DIRECT, second.kind());
    // Played as one thing, the list is refused with a sentence saying what to do.
    assertFailure(page, ResolveFailure.Code.NO_PLAYABLE_FORMAT);

    MediaResolver capped = MediaResolver.create(testKit.system(),
        new Upstream(testKit.system(), new DestinationGuard(List.of("127.0.0.1/32")), Duration.ofSeconds(3), Duration.ofSeconds(5), 16),
        egress, "yt-dlp", "ffprobe", Duration.ofSeconds(4), Optional.empty(), settings(2), InstantSource.system());
    assertEquals(all.subList(0, 2), capped.inspect(page).toCompletableFuture().get(60, TimeUnit.SECONDS));
  }

  /**
   * A YouTube list link is listed with yt-dlp's --flat-playlist; YouTube is out of reach here, so a
   * stand-in answers as yt-dlp does, with more entries than the cap to show the cap holds.
   */
  @Test
  void aYouTubeListIsListedFlatAndCut(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    java.nio.file.Path args = dir.resolve("args");
    java.nio.file.Path script = dir.resolve("yt-dlp");
    java.nio.file.Files.writeString(script, String.join("\n",
        "#!/bin/sh",
        "printf '%s\\n' \"$@\" > '" + args + "'",
        "cat <<'JSON'",
        "{\"_type\": \"playlist\", \"id\": \"PLx\", \"title\": \"A list\", \"entries\": [",
        " {\"_type\": \"url\", \"ie_key\": \"Youtube\", \"id\": \"aaaaaaaaaaa\", \"url\": \"https://www.youtube.com/watch?v=aaaaaaaaaaa\", \"title\": \"One\", \"duration\": 61.0},",
        " {\"_type\": \"url\", \"ie_key\": \"Youtube\", \"id\": \"bbbbbbbbbbb\", \"url\": \"https://www.youtube.com/watch?v=bbbbbbbbbbb\", \"title\": \"Two\", \"duration\": 62.0},",
        " {\"_type\": \"url\", \"ie_key\": \"Youtube\", \"id\": \"ccccccccccc\", \"url\": \"https://www.youtube.com/watch?v=ccccccccccc\", \"title\": \"Three\", \"duration\": 63.0}",
        "]}",
        "JSON",
        ""));
    script.toFile().setExecutable(true);
    MediaResolver listing = MediaResolver.create(testKit.system(),
        new Upstream(testKit.system(), new DestinationGuard(List.of("127.0.0.1/32")), Duration.ofSeconds(3), Duration.ofSeconds(5), 16),
        egress, script.toString(), "ffprobe", Duration.ofSeconds(4), Optional.empty(), settings(2), InstantSource.system());
    List<LinkInfo> entries = listing.inspect("https://www.youtube.com/playlist?list=PLx").toCompletableFuture().get(30, TimeUnit.SECONDS);
    assertEquals(List.of(new LinkInfo("https://www.youtube.com/watch?v=aaaaaaaaaaa", "One", 61.0, null),
        new LinkInfo("https://www.youtube.com/watch?v=bbbbbbbbbbb", "Two", 62.0, null)), entries);
    List<String> given = java.nio.file.Files.readAllLines(args);
    assertTrue(given.contains("--flat-playlist"), given.toString());
    assertEquals("2", given.get(given.indexOf("--playlist-end") + 1));
  }

  @Test
  void aPageWithoutVideoIsUnsupported() throws Exception {
    assertFailure(base + "/nothing.html", ResolveFailure.Code.UNSUPPORTED_SITE);
  }

  @Test
  void concurrentResolutionsOfOneLinkShareOneRun() throws Exception {
    // What one run costs the page...
    int beforeOne = web.hits("/page.html");
    resolve(base + "/page.html?single=1");
    int oneRun = web.hits("/page.html") - beforeOne;
    assertTrue(oneRun >= 1);
    // ...is what ten overlapping resolutions of another link cost together.
    String url = base + "/page.html?shared=1";
    int hitsBefore = web.hits("/page.html");
    List<CompletableFuture<ResolvedMedia>> all = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      all.add(resolver.resolve(url).toCompletableFuture());
    }
    for (CompletableFuture<ResolvedMedia> f : all) {
      assertEquals(all.get(0).get(60, TimeUnit.SECONDS), f.get(60, TimeUnit.SECONDS));
    }
    assertEquals(oneRun, web.hits("/page.html") - hitsBefore);
  }

  @Test
  void videoSitesAreDescribedByOEmbedWhenQueued() throws Exception {
    List<LinkInfo> info = resolver.inspect("https://vimeo.com/76979871").toCompletableFuture().get(30, TimeUnit.SECONDS);
    assertEquals(1, info.size());
    assertEquals("An oEmbed video", info.get(0).title());
    assertEquals(212.0, info.get(0).duration());
    assertEquals(base + "/media/poster.jpg", info.get(0).thumbnail());
  }

  @Test
  void inspectingAFileGivesItsMetadata() throws Exception {
    List<LinkInfo> info = resolver.inspect(base + "/media/clip.webm").toCompletableFuture().get(30, TimeUnit.SECONDS);
    assertEquals("clip.webm", info.get(0).title());
    assertNotNull(info.get(0).duration());
    assertNull(info.get(0).thumbnail());
  }

  // --- refusals before anything is fetched -------------------------------------------------------

  @Test
  void notALinkAndBlockedDestinations() throws Exception {
    assertFailure("hello there", ResolveFailure.Code.NOT_A_URL);
    assertFailure("ftp://example.org/film.mp4", ResolveFailure.Code.NOT_A_URL);
    assertFailure("http://10.0.0.1/film.mp4", ResolveFailure.Code.BLOCKED_DESTINATION);
    assertFailure("http://169.254.169.254/latest/meta-data/", ResolveFailure.Code.BLOCKED_DESTINATION);
    // A redirect from an allowed host to one that is not is refused at the hop.
    assertFailure(base + "/redirect-away?to=http://127.0.0.2:" + web.port() + "/media/clip.mp4", ResolveFailure.Code.BLOCKED_DESTINATION);
  }

  // --- helpers -----------------------------------------------------------------------------------

  private static MediaResolver.Settings settings(int playlistCap) {
    return new MediaResolver.Settings(Duration.ofSeconds(30), Duration.ofHours(2), Duration.ofDays(30), Duration.ofHours(24), playlistCap, 5,
        false, base + "/oembed", base + "/oembed", base + "/oembed");
  }

  private static ResolvedMedia resolve(String url) throws Exception {
    return resolver.resolve(url).toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  private static void assertFailure(String url, ResolveFailure.Code code) throws Exception {
    try {
      ResolvedMedia media = resolve(url);
      fail("expected " + code + " for " + url + " but resolved " + media);
    } catch (ExecutionException e) {
      ResolveFailure failure = assertInstanceOf(ResolveFailure.class, e.getCause(), () -> url + ": " + e.getCause());
      assertEquals(code, failure.code(), () -> url + ": " + failure.getMessage());
      assertFalse(failure.getMessage().isBlank());
    }
  }
}
