package io.watchroom.http.video;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;

/**
 * Which client addresses loaded which video lately, so that a view is counted once per viewer and
 * window rather than once per request: players reload the master playlist on every reload and
 * seek-away, and nothing stops a client from requesting it in a loop, which would otherwise write
 * one journal event per request. Bounded in entries; per node (a viewer whose requests reach two
 * nodes may count twice), which the count's meaning tolerates.
 */
public final class RecentViewers {

  /** A viewer counts again after this long. */
  public static final Duration WINDOW = Duration.ofMinutes(30);

  private static final int MAX_ENTRIES = 200_000;

  private final Cache<String, Boolean> seen;

  public RecentViewers() {
    this(Ticker.systemTicker());
  }

  RecentViewers(Ticker ticker) {
    this.seen = Caffeine.newBuilder().ticker(ticker).expireAfterWrite(WINDOW).maximumSize(MAX_ENTRIES).build();
  }

  /** True when {@code address} has not loaded {@code videoId} within the window: a new view. */
  public boolean firstLoad(String videoId, String address) {
    return seen.asMap().putIfAbsent(videoId + "|" + address, Boolean.TRUE) == null;
  }
}
