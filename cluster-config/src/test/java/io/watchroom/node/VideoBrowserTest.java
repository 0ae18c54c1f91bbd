package io.watchroom.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.options.BoundingBox;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A person uploads a video through the upload page of headless Chromium, watches the progress
 * bar go through the upload and the transcoding to 100 %, opens the result in a new room where it
 * plays through hls.js with its poster and quality menu, hovers the seek bar to see a
 * trick-play thumbnail, and adds it to that room's queue again from the library.
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
      List<String> phases = new ArrayList<>();
      long end = System.nanoTime() + 120_000_000_000L;
      String phase = "";
      while (System.nanoTime() < end) {
        phase = bar.getAttribute("data-phase");
        if (phases.isEmpty() || !phases.get(phases.size() - 1).equals(phase)) {
          phases.add(phase);
        }
        if (phase.equals("done") || phase.equals("failed")) {
          break;
        }
        Thread.sleep(100);
      }
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
      assertTrue(video.getAttribute("poster").endsWith("/media/poster.jpg"), "poster before play");
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
}
