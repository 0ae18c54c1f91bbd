package io.watchroom.http.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts attempts per key (a client address, a username) over a fixed window, so that guessing
 * passwords or minting sessions in bulk is slowed down to a harmless rate. Bounded in memory.
 */
public final class AttemptLimiter {

  private final int maxAttempts;
  private final Cache<String, AtomicInteger> attempts;

  public AttemptLimiter(int maxAttempts, Duration window) {
    this.maxAttempts = maxAttempts;
    this.attempts = Caffeine.newBuilder().expireAfterWrite(window).maximumSize(100_000).build();
  }

  /** Records an attempt; false when the key has used up its attempts for the window. */
  public boolean tryAcquire(String key) {
    return attempts.get(key, k -> new AtomicInteger()).incrementAndGet() <= maxAttempts;
  }

  public boolean isBlocked(String key) {
    AtomicInteger count = attempts.getIfPresent(key);
    return count != null && count.get() >= maxAttempts;
  }

  public void reset(String key) {
    attempts.invalidate(key);
  }
}
