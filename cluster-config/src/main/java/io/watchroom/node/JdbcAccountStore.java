package io.watchroom.node;

import io.watchroom.http.auth.AccountStore;
import io.watchroom.http.auth.Identity;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import javax.sql.DataSource;

/** Accounts and sessions in the node's database (tables from migration V40). */
final class JdbcAccountStore implements AccountStore {

  private final DataSource dataSource;

  JdbcAccountStore(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  @Override
  public Optional<StoredAccount> findByUsername(String username) {
    return findOne("SELECT id, username, display_name, password_hash, created_at FROM account WHERE username = ?", username);
  }

  @Override
  public Optional<StoredAccount> findById(String accountId) {
    return findOne("SELECT id, username, display_name, password_hash, created_at FROM account WHERE id = ?", accountId);
  }

  private Optional<StoredAccount> findOne(String sql, String key) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement(sql)) {
      s.setString(1, key);
      try (ResultSet rs = s.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        return Optional.of(
            new StoredAccount(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5)));
      }
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot read accounts", e);
    }
  }

  @Override
  public void create(StoredAccount account) throws UsernameTaken {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "INSERT INTO account (id, username, display_name, password_hash, created_at) VALUES (?, ?, ?, ?, ?)")) {
      s.setString(1, account.id());
      s.setString(2, account.username());
      s.setString(3, account.displayName());
      s.setString(4, account.passwordHash());
      s.setLong(5, account.createdAt());
      s.executeUpdate();
    } catch (SQLException e) {
      // 23505 (PostgreSQL) and 23505 (H2): unique violation, the only one this insert can meet.
      if ("23505".equals(e.getSQLState())) {
        throw new UsernameTaken(account.username());
      }
      throw new IllegalStateException("Cannot create an account", e);
    }
  }

  @Override
  public void saveSession(String sessionId, String userId, Identity.Kind kind, long createdAt, long expiresAt) {
    update(
        "INSERT INTO auth_session (id, user_id, kind, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
        sessionId, userId, kind.name(), createdAt, expiresAt);
  }

  @Override
  public boolean isSessionActive(String sessionId, long now) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "SELECT 1 FROM auth_session WHERE id = ? AND revoked_at IS NULL AND expires_at > ?")) {
      s.setString(1, sessionId);
      s.setLong(2, now);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next();
      }
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot read sessions", e);
    }
  }

  @Override
  public void revokeSession(String sessionId, long at) {
    update("UPDATE auth_session SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", at, sessionId);
  }

  private void update(String sql, Object... values) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < values.length; i++) {
        s.setObject(i + 1, values[i]);
      }
      s.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot write sessions", e);
    }
  }
}
