package io.watchroom.http;

import io.watchroom.http.auth.AccountStore;
import io.watchroom.http.auth.Identity;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Accounts and sessions in memory, for HTTP tests that do not need the database. */
public final class InMemoryAccountStore implements AccountStore {

  private record Session(String userId, long expiresAt, Long revokedAt) {}

  private final Map<String, StoredAccount> accounts = new ConcurrentHashMap<>();
  private final Map<String, Session> sessions = new ConcurrentHashMap<>();

  @Override
  public Optional<StoredAccount> findByUsername(String username) {
    return accounts.values().stream().filter(a -> a.username().equals(username)).findFirst();
  }

  @Override
  public Optional<StoredAccount> findById(String accountId) {
    return Optional.ofNullable(accounts.get(accountId));
  }

  @Override
  public synchronized void create(StoredAccount account) throws UsernameTaken {
    if (findByUsername(account.username()).isPresent()) {
      throw new UsernameTaken(account.username());
    }
    accounts.put(account.id(), account);
  }

  @Override
  public void saveSession(String sessionId, String userId, Identity.Kind kind, long createdAt, long expiresAt) {
    sessions.put(sessionId, new Session(userId, expiresAt, null));
  }

  @Override
  public boolean isSessionActive(String sessionId, long now) {
    Session s = sessions.get(sessionId);
    return s != null && s.revokedAt() == null && s.expiresAt() > now;
  }

  @Override
  public void revokeSession(String sessionId, long at) {
    sessions.computeIfPresent(sessionId, (id, s) -> new Session(s.userId(), s.expiresAt(), at));
  }
}
