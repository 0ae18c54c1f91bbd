package io.watchroom.node;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.pekko.http.javadsl.ServerBinding;

/**
 * How closely several browsers in one room play together: N headless Chromium clients watch an
 * ffmpeg-made clip on a real node; during steady play every client's position is sampled and
 * mapped to one server time, and the spread between the furthest-apart clients is recorded.
 * Prints the median, p95 and max spread and the corrective seeks made during steady play.
 *
 * <p>A figure, not a test: run it with {@code cluster-config/bench/sync-gap.sh [clients]
 * [seconds]}; results go in docs/benchmarks.md.
 */
public final class SyncGapBenchmark {

  public static void main(String[] args) throws Exception {
    int clients = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 120;
    int warmupSeconds = 5;
    Path dataDir = Files.createTempDirectory("watchroom-bench");

    try (WatchroomNode node = WatchroomNode.start(TestNodes.h2(dataDir));
        Playwright playwright = Browsers.playwright()) {
      ServerBinding media = MediaFixture.serve(node.system());
      String clip = MediaFixture.url(media, MediaFixture.clip("bench-" + (seconds + 60) + "s.mp4", seconds + 60));
      Browser browser = Browsers.chromium(playwright);

      List<Page> pages = new ArrayList<>();
      List<BrowserContext> contexts = new ArrayList<>();
      for (int i = 0; i < clients; i++) {
        BrowserContext context = browser.newContext();
        contexts.add(context);
        pages.add(context.newPage());
      }
      Page first = pages.get(0);
      first.navigate(TestNodes.base(node));
      first.getByTestId("create-room").click();
      first.waitForURL("**/rooms/*");
      for (Page page : pages.subList(1, pages.size())) {
        page.navigate(first.url());
      }
      for (Page page : pages) {
        page.waitForSelector("[data-testid=connection][data-state=connected]");
      }
      first.getByTestId("media-url").fill(clip);
      first.getByTestId("media-submit").click();
      for (Page page : pages) {
        page.waitForFunction("() => window.watchroom.sample() && window.watchroom.sample().readyState >= 2");
      }
      first.getByTestId("play-toggle").click();
      for (Page page : pages) {
        page.waitForFunction("() => window.watchroom.sample().playing");
      }
      Thread.sleep(warmupSeconds * 1000L);

      long seeksBefore = totalSeeks(pages);
      List<Double> spreads = new ArrayList<>();
      List<Double> drifts = new ArrayList<>();
      long end = System.nanoTime() + seconds * 1_000_000_000L;
      while (System.nanoTime() < end) {
        List<BrowserSyncTest.Sample> samples = new ArrayList<>();
        for (Page page : pages) {
          samples.add(BrowserSyncTest.Sample.of(page));
          drifts.add(Math.abs(((Number) page.evaluate("() => window.watchroom.sample().drift")).doubleValue()));
        }
        double at = samples.get(0).serverNow();
        double min = Double.MAX_VALUE;
        double max = -Double.MAX_VALUE;
        for (BrowserSyncTest.Sample s : samples) {
          double p = s.positionAt(at);
          min = Math.min(min, p);
          max = Math.max(max, p);
        }
        spreads.add((max - min) * 1000);
        Thread.sleep(100);
      }
      long seeks = totalSeeks(pages) - seeksBefore;
      spreads.sort(Comparator.naturalOrder());
      drifts.sort(Comparator.naturalOrder());

      System.out.printf("%nsync-gap: %d clients, %d s of steady play after %d s warm-up, %d samples%n",
          clients, seconds, warmupSeconds, spreads.size());
      System.out.printf("  inter-client gap (ms): median %.1f, p95 %.1f, max %.1f%n",
          percentile(spreads, 50), percentile(spreads, 95), spreads.get(spreads.size() - 1));
      System.out.printf("  per-client |drift| from the room clock (ms): median %.1f, p95 %.1f%n",
          percentile(drifts, 50), percentile(drifts, 95));
      System.out.printf("  corrective seeks during steady play: %d%n", seeks);
      System.out.printf("  %s, chromium %s%n", LocalDate.now(), browser.version());
      for (BrowserContext context : contexts) {
        context.close();
      }
      browser.close();
      media.unbind();
    }
  }

  private static long totalSeeks(List<Page> pages) {
    long total = 0;
    for (Page page : pages) {
      @SuppressWarnings("unchecked")
      Map<String, Object> s = (Map<String, Object>) page.evaluate("() => window.watchroom.sample()");
      total += ((Number) s.get("seeks")).longValue();
    }
    return total;
  }

  private static double percentile(List<Double> sorted, int p) {
    int index = (int) Math.ceil(sorted.size() * p / 100.0) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
  }
}
