package io.watchroom.node;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Playwright;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.pekko.http.javadsl.ServerBinding;

/**
 * What a browser test needs: a node on embedded defaults, a local server for media made with
 * ffmpeg, and headless Chromium.
 */
final class BrowserTestbed implements AutoCloseable {

  final WatchroomNode node;
  final String clipUrl;
  final Playwright playwright;
  final Browser browser;
  private final ServerBinding media;

  private BrowserTestbed(WatchroomNode node, ServerBinding media, String clipUrl, Playwright playwright, Browser browser) {
    this.node = node;
    this.media = media;
    this.clipUrl = clipUrl;
    this.playwright = playwright;
    this.browser = browser;
  }

  /** A node in {@code dataDir} serving a 60 s clip. */
  static BrowserTestbed start(Path dataDir) throws Exception {
    return start(dataDir, Map.of());
  }

  /** The same, with these settings over the test defaults. */
  static BrowserTestbed start(Path dataDir, Map<String, Object> settings) throws Exception {
    Map<String, Object> all = new HashMap<>(settings);
    all.put("watchroom.database.kind", "h2");
    WatchroomNode node = WatchroomNode.start(TestNodes.config(dataDir, all));
    ServerBinding media = MediaFixture.serve(node.system());
    String clipUrl = MediaFixture.url(media, MediaFixture.clip("sync-60s.mp4", 60));
    Playwright playwright = Browsers.playwright();
    return new BrowserTestbed(node, media, clipUrl, playwright, Browsers.chromium(playwright));
  }

  /** The URL of a file made under {@link MediaFixture#DIR}, on the local media server. */
  String mediaUrl(Path file) {
    return MediaFixture.url(media, file);
  }

  String home() {
    return TestNodes.base(node);
  }

  @Override
  public void close() throws Exception {
    browser.close();
    playwright.close();
    media.unbind();
    node.close();
  }
}
