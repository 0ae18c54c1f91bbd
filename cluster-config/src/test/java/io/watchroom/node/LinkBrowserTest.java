package io.watchroom.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An HLS ladder on another server, pasted into a room by its URL: the add box shows what the
 * link is before it is added, and two headless Chromium pages play it in sync, every request of
 * the players going through the node's media proxy and none to the other server. Words typed into
 * the add box are searched (a script stands in for yt-dlp's YouTube search, which cannot be
 * reached from here) and a picked hit is added for everyone.
 */
class LinkBrowserTest {

  @TempDir static Path dataDir;
  private static BrowserTestbed testbed;
  private static Browser browser;
  private static String ladderUrl;
  private static YtDlpStandIn ytDlp;

  @BeforeAll
  static void start() throws Exception {
    ytDlp = YtDlpStandIn.answering(dataDir.resolve("yt-dlp"), "piano cats");
    testbed = BrowserTestbed.start(dataDir, Map.of("watchroom.resolve.yt-dlp", ytDlp.executable().toString()));
    browser = testbed.browser;
    ladderUrl = testbed.mediaUrl(MediaFixture.hlsLadder("ladder-30s", 30));
    // The search's hits are files on the local media server, so that adding one resolves.
    ytDlp.answer(List.of(
        new YtDlpStandIn.Hit("cat-piano", testbed.clipUrl, "A cat plays the piano", 60.0,
            testbed.mediaUrl(MediaFixture.picture("cat-piano.jpg"))),
        new YtDlpStandIn.Hit("kitten-recital", testbed.mediaUrl(MediaFixture.clip("kitten-recital-8s.mp4", 8)), "Kitten recital", 8.0, null)));
  }

  @AfterAll
  static void stop() throws Exception {
    if (testbed != null) {
      testbed.close();
    }
  }

  @Test
  void anHlsLinkPlaysThroughTheProxyInTwoSyncedPages() throws Exception {
    int mediaPort = URI.create(ladderUrl).getPort();
    List<String> straightToTheOtherServer = Collections.synchronizedList(new ArrayList<>());
    try (BrowserContext contextA = browser.newContext();
        BrowserContext contextB = browser.newContext()) {
      Page a = contextA.newPage();
      Page b = contextB.newPage();
      for (Page page : List.of(a, b)) {
        page.onRequest(request -> {
          if (URI.create(request.url()).getPort() == mediaPort) {
            straightToTheOtherServer.add(request.url());
          }
        });
      }
      a.navigate(testbed.home());
      a.getByTestId("create-room").click();
      a.waitForURL("**/rooms/*");
      b.navigate(a.url());
      for (Page page : List.of(a, b)) {
        page.waitForSelector("[data-testid=connection][data-state=connected]");
      }
      a.waitForCondition(() -> a.getByTestId("member").count() == 2);

      // A pastes the link: the add box says what it is before anything is added.
      a.getByTestId("queue-add-url").fill(ladderUrl);
      a.getByTestId("link-preview").waitFor();
      assertEquals("0:30", a.getByTestId("link-preview-duration").innerText().strip());
      a.getByTestId("queue-add-submit").click();

      // Both players attach the stream with hls.js, from the proxy.
      for (Page page : List.of(a, b)) {
        page.waitForSelector("[data-testid=player][data-kind=hls]");
        String stream = page.getByTestId("player").getAttribute("data-stream");
        assertTrue(stream.contains("/api/proxy/"), stream);
        page.waitForFunction("() => window.watchroom.sample() && window.watchroom.sample().readyState >= 2");
      }
      a.waitForFunction("() => { const m = window.watchroom.room().media; return m && m.duration > 29 && m.duration < 31; }");
      // The ladder's rungs are offered.
      a.getByTestId("quality-select").waitFor();
      assertEquals(3, a.getByTestId("quality-select").locator("option").count());

      // A plays: B plays along, and the two stay close.
      a.getByTestId("play-toggle").click();
      b.waitForFunction("() => window.watchroom.sample().playing && window.watchroom.sample().position > 2");
      List<Double> gapsMs = new ArrayList<>();
      for (int i = 0; i < 30; i++) {
        BrowserSyncTest.Sample sa = BrowserSyncTest.Sample.of(a);
        BrowserSyncTest.Sample sb = BrowserSyncTest.Sample.of(b);
        assertTrue(sa.playing() && sb.playing(), "both pages keep playing");
        gapsMs.add(Math.abs(sa.positionAt(sb.serverNow()) - sb.position()) * 1000);
        Thread.sleep(200);
      }
      gapsMs.sort(Double::compare);
      double p95 = gapsMs.get((int) Math.ceil(gapsMs.size() * 0.95) - 1);
      System.out.printf("HLS through the proxy, gap over 6 s: median %.1f ms, p95 %.1f ms%n", gapsMs.get(gapsMs.size() / 2), p95);
      assertTrue(p95 < 150, "p95 gap " + p95 + " ms");

      // A seek lands both pages in a segment neither has fetched yet.
      a.getByTestId("seek-bar").fill("20");
      for (Page page : List.of(a, b)) {
        page.waitForFunction("() => { const s = window.watchroom.sample(); return s.playing && s.position > 20.5 && s.position < 24; }");
      }
      assertEquals(List.of(), straightToTheOtherServer, "players fetched only through the proxy");
    }
  }

  @Test
  void aDashLinkPlaysWithADashPlayerAndItsRepresentationsAreOffered() throws Exception {
    String dashUrl = testbed.mediaUrl(MediaFixture.dash("dash-20s", 20));
    try (BrowserContext context = browser.newContext()) {
      Page page = context.newPage();
      page.navigate(testbed.home());
      page.getByTestId("create-room").click();
      page.waitForURL("**/rooms/*");
      page.waitForSelector("[data-testid=connection][data-state=connected]");
      page.getByTestId("queue-add-url").fill(dashUrl);
      page.getByTestId("queue-add-submit").click();
      page.waitForSelector("[data-testid=player][data-kind=dash]");
      assertTrue(page.getByTestId("player").getAttribute("data-stream").contains("/api/proxy/"));
      page.waitForFunction("() => window.watchroom.sample() && window.watchroom.sample().readyState >= 2");
      page.waitForFunction("() => document.querySelectorAll('[data-testid=quality-select] option').length === 3");
      page.getByTestId("play-toggle").click();
      page.waitForFunction("() => window.watchroom.sample().playing && window.watchroom.sample().position > 1.5");
      // Another representation, then a seek: it plays on.
      page.getByTestId("quality-select").selectOption("1");
      page.getByTestId("seek-bar").fill("12");
      page.waitForFunction("() => { const s = window.watchroom.sample(); return s.playing && s.position > 12.5 && s.position < 16; }");
    }
  }

  @Test
  void wordsInTheAddBoxAreSearchedAndAPickedHitIsAddedForEveryone() throws Exception {
    try (BrowserContext contextA = browser.newContext();
        BrowserContext contextB = browser.newContext()) {
      Page a = contextA.newPage();
      Page b = contextB.newPage();
      a.navigate(testbed.home());
      a.getByTestId("create-room").click();
      a.waitForURL("**/rooms/*");
      b.navigate(a.url());
      for (Page page : List.of(a, b)) {
        page.waitForSelector("[data-testid=connection][data-state=connected]");
      }
      a.waitForCondition(() -> a.getByTestId("member").count() == 2);

      // Words, not a link: the box offers to search, and asks the server only when told to.
      a.getByTestId("queue-add-url").fill("piano cats");
      a.waitForSelector("[data-testid=queue-add-submit][data-mode=search]");
      assertEquals(0, ytDlp.runsForQuery().size());
      a.getByTestId("queue-add-submit").click();

      // The hits, with their titles, lengths and pictures.
      a.waitForCondition(() -> a.getByTestId("search-result").count() == 2);
      assertEquals(List.of("A cat plays the piano", "Kitten recital"), a.getByTestId("search-result-title").allInnerTexts().stream().map(String::strip).toList());
      assertEquals(List.of("1:00", "0:08"), a.getByTestId("search-result-duration").allInnerTexts().stream().map(String::strip).toList());
      assertEquals(1, a.getByTestId("search-result-thumbnail").count());
      a.getByTestId("search-result-thumbnail").scrollIntoViewIfNeeded();
      a.waitForFunction("() => { const img = document.querySelector('[data-testid=search-result-thumbnail]'); return img.complete && img.naturalWidth === 320; }");
      assertEquals(1, ytDlp.runsForQuery().size());
      assertEquals(0, a.getByTestId("queue-item").count());

      // The first hit plays at once for both; the second waits in both queues, as the server read it.
      a.getByTestId("search-result-add").nth(0).click();
      for (Page page : List.of(a, b)) {
        page.waitForSelector("[data-testid=media-title]:has-text('A cat plays the piano')");
      }
      a.getByTestId("search-result-add").nth(1).click();
      for (Page page : List.of(a, b)) {
        page.waitForCondition(() -> page.getByTestId("queue-item").count() == 1);
        assertEquals("Kitten recital", page.getByTestId("queue-item").getByTestId("item-title").innerText().strip());
        assertEquals("0:08", page.getByTestId("queue-item").getByTestId("item-duration").innerText().strip());
      }
      assertEquals("Sent", a.getByTestId("search-result-add").nth(1).innerText().strip());
    }
  }

  @Test
  void aLinkThatCannotBePlayedSaysWhyBeforeItIsAdded() {
    try (BrowserContext context = browser.newContext()) {
      Page page = context.newPage();
      page.navigate(testbed.home());
      page.getByTestId("create-room").click();
      page.waitForURL("**/rooms/*");
      page.waitForSelector("[data-testid=connection][data-state=connected]");
      page.getByTestId("queue-add-url").fill("http://10.0.0.1/film.mp4");
      page.waitForSelector("[data-testid=link-error][data-code=blocked_destination]");
      assertTrue(page.getByTestId("link-error").innerText().contains("This address is blocked"),
          page.getByTestId("link-error").innerText());
      // Nothing was added.
      assertEquals(0, page.getByTestId("queue-item").count());
    }
  }
}
