package io.watchroom.transcoding.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Both media stores behave alike: the S3 one against a real S3-compatible server. */
class S3MediaStoreTest {

  private static final ActorTestKit testKit = ActorTestKit.create();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static S3Server server;
  private static S3MediaStore s3;
  @TempDir static Path dir;

  @BeforeAll
  static void start() throws Exception {
    server = S3Server.start();
    s3 = new S3MediaStore(testKit.system(), server.settings("store-test"));
    s3.prepare().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() throws Exception {
    testKit.shutdownTestKit();
    if (server != null) {
      server.close();
    }
  }

  @Test
  void s3StoresReadsRangesListsAndDeletes() throws Exception {
    exercise(s3);
  }

  @Test
  void localFilesBehaveTheSame() throws Exception {
    exercise(new LocalMediaStore(dir.resolve("media"), testKit.system().executionContext()));
  }

  @Test
  void directServingPointsBrowsersAtThePublicBaseUrl() {
    assertTrue(s3.directUrl("videos/v1/master.m3u8").isEmpty(), "proxied by default");
    S3MediaStore direct =
        new S3MediaStore(
            testKit.system(),
            server.settings("store-test").withServing(S3MediaStore.Serving.PUBLIC, "https://cdn.example/watchroom", Duration.ofHours(1)));
    assertEquals(Optional.of("https://cdn.example/watchroom/videos/v1/master.m3u8"), direct.directUrl("videos/v1/master.m3u8"));
  }

  @Test
  void presignedUrlsFetchThePrivateObjectUntilTheyExpire() throws Exception {
    Path file = dir.resolve("segment.m4s");
    byte[] bytes = new byte[5000];
    new java.util.Random(7).nextBytes(bytes);
    Files.write(file, bytes);
    String key = "videos/v2/720p/seg_00001.m4s";
    s3.putFile(key, file, "video/iso.segment").toCompletableFuture().get(30, TimeUnit.SECONDS);
    S3MediaStore.Settings presigned =
        server.settings("store-test").withServing(S3MediaStore.Serving.PRESIGNED, "", Duration.ofMinutes(10));
    S3MediaStore signing = new S3MediaStore(testKit.system(), presigned);

    // the bucket is private: the plain object URL is refused
    assertEquals(403, fetch(server.endpoint() + "/store-test/" + key, null).statusCode());

    String url = signing.directUrl(key).orElseThrow();
    assertTrue(url.startsWith(server.endpoint() + "/store-test/" + key + "?"), url);
    assertTrue(url.contains("X-Amz-Expires=600"), url);
    HttpResponse<byte[]> whole = fetch(url, null);
    assertEquals(200, whole.statusCode(), new String(whole.body(), StandardCharsets.UTF_8));
    assertArrayEquals(bytes, whole.body());
    HttpResponse<byte[]> part = fetch(url, "bytes=100-199");
    assertEquals(206, part.statusCode());
    assertArrayEquals(Arrays.copyOfRange(bytes, 100, 200), part.body());

    // the signature covers the object: another key, or a changed signature, is refused
    assertEquals(403, fetch(url.replace("seg_00001", "seg_00002"), null).statusCode());
    assertEquals(403, fetch(url.substring(0, url.length() - 4) + "0000", null).statusCode());
    // a URL signed two hours ago for ten minutes has expired
    S3MediaStore past =
        new S3MediaStore(testKit.system(), presigned, InstantSource.fixed(Instant.now().minus(Duration.ofHours(2))));
    assertEquals(403, fetch(past.directUrl(key).orElseThrow(), null).statusCode());

    // files that name others by relative URL are served by the node
    assertTrue(signing.directUrl("videos/v2/master.m3u8").isEmpty());
    assertTrue(signing.directUrl("videos/v2/720p/index.m3u8").isEmpty());
    assertTrue(signing.directUrl("videos/v2/thumbnails.vtt").isEmpty());
    s3.deletePrefix("videos/v2/").toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @Test
  void servingModesAreReadFromTheirNames() {
    assertEquals(S3MediaStore.Serving.PROXY, S3MediaStore.Serving.parse("", ""));
    assertEquals(S3MediaStore.Serving.PUBLIC, S3MediaStore.Serving.parse("", "https://cdn.example/"));
    assertEquals(S3MediaStore.Serving.PRESIGNED, S3MediaStore.Serving.parse("Presigned", "https://cdn.example/"));
    assertEquals(S3MediaStore.Serving.PROXY, S3MediaStore.Serving.parse("proxy", "https://cdn.example/"));
    IllegalArgumentException bad =
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> S3MediaStore.Serving.parse("cdn", ""));
    assertTrue(bad.getMessage().contains("WATCHROOM_S3_SERVING"), bad.getMessage());
    org.junit.jupiter.api.Assertions.assertThrows(
        IllegalArgumentException.class,
        () -> server.settings("x").withServing(S3MediaStore.Serving.PUBLIC, "", Duration.ofHours(1)));
  }

  private static HttpResponse<byte[]> fetch(String url, String range) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET();
    if (range != null) {
      request.header("Range", range);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  @Test
  void keysCannotLeaveTheStore() {
    for (String bad : List.of("../x", "a/../../x", "/etc/passwd", "a//b", "a\\b")) {
      org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> MediaStore.checkKey(bad), bad);
    }
  }

  private void exercise(MediaStore store) throws Exception {
    String text = "0123456789abcdefghij";
    long written =
        Source.from(List.of(ByteString.fromString("0123456789"), ByteString.fromString("abcdefghij")))
            .runWith(store.write("videos/v1/a.txt", "text/plain"), testKit.system())
            .toCompletableFuture().get(30, TimeUnit.SECONDS);
    assertEquals(20, written);

    Path file = dir.resolve("b.m3u8");
    Files.writeString(file, "#EXTM3U\n");
    store.putFile("videos/v1/sub/b.m3u8", file, "application/vnd.apple.mpegurl").toCompletableFuture().get(30, TimeUnit.SECONDS);
    store.putFile("other/c.txt", file, "text/plain").toCompletableFuture().get(30, TimeUnit.SECONDS);

    assertEquals(text, read(store, "videos/v1/a.txt", Optional.empty()));
    assertEquals("56789", read(store, "videos/v1/a.txt", Optional.of(new MediaStore.Range(5, Optional.of(9L)))));
    assertEquals("fghij", read(store, "videos/v1/a.txt", Optional.of(new MediaStore.Range(15, Optional.empty()))));
    assertEquals("#EXTM3U\n", read(store, "videos/v1/sub/b.m3u8", Optional.empty()));
    assertTrue(store.read("videos/v1/missing", Optional.empty()).toCompletableFuture().get(30, TimeUnit.SECONDS).isEmpty());

    List<String> keys = store.list("videos/v1/").toCompletableFuture().get(30, TimeUnit.SECONDS);
    assertEquals(List.of("videos/v1/a.txt", "videos/v1/sub/b.m3u8"), keys.stream().sorted().toList());

    // a write that fails half way leaves nothing
    Source.<ByteString>failed(new RuntimeException("client went away"))
        .prepend(Source.single(ByteString.fromString("partial")))
        .runWith(store.write("videos/v1/broken.bin", "application/octet-stream"), testKit.system())
        .handle((n, f) -> n).toCompletableFuture().get(30, TimeUnit.SECONDS);
    assertFalse(store.list("videos/v1/").toCompletableFuture().get(30, TimeUnit.SECONDS).contains("videos/v1/broken.bin"));

    store.deletePrefix("videos/v1/").toCompletableFuture().get(30, TimeUnit.SECONDS);
    assertEquals(List.of(), store.list("videos/v1/").toCompletableFuture().get(30, TimeUnit.SECONDS));
    assertEquals(List.of("other/c.txt"), store.list("other/").toCompletableFuture().get(30, TimeUnit.SECONDS));
  }

  private static String read(MediaStore store, String key, Optional<MediaStore.Range> range) throws Exception {
    MediaStore.StoredObject object = store.read(key, range).toCompletableFuture().get(30, TimeUnit.SECONDS).orElseThrow();
    ByteString bytes = object.data().runWith(Sink.fold(ByteString.emptyByteString(), ByteString::concat), testKit.system())
        .toCompletableFuture().get(30, TimeUnit.SECONDS);
    assertEquals(object.length(), bytes.size());
    return bytes.decodeString(StandardCharsets.UTF_8);
  }
}
