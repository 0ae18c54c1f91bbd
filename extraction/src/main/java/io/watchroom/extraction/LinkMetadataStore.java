package io.watchroom.extraction;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Metadata of links already resolved, per (service, id), so queueing a known video again needs no
 * extractor run; rows older than the metadata TTL are refreshed. Stream URLs are never stored
 * here: they expire and live in memory only. Table {@code link_metadata} (migration V30).
 */
public final class LinkMetadataStore {

  /** A stored row and when it was fetched. */
  public record Stored(LinkInfo info, long fetchedAt) {}

  private final DataSource dataSource;

  public LinkMetadataStore(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  public Optional<Stored> find(String service, String mediaId) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "SELECT url, title, duration, thumbnail, fetched_at FROM link_metadata WHERE service = ? AND media_id = ?")) {
      s.setString(1, service);
      s.setString(2, mediaId);
      try (ResultSet rs = s.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        double duration = rs.getDouble(3);
        Double d = rs.wasNull() ? null : duration;
        return Optional.of(new Stored(new LinkInfo(rs.getString(1), rs.getString(2), d, rs.getString(4)), rs.getLong(5)));
      }
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot read link metadata", e);
    }
  }

  public void save(String service, String mediaId, LinkInfo info, long fetchedAt) {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try (PreparedStatement update =
          c.prepareStatement(
              "UPDATE link_metadata SET url = ?, title = ?, duration = ?, thumbnail = ?, fetched_at = ? WHERE service = ? AND media_id = ?")) {
        bind(update, info, fetchedAt);
        update.setString(6, service);
        update.setString(7, mediaId);
        if (update.executeUpdate() == 0) {
          try (PreparedStatement insert =
              c.prepareStatement(
                  "INSERT INTO link_metadata (url, title, duration, thumbnail, fetched_at, service, media_id) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            bind(insert, info, fetchedAt);
            insert.setString(6, service);
            insert.setString(7, mediaId);
            insert.executeUpdate();
          }
        }
        c.commit();
      } catch (SQLException e) {
        c.rollback();
        // Two nodes resolving the same new link at once: the other insert won, which is fine.
        if (!"23505".equals(e.getSQLState())) {
          throw e;
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot store link metadata", e);
    }
  }

  private static void bind(PreparedStatement s, LinkInfo info, long fetchedAt) throws SQLException {
    s.setString(1, truncate(info.url(), 2048));
    s.setString(2, truncate(info.title(), 250));
    if (info.duration() == null) {
      s.setNull(3, Types.DOUBLE);
    } else {
      s.setDouble(3, info.duration());
    }
    s.setString(4, truncate(info.thumbnail(), 2048));
    s.setLong(5, fetchedAt);
  }

  private static String truncate(String s, int max) {
    return s == null || s.length() <= max ? s : s.substring(0, max);
  }
}
