package io.watchroom.transcoding.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
    S3MediaStore.Settings proxied = server.settings("store-test");
    S3MediaStore direct =
        new S3MediaStore(
            testKit.system(),
            new S3MediaStore.Settings(
                proxied.endpoint(), proxied.bucket(), proxied.region(), proxied.accessKey(), proxied.secretKey(),
                true, false, "https://cdn.example/watchroom"));
    assertEquals(Optional.of("https://cdn.example/watchroom/videos/v1/master.m3u8"), direct.directUrl("videos/v1/master.m3u8"));
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
