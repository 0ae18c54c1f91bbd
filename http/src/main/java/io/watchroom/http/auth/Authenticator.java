package io.watchroom.http.auth;

import com.github.benmanes.caffeine.cache.AsyncLoadingCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import io.watchroom.core.room.Room;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * Issues and checks session tokens. A token is accepted when its signature and expiry are good
 * and its session has not been revoked; the revocation check is cached briefly per node, so a
 * logout takes effect at once on the node that served it and within {@code revocationDelay}
 * elsewhere.
 */
public final class Authenticator {

  private final SessionTokens tokens;
  private final AccountStore store;
  private final InstantSource clock;
  private final Executor blocking;
  private final Duration sessionTtl;
  private final AsyncLoadingCache<String, Boolean> activeSessions;

  public Authenticator(
      SessionTokens tokens,
      AccountStore store,
      InstantSource clock,
      Executor blocking,
      Duration sessionTtl,
      Duration revocationDelay) {
    this(tokens, store, clock, blocking, sessionTtl, revocationDelay, Ticker.systemTicker());
  }

  /**
   * As above, with the time source of the revocation cache given: nodes use the system's
   * monotonic ticker; a test moves one by hand to pass the revocation delay without waiting it out.
   */
  public Authenticator(
      SessionTokens tokens,
      AccountStore store,
      InstantSource clock,
      Executor blocking,
      Duration sessionTtl,
      Duration revocationDelay,
      Ticker revocationTicker) {
    this.tokens = tokens;
    this.store = store;
    this.clock = clock;
    this.blocking = blocking;
    this.sessionTtl = sessionTtl;
    this.activeSessions =
        Caffeine.newBuilder()
            .expireAfterWrite(revocationDelay)
            .ticker(revocationTicker)
            .maximumSize(100_000)
            .executor(blocking)
            .buildAsync(sessionId -> store.isSessionActive(sessionId, clock.millis()));
  }

  /** The identity behind a bearer token, if it is valid and its session is active. */
  public CompletionStage<Optional<Identity>> authenticate(String token) {
    Optional<Identity> identity = tokens.verify(token, clock.millis());
    if (identity.isEmpty()) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
    return activeSessions
        .get(identity.get().sessionId())
        .thenApply(active -> active ? identity : Optional.empty());
  }

  /** A new guest session with a display name. */
  public CompletionStage<Issued> newGuest(String name) {
    return issue("g-" + Room.randomToken(12), name, Identity.Kind.GUEST);
  }

  /** A new session for an account that has just proven who it is. */
  public CompletionStage<Issued> newAccountSession(AccountStore.StoredAccount account) {
    return issue(account.id(), account.displayName(), Identity.Kind.ACCOUNT);
  }

  public CompletionStage<Void> revoke(Identity identity) {
    return CompletableFuture.runAsync(
        () -> {
          store.revokeSession(identity.sessionId(), clock.millis());
          activeSessions.synchronous().put(identity.sessionId(), false);
        },
        blocking);
  }

  private CompletionStage<Issued> issue(String userId, String name, Identity.Kind kind) {
    long now = clock.millis();
    Identity identity =
        new Identity(userId, name, kind, "s-" + Room.randomToken(16), now + sessionTtl.toMillis());
    return CompletableFuture.supplyAsync(
        () -> {
          store.saveSession(identity.sessionId(), userId, kind, now, identity.expiresAt());
          activeSessions.synchronous().put(identity.sessionId(), true);
          return new Issued(identity, tokens.sign(identity));
        },
        blocking);
  }

  /** A session and the token that carries it. */
  public record Issued(Identity identity, String token) {}
}
