package io.watchroom.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.APIResponse;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.JSHandle;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Mouse;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.Request;
import com.microsoft.playwright.Route;
import com.microsoft.playwright.options.BoundingBox;
import io.watchroom.http.WsClient;
import io.watchroom.transcoding.TranscodeJob;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A person uploads a video through the upload page of headless Chromium, watches the progress
 * bar go through the upload and the transcoding to 100 %, opens the result in a new room where it
 * shows its poster before play and plays through hls.js with its quality menu, hovers and drags
 * the seek bar to see trick-play thumbnails, and adds it to that room's queue again from the
 * library. Another drops a file on the page instead of choosing it; a third cancels an upload
 * halfway and the server keeps nothing of it, nor of one cancelled while it was being created.
 */
class VideoBrowserTest {

  @TempDir static Path dataDir;
  private static WatchroomNode node;
  private static Playwright playwright;
  private static Browser browser;

  @BeforeAll
  static void start() throws Exception {
    node = WatchroomNode.start(TestNodes.h2(dataDir));
    playwright = Browsers.playwright();
    browser = Browsers.chromium(playwright);
  }

  @AfterAll
  static void stop() throws Exception {
    if (browser != null) {
      browser.close();
    }
    if (playwright != null) {
      playwright.close();
    }
    if (node != null) {
      node.close();
    }
  }

  @Test
  void uploadWatchAndPreview() throws Exception {
    Path clip = MediaFixture.clip("upload-10s.mp4", 10);
    try (BrowserContext context = browser.newContext()) {
      Page page = context.newPage();
      page.navigate(TestNodes.base(node));
      page.getByTestId("nav-upload").click();
      page.waitForURL("**/upload");

      page.getByTestId("upload-title").fill("Browser upload");
      page.getByTestId("upload-file").setInputFiles(clip);

      // follow the bar: it shows the upload, then the transcoding, and ends at 100 %
      Locator bar = page.getByTestId("upload-progress");
      List<String> phases = followBar(page);
      String phase = phases.get(phases.size() - 1);
      assertEquals("done", phase, page.getByTestId("upload-status").textContent());
      assertEquals("100.0", bar.getAttribute("data-percent"));
      assertTrue(phases.contains("transcode"), "the bar showed the transcoding: " + phases);
      assertTrue(page.getByTestId("upload-poster").isVisible());
      String url = page.getByTestId("video-url").inputValue();
      assertTrue(url.endsWith("/media/master.m3u8"), url);

      // watch it in a new room
      page.getByTestId("watch-in-room").click();
      page.waitForURL("**/rooms/*");
      page.waitForSelector("[data-testid=connection][data-state=connected]");
      page.waitForFunction("() => window.watchroom.room() && window.watchroom.room().media && window.watchroom.room().media.url.endsWith('master.m3u8')");
      Locator video = page.getByTestId("player");
      String poster = video.getAttribute("poster");
      assertTrue(poster != null && poster.endsWith("/media/poster.jpg"), "poster before play: " + poster);
      assertEquals(Boolean.FALSE, page.evaluate("() => window.watchroom.sample().playing"));
      APIResponse posterImage = page.request().get(java.net.URI.create(page.url()).resolve(poster).toString());
      assertEquals(200, posterImage.status());
      assertEquals("image/jpeg", posterImage.headers().get("content-type"));
      assertTrue(posterImage.body().length > 1000, "a real picture: " + posterImage.body().length + " bytes");
      page.waitForFunction("() => window.watchroom.sample() && window.watchroom.sample().readyState >= 2");
      page.waitForFunction("() => window.watchroom.room().media.duration > 9");
      // hls.js offers the ladder
      Locator quality = page.getByTestId("quality-select");
      quality.waitFor();
      assertEquals(List.of("Auto", "360p", "240p"), quality.locator("option").allTextContents());

      page.getByTestId("play-toggle").click();
      page.waitForFunction("() => window.watchroom.sample().playing && window.watchroom.sample().position > 1");
      quality.selectOption("1");
      page.waitForFunction("() => window.watchroom.sample().position > 2.5");

      // hover the middle of the seek bar: the thumbnail of that moment shows
      Locator seekBar = page.getByTestId("seek-bar");
      BoundingBox box = seekBar.boundingBox();
      page.mouse().move(box.x + box.width / 2, box.y + box.height / 2);
      Locator thumb = page.getByTestId("trickplay-thumb");
      thumb.waitFor();
      String style = thumb.getAttribute("style");
      assertTrue(style.contains("sprites/sheet_001.jpg"), style);
      assertTrue(style.contains("background-position: -"), style);
      // the sheet really loads
      Object loaded = page.evaluate(
          "async (u) => { const i = new Image(); i.src = u; await i.decode(); return i.naturalWidth; }",
          url.replace("master.m3u8", "sprites/sheet_001.jpg"));
      assertEquals(1600, ((Number) loaded).intValue());
      page.mouse().move(box.x + box.width / 2, box.y + box.height + 100);
      thumb.waitFor(new Locator.WaitForOptions().setState(com.microsoft.playwright.options.WaitForSelectorState.DETACHED));

      // drag the handle: the preview follows it, even off the bar while the button is held, and
      // letting go seeks the room there
      double y = box.y + box.height / 2;
      page.mouse().move(box.x + box.width * 0.2, y);
      page.mouse().down();
      page.mouse().move(box.x + box.width * 0.4, y, new Mouse.MoveOptions().setSteps(4));
      thumb.waitFor();
      String nearStart = thumb.getAttribute("style");
      String nearStartTime = page.getByTestId("trickplay-time").textContent();
      assertEquals(page.getByTestId("position").textContent(), nearStartTime, "the preview is of the dragged moment");
      page.mouse().move(box.x + box.width * 0.85, y + 40, new Mouse.MoveOptions().setSteps(4));
      assertTrue(thumb.isVisible(), "the preview stays while the handle is held");
      String nearEnd = thumb.getAttribute("style");
      String nearEndTime = page.getByTestId("trickplay-time").textContent();
      assertNotEquals(nearStart, nearEnd, "the thumbnail follows the handle");
      assertNotEquals(nearStartTime, nearEndTime);
      assertEquals(page.getByTestId("position").textContent(), nearEndTime);
      double dragged = Double.parseDouble(seekBar.inputValue());
      assertTrue(dragged > 0.6 * 9, "dragged to " + dragged);
      page.mouse().up();
      page.waitForFunction(
          "(to) => Math.abs(window.watchroom.room().playback.position - to) < 0.05", dragged);
      thumb.waitFor(new Locator.WaitForOptions().setState(com.microsoft.playwright.options.WaitForSelectorState.DETACHED));

      String roomUrl = page.url();

      // the library lists it, and adds it to that room's queue
      page.navigate(TestNodes.base(node) + "library");
      page.getByTestId("library-search").fill("Browser up");
      page.getByTestId("library-item").first().waitFor();
      assertTrue(page.getByTestId("library-item").first().textContent().contains("Browser upload"));
      page.getByTestId("library-room-link").first().fill(roomUrl);
      page.getByTestId("library-add").first().click();
      page.waitForURL(roomUrl);
      page.waitForFunction(
          "() => { const r = window.watchroom.room(); return r && r.queue.length === 1 && r.queue[0].url.endsWith('/media/master.m3u8'); }");
    }
  }

  @Test
  void aFileDroppedOnThePageIsUploaded() throws Exception {
    Path clip = MediaFixture.clip("drop-4s.mp4", 4);
    String bytes = Base64.getEncoder().encodeToString(Files.readAllBytes(clip));
    try (BrowserContext context = browser.newContext()) {
      Page page = context.newPage();
      page.navigate(TestNodes.base(node) + "upload");
      Locator zone = page.getByTestId("upload-drop");
      zone.waitFor();
      // what a drag from the desktop hands the page: a DataTransfer holding the file
      JSHandle dragged = page.evaluateHandle(
          "([data, name]) => { const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));"
              + " const transfer = new DataTransfer();"
              + " transfer.items.add(new File([bytes], name, { type: 'video/mp4' })); return transfer; }",
          List.of(bytes, "dropped-clip.mp4"));
      zone.dispatchEvent("dragenter", Map.of("dataTransfer", dragged));
      zone.dispatchEvent("dragover", Map.of("dataTransfer", dragged));
      assertTrue(zone.getAttribute("class").contains("dragging"), zone.getAttribute("class"));
      zone.dispatchEvent("drop", Map.of("dataTransfer", dragged));

      List<String> phases = followBar(page);
      assertEquals("done", phases.get(phases.size() - 1), page.getByTestId("upload-status").textContent());
      assertTrue(phases.contains("upload") || phases.contains("transcode"), phases.toString());
      String url = page.getByTestId("video-url").inputValue();
      Matcher id = Pattern.compile("/api/videos/([^/]+)/media/master\\.m3u8$").matcher(url);
      assertTrue(id.find(), url);
      APIResponse published = page.request().get(TestNodes.base(node) + "api/videos/" + id.group(1));
      assertEquals(200, published.status());
      JsonNode video = WsClient.JSON.readTree(published.text());
      assertEquals("published", video.get("status").asText(), video.toString());
      assertEquals("dropped-clip", video.get("title").asText(), video.toString());
      assertEquals(4, video.get("duration").asDouble(), 0.2, video.toString());
    }
  }

  @Test
  void cancellingStopsTheUploadAndKeepsNothing() throws Exception {
    // larger than one chunk of the page's client (8 MiB), so the upload takes two PATCHes
    Path big = dataDir.resolve("big-upload.mp4");
    byte[] content = new byte[12 * 1024 * 1024];
    new Random(7).nextBytes(content);
    Files.write(big, content);
    try (BrowserContext context = browser.newContext()) {
      Page page = context.newPage();
      // the second chunk is held on its way out, so the test cancels while it is in flight
      List<Route> held = new ArrayList<>();
      List<Request> patches = new ArrayList<>();
      List<Request> failed = new ArrayList<>();
      page.onRequestFailed(failed::add);
      page.route(
          "**/api/uploads/*",
          route -> {
            Request request = route.request();
            if (!request.method().equals("PATCH")) {
              route.resume();
              return;
            }
            patches.add(request);
            if ("0".equals(request.headerValue("upload-offset"))) {
              route.resume();
            } else {
              held.add(route);
            }
          });
      page.navigate(TestNodes.base(node) + "upload");
      page.getByTestId("upload-file").setInputFiles(big);
      page.waitForCondition(() -> !held.isEmpty(), new Page.WaitForConditionOptions().setTimeout(60_000));
      Request inFlight = held.get(0).request();
      String id = inFlight.url().substring(inFlight.url().lastIndexOf('/') + 1);
      Locator bar = page.getByTestId("upload-progress");
      assertEquals("upload", bar.getAttribute("data-phase"));
      double percent = Double.parseDouble(bar.getAttribute("data-percent"));
      assertTrue(percent > 0 && percent < 100, "part of the file is up: " + percent);
      assertFalse(node.mediaStore().list(TranscodeJob.uploadPrefix(id)).toCompletableFuture().get(30, TimeUnit.SECONDS).isEmpty(),
          "the first chunk is stored");

      page.getByTestId("upload-cancel").click();
      page.waitForSelector("[data-testid=upload-progress][data-phase=cancelled]");
      assertTrue(page.getByTestId("upload-status").textContent().contains("Cancelled"), page.getByTestId("upload-status").textContent());
      // the browser stopped sending the chunk in flight, and sent no other
      page.waitForCondition(() -> failed.contains(inFlight), new Page.WaitForConditionOptions().setTimeout(30_000));
      assertEquals(2, patches.size(), "no chunk after the cancel");

      // the server keeps nothing of it: no video, no upload, no stored bytes
      String token = (String) page.evaluate("() => window.watchroom.token()");
      VideoApi api = new VideoApi(node, token);
      TestNodes.eventually("the video is gone", () -> api.send(api.request("api/videos/" + id).GET()).statusCode() == 404);
      assertEquals(404, api.send(api.request("api/uploads/" + id).header("Tus-Resumable", "1.0.0")
          .method("HEAD", java.net.http.HttpRequest.BodyPublishers.noBody())).statusCode());
      TestNodes.eventually("its stored chunks are gone", () ->
          node.mediaStore().list(TranscodeJob.uploadPrefix(id)).toCompletableFuture().get(30, TimeUnit.SECONDS).isEmpty()
              && node.mediaStore().list(TranscodeJob.videoPrefix(id)).toCompletableFuture().get(30, TimeUnit.SECONDS).isEmpty());
    }
  }

  @Test
  void cancellingWhileTheUploadIsCreatedKeepsNothing() throws Exception {
    Path clip = MediaFixture.clip("created-then-cancelled-4s.mp4", 4);
    try (BrowserContext context = browser.newContext()) {
      Page page = context.newPage();
      // the creation is held on its way to the server, so the cancel comes before its answer
      List<Route> creations = new ArrayList<>();
      List<String> methods = new ArrayList<>();
      List<com.microsoft.playwright.Response> deletions = new ArrayList<>();
      page.onRequest(request -> {
        if (request.url().contains("/api/uploads")) {
          methods.add(request.method());
        }
      });
      page.onResponse(response -> {
        if (response.request().method().equals("DELETE") && response.url().contains("/api/uploads/")) {
          deletions.add(response);
        }
      });
      page.route("**/api/uploads", route -> {
        if (route.request().method().equals("POST")) {
          creations.add(route);
        } else {
          route.resume();
        }
      });
      page.navigate(TestNodes.base(node) + "upload");
      page.getByTestId("upload-file").setInputFiles(clip);
      page.waitForCondition(() -> !creations.isEmpty(), new Page.WaitForConditionOptions().setTimeout(60_000));

      page.getByTestId("upload-cancel").click();
      page.waitForSelector("[data-testid=upload-progress][data-phase=cancelled]");
      // the server creates the upload only now; the page removes it as soon as it learns where it is
      creations.get(0).resume();
      page.waitForCondition(() -> !deletions.isEmpty(), new Page.WaitForConditionOptions().setTimeout(30_000));
      com.microsoft.playwright.Response deleted = deletions.get(0);
      assertEquals(204, deleted.status());
      assertEquals(List.of("POST", "DELETE"), methods, "no chunk went out");
      assertEquals("cancelled", page.getByTestId("upload-progress").getAttribute("data-phase"));

      String id = deleted.url().substring(deleted.url().lastIndexOf('/') + 1);
      String token = (String) page.evaluate("() => window.watchroom.token()");
      VideoApi api = new VideoApi(node, token);
      assertEquals(404, api.send(api.request("api/videos/" + id).GET()).statusCode());
      assertEquals(404, api.send(api.request("api/uploads/" + id).header("Tus-Resumable", "1.0.0")
          .method("HEAD", java.net.http.HttpRequest.BodyPublishers.noBody())).statusCode());
    }
  }

  /** Follows the upload page's bar until it is done or failed; answers the phases it showed, in order. */
  private static List<String> followBar(Page page) throws InterruptedException {
    Locator bar = page.getByTestId("upload-progress");
    bar.waitFor();
    List<String> phases = new ArrayList<>();
    long end = System.nanoTime() + 120_000_000_000L;
    while (System.nanoTime() < end) {
      String phase = bar.getAttribute("data-phase");
      if (phases.isEmpty() || !phases.get(phases.size() - 1).equals(phase)) {
        phases.add(phase);
      }
      if (phase.equals("done") || phase.equals("failed")) {
        break;
      }
      Thread.sleep(100);
    }
    return phases;
  }
}
