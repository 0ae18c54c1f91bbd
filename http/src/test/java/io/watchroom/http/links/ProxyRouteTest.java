package io.watchroom.http.links;

import static org.apache.pekko.http.javadsl.server.Directives.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.watchroom.extraction.DestinationGuard;
import io.watchroom.extraction.EgressProxy;
import io.watchroom.extraction.MediaProxy;
import io.watchroom.extraction.MediaResolver;
import io.watchroom.extraction.ProxyTokens;
import io.watchroom.extraction.SegmentCache;
import io.watchroom.extraction.Upstream;
import io.watchroom.http.HttpSettings;
import io.watchroom.http.InMemoryAccountStore;
import io.watchroom.http.Json;
import io.watchroom.http.WatchroomHttpServer;
import io.watchroom.http.auth.Authentication;
import io.watchroom.http.auth.Authenticator;
import io.watchroom.http.auth.SessionTokens;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /api/proxy/{token}/{name}} on a node's HTTP server, between a browser and an upstream
 * that notes what it is sent: what the browser sends about itself (cookies, credentials, where it
 * came from) stays on the node and only {@code Range} goes up; what the upstream says about itself
 * (cookies, internal addresses, its own CORS and security policy) stays on the node and only the
 * media headers come down.
 */
class ProxyRouteTest {

  private static final byte[] FILE = new byte[64 * 1024];
  private static final String PLAYLIST = "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:2\n#EXT-X-PLAYLIST-TYPE:VOD\n"
      + "#EXTINF:2.0,\nseg0.ts\n#EXT-X-ENDLIST\n";
  /** Upstream headers that no browser may see; their values all contain "upstream". */
  private static final List<RawHeader> UPSTREAM_ONLY = List.of(
      RawHeader.create("Set-Cookie", "upstream-session=upstream-secret; Path=/"),
      RawHeader.create("X-Upstream-Internal", "upstream 10.0.0.7"),
      RawHeader.create("Access-Control-Allow-Origin", "https://upstream.example"),
      RawHeader.create("Access-Control-Allow-Credentials", "true"),
      RawHeader.create("Strict-Transport-Security", "max-age=1; upstream"),
      RawHeader.create("Content-Security-Policy", "default-src upstream.example"),
      RawHeader.create("Link", "<https://upstream.example/next>; rel=preload"));

  private static ActorTestKit testKit;
  private static ServerBinding upstreamServer;
  private static ServerBinding node;
  private static EgressProxy egress;
  private static ProxyTokens tokens;
  /** The headers of the last request upstream for each path, lower-cased names. */
  private static final Map<String, Map<String, String>> received = new ConcurrentHashMap<>();
  @TempDir static Path cacheDir;

  @BeforeAll
  static void start() throws Exception {
    for (int i = 0; i < FILE.length; i++) {
      FILE[i] = (byte) (i * 31);
    }
    testKit = ActorTestKit.create();
    upstreamServer = Http.get(testKit.system()).newServerAt("127.0.0.1", 0).bind(
        extractRequest(request -> {
          Map<String, String> headers = new ConcurrentHashMap<>();
          request.getHeaders().forEach(h -> headers.put(h.lowercaseName(), h.value()));
          received.put(request.getUri().path(), headers);
          return respondWithHeaders(List.copyOf(UPSTREAM_ONLY), () -> concat(
              path("clip.mp4", () -> withRangeSupport(() -> complete(
                  org.apache.pekko.http.javadsl.model.HttpResponse.create()
                      .withEntity(HttpEntities.create(ContentTypes.create(MediaTypes.VIDEO_MP4), FILE))))),
              path("index.m3u8", () -> complete(org.apache.pekko.http.javadsl.model.HttpResponse.create()
                  .withEntity(HttpEntities.create(ContentTypes.create(MediaTypes.applicationWithOpenCharset("vnd.apple.mpegurl"),
                      org.apache.pekko.http.javadsl.model.HttpCharsets.UTF_8), PLAYLIST))))));
        })).toCompletableFuture().get(10, TimeUnit.SECONDS);

    DestinationGuard guard = new DestinationGuard(List.of("127.0.0.1/32"));
    Upstream upstream = new Upstream(testKit.system(), guard, Duration.ofSeconds(3), Duration.ofSeconds(10), 16);
    egress = EgressProxy.start(testKit.system(), guard);
    MediaResolver resolver = MediaResolver.create(testKit.system(), upstream, egress, "yt-dlp", "ffprobe", Duration.ofSeconds(10),
        Optional.empty(),
        new MediaResolver.Settings(Duration.ofSeconds(30), Duration.ofHours(2), Duration.ofDays(30), Duration.ofHours(24), 50, 5, false,
            "http://127.0.0.1:9/oembed", "http://127.0.0.1:9/oembed", "http://127.0.0.1:9/oembed"),
        InstantSource.system());
    tokens = new ProxyTokens("a secret for the proxy route test, 32+".getBytes(StandardCharsets.UTF_8), InstantSource.system(), 3600_000L);
    MediaProxy proxy = new MediaProxy(testKit.system(), upstream, tokens, resolver,
        new SegmentCache(16L * 1024 * 1024, cacheDir, 16L * 1024 * 1024), new MediaProxy.Settings(1024 * 1024, 0, 1024 * 1024));

    var mapper = Json.mapper(testKit.system());
    HttpSettings settings = HttpSettings.fromConfig(
        ConfigFactory.parseString("watchroom.http { interface = \"127.0.0.1\", port = 0 }").withFallback(ConfigFactory.load()));
    Authenticator authenticator = new Authenticator(new SessionTokens(new byte[32], mapper), new InMemoryAccountStore(),
        InstantSource.system(), testKit.system().dispatchers().lookup(DispatcherSelector.blocking()), Duration.ofDays(30), Duration.ofSeconds(30));
    LinkRoutes routes = new LinkRoutes(new Links(resolver, proxy, Optional.empty()), new Authentication(authenticator), settings, mapper);
    node = new WatchroomHttpServer(testKit.system(), settings, List.of(routes.routes())).start().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() throws Exception {
    egress.close();
    testKit.shutdownTestKit();
  }

  @Test
  void onlyRangeGoesUpAndOnlyMediaHeadersComeDown() throws Exception {
    HttpResponse<byte[]> response = get(ProxyTokens.Role.MEDIA, "clip.mp4", "bytes=100-199");
    assertEquals(206, response.statusCode());
    assertEquals("bytes 100-199/" + FILE.length, response.headers().firstValue("content-range").orElseThrow());
    assertArrayEquals(java.util.Arrays.copyOfRange(FILE, 100, 200), response.body());

    Map<String, String> sent = received.get("/clip.mp4");
    assertEquals("bytes=100-199", sent.get("range"));
    assertNothingOfTheBrowserWentUp(sent);
    assertNothingOfTheUpstreamCameDown(response);
  }

  @Test
  void aManifestIsFetchedWithNoneOfTheBrowsersHeadersEither() throws Exception {
    HttpResponse<byte[]> response = get(ProxyTokens.Role.HLS, "index.m3u8", null);
    assertEquals(200, response.statusCode());
    assertTrue(new String(response.body(), StandardCharsets.UTF_8).startsWith("#EXTM3U"));
    Map<String, String> sent = received.get("/index.m3u8");
    assertFalse(sent.containsKey("range"));
    assertNothingOfTheBrowserWentUp(sent);
    assertNothingOfTheUpstreamCameDown(response);
  }

  // --- helpers -----------------------------------------------------------------------------------

  /** A browser's request for a proxied upstream file, with everything a browser may send along. */
  private static HttpResponse<byte[]> get(ProxyTokens.Role role, String file, String range) throws Exception {
    String upstream = "http://127.0.0.1:" + upstreamServer.localAddress().getPort() + "/" + file;
    String path = tokens.path(URI.create(upstream), "https://example.org/watch/1", role, "stream");
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.localAddress().getPort() + path))
        .header("Cookie", "watchroom-session=browser-secret")
        .header("Authorization", "Bearer browser-secret")
        .header("Referer", "http://127.0.0.1/rooms/browser-secret")
        .header("Origin", "http://127.0.0.1")
        .header("User-Agent", "Browser/1.0 browser-secret")
        .header("X-Forwarded-For", "192.0.2.7")
        .header("Accept-Language", "de-CH")
        .header("If-None-Match", "\"browser-secret\"");
    if (range != null) {
      request.header("Range", range);
    }
    return HttpClient.newHttpClient().send(request.GET().build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private static void assertNothingOfTheBrowserWentUp(Map<String, String> sent) {
    for (String name : List.of("cookie", "authorization", "referer", "origin", "x-forwarded-for", "accept-language", "if-none-match")) {
      assertFalse(sent.containsKey(name), name + " was sent upstream: " + sent);
    }
    assertTrue(sent.values().stream().noneMatch(v -> v.contains("browser-secret")), "the browser's values stay on the node: " + sent);
    assertTrue(sent.get("user-agent").startsWith("Watchroom/"), "the node names itself: " + sent);
  }

  private static void assertNothingOfTheUpstreamCameDown(HttpResponse<byte[]> response) {
    Map<String, List<String>> headers = response.headers().map();
    for (RawHeader h : UPSTREAM_ONLY) {
      assertFalse(headers.containsKey(h.lowercaseName()), h.name() + " reached the browser: " + headers);
    }
    assertTrue(headers.values().stream().flatMap(List::stream).noneMatch(v -> v.contains("upstream")),
        "no upstream value reached the browser: " + headers);
  }
}
