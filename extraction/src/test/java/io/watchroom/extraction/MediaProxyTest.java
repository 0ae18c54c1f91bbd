package io.watchroom.extraction;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The media proxy on the fixture's streams: rewriting, ranges, coalescing, caches, prefetch, renewal. */
class MediaProxyTest {

  private static ActorTestKit testKit;
  private static FixtureServer web;
  private static EgressProxy egress;
  private static MediaResolver resolver;
  private static ProxyTokens tokens;
  private static Upstream upstream;
  private static Path media;
  private static MediaProxy proxy;
  @TempDir static Path cacheDir;

  @BeforeAll
  static void start() throws Exception {
    testKit = ActorTestKit.create();
    web = FixtureServer.start(testKit.system());
    media = MediaFixtures.ensure();
    DestinationGuard guard = new DestinationGuard(List.of("127.0.0.1/32"));
    upstream = new Upstream(testKit.system(), guard, Duration.ofSeconds(3), Duration.ofSeconds(10), 16);
    egress = EgressProxy.start(testKit.system(), guard);
    resolver = MediaResolver.create(testKit.system(), upstream, egress, "yt-dlp", "ffprobe", Duration.ofSeconds(10), Optional.empty(),
        new MediaResolver.Settings(Duration.ofSeconds(30), Duration.ofHours(2), Duration.ofDays(30), Duration.ofHours(24), 50, 5, false,
            web.base() + "/oembed", web.base() + "/oembed", web.base() + "/oembed"),
        InstantSource.system());
    tokens = new ProxyTokens("a test secret of some length, 32+".getBytes(), InstantSource.system(), 24 * 3600_000L);
    proxy = proxy(new SegmentCache(64L * 1024 * 1024, cacheDir.resolve("main"), 256L * 1024 * 1024));
  }

  private static MediaProxy proxy(SegmentCache cache) {
    return new MediaProxy(testKit.system(), upstream, tokens, resolver, cache, new MediaProxy.Settings(8L * 1024 * 1024, 2, 4L * 1024 * 1024));
  }

  @AfterAll
  static void stop() throws Exception {
    egress.close();
    web.close();
    testKit.shutdownTestKit();
  }

  @Test
  void everyUriOfARewrittenHlsLadderResolvesThroughTheProxy() throws Exception {
    String master = text(get(path(web.base() + "/hls/master.m3u8", ProxyTokens.Role.HLS), null));
    assertTrue(master.contains("#EXT-X-X-WATCHROOM-UNKNOWN-TAG:kept=\"yes\""), "unknown tags survive");
    assertFalse(master.contains("127.0.0.1"), "no upstream address is left:\n" + master);
    List<String> variants = uris(master);
    assertEquals(2, variants.size(), "one relative and one absolute variant");
    int files = 0;
    for (String variant : variants) {
      String playlist = text(get(variant, null));
      assertFalse(playlist.contains("127.0.0.1"));
      for (String uri : uris(playlist)) {
        HttpResponse response = get(uri, null);
        assertEquals(200, response.status().intValue(), uri);
        // The file the token points at, in the fixture's folder.
        String upstreamPath = URI.create(tokens.verify(token(uri)).orElseThrow().url()).getPath();
        assertArrayEquals(Files.readAllBytes(media.resolve(upstreamPath.substring(1))), bytes(response), uri);
        files++;
      }
    }
    // Two rungs, each an init segment and three 2 s segments.
    assertEquals(8, files);
  }

  @Test
  void aByteRangeVariantIsServedByRange() throws Exception {
    String playlist = text(get(path(web.base() + "/hls-range/index.m3u8", ProxyTokens.Role.HLS), null));
    Matcher ranges = Pattern.compile("#EXT-X-BYTERANGE:(\\d+)@(\\d+)\\s+(\\S+)").matcher(playlist);
    byte[] whole = Files.readAllBytes(media.resolve("hls-range").resolve("index.ts"));
    int checked = 0;
    while (ranges.find()) {
      long length = Long.parseLong(ranges.group(1));
      long offset = Long.parseLong(ranges.group(2));
      HttpResponse response = get(ranges.group(3), "bytes=" + offset + "-" + (offset + length - 1));
      assertEquals(206, response.status().intValue());
      byte[] expected = java.util.Arrays.copyOfRange(whole, (int) offset, (int) (offset + length));
      assertArrayEquals(expected, bytes(response));
      checked++;
    }
    assertTrue(checked >= 3, playlist);
  }

  @Test
  void aRewrittenDashManifestResolvesThroughTheProxy() throws Exception {
    String mpd = text(get(path(web.base() + "/dash/manifest.mpd", ProxyTokens.Role.DASH), null));
    Matcher base = Pattern.compile("<BaseURL>([^<]+)</BaseURL>").matcher(mpd);
    assertTrue(base.find(), mpd);
    String folder = base.group(1).replace("&amp;", "&");
    assertTrue(folder.startsWith(ProxyTokens.PATH), folder);
    assertFalse(mpd.contains("127.0.0.1"));
    // The segment templates resolve against the proxied folder.
    for (String name : List.of("init-stream0.m4s", "chunk-stream0-00001.m4s", "init-stream1.m4s", "chunk-stream1-00003.m4s")) {
      HttpResponse response = get(folder + name, null);
      assertEquals(200, response.status().intValue(), name);
      assertArrayEquals(Files.readAllBytes(media.resolve("dash").resolve(name)), bytes(response), name);
    }
    // A folder token does not let a path climb out of its folder.
    assertEquals(400, get(folder + "../media/clip.mp4", null).status().intValue());
  }

  @Test
  void aManifestReachedThroughARedirectResolvesAgainstWhereItEndedUp() throws Exception {
    // The link names /redirect-away; the manifests and their segments live under /dash and /hls/180.
    String mpd = text(get(path(web.base() + "/redirect-away?to=" + web.base() + "/dash/manifest.mpd", ProxyTokens.Role.DASH), null));
    Matcher base = Pattern.compile("<BaseURL>([^<]+)</BaseURL>").matcher(mpd);
    assertTrue(base.find(), mpd);
    String folder = base.group(1).replace("&amp;", "&");
    HttpResponse init = get(folder + "init-stream0.m4s", null);
    assertEquals(200, init.status().intValue());
    assertArrayEquals(Files.readAllBytes(media.resolve("dash").resolve("init-stream0.m4s")), bytes(init));

    String playlist = text(get(path(web.base() + "/redirect-away?to=" + web.base() + "/hls/180/index.m3u8", ProxyTokens.Role.HLS), null));
    List<String> uris = uris(playlist);
    assertEquals(4, uris.size(), playlist);
    for (String uri : uris) {
      String name = URI.create(tokens.verify(token(uri)).orElseThrow().url()).getPath();
      assertTrue(name.startsWith("/hls/180/"), name);
      assertArrayEquals(Files.readAllBytes(media.resolve(name.substring(1))), bytes(get(uri, null)), uri);
    }
  }

  @Test
  void rangeRequestsReturnExactBytes() throws Exception {
    byte[] file = Files.readAllBytes(media.resolve("clip.mp4"));
    String clip = path(web.base() + "/media/clip.mp4", ProxyTokens.Role.MEDIA);
    HttpResponse middle = get(clip, "bytes=1000-1999");
    assertEquals(206, middle.status().intValue());
    assertEquals("bytes 1000-1999/" + file.length, middle.getHeader("Content-Range").orElseThrow().value());
    assertArrayEquals(java.util.Arrays.copyOfRange(file, 1000, 2000), bytes(middle));
    HttpResponse tail = get(clip, "bytes=" + (file.length - 100) + "-");
    assertArrayEquals(java.util.Arrays.copyOfRange(file, file.length - 100, file.length), bytes(tail));
    HttpResponse whole = get(clip, null);
    assertEquals(200, whole.status().intValue());
    assertArrayEquals(file, bytes(whole));
    // With the whole file cached, a range is cut from it.
    HttpResponse fromCache = get(clip, "bytes=10-19");
    assertEquals(206, fromCache.status().intValue());
    assertEquals("bytes 10-19/" + file.length, fromCache.getHeader("Content-Range").orElseThrow().value());
    assertArrayEquals(java.util.Arrays.copyOfRange(file, 10, 20), bytes(fromCache));
  }

  @Test
  void aHundredRequestsForOneColdSegmentMakeOneUpstreamRequest() throws Exception {
    web.delaySegments(Duration.ofMillis(500));
    try {
      // A proxy with nothing cached yet.
      MediaProxy cold = proxy(new SegmentCache(64L * 1024 * 1024, cacheDir.resolve("cold"), 64L * 1024 * 1024));
      String segment = path(web.base() + "/hls/180/seg2.m4s", ProxyTokens.Role.MEDIA);
      int before = web.hits("/hls/180/seg2.m4s");
      List<CompletableFuture<byte[]>> all = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        all.add(cold.serve(token(segment), "", Optional.empty(), Optional.empty()).toCompletableFuture().thenCompose(MediaProxyTest::bytesAsync));
      }
      byte[] expected = Files.readAllBytes(media.resolve("hls").resolve("180").resolve("seg2.m4s"));
      for (CompletableFuture<byte[]> f : all) {
        assertArrayEquals(expected, f.get(30, TimeUnit.SECONDS));
      }
      assertEquals(1, web.hits("/hls/180/seg2.m4s") - before);
    } finally {
      web.delaySegments(Duration.ZERO);
    }
  }

  @Test
  void bothCacheTiersStayWithinTheirBudgets() throws Exception {
    SegmentCache small = new SegmentCache(300_000, cacheDir.resolve("small"), 500_000);
    MediaProxy tight = proxy(small);
    String clip = path(web.base() + "/media/clip.mp4", ProxyTokens.Role.MEDIA);
    for (int i = 0; i < 40; i++) {
      long from = i * 60_000L;
      HttpResponse response = tight.serve(token(clip), "", Optional.empty(), Optional.of("bytes=" + from + "-" + (from + 59_999)))
          .toCompletableFuture().get(30, TimeUnit.SECONDS);
      bytes(response);
    }
    Thread.sleep(500);
    assertTrue(small.memoryWeight() <= 300_000, "memory " + small.memoryWeight());
    assertTrue(small.diskBytes() <= 500_000, "disk " + small.diskBytes());
    assertTrue(small.diskEntries() >= 5 && small.diskEntries() < 40, "entries " + small.diskEntries());
    long onDisk;
    try (var files = Files.list(cacheDir.resolve("small"))) {
      onDisk = files.mapToLong(p -> p.toFile().length()).sum();
    }
    assertTrue(onDisk <= 500_000, "files on disk " + onDisk);
  }

  @Test
  void requestsToOneHostShareItsConnections() throws Exception {
    String clip = path(web.base() + "/media/clip.webm", ProxyTokens.Role.MEDIA);
    int before = web.connections();
    // One after the other, as a player reads a file: the host's pool keeps its connection warm.
    for (int i = 0; i < 12; i++) {
      bytes(get(clip, "bytes=" + (i * 1000) + "-" + (i * 1000 + 99)));
    }
    int opened = web.connections() - before;
    assertTrue(opened <= 2, opened + " connections for 12 requests");
  }

  @Test
  void aSegmentKeptOnDiskIsServedFromThereAfterARestart() throws Exception {
    Path folder = cacheDir.resolve("restart");
    String segment = path(web.base() + "/hls/180/seg2.m4s", ProxyTokens.Role.MEDIA);
    byte[] expected = Files.readAllBytes(MediaFixtures.DIR.resolve("hls/180/seg2.m4s"));
    SegmentCache before = new SegmentCache(10_000_000, folder, 10_000_000);
    assertArrayEquals(expected, bytes(proxy(before).serve(token(segment), "", Optional.empty(), Optional.empty())
        .toCompletableFuture().get(30, TimeUnit.SECONDS)));
    for (int i = 0; i < 50 && before.diskEntries() == 0; i++) {
      Thread.sleep(100);
    }
    assertEquals(1, before.diskEntries());
    int upstream = web.hits("/hls/180/seg2.m4s");

    // A new cache over the same folder (as after a restart) has nothing in memory.
    SegmentCache after = new SegmentCache(10_000_000, folder, 10_000_000);
    assertEquals(0, after.memoryWeight());
    MediaProxy restarted = proxy(after);
    assertArrayEquals(expected, bytes(restarted.serve(token(segment), "", Optional.empty(), Optional.empty())
        .toCompletableFuture().get(30, TimeUnit.SECONDS)));
    // A range of it is cut from the copy on disk too.
    HttpResponse range = restarted.serve(token(segment), "", Optional.empty(), Optional.of("bytes=10-19"))
        .toCompletableFuture().get(30, TimeUnit.SECONDS);
    assertEquals(206, range.status().intValue());
    assertArrayEquals(java.util.Arrays.copyOfRange(expected, 10, 20), bytes(range));
    assertEquals(upstream, web.hits("/hls/180/seg2.m4s"), "served without asking upstream");
  }

  @Test
  void theNextSegmentsOfAWatchedPlaylistAreFetchedAhead() throws Exception {
    String playlist = text(get(path(web.base() + "/hls/360/index.m3u8", ProxyTokens.Role.HLS), null));
    List<String> segments = uris(playlist).stream().filter(u -> u.contains("seg")).toList();
    int seg1Before = web.hits("/hls/360/seg1.m4s");
    bytes(get(segments.get(0), null));
    for (int i = 0; i < 50 && web.hits("/hls/360/seg1.m4s") == seg1Before; i++) {
      Thread.sleep(100);
    }
    assertEquals(1, web.hits("/hls/360/seg1.m4s") - seg1Before, "segment 1 was fetched ahead");
    Thread.sleep(300);
    // Asking for it now is answered from the cache.
    bytes(get(segments.get(1), null));
    assertEquals(1, web.hits("/hls/360/seg1.m4s") - seg1Before);
  }

  /**
   * Upstream failures that arrive at once (a refused destination fails within microseconds on
   * another thread) are answered every time: the fetch of a missing segment is entered in the
   * table of fetches in flight before it starts, not while the table is being updated, where its
   * completion could not take it out again and its requests would wait forever.
   */
  @Test
  void upstreamFailuresThatArriveAtOnceAreAnsweredEveryTime() throws Exception {
    for (int i = 0; i < 300; i++) {
      // a private address the guard refuses, a distinct segment each time (nothing shared)
      HttpResponse response = get(path("http://10.0.0.1/refused/seg" + i + ".m4s", ProxyTokens.Role.MEDIA), null);
      assertTrue(response.status().intValue() >= 400, "refused: " + response.status());
      response.discardEntityBytes(testKit.system());
    }
  }

  @Test
  void anExpiredStreamUrlIsResolvedAgainAndRetried() throws Exception {
    ResolvedMedia first = resolver.resolve(web.base() + "/rotating.mp4").toCompletableFuture().get(30, TimeUnit.SECONDS);
    String proxied = tokens.path(first.stream(), first.source().toString(), ProxyTokens.Role.MEDIA, "stream");
    web.expireStreams();
    int resolutions = web.hits("/rotating.mp4");
    HttpResponse response = get(proxied, "bytes=0-99");
    assertEquals(206, response.status().intValue());
    assertEquals(100, bytes(response).length);
    assertEquals(1, web.hits("/rotating.mp4") - resolutions, "resolved again once");
  }

  @Test
  void anExpiredStreamWhoseLinkIsGoneIsLinkExpired() throws Exception {
    ResolvedMedia first = resolver.resolve(web.base() + "/rotating.mp4?gone=1").toCompletableFuture().get(30, TimeUnit.SECONDS);
    // The stream URL of a link that has since disappeared.
    String proxied = tokens.path(first.stream(), web.base() + "/not-found.mp4", ProxyTokens.Role.MEDIA, "stream");
    web.expireStreams();
    // A range no other test asks for, so no cached copy answers it.
    HttpResponse response = get(proxied, "bytes=7-106");
    assertEquals(410, response.status().intValue());
    assertTrue(new String(bytes(response), java.nio.charset.StandardCharsets.UTF_8).contains("\"code\":\"link_expired\""));
  }

  /**
   * A site whose fresh stream URLs fail as well: resolved again once, then {@code link_expired}
   * (a stand-in for yt-dlp hands out a URL that has always expired).
   */
  @Test
  void aRenewedStreamThatFailsAgainIsLinkExpiredAfterOneRenewal(@TempDir Path dir) throws Exception {
    Path runs = dir.resolve("runs");
    Path script = dir.resolve("yt-dlp");
    Files.writeString(script, String.join("\n",
        "#!/bin/sh",
        "echo run >> '" + runs + "'",
        "echo '{\"id\": \"x\", \"title\": \"Expired\", \"duration\": 6, \"formats\": [{\"format_id\": \"18\", "
            + "\"url\": \"" + web.base() + "/gen/clip.mp4?g=0\", \"protocol\": \"http\", \"ext\": \"mp4\", "
            + "\"vcodec\": \"avc1.42001E\", \"acodec\": \"mp4a.40.2\", \"height\": 180}]}'",
        ""));
    assertTrue(script.toFile().setExecutable(true));
    MediaResolver stale = MediaResolver.create(testKit.system(), upstream, egress, script.toString(), "ffprobe", Duration.ofSeconds(10),
        Optional.empty(), new MediaResolver.Settings(Duration.ofSeconds(30), Duration.ofHours(2), Duration.ofDays(30), Duration.ofHours(24),
            50, 5, false, web.base() + "/oembed", web.base() + "/oembed", web.base() + "/oembed"),
        InstantSource.system());
    String page = web.base() + "/nothing.html?expired=1";
    ResolvedMedia first = stale.resolve(page).toCompletableFuture().get(30, TimeUnit.SECONDS);
    MediaProxy proxying = new MediaProxy(testKit.system(), upstream, tokens, stale,
        new SegmentCache(1_000_000, dir.resolve("cache"), 1_000_000), new MediaProxy.Settings(8L * 1024 * 1024, 2, 4L * 1024 * 1024));
    String proxied = tokens.path(first.stream(), page, ProxyTokens.Role.MEDIA, "stream");
    HttpResponse response = proxying.serve(token(proxied), "", Optional.empty(), Optional.of("bytes=0-99"))
        .toCompletableFuture().get(30, TimeUnit.SECONDS);
    assertEquals(410, response.status().intValue());
    assertTrue(new String(bytes(response), java.nio.charset.StandardCharsets.UTF_8).contains("\"code\":\"link_expired\""));
    assertEquals(2, Files.readAllLines(runs).size(), "the first resolution and one renewal");
  }

  @Test
  void onlyRangeGoesUpAndOnlyMediaHeadersComeDown() throws Exception {
    byte[] file = Files.readAllBytes(media.resolve("clip.mp4"));
    HttpResponse response = get(path(web.base() + "/with-headers.mp4", ProxyTokens.Role.MEDIA), "bytes=100-199");
    assertEquals(206, response.status().intValue());
    assertEquals("bytes 100-199/" + file.length, response.getHeader("Content-Range").orElseThrow().value());
    assertArrayEquals(java.util.Arrays.copyOfRange(file, 100, 200), bytes(response));
    List<String> names = new ArrayList<>();
    response.getHeaders().forEach(h -> names.add(h.lowercaseName()));
    assertFalse(names.contains("set-cookie"), names.toString());
    assertFalse(names.contains("x-upstream-internal"), names.toString());
    assertFalse(names.contains("access-control-allow-origin"), names.toString());
    List<String> sent = web.lastHeaderNames;
    assertTrue(sent.contains("range"), sent.toString());
    assertFalse(sent.contains("cookie") || sent.contains("authorization"), sent.toString());
  }

  @Test
  void objectsLargerThanTheCacheLimitOrOfUnknownLengthAreStreamedUnshared(@TempDir Path dir) throws Exception {
    SegmentCache cache = new SegmentCache(64L * 1024 * 1024, dir.resolve("cache"), 64L * 1024 * 1024);
    byte[] file = Files.readAllBytes(media.resolve("clip.mp4"));
    // Objects over 10 kB are not kept: the clip is larger.
    MediaProxy small = new MediaProxy(testKit.system(), upstream, tokens, resolver, cache, new MediaProxy.Settings(10_000, 2, 4L * 1024 * 1024));
    for (String name : List.of("/media/clip.mp4", "/chunked.mp4")) {
      String proxied = path(web.base() + name + "?unshared=1", ProxyTokens.Role.MEDIA);
      int before = web.hits(name);
      CompletableFuture<byte[]> one = small.serve(token(proxied), "", Optional.empty(), Optional.empty()).toCompletableFuture()
          .thenCompose(MediaProxyTest::bytesAsync);
      CompletableFuture<byte[]> two = small.serve(token(proxied), "", Optional.empty(), Optional.empty()).toCompletableFuture()
          .thenCompose(MediaProxyTest::bytesAsync);
      assertArrayEquals(file, one.get(30, TimeUnit.SECONDS), name);
      assertArrayEquals(file, two.get(30, TimeUnit.SECONDS), name);
      assertEquals(2, web.hits(name) - before, name + ": each request streams its own copy");
    }
    assertEquals(0, cache.diskEntries());
    assertEquals(0, cache.memoryWeight());
  }

  @Test
  void theDiskCacheRemovesTemporaryFilesLeftBehindAndWritesWholeEntries(@TempDir Path dir) throws Exception {
    Path folder = dir.resolve("disk");
    Files.createDirectories(folder);
    // As a crash in the middle of a write leaves it.
    Files.write(folder.resolve("0123abcd.tmp42"), new byte[] {1, 2, 3});
    SegmentCache cache = new SegmentCache(1_000_000, folder, 1_000_000);
    assertFalse(Files.exists(folder.resolve("0123abcd.tmp42")), "removed at start");
    assertEquals(0, cache.diskEntries());

    org.apache.pekko.util.ByteString body = org.apache.pekko.util.ByteString.fromArray(new byte[50_000]);
    cache.put("https://cdn.example.org/seg1.m4s|", new SegmentCache.Entry(200, "video/mp4", null, body));
    try (var files = Files.list(folder)) {
      List<Path> left = files.toList();
      assertEquals(1, left.size(), left.toString());
      assertFalse(left.get(0).getFileName().toString().contains(".tmp"), "written under a temporary name, then renamed");
    }
    // A fresh cache over the folder reads the entry whole.
    SegmentCache reopened = new SegmentCache(1_000_000, folder, 1_000_000);
    SegmentCache.Entry entry = reopened.get("https://cdn.example.org/seg1.m4s|").orElseThrow();
    assertEquals(200, entry.status());
    assertEquals("video/mp4", entry.contentType());
    assertEquals(body, entry.body());
  }

  @Test
  void madeUpOrDamagedTokensAreRefused() throws Exception {
    assertEquals(404, proxy.serve("not-a-token", "", Optional.empty(), Optional.empty()).toCompletableFuture().get().status().intValue());
    String real = token(path(web.base() + "/media/clip.mp4", ProxyTokens.Role.MEDIA));
    String tampered = real.substring(0, 5) + (real.charAt(5) == 'A' ? 'B' : 'A') + real.substring(6);
    assertEquals(404, proxy.serve(tampered, "", Optional.empty(), Optional.empty()).toCompletableFuture().get().status().intValue());
  }

  // --- helpers -----------------------------------------------------------------------------------

  private static String path(String url, ProxyTokens.Role role) {
    return tokens.path(URI.create(url), null, role, null);
  }

  /** The token of a proxy path. */
  private static String token(String path) {
    String rest = path.substring(ProxyTokens.PATH.length());
    return rest.substring(0, rest.indexOf('/'));
  }

  private static HttpResponse get(String proxyPath, String range) throws Exception {
    String rest = proxyPath.substring(ProxyTokens.PATH.length());
    int slash = rest.indexOf('/');
    String token = rest.substring(0, slash);
    String after = rest.substring(slash + 1);
    int q = after.indexOf('?');
    Optional<String> query = q < 0 ? Optional.empty() : Optional.of(after.substring(q + 1));
    String file = q < 0 ? after : after.substring(0, q);
    return proxy.serve(token, file, query, Optional.ofNullable(range)).toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private static List<String> uris(String playlist) {
    List<String> uris = new ArrayList<>();
    for (String line : playlist.split("\n")) {
      Matcher attr = Pattern.compile("URI=\"([^\"]+)\"").matcher(line);
      while (attr.find()) {
        uris.add(attr.group(1));
      }
      if (!line.startsWith("#") && !line.isBlank()) {
        uris.add(line.strip());
      }
    }
    uris.forEach(u -> assertTrue(u.startsWith(ProxyTokens.PATH), "not proxied: " + u));
    return uris;
  }

  private static String text(HttpResponse response) throws Exception {
    assertEquals(StatusCodes.OK, response.status());
    return new String(bytes(response), java.nio.charset.StandardCharsets.UTF_8);
  }

  private static byte[] bytes(HttpResponse response) throws Exception {
    return bytesAsync(response).get(30, TimeUnit.SECONDS);
  }

  private static CompletableFuture<byte[]> bytesAsync(HttpResponse response) {
    return response.entity().toStrict(30_000, testKit.system()).thenApply(s -> s.getData().toArray()).toCompletableFuture();
  }
}
