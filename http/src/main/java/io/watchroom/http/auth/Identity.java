package io.watchroom.http.auth;

/**
 * Who is making a request: a guest or an account holder, through one session. {@code userId} is
 * what rooms know a person by (their member id); {@code sessionId} is what logout revokes.
 */
public record Identity(String userId, String name, Kind kind, String sessionId, long expiresAt) {

  public enum Kind {
    GUEST,
    ACCOUNT
  }

  public boolean isAccount() {
    return kind == Kind.ACCOUNT;
  }
}
