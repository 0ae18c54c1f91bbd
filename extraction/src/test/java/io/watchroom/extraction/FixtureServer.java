package io.watchroom.extraction;

import static org.apache.pekko.http.javadsl.server.Directives.*;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.Location;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;

/**
 * A local web server standing in for the internet in tests: media files (with Range), HLS and
 * DASH streams, a PeerTube-shaped API, a web page with a video for yt-dlp, oEmbed, redirects, and
 * slow, broken and failing answers. It counts the requests each path gets.
 */
public final class FixtureServer implements AutoCloseable {

  private final ServerBinding binding;
  private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
  private volatile Duration segmentDelay = Duration.ZERO;
  private final AtomicInteger generation = new AtomicInteger(1);
  /** The client ports requests came from: one per connection the server was given. */
  private final java.util.Set<Integer> clientPorts = ConcurrentHashMap.newKeySet();

  private FixtureServer(ActorSystem<?> system, Path media) throws Exception {
    this.binding =
        Http.get(system)
            .newServerAt("127.0.0.1", 0)
            .adaptSettings(settings -> settings.withRemoteAddressAttribute(true))
            .bind(extractRequest(request -> {
              count(request.getUri().path());
              request.getAttribute(org.apache.pekko.http.javadsl.model.AttributeKeys.remoteAddress)
                  .ifPresent(remote -> clientPorts.add(remote.getPort()));
              return routes(media);
            }))
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
  }

  public static FixtureServer start(ActorSystem<?> system) throws Exception {
    return new FixtureServer(system, MediaFixtures.ensure());
  }

  public String base() {
    return "http://127.0.0.1:" + binding.localAddress().getPort();
  }

  public int port() {
    return binding.localAddress().getPort();
  }

  public int hits(String path) {
    AtomicInteger count = hits.get(path);
    return count == null ? 0 : count.get();
  }

  /** How many connections clients have opened to this server so far. */
  public int connections() {
    return clientPorts.size();
  }

  /** Stream URLs handed out before now stop working, as a video site's do when they expire. */
  public void expireStreams() {
    generation.incrementAndGet();
  }

  /** Makes every HLS segment answer this much later (to let requests pile up on a cold cache). */
  public void delaySegments(Duration delay) {
    this.segmentDelay = delay;
  }

  /** The links the site-specific oEmbed endpoints were asked about, as "site url". */
  public final java.util.List<String> oEmbedAsked = new java.util.concurrent.CopyOnWriteArrayList<>();

  /** The headers of the last request for /with-headers.mp4, lower-cased names. */
  public volatile java.util.List<String> lastHeaderNames = java.util.List.of();

  private void count(String path) {
    hits.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
  }

  private static final ContentType.WithCharset M3U8 =
      ContentTypes.create(MediaTypes.applicationWithOpenCharset("vnd.apple.mpegurl"), org.apache.pekko.http.javadsl.model.HttpCharsets.UTF_8);

  private Route routes(Path media) {
    String dir = media.toString();
    return concat(
        path(PathMatchers.segment("hls").slash("master.m3u8"), () -> complete(text(M3U8, MediaFixtures.master(base())))),
        pathPrefix("hls", () -> delayed(() -> getFromDirectory(dir + "/hls"))),
        pathPrefix("hls-range", () -> getFromDirectory(dir + "/hls-range")),
        pathPrefix("dash", () -> getFromDirectory(dir + "/dash")),
        pathPrefix("media", () -> getFromDirectory(dir)),
        path("page.html", () -> complete(text(ContentTypes.TEXT_HTML_UTF8,
            "<!doctype html><html><head><title>Local test page</title>"
                + "<meta property=\"og:title\" content=\"A local clip\"></head><body>"
                + "<video controls poster=\"/media/poster.jpg\"><source src=\"/media/clip.mp4\" type=\"video/mp4\"></video>"
                + "</body></html>"))),
        // Several videos on one page: yt-dlp's generic extractor answers a playlist.
        path("three-videos.html", () -> complete(text(ContentTypes.TEXT_HTML_UTF8,
            "<!doctype html><html><head><title>Three clips</title></head><body>"
                + "<video controls><source src=\"/media/clip.mp4\" type=\"video/mp4\"></video>"
                + "<video controls><source src=\"/media/clip.webm\" type=\"video/webm\"></video>"
                + "<video controls><source src=\"/media/clip.mp4?copy=2\" type=\"video/mp4\"></video>"
                + "</body></html>"))),
        // An upstream that sends headers no player should see, and notes what it was sent.
        path("with-headers.mp4", () -> extractRequest(request -> {
          lastHeaderNames = java.util.stream.StreamSupport.stream(request.getHeaders().spliterator(), false)
              .map(h -> h.lowercaseName()).toList();
          return respondWithHeaders(java.util.List.of(
                  org.apache.pekko.http.javadsl.model.headers.RawHeader.create("Set-Cookie", "session=upstream-secret"),
                  org.apache.pekko.http.javadsl.model.headers.RawHeader.create("X-Upstream-Internal", "10.0.0.7"),
                  org.apache.pekko.http.javadsl.model.headers.RawHeader.create("Access-Control-Allow-Origin", "*")),
              () -> getFromFile(dir + "/clip.mp4"));
        })),
        // A file of unknown length (chunked), and one that trickles out far too slowly to read in time.
        path("chunked.mp4", () -> complete(HttpResponse.create().withEntity(HttpEntities.createChunked(
            ContentTypes.create(MediaTypes.VIDEO_MP4),
            org.apache.pekko.stream.javadsl.FileIO.fromPath(media.resolve("clip.mp4"), 8192))))),
        path("trickle.mp4", () -> complete(HttpResponse.create().withEntity(HttpEntities.create(
            ContentTypes.create(MediaTypes.VIDEO_MP4), media.resolve("clip.mp4").toFile().length(),
            org.apache.pekko.stream.javadsl.FileIO.fromPath(media.resolve("clip.mp4"), 100)
                .throttle(2, Duration.ofSeconds(1)))))),
        path("nothing.html", () -> complete(text(ContentTypes.TEXT_HTML_UTF8,
            "<!doctype html><html><head><title>No video here</title></head><body><p>Just words.</p></body></html>"))),
        // A PeerTube instance: watch pages and the API at the root, as on a real instance.
        path(PathMatchers.segment("api").slash("v1").slash("videos").slash(PathMatchers.segment()),
            id -> id.equals("missing0")
                ? complete(StatusCodes.NOT_FOUND, "{\"error\":\"Video not found\"}")
                : id.equals("private0")
                    ? complete(StatusCodes.FORBIDDEN, "{\"error\":\"Cannot get this private video\"}")
                    : id.startsWith("files-only")
                        ? complete(text(ContentTypes.APPLICATION_JSON, peerTubeFilesOnly(id)))
                        : complete(text(ContentTypes.APPLICATION_JSON, peerTubeVideo(id)))),
        path(PathMatchers.segment("w").slash(PathMatchers.segment()), id -> complete(text(ContentTypes.TEXT_HTML_UTF8, "<html>PeerTube</html>"))),
        path("oembed", () -> parameter("url", url -> complete(text(ContentTypes.APPLICATION_JSON,
            "{\"type\":\"video\",\"title\":\"An oEmbed video\",\"author_name\":\"Someone\","
                + "\"thumbnail_url\":\"" + base() + "/media/poster.jpg\",\"duration\":212}")))),
        // Each site's oEmbed endpoint, answering as that site does (only Vimeo gives a duration;
        // YouTube answers 401 for a video whose owner turned embedding off).
        path(PathMatchers.segment("oembed").slash(PathMatchers.segment()), site -> parameter("url", url -> {
          oEmbedAsked.add(site + " " + url);
          if (url.contains("noEmbed")) {
            return complete(StatusCodes.UNAUTHORIZED, "Unauthorized");
          }
          return complete(text(ContentTypes.APPLICATION_JSON, siteOEmbed(site)));
        })),
        path(PathMatchers.segment("redirect").slash(PathMatchers.integerSegment()),
            n -> redirect(n == 0 ? base() + "/media/clip.mp4" : base() + "/redirect/" + (n - 1))),
        path("redirect-away", () -> parameter("to", this::redirect)),
        path("slow.mp4", () -> onSuccess(
            CompletableFuture.supplyAsync(() -> null, CompletableFuture.delayedExecutor(8, TimeUnit.SECONDS)),
            x -> getFromFile(dir + "/clip.mp4"))),
        path("broken.mp4", () -> complete(HttpResponse.create().withEntity(
            HttpEntities.create(ContentTypes.create(MediaTypes.VIDEO_MP4), 100_000L,
                Source.single(ByteString.fromArray(new byte[1000])).concat(Source.failed(new RuntimeException("cut")))))))
        ,
        // A stream URL that expires: /rotating.mp4 points at the current generation's URL.
        path("rotating.mp4", () -> redirect(base() + "/gen/clip.mp4?g=" + generation.get())),
        path(PathMatchers.segment("gen").slash("clip.mp4"), () -> parameter("g", g ->
            Integer.parseInt(g) < generation.get()
                ? complete(StatusCodes.FORBIDDEN, "expired")
                : getFromFile(dir + "/clip.mp4"))),
        path("text.mp4", () -> complete(HttpResponse.create().withEntity(
            HttpEntities.create(ContentTypes.create(MediaTypes.VIDEO_MP4), "this is not a video at all".getBytes(java.nio.charset.StandardCharsets.UTF_8))))),
        path("not-found.mp4", () -> complete(StatusCodes.NOT_FOUND, "no")),
        path("private.mp4", () -> complete(StatusCodes.FORBIDDEN, "no")),
        path("busy.mp4", () -> complete(StatusCodes.TOO_MANY_REQUESTS, "slow down")),
        path(PathMatchers.segment("drm").slash("master.m3u8"), () -> complete(text(M3U8,
            "#EXTM3U\n#EXT-X-VERSION:5\n#EXT-X-TARGETDURATION:2\n"
                + "#EXT-X-KEY:METHOD=SAMPLE-AES,URI=\"skd://key\",KEYFORMAT=\"com.apple.streamingkeydelivery\"\n"
                + "#EXTINF:2.0,\nseg0.ts\n#EXT-X-ENDLIST\n"))),
        path(PathMatchers.segment("live").slash("index.m3u8"), () -> complete(text(M3U8,
            "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:2\n#EXT-X-MEDIA-SEQUENCE:100\n"
                + "#EXTINF:2.0,\nseg100.ts\n#EXTINF:2.0,\nseg101.ts\n"))),
        path("drm.mpd", () -> complete(text(ContentTypes.create(MediaTypes.applicationWithFixedCharset("dash+xml", org.apache.pekko.http.javadsl.model.HttpCharsets.UTF_8)),
            "<?xml version=\"1.0\"?><MPD xmlns=\"urn:mpeg:dash:schema:mpd:2011\" type=\"static\" mediaPresentationDuration=\"PT6S\">"
                + "<Period><AdaptationSet mimeType=\"video/mp4\"><ContentProtection schemeIdUri=\"urn:uuid:edef8ba9-79d6-4ace-a3c8-27dcd51d21ed\"/>"
                + "<Representation id=\"v\" bandwidth=\"500000\" width=\"640\" height=\"360\" codecs=\"avc1.42c01e\"><BaseURL>v.mp4</BaseURL></Representation>"
                + "</AdaptationSet></Period></MPD>"))),
        path("live.mpd", () -> complete(text(ContentTypes.create(MediaTypes.applicationWithFixedCharset("dash+xml", org.apache.pekko.http.javadsl.model.HttpCharsets.UTF_8)),
            "<?xml version=\"1.0\"?><MPD xmlns=\"urn:mpeg:dash:schema:mpd:2011\" type=\"dynamic\" availabilityStartTime=\"2026-01-01T00:00:00Z\" minimumUpdatePeriod=\"PT2S\">"
                + "<Period start=\"PT0S\"><AdaptationSet mimeType=\"video/mp4\"><Representation id=\"v\" bandwidth=\"500000\" width=\"640\" height=\"360\" codecs=\"avc1.42c01e\">"
                + "<SegmentTemplate media=\"v-$Number$.m4s\" initialization=\"v-init.mp4\" duration=\"2\" timescale=\"1\"/></Representation></AdaptationSet></Period></MPD>"))));
  }

  private Route delayed(java.util.function.Supplier<Route> inner) {
    Duration delay = segmentDelay;
    if (delay.isZero()) {
      return inner.get();
    }
    return onSuccess(
        CompletableFuture.supplyAsync(() -> null, CompletableFuture.delayedExecutor(delay.toMillis(), TimeUnit.MILLISECONDS)),
        x -> inner.get());
  }

  private Route redirect(String to) {
    return complete(HttpResponse.create().withStatus(StatusCodes.FOUND).addHeader(Location.create(to)));
  }

  private String peerTubeVideo(String id) {
    return "{\"id\":7,\"uuid\":\"" + id + "\",\"name\":\"A PeerTube video\",\"duration\":6,"
        + "\"thumbnailPath\":\"/media/poster.jpg\",\"isLive\":false,"
        + "\"streamingPlaylists\":[{\"id\":1,\"type\":1,\"playlistUrl\":\"" + base() + "/hls/master.m3u8\"}],"
        + "\"files\":[{\"resolution\":{\"id\":180},\"fileUrl\":\"" + base() + "/media/clip.mp4\"}]}";
  }

  /**
   * A video of an instance without HLS (web videos only): no streaming playlist, one file per
   * resolution, tallest first as PeerTube lists them, one above what is played, and audio only.
   */
  private String peerTubeFilesOnly(String id) {
    return "{\"id\":8,\"uuid\":\"" + id + "\",\"name\":\"Web videos only\",\"duration\":6,"
        + "\"thumbnailPath\":\"/lazy-static/thumbnails/" + id + ".jpg\",\"isLive\":false,\"streamingPlaylists\":[],"
        + "\"files\":["
        + "{\"resolution\":{\"id\":1440,\"label\":\"1440p\"},\"size\":9000000,\"fps\":25,"
        + "\"fileUrl\":\"" + base() + "/media/clip.webm?r=1440\",\"fileDownloadUrl\":\"" + base() + "/download/1440.mp4\"},"
        + "{\"resolution\":{\"id\":720,\"label\":\"720p\"},\"size\":3000000,\"fps\":25,"
        + "\"fileUrl\":\"" + base() + "/media/clip.mp4?r=720\",\"fileDownloadUrl\":\"" + base() + "/download/720.mp4\"},"
        + "{\"resolution\":{\"id\":360,\"label\":\"360p\"},\"size\":1000000,\"fps\":25,"
        + "\"fileUrl\":\"" + base() + "/media/clip.mp4?r=360\",\"fileDownloadUrl\":\"" + base() + "/download/360.mp4\"},"
        + "{\"resolution\":{\"id\":0,\"label\":\"Audio\"},\"size\":100000,"
        + "\"fileUrl\":\"" + base() + "/media/audio.m4a\",\"fileDownloadUrl\":\"" + base() + "/download/0.m4a\"}]}";
  }

  private static String siteOEmbed(String site) {
    return switch (site) {
      case "youtube" -> "{\"title\":\"A YouTube video\",\"author_name\":\"A channel\",\"author_url\":\"https://www.youtube.com/@achannel\","
          + "\"type\":\"video\",\"height\":113,\"width\":200,\"version\":\"1.0\",\"provider_name\":\"YouTube\","
          + "\"provider_url\":\"https://www.youtube.com/\",\"thumbnail_height\":360,\"thumbnail_width\":480,"
          + "\"thumbnail_url\":\"https://i.ytimg.com/vi/abcDEF12345/hqdefault.jpg\","
          + "\"html\":\"<iframe width=\\\"200\\\" height=\\\"113\\\" src=\\\"https://www.youtube.com/embed/abcDEF12345?feature=oembed\\\"></iframe>\"}";
      case "vimeo" -> "{\"type\":\"video\",\"version\":\"1.0\",\"provider_name\":\"Vimeo\",\"provider_url\":\"https://vimeo.com/\","
          + "\"title\":\"A Vimeo video\",\"author_name\":\"Someone\",\"author_url\":\"https://vimeo.com/someone\",\"is_plus\":\"0\","
          + "\"html\":\"<iframe src=\\\"https://player.vimeo.com/video/123\\\"></iframe>\",\"width\":640,\"height\":360,"
          + "\"duration\":6,\"description\":\"\",\"thumbnail_url\":\"https://i.vimeocdn.com/video/123-d_295x166\","
          + "\"thumbnail_width\":295,\"thumbnail_height\":166,\"video_id\":123,\"uri\":\"/videos/123\"}";
      case "dailymotion" -> "{\"type\":\"video\",\"version\":\"1.0\",\"provider_name\":\"Dailymotion\","
          + "\"provider_url\":\"https://www.dailymotion.com\",\"title\":\"A Dailymotion video\",\"author_name\":\"Someone\","
          + "\"author_url\":\"https://www.dailymotion.com/someone\",\"width\":480,\"height\":270,"
          + "\"html\":\"<iframe src=\\\"https://geo.dailymotion.com/player.html?video=x7\\\"></iframe>\","
          + "\"thumbnail_url\":\"https://s1.dmcdn.net/v/x7/x240\",\"thumbnail_width\":427,\"thumbnail_height\":240}";
      default -> "{}";
    };
  }

  private static HttpResponse text(ContentType type, String body) {
    return HttpResponse.create().withEntity(HttpEntities.create(type, body.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
  }

  @Override
  public void close() throws Exception {
    binding.terminate(Duration.ofSeconds(1)).toCompletableFuture().get(5, TimeUnit.SECONDS);
  }
}
