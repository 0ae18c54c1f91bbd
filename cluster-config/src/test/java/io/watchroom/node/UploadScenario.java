package io.watchroom.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.watchroom.http.WsClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The end-to-end path of an upload, the same on every store: a 10 s clip made by ffmpeg goes up
 * through tus in chunks (with a resume check), the uploader watches its progress over SSE until
 * it is published, and every output is checked; then the catalog lists it and its owner deletes it.
 */
final class UploadScenario {
  private UploadScenario() {}

  static void run(WatchroomNode node) throws Exception {
    Path clip = MediaFixture.clip("upload-10s.mp4", 10);
    byte[] bytes = Files.readAllBytes(clip);
    VideoApi owner = VideoApi.guest(node);
    VideoApi stranger = VideoApi.guest(node);

    // tus discovery
    HttpResponse<String> options = owner.send(owner.request("api/uploads").method("OPTIONS", HttpRequest.BodyPublishers.noBody()));
    assertEquals(204, options.statusCode());
    assertEquals("1.0.0", options.headers().firstValue("Tus-Version").orElse(""));
    assertEquals("creation,termination", options.headers().firstValue("Tus-Extension").orElse(""));

    String title = "Sunset " + System.nanoTime();
    String id = owner.create("sunset.mp4", title, bytes.length);
    assertEquals(0, owner.offset(id));
    int half = bytes.length / 2;
    assertEquals(204, owner.patch(id, 0, Arrays.copyOfRange(bytes, 0, half)).statusCode());
    // a resuming client asks where the upload stands
    assertEquals(half, owner.offset(id));
    // a chunk at the wrong offset, or from someone else, is refused
    assertEquals(409, owner.patch(id, 0, new byte[] {1, 2, 3}).statusCode());
    assertEquals(403, stranger.patch(id, half, new byte[] {1}).statusCode());
    JsonNode uploading = owner.video(id);
    assertEquals("uploading", uploading.get("status").asText());
    assertEquals(half, uploading.get("uploaded").asLong());

    // watch progress while the rest goes up
    CompletableFuture<List<VideoApi.Event>> watching =
        CompletableFuture.supplyAsync(() -> {
          try {
            return owner.events(id, Duration.ofMinutes(3));
          } catch (Exception e) {
            throw new RuntimeException(e);
          }
        });
    HttpResponse<String> last = owner.patch(id, half, Arrays.copyOfRange(bytes, half, bytes.length));
    assertEquals(204, last.statusCode(), last.body());
    assertEquals(Long.toString(bytes.length), last.headers().firstValue("Upload-Offset").orElse(""));

    List<VideoApi.Event> events = watching.get(3, TimeUnit.MINUTES);
    JsonNode end = events.get(events.size() - 1).data();
    assertEquals("published", end.get("status").asText(), end.toString());
    double previous = 0;
    long previousAt = events.get(0).receivedAtMillis();
    long longestGap = 0;
    int transcodingUpdates = 0;
    for (VideoApi.Event event : events) {
      assertEquals("status", event.type());
      double progress = event.data().get("progress").asDouble();
      assertTrue(progress >= previous, "progress never goes back: " + previous + " then " + progress);
      previous = progress;
      longestGap = Math.max(longestGap, event.receivedAtMillis() - previousAt);
      previousAt = event.receivedAtMillis();
      if (event.data().get("status").asText().equals("transcoding") && progress > 0 && progress < 100) {
        transcodingUpdates++;
      }
    }
    ProgressCadence cadence = ProgressCadence.of(events);
    System.out.printf("Upload %s: %d status events, %d during transcoding, longest gap %d ms; %s%n",
        id, events.size(), transcodingUpdates, longestGap, cadence);
    assertTrue(transcodingUpdates >= 2, "progress was reported while transcoding");
    // How often updates arrive is a measurement on a shared machine, not an assertion here: see
    // "Upload progress cadence" in docs/benchmarks.md.

    JsonNode published = owner.video(id);
    assertEquals(title, published.get("title").asText());
    assertEquals(10.0, published.get("duration").asDouble(), 0.1);
    assertEquals(640, published.get("width").asInt());
    assertTrue(published.get("mine").asBoolean());
    assertFalse(stranger.video(id).get("mine").asBoolean());
    PublishedVideo.verify(owner, published, List.of("640x360", "426x240"), 10.0);
    // verify loaded the master playlist once (a view) and every rendition's playlist and
    // segments (not views); a second player from the same address within the window, and a
    // reload, are the same viewer: still one view
    String master = published.get("media").get("master").asText();
    assertEquals(200, stranger.get(master).statusCode());
    assertEquals(200, stranger.get(master).statusCode());

    // the raw upload is gone, the outputs are there
    List<String> keys = node.mediaStore().list("videos/" + id + "/").toCompletableFuture().get(30, TimeUnit.SECONDS);
    assertTrue(keys.contains("videos/" + id + "/master.m3u8"), keys.toString());
    assertEquals(List.of(), node.mediaStore().list("uploads/" + id + "/").toCompletableFuture().get(30, TimeUnit.SECONDS));

    // a byte range of a segment
    String segment = published.get("media").get("master").asText().replace("master.m3u8", "360p/seg_00001.m4s");
    HttpResponse<byte[]> whole = owner.get(segment);
    HttpResponse<byte[]> part = owner.get(segment, "Range", "bytes=100-199");
    assertEquals(206, part.statusCode());
    assertEquals(100, part.body().length);
    assertEquals("bytes 100-199/" + whole.body().length, part.headers().firstValue("Content-Range").orElse(""));
    assertTrue(Arrays.equals(Arrays.copyOfRange(whole.body(), 100, 200), part.body()));

    // the catalog lists it (the projection catches up), searchable by title
    JsonNode page = awaitCatalog(owner, title.substring(0, 10).toLowerCase(), id, true);
    JsonNode item = page.get("items").get(0);
    assertEquals(title, item.get("title").asText());
    assertEquals(published.get("media").get("poster").asText(), item.get("poster").asText());
    assertEquals(List.of("360p", "240p", "audio"), WsClient.JSON.convertValue(item.get("renditions"), List.class));
    assertEquals(0, owner.send(owner.request("api/videos?q=" + "no-such-title-" + System.nanoTime()).GET()).body().indexOf("{\"items\":[]"));
    JsonNode views = awaitViews(owner, title, id, 1);
    assertEquals(1, views.get("views").asLong(), views.toString());
    // the second page of a one-video search is empty, and says where it starts
    JsonNode second = WsClient.JSON.readTree(
        owner.send(owner.request("api/videos?q=" + java.net.URLEncoder.encode(title, "UTF-8") + "&offset=1&limit=5").GET()).body());
    assertEquals(1, second.get("total").asLong(), second.toString());
    assertEquals(1, second.get("offset").asInt());
    assertEquals(0, second.get("items").size());

    // only its owner deletes it, and its files go with it
    assertEquals(403, stranger.send(stranger.request("api/videos/" + id).DELETE()).statusCode());
    assertEquals(204, owner.send(owner.request("api/videos/" + id).DELETE()).statusCode());
    assertEquals(404, owner.send(owner.request("api/videos/" + id).GET()).statusCode());
    assertEquals(404, owner.get(published.get("media").get("master").asText()).statusCode());
    assertEquals(List.of(), node.mediaStore().list("videos/" + id + "/").toCompletableFuture().get(30, TimeUnit.SECONDS));
    awaitCatalog(owner, title.substring(0, 10).toLowerCase(), id, false);
  }

  /** Waits until the catalog counts {@code count} views of the video; answers its item. */
  static JsonNode awaitViews(VideoApi api, String title, String id, long count) throws Exception {
    long end = System.nanoTime() + 30_000_000_000L;
    JsonNode item = null;
    while (System.nanoTime() < end) {
      for (JsonNode candidate : awaitCatalog(api, title, id, true).get("items")) {
        if (candidate.get("id").asText().equals(id)) {
          item = candidate;
        }
      }
      if (item != null && item.get("views").asLong() >= count) {
        // a moment more: a view counted twice would show now
        Thread.sleep(1_000);
        return awaitCatalog(api, title, id, true).get("items").get(0);
      }
      Thread.sleep(200);
    }
    throw new AssertionError("the catalog did not count " + count + " views: " + item);
  }

  static JsonNode awaitCatalog(VideoApi api, String query, String id, boolean listed) throws Exception {
    long end = System.nanoTime() + 30_000_000_000L;
    JsonNode page = null;
    while (System.nanoTime() < end) {
      HttpResponse<String> response = api.send(api.request("api/videos?q=" + java.net.URLEncoder.encode(query, "UTF-8") + "&limit=10").GET());
      assertEquals(200, response.statusCode(), response.body());
      page = WsClient.JSON.readTree(response.body());
      boolean found = false;
      for (JsonNode item : page.get("items")) {
        found |= item.get("id").asText().equals(id);
      }
      if (found == listed) {
        return page;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("catalog " + (listed ? "never listed " : "still lists ") + id + ": " + page);
  }
}
