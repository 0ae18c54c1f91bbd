package io.watchroom.node;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.watchroom.transcoding.store.S3MediaStore;
import io.watchroom.transcoding.store.S3Server;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Upload to publication with media in S3: a real S3-compatible server (s3proxy) runs in this JVM,
 * the node talks to it through Pekko Connectors S3 with path-style access and signed requests,
 * and media is served through the node. A second node on the same bucket serves media through
 * presigned URLs instead.
 */
class VideoUploadS3Test {

  @TempDir static Path dataDir;
  private static S3Server s3;
  private static WatchroomNode node;

  @BeforeAll
  static void start() throws Exception {
    s3 = S3Server.start();
    node = WatchroomNode.start(TestNodes.config(dataDir, s3Settings(s3, "watchroom-e2e")));
  }

  static Map<String, Object> s3Settings(S3Server server, String bucket) {
    S3MediaStore.Settings settings = server.settings(bucket);
    return Map.of(
        "watchroom.database.kind", "h2",
        "watchroom.media.storage", "s3",
        "watchroom.media.s3.endpoint", settings.endpoint(),
        "watchroom.media.s3.bucket", settings.bucket(),
        "watchroom.media.s3.access-key", settings.accessKey(),
        "watchroom.media.s3.secret-key", settings.secretKey(),
        "watchroom.media.s3.path-style", "true");
  }

  @AfterAll
  static void stop() throws Exception {
    if (node != null) {
      node.close();
    }
    if (s3 != null) {
      s3.close();
    }
  }

  @Test
  void presignedServingRedirectsMediaFilesToThePrivateBucket() throws Exception {
    Map<String, Object> settings = new HashMap<>(s3Settings(s3, "watchroom-e2e"));
    settings.put("watchroom.media.s3.serving", "presigned");
    settings.put("watchroom.media.s3.presign-expiry", "5 minutes");
    WatchroomNode presigned = WatchroomNode.start(TestNodes.config(dataDir.resolve("presigned"), settings));
    try {
      String id = "Presigned_01";
      byte[] segment = new byte[3000];
      new java.util.Random(3).nextBytes(segment);
      Path file = dataDir.resolve("seg.m4s");
      Files.write(file, segment);
      presigned.mediaStore().putFile("videos/" + id + "/360p/seg_00001.m4s", file, "video/iso.segment")
          .toCompletableFuture().get(30, TimeUnit.SECONDS);
      Path master = dataDir.resolve("master.m3u8");
      Files.writeString(master, "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=900000\n360p/index.m3u8\n");
      presigned.mediaStore().putFile("videos/" + id + "/master.m3u8", master, "application/vnd.apple.mpegurl")
          .toCompletableFuture().get(30, TimeUnit.SECONDS);
      VideoApi api = VideoApi.guest(presigned);

      // a segment: 302 to a presigned URL of the bucket, which answers the bytes, ranges too
      HttpResponse<byte[]> redirect = api.get("api/videos/" + id + "/media/360p/seg_00001.m4s");
      assertEquals(302, redirect.statusCode());
      String location = redirect.headers().firstValue("Location").orElseThrow();
      String object = s3.endpoint() + "/watchroom-e2e/videos/" + id + "/360p/seg_00001.m4s";
      assertTrue(location.startsWith(object + "?") && location.contains("X-Amz-Signature="), location);
      HttpResponse<byte[]> fetched = api.get(location);
      assertEquals(200, fetched.statusCode(), new String(fetched.body(), StandardCharsets.UTF_8));
      assertArrayEquals(segment, fetched.body());
      HttpResponse<byte[]> part = api.get(location, "Range", "bytes=10-19");
      assertEquals(206, part.statusCode());
      assertArrayEquals(Arrays.copyOfRange(segment, 10, 20), part.body());
      // the bucket is private: without the signature it refuses
      assertEquals(403, api.get(object).statusCode());

      // the master playlist comes from the node, so its relative URLs lead back to the node
      HttpResponse<byte[]> playlist = api.get("api/videos/" + id + "/media/master.m3u8");
      assertEquals(200, playlist.statusCode());
      assertEquals(Files.readString(master), new String(playlist.body(), StandardCharsets.UTF_8));
      HttpResponse<byte[]> start = api.get("api/videos/" + id + "/media/master.m3u8", "Range", "bytes=0-6");
      assertEquals(206, start.statusCode());
      assertEquals("#EXTM3U", new String(start.body(), StandardCharsets.UTF_8));
      presigned.mediaStore().deletePrefix("videos/" + id + "/").toCompletableFuture().get(30, TimeUnit.SECONDS);
    } finally {
      presigned.close();
    }
  }

  @Test
  void anUploadBecomesAnAdaptiveLadderInS3() throws Exception {
    UploadScenario.run(node);
    // nothing was written to the local media folder: the bucket holds it all
    assertFalse(Files.exists(dataDir.resolve("media").resolve("videos")));
    assertEquals(S3MediaStore.class, node.mediaStore().getClass());
  }
}
