package io.watchroom.http.auth;

import java.util.Optional;

/**
 * Where accounts and sessions are kept. The node provides a database-backed store; the calls are
 * blocking and are run off the HTTP threads.
 */
public interface AccountStore {

  record StoredAccount(String id, String username, String displayName, String passwordHash, long createdAt) {}

  /** Usernames are unique ignoring case. */
  final class UsernameTaken extends Exception {
    public UsernameTaken(String username) {
      super("The username " + username + " is taken.", null, false, false);
    }
  }

  Optional<StoredAccount> findByUsername(String username);

  Optional<StoredAccount> findById(String accountId);

  void create(StoredAccount account) throws UsernameTaken;

  void saveSession(String sessionId, String userId, Identity.Kind kind, long createdAt, long expiresAt);

  /** Whether the session exists, is not revoked and has not expired at {@code now}. */
  boolean isSessionActive(String sessionId, long now);

  void revokeSession(String sessionId, long at);
}
