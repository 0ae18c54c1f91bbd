package io.watchroom.http.auth;

import static org.apache.pekko.http.javadsl.server.Directives.*;

import io.watchroom.http.ApiProblem;
import java.util.Optional;
import java.util.function.Function;
import org.apache.pekko.http.javadsl.server.Route;

/** Route directives that resolve the caller's identity from {@code Authorization: Bearer}. */
public final class Authentication {

  private final Authenticator authenticator;

  public Authentication(Authenticator authenticator) {
    this.authenticator = authenticator;
  }

  public Authenticator authenticator() {
    return authenticator;
  }

  /** Runs {@code inner} with the caller's identity; 401 without a valid session. */
  public Route withIdentity(Function<Identity, Route> inner) {
    return withOptionalIdentity(
        identity -> identity.map(inner).orElseGet(() -> failWith(ApiProblem.unauthorized())));
  }

  /** Runs {@code inner} with the caller's identity if there is a valid one. */
  public Route withOptionalIdentity(Function<Optional<Identity>, Route> inner) {
    return optionalHeaderValueByName(
        "Authorization",
        header -> {
          Optional<String> token =
              header
                  .filter(h -> h.regionMatches(true, 0, "Bearer ", 0, 7))
                  .map(h -> h.substring(7).strip());
          if (token.isEmpty()) {
            if (header.isPresent()) {
              return failWith(ApiProblem.unauthorized());
            }
            return inner.apply(Optional.empty());
          }
          return onSuccess(
              authenticator.authenticate(token.get()),
              identity -> {
                if (identity.isEmpty()) {
                  // A token that was sent but is bad is an error, not an anonymous request.
                  return failWith(ApiProblem.unauthorized());
                }
                return inner.apply(identity);
              });
        });
  }
}
