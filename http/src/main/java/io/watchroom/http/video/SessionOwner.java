package io.watchroom.http.video;

import io.watchroom.http.auth.Authenticator;
import io.watchroom.http.auth.Identity;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.HttpRequest;

/**
 * Owner identity from the session token ({@code Authorization: Bearer}, docs/protocol.md): the
 * owner of a video is the user id of the session that uploaded it, a guest's or an account's.
 */
public final class SessionOwner implements OwnerIdentity {

  private final Authenticator authenticator;

  public SessionOwner(Authenticator authenticator) {
    this.authenticator = authenticator;
  }

  @Override
  public CompletionStage<Optional<String>> ownerOf(HttpRequest request) {
    Optional<String> token =
        request
            .getHeader("Authorization")
            .map(h -> h.value().strip())
            .filter(v -> v.regionMatches(true, 0, "Bearer ", 0, 7))
            .map(v -> v.substring(7).strip());
    if (token.isEmpty()) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
    return authenticator.authenticate(token.get()).thenApply(identity -> identity.map(Identity::userId));
  }
}
