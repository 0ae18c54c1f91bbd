package io.watchroom.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two headless Chromium pages watch a video made by ffmpeg, served locally, in one room of a real
 * node. Page A drives with the real controls; page B must follow, and while playing the two
 * stay close, judged on positions mapped to one server time.
 */
class BrowserSyncTest {

  @TempDir static Path dataDir;
  private static BrowserTestbed testbed;
  private static Browser browser;

  @BeforeAll
  static void start() throws Exception {
    testbed = BrowserTestbed.start(dataDir);
    browser = testbed.browser;
  }

  @AfterAll
  static void stop() throws Exception {
    if (testbed != null) {
      testbed.close();
    }
  }

  @Test
  void aSecondBrowserFollowsTheFirst() throws Exception {
    try (BrowserContext contextA = browser.newContext();
        BrowserContext contextB = browser.newContext()) {
      Page a = contextA.newPage();
      Page b = contextB.newPage();

      // A creates a room from the home page; B opens its link.
      a.navigate(testbed.home());
      a.getByTestId("create-room").click();
      a.waitForURL("**/rooms/*");
      String roomUrl = a.url();
      b.navigate(roomUrl);
      for (Page page : List.of(a, b)) {
        page.waitForSelector("[data-testid=connection][data-state=connected]");
      }
      a.waitForCondition(() -> a.getByTestId("member").count() == 2);

      // A pastes a direct video link; both players load it.
      a.getByTestId("media-url").fill(testbed.clipUrl);
      a.getByTestId("media-submit").click();
      for (Page page : List.of(a, b)) {
        page.waitForFunction("() => window.watchroom.sample() && window.watchroom.sample().readyState >= 2");
      }
      // The duration learned by a player reaches the room, which enables seeking.
      a.waitForFunction("() => window.watchroom.room().media && window.watchroom.room().media.duration > 59");

      // Play from A: B starts too.
      a.getByTestId("play-toggle").click();
      b.waitForFunction("() => window.watchroom.sample().playing && window.watchroom.sample().position > 0.5");

      // Seek from A with the seek bar: B lands there as well.
      a.getByTestId("seek-bar").fill("30");
      b.waitForFunction("() => { const s = window.watchroom.sample(); return s.playing && s.position > 30 && s.position < 33; }");

      // Pause from A: B stops at the same frame.
      a.getByTestId("play-toggle").click();
      b.waitForFunction("() => !window.watchroom.sample().playing");
      Thread.sleep(500);
      double pausedA = (double) ((Number) a.evaluate("() => window.watchroom.sample().position")).doubleValue();
      double pausedB = (double) ((Number) b.evaluate("() => window.watchroom.sample().position")).doubleValue();
      assertEquals(pausedA, pausedB, 0.05, "paused positions");
      assertEquals(((Number) a.evaluate("() => window.watchroom.room().playback.position")).doubleValue(), pausedB, 0.05);

      // Play again and measure the gap over 20 s of steady play.
      a.getByTestId("play-toggle").click();
      b.waitForFunction("() => window.watchroom.sample().playing");
      Thread.sleep(2_000);
      List<Double> gapsMs = new ArrayList<>();
      long end = System.nanoTime() + 20_000_000_000L;
      while (System.nanoTime() < end) {
        Sample sa = Sample.of(a);
        Sample sb = Sample.of(b);
        assertTrue(sa.playing() && sb.playing(), "both pages keep playing");
        gapsMs.add(Math.abs(sa.positionAt(sb.serverNow()) - sb.position()) * 1000);
        Thread.sleep(200);
      }
      gapsMs.sort(Double::compare);
      double p95 = gapsMs.get((int) Math.ceil(gapsMs.size() * 0.95) - 1);
      double median = gapsMs.get(gapsMs.size() / 2);
      System.out.printf("Browser gap over 20 s: %d samples, median %.1f ms, p95 %.1f ms, max %.1f ms%n",
          gapsMs.size(), median, p95, gapsMs.get(gapsMs.size() - 1));
      assertTrue(gapsMs.size() >= 50, "enough samples");
      assertTrue(p95 < 150, "p95 gap " + p95 + " ms");

      // Speed from B: A follows.
      b.getByTestId("rate-select").selectOption("1.5");
      a.waitForFunction("() => window.watchroom.room().playback.rate === 1.5");
      assertFalse(a.getByTestId("error").isVisible());
    }
  }

  /** One page's player position and its estimate of the server time at that instant. */
  record Sample(double position, double serverNow, double rate, boolean playing) {
    static Sample of(Page page) {
      @SuppressWarnings("unchecked")
      var s = (java.util.Map<String, Object>) page.evaluate(
          "() => { const s = window.watchroom.sample(); const r = window.watchroom.room();"
              + " return {position: s.position, serverNow: s.serverNow, rate: r.playback.rate, playing: s.playing}; }");
      return new Sample(
          ((Number) s.get("position")).doubleValue(),
          ((Number) s.get("serverNow")).doubleValue(),
          ((Number) s.get("rate")).doubleValue(),
          (Boolean) s.get("playing"));
    }

    /** Where this player would be at another server time, playing on at the room rate. */
    double positionAt(double otherServerNow) {
      return position + (otherServerNow - serverNow) / 1000.0 * rate;
    }
  }
}
