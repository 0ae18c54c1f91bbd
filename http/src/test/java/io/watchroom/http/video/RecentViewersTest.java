package io.watchroom.http.video;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** A view is counted once per viewer address, video and window, not once per request. */
class RecentViewersTest {

  @Test
  void aViewerCountsOncePerVideoAndWindow() {
    AtomicLong nanos = new AtomicLong();
    RecentViewers viewers = new RecentViewers(nanos::get);

    assertTrue(viewers.firstLoad("video-a", "203.0.113.7"));
    for (int reload = 0; reload < 50; reload++) {
      assertFalse(viewers.firstLoad("video-a", "203.0.113.7"), "a reload or a request loop is the same view");
    }
    assertTrue(viewers.firstLoad("video-a", "198.51.100.2"), "another viewer");
    assertTrue(viewers.firstLoad("video-b", "203.0.113.7"), "the same viewer, another video");

    nanos.addAndGet(RecentViewers.WINDOW.minusSeconds(1).toNanos());
    assertFalse(viewers.firstLoad("video-a", "203.0.113.7"), "still within the window");
    nanos.addAndGet(java.time.Duration.ofSeconds(2).toNanos());
    assertTrue(viewers.firstLoad("video-a", "203.0.113.7"), "counts again once the window has passed");
  }
}
