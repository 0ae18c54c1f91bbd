package io.watchroom.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Uploads that cannot become videos end Failed with a reason a person can act on, and leave
 * nothing behind: no raw parts, no outputs, no scratch files. The node here allows 5 s videos,
 * pictures of at most 1000 pixels on their long side and 2 MiB uploads.
 */
class VideoBadInputTest {

  @TempDir static Path dataDir;
  private static WatchroomNode node;
  private static VideoApi api;

  @BeforeAll
  static void start() throws Exception {
    node = WatchroomNode.start(TestNodes.config(dataDir, Map.of(
        "watchroom.database.kind", "h2",
        "watchroom.media.limits.max-duration", "5s",
        "watchroom.media.limits.max-long-side", "1000",
        "watchroom.video.max-upload-size", "2MiB")));
    api = VideoApi.guest(node);
  }

  @AfterAll
  static void stop() throws Exception {
    if (node != null) {
      node.close();
    }
  }

  @Test
  void aTextFileRenamedMp4IsNotAVideo() throws Exception {
    Path text = dataDir.resolve("notes.mp4");
    Files.writeString(text, "These are my notes, not a film.\n".repeat(200), StandardCharsets.UTF_8);
    String reason = failsWith(api.upload(text, null, 4096));
    assertTrue(reason.startsWith("The file is not a video that can be read"), reason);
  }

  @Test
  void aTruncatedMp4IsDamaged() throws Exception {
    byte[] clip = Files.readAllBytes(MediaFixture.clip("short-4s.mp4", 4));
    Path truncated = dataDir.resolve("truncated.mp4");
    // the index (moov) is at the front, so the probe still reads a 4 s video; the frames stop half way
    Files.write(truncated, Arrays.copyOf(clip, clip.length / 2));
    String reason = failsWith(api.upload(truncated, null, 64 * 1024));
    assertTrue(reason.startsWith("The file is damaged or truncated; ffmpeg said:"), reason);
  }

  @Test
  void aVideoOverTheDurationLimitIsRefused() throws Exception {
    String reason = failsWith(api.upload(MediaFixture.clip("upload-10s.mp4", 10), "Too long", 256 * 1024));
    assertEquals("The video is 10.0 s long; videos are limited to 5 s.", reason);
  }

  @Test
  void aVideoOverTheResolutionLimitIsRefused() throws Exception {
    String reason = failsWith(api.upload(MediaFixture.clip("wide-2s-720p.mp4", 2, "1280x720"), "Too wide", 256 * 1024));
    assertEquals("The video is 1280x720; pictures are limited to 1000 pixels on their long side.", reason);
  }

  @Test
  void aFileOverTheSizeLimitIsRefusedBeforeAByteIsStored() throws Exception {
    HttpResponse<String> refused = api.send(
        api.request("api/uploads")
            .header("Tus-Resumable", "1.0.0")
            .header("Upload-Length", Long.toString(3L * 1024 * 1024))
            .POST(java.net.http.HttpRequest.BodyPublishers.noBody()));
    assertEquals(413, refused.statusCode());
    assertTrue(refused.body().contains("\"code\":\"too_large\""), refused.body());

    // a chunk larger than the declared length is refused too, and not kept
    String id = api.create("small.bin", null, 10);
    HttpResponse<String> tooMuch = api.patch(id, 0, new byte[20]);
    assertEquals(413, tooMuch.statusCode(), tooMuch.body());
    assertEquals(0, api.offset(id));
    assertEquals(List.of(), node.mediaStore().list("uploads/" + id + "/").toCompletableFuture().get(10, TimeUnit.SECONDS));
    // the upload's owner can terminate it (tus termination)
    assertEquals(204, api.send(api.request("api/uploads/" + id).header("Tus-Resumable", "1.0.0").DELETE()).statusCode());
    assertEquals(404, api.send(api.request("api/uploads/" + id).method("HEAD", java.net.http.HttpRequest.BodyPublishers.noBody())).statusCode());
  }

  @Test
  void requestsWithoutAnIdentityOrWithBadHeadersAreRefused() throws Exception {
    HttpResponse<String> anonymous = VideoApi.HTTP.send(
        java.net.http.HttpRequest.newBuilder(java.net.URI.create(api.base + "api/uploads"))
            .header("Upload-Length", "10").POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(401, anonymous.statusCode());
    assertEquals(400, api.send(api.request("api/uploads").header("Tus-Resumable", "1.0.0")
        .POST(java.net.http.HttpRequest.BodyPublishers.noBody())).statusCode());
    assertEquals(412, api.send(api.request("api/uploads").header("Tus-Resumable", "0.2.2")
        .header("Upload-Length", "10").POST(java.net.http.HttpRequest.BodyPublishers.noBody())).statusCode());
    String id = api.create("x.mp4", null, 10);
    HttpResponse<String> wrongType = api.send(api.request("api/uploads/" + id).header("Tus-Resumable", "1.0.0")
        .header("Upload-Offset", "0").header("Content-Type", "video/mp4")
        .method("PATCH", java.net.http.HttpRequest.BodyPublishers.ofByteArray(new byte[10])));
    assertEquals(415, wrongType.statusCode());
    assertEquals(404, api.send(api.request("api/videos/not-an-id").GET()).statusCode());
    assertEquals(404, api.send(api.request("api/videos/AAAAAAAAAAAA").GET()).statusCode());
    assertEquals(400, api.send(api.request("api/videos?limit=1000").GET()).statusCode());
    assertEquals(404, api.get("api/videos/" + id + "/media/../../etc/passwd").statusCode());
  }

  /** Waits for the video to fail; checks nothing of it is left; answers the reason. */
  private static String failsWith(String id) throws Exception {
    JsonNode failed = api.awaitVideo(id, v -> v.get("status").asText().equals("failed") || v.get("status").asText().equals("published"), Duration.ofSeconds(90));
    assertEquals("failed", failed.get("status").asText(), failed.toString());
    assertTrue(failed.get("media").isNull());
    assertEquals(List.of(), node.mediaStore().list("uploads/" + id + "/").toCompletableFuture().get(10, TimeUnit.SECONDS));
    assertEquals(List.of(), node.mediaStore().list("videos/" + id + "/").toCompletableFuture().get(10, TimeUnit.SECONDS));
    // the job's scratch folder is removed once it ends
    long end = System.nanoTime() + 10_000_000_000L;
    while (Files.exists(dataDir.resolve("work").resolve(id)) && System.nanoTime() < end) {
      Thread.sleep(100);
    }
    assertFalse(Files.exists(dataDir.resolve("work").resolve(id)), "scratch files left");
    return failed.get("reason").asText();
  }
}
