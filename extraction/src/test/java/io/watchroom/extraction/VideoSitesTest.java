package io.watchroom.extraction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * YouTube, Vimeo and Dailymotion links: metadata from each site's oEmbed endpoint, the stream from
 * yt-dlp, and nothing else fetched. The sites are out of reach here, so their oEmbed endpoints are
 * the fixture's and a script stands in for yt-dlp, answering {@code -J} as yt-dlp does for such a
 * video. The guard's name lookup notes every host the server looks up and answers the sites' names
 * with a private address, so fetching a site's page would be both seen and refused.
 */
class VideoSitesTest {

  private static ActorTestKit testKit;
  private static FixtureServer web;
  private static EgressProxy egress;
  private static DestinationGuard guard;
  private static final Set<String> lookedUp = ConcurrentHashMap.newKeySet();
  @TempDir Path dir;
  private Path runs;

  @BeforeAll
  static void start() throws Exception {
    testKit = ActorTestKit.create();
    web = FixtureServer.start(testKit.system());
    guard = new DestinationGuard(List.of("127.0.0.1/32"), VideoSitesTest::lookup);
    egress = EgressProxy.start(testKit.system(), guard);
  }

  @AfterAll
  static void stop() throws Exception {
    egress.close();
    web.close();
    testKit.shutdownTestKit();
  }

  @BeforeEach
  void forget() {
    lookedUp.clear();
    web.oEmbedAsked.clear();
    runs = dir.resolve("runs");
  }

  private static InetAddress[] lookup(String host) {
    lookedUp.add(host);
    try {
      if (Character.isDigit(host.charAt(0))) {
        return InetAddress.getAllByName(host);
      }
      return new InetAddress[] {InetAddress.getByAddress(host, new byte[] {10, 0, 0, 1})};
    } catch (UnknownHostException e) {
      return new InetAddress[0];
    }
  }

  @Test
  void aYouTubeVideoTakesItsTitleAndPictureFromOEmbedAndItsStreamFromYtDlp() throws Exception {
    String link = "https://www.youtube.com/watch?v=abcDEF12345";
    ResolvedMedia media = resolve(resolver(standIn(), Duration.ofSeconds(30)), link);
    assertEquals("A YouTube video", media.title(), "oEmbed's title, not yt-dlp's");
    assertEquals("https://i.ytimg.com/vi/abcDEF12345/hqdefault.jpg", media.thumbnail());
    assertEquals(212.0, media.duration(), "YouTube's oEmbed has no duration: yt-dlp's");
    // The one format with audio and video a browser plays, not the taller video-only ones.
    assertEquals(ResolvedMedia.Kind.DIRECT, media.kind());
    assertEquals(web.base() + "/media/clip.mp4?itag=18&expire=4102444800", media.stream().toString());
    assertTrue(media.proxied(), "streams bound to the server's address play through the proxy");
    assertEquals("youtube", media.service());
    assertEquals("abcDEF12345", media.serviceId());
    assertEquals(List.of("youtube " + link), web.oEmbedAsked);
    assertOnlyOEmbedAndYtDlp(link);
  }

  @Test
  void aVimeoVideoTakesTitlePictureAndDurationFromOEmbedAndItsHlsFromYtDlp() throws Exception {
    String link = "https://vimeo.com/123";
    ResolvedMedia media = resolve(resolver(standIn(), Duration.ofSeconds(30)), link);
    assertEquals("A Vimeo video", media.title());
    assertEquals("https://i.vimeocdn.com/video/123-d_295x166", media.thumbnail());
    assertEquals(6.0, media.duration(), "Vimeo's oEmbed gives the duration");
    assertEquals(ResolvedMedia.Kind.HLS, media.kind());
    assertEquals(web.base() + "/hls/master.m3u8?vimeo=1", media.stream().toString(), "the master playlist, not one variant");
    assertEquals("vimeo", media.service());
    assertEquals("123", media.serviceId());
    assertEquals(List.of("vimeo " + link), web.oEmbedAsked);
    assertOnlyOEmbedAndYtDlp(link);
  }

  @Test
  void aDailymotionVideoTakesItsTitleAndPictureFromOEmbedAndItsHlsFromYtDlp() throws Exception {
    String link = "https://www.dailymotion.com/video/x7";
    ResolvedMedia media = resolve(resolver(standIn(), Duration.ofSeconds(30)), link);
    assertEquals("A Dailymotion video", media.title());
    assertEquals("https://s1.dmcdn.net/v/x7/x240", media.thumbnail());
    assertEquals(6.0, media.duration(), "yt-dlp's duration");
    assertEquals(ResolvedMedia.Kind.HLS, media.kind());
    assertEquals(web.base() + "/hls/master.m3u8?dm=1", media.stream().toString());
    assertEquals("dailymotion", media.service());
    assertEquals("x7", media.serviceId());
    assertEquals(List.of("dailymotion " + link), web.oEmbedAsked);
    assertOnlyOEmbedAndYtDlp(link);
  }

  @Test
  void withoutAnOEmbedAnswerYtDlpsTitleAndPictureAreKept() throws Exception {
    // YouTube answers 401 for a video whose owner turned embedding off; the video still plays.
    String link = "https://youtu.be/noEmbed0001";
    ResolvedMedia media = resolve(resolver(standIn(), Duration.ofSeconds(30)), link);
    assertEquals("yt-dlp's title of noEmbed0001", media.title());
    assertEquals("https://i.ytimg.com/vi_webp/noEmbed0001/maxresdefault.webp", media.thumbnail());
    assertEquals(ResolvedMedia.Kind.DIRECT, media.kind());
    assertEquals(List.of("youtube " + link), web.oEmbedAsked);
  }

  @Test
  void queueingAVideoSiteLinkAsksOEmbedOnlyAndRunsNoExtractor() throws Exception {
    MediaResolver resolver = resolver(standIn(), Duration.ofSeconds(30));
    List<LinkInfo> info = resolver.inspect("https://www.dailymotion.com/video/x7").toCompletableFuture().get(30, TimeUnit.SECONDS);
    assertEquals(List.of(new LinkInfo("https://www.dailymotion.com/video/x7", "A Dailymotion video", null, "https://s1.dmcdn.net/v/x7/x240")), info);
    assertFalse(Files.exists(runs), "yt-dlp is run when the video is played, not when it is queued");
    assertEquals(Set.of("127.0.0.1"), lookedUp);
  }

  /**
   * yt-dlp's hard limit on a video site's link: the stand-in never answers and leaves a child
   * running; both are killed and the person is told the video took too long.
   */
  @Test
  void aYtDlpRunOverTheLimitIsKilledWithItsChildrenAndTheLinkTimesOut() throws Exception {
    Path pid = dir.resolve("pid");
    Path child = dir.resolve("child");
    Path script = script("echo $$ > '" + pid + "'", "sleep 600 &", "echo $! > '" + child + "'", "wait");
    MediaResolver resolver = resolver(script, Duration.ofSeconds(2));
    try {
      resolve(resolver, "https://vimeo.com/999");
      fail("a run over the limit answers a failure");
    } catch (ExecutionException e) {
      ResolveFailure failure = assertInstanceOf(ResolveFailure.class, e.getCause());
      assertEquals(ResolveFailure.Code.PROBE_TIMEOUT, failure.code());
      assertEquals("The video took too long to answer; try again.", failure.getMessage());
    }
    for (Path started : List.of(pid, child)) {
      long id = Long.parseLong(Files.readString(started).strip());
      // The kill is sent when the limit is reached: wait (boundedly) for it to land.
      for (int i = 0; i < 100 && alive(id); i++) {
        Thread.sleep(50);
      }
      assertFalse(alive(id), started.getFileName() + " was killed");
    }
  }

  // --- helpers -----------------------------------------------------------------------------------

  /** The server looked up only the oEmbed fixture, and yt-dlp was given the link behind {@code --}. */
  private void assertOnlyOEmbedAndYtDlp(String link) throws Exception {
    assertEquals(Set.of("127.0.0.1"), lookedUp, "the site's own page is never fetched by the server");
    List<String> args = Files.readAllLines(runs);
    assertEquals(List.of("--", link), args.subList(args.size() - 2, args.size()));
    assertEquals(egress.url(), args.get(args.indexOf("--proxy") + 1), "yt-dlp connects through the egress proxy");
  }

  private static boolean alive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  private MediaResolver resolver(Path ytDlp, Duration timeout) {
    Upstream upstream = new Upstream(testKit.system(), guard, Duration.ofSeconds(3), Duration.ofSeconds(10), 16);
    String oEmbed = web.base() + "/oembed/";
    return MediaResolver.create(testKit.system(), upstream, egress, ytDlp.toString(), "ffprobe", Duration.ofSeconds(10),
        Optional.empty(),
        new MediaResolver.Settings(timeout, Duration.ofHours(2), Duration.ofDays(30), Duration.ofHours(24), 50, 5, false,
            oEmbed + "youtube", oEmbed + "vimeo", oEmbed + "dailymotion"),
        InstantSource.system());
  }

  /**
   * yt-dlp's {@code -J} answer for each site's video, trimmed to the fields the resolver reads
   * and a few it does not: YouTube's muxed format 18 beside taller video-only and audio-only
   * formats and a storyboard; Vimeo's and Dailymotion's HLS variants of one master playlist, and
   * Vimeo's DASH ones.
   */
  private Path standIn() throws Exception {
    String base = web.base();
    return script(
        "printf '%s\\n' \"$@\" > '" + runs + "'",
        "for last; do :; done",
        "case \"$last\" in",
        "  *youtube.com/watch?v=abcDEF12345|*youtu.be/noEmbed0001)",
        "    id=${last##*[=/]}",
        "    cat <<JSON",
        "{\"id\": \"$id\", \"title\": \"yt-dlp's title of $id\", \"duration\": 212, \"extractor_key\": \"Youtube\",",
        " \"webpage_url\": \"https://www.youtube.com/watch?v=$id\", \"live_status\": \"not_live\",",
        " \"thumbnail\": \"https://i.ytimg.com/vi_webp/$id/maxresdefault.webp\", \"formats\": [",
        "  {\"format_id\": \"sb0\", \"protocol\": \"mhtml\", \"ext\": \"mhtml\", \"vcodec\": \"none\", \"acodec\": \"none\",",
        "   \"url\": \"https://i.ytimg.com/sb/$id/storyboard3_L2/M0.jpg\"},",
        "  {\"format_id\": \"140\", \"protocol\": \"https\", \"ext\": \"m4a\", \"vcodec\": \"none\", \"acodec\": \"mp4a.40.2\", \"tbr\": 129.5,",
        "   \"url\": \"https://rr1---sn-example.googlevideo.com/videoplayback?itag=140&expire=4102444800\"},",
        "  {\"format_id\": \"18\", \"protocol\": \"https\", \"ext\": \"mp4\", \"vcodec\": \"avc1.42001E\", \"acodec\": \"mp4a.40.2\",",
        "   \"width\": 320, \"height\": 180, \"tbr\": 300.1, \"url\": \"" + base + "/media/clip.mp4?itag=18&expire=4102444800\"},",
        "  {\"format_id\": \"137\", \"protocol\": \"https\", \"ext\": \"mp4\", \"vcodec\": \"avc1.640028\", \"acodec\": \"none\",",
        "   \"width\": 1920, \"height\": 1080, \"tbr\": 4400.2, \"url\": \"https://rr1---sn-example.googlevideo.com/videoplayback?itag=137&expire=4102444800\"},",
        "  {\"format_id\": \"313\", \"protocol\": \"https\", \"ext\": \"webm\", \"vcodec\": \"vp9\", \"acodec\": \"none\",",
        "   \"width\": 3840, \"height\": 2160, \"tbr\": 17000.0, \"url\": \"https://rr1---sn-example.googlevideo.com/videoplayback?itag=313&expire=4102444800\"}",
        "]}",
        "JSON",
        "    ;;",
        "  *vimeo.com/123)",
        "    cat <<'JSON'",
        "{\"id\": \"123\", \"title\": \"yt-dlp's Vimeo title\", \"duration\": 6.04, \"extractor_key\": \"Vimeo\",",
        " \"webpage_url\": \"https://vimeo.com/123\", \"thumbnail\": \"https://i.vimeocdn.com/video/123-d_1280\", \"formats\": [",
        "  {\"format_id\": \"dash-fastly_skyfire-video-1\", \"protocol\": \"http_dash_segments\", \"ext\": \"mp4\",",
        "   \"vcodec\": \"avc1.64001F\", \"acodec\": \"none\", \"height\": 720, \"url\": \"https://vod-adaptive-ak.vimeocdn.com/x/master.mpd\",",
        "   \"manifest_url\": \"https://vod-adaptive-ak.vimeocdn.com/x/master.mpd\"},",
        "  {\"format_id\": \"hls-fastly_skyfire-180p\", \"protocol\": \"m3u8_native\", \"ext\": \"mp4\", \"vcodec\": \"avc1.42c01e\",",
        "   \"acodec\": \"mp4a.40.2\", \"width\": 320, \"height\": 180, \"tbr\": 300, \"url\": \"" + base + "/hls/180/index.m3u8\",",
        "   \"manifest_url\": \"" + base + "/hls/master.m3u8?vimeo=1\"},",
        "  {\"format_id\": \"hls-fastly_skyfire-360p\", \"protocol\": \"m3u8_native\", \"ext\": \"mp4\", \"vcodec\": \"avc1.42c01e\",",
        "   \"acodec\": \"mp4a.40.2\", \"width\": 640, \"height\": 360, \"tbr\": 800, \"url\": \"" + base + "/hls/360/index.m3u8\",",
        "   \"manifest_url\": \"" + base + "/hls/master.m3u8?vimeo=1\"}",
        "]}",
        "JSON",
        "    ;;",
        "  *dailymotion.com/video/x7)",
        "    cat <<'JSON'",
        "{\"id\": \"x7\", \"title\": \"yt-dlp's Dailymotion title\", \"duration\": 6, \"extractor_key\": \"Dailymotion\",",
        " \"webpage_url\": \"https://www.dailymotion.com/video/x7\", \"thumbnail\": \"https://s1.dmcdn.net/v/x7/x1080\", \"formats\": [",
        "  {\"format_id\": \"hls-240\", \"protocol\": \"m3u8_native\", \"ext\": \"mp4\", \"vcodec\": \"avc1.42c01e\", \"acodec\": \"mp4a.40.2\",",
        "   \"width\": 320, \"height\": 180, \"url\": \"" + base + "/hls/180/index.m3u8\", \"manifest_url\": \"" + base + "/hls/master.m3u8?dm=1\"},",
        "  {\"format_id\": \"hls-380\", \"protocol\": \"m3u8_native\", \"ext\": \"mp4\", \"vcodec\": \"avc1.42c01e\", \"acodec\": \"mp4a.40.2\",",
        "   \"width\": 640, \"height\": 360, \"url\": \"" + base + "/hls/360/index.m3u8\", \"manifest_url\": \"" + base + "/hls/master.m3u8?dm=1\"}",
        "]}",
        "JSON",
        "    ;;",
        "  *) echo \"ERROR: Unsupported URL: $last\" >&2; exit 1 ;;",
        "esac");
  }

  private Path script(String... lines) throws Exception {
    Path script = dir.resolve("yt-dlp");
    Files.writeString(script, "#!/bin/sh\n" + String.join("\n", lines) + "\n");
    assertTrue(script.toFile().setExecutable(true));
    return script;
  }

  private static ResolvedMedia resolve(MediaResolver resolver, String link) throws Exception {
    return resolver.resolve(link).toCompletableFuture().get(60, TimeUnit.SECONDS);
  }
}
