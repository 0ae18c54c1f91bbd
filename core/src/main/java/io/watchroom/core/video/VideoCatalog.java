package io.watchroom.core.video;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import javax.sql.DataSource;

/**
 * Reads the video catalog that {@link VideoCatalogHandler} writes. Blocking JDBC: callers run it
 * on a blocking dispatcher.
 */
public final class VideoCatalog {

  /** One row of the catalog. */
  public record Entry(
      String id,
      String owner,
      String title,
      String status,
      Double duration,
      Integer width,
      Integer height,
      String poster,
      List<String> renditions,
      long views,
      String reason,
      long createdAt) {}

  public record Page(List<Entry> items, long total, int offset, int limit) {}

  private final DataSource dataSource;

  public VideoCatalog(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /**
   * Published videos, newest first, whose title contains {@code query} (case-insensitive; empty
   * for all).
   */
  public Page published(String query, int offset, int limit) throws SQLException {
    String pattern = "%" + escapeLike(query == null ? "" : query.strip().toLowerCase(Locale.ROOT)) + "%";
    try (Connection c = dataSource.getConnection()) {
      long total;
      try (PreparedStatement s =
          c.prepareStatement(
              "SELECT COUNT(*) FROM video_catalog WHERE status = 'published' AND title_search LIKE ? ESCAPE '!'")) {
        s.setString(1, pattern);
        try (ResultSet r = s.executeQuery()) {
          r.next();
          total = r.getLong(1);
        }
      }
      List<Entry> items = new ArrayList<>();
      try (PreparedStatement s =
          c.prepareStatement(
              "SELECT id, owner, title, status, duration, width, height, poster, renditions, views, reason, created_at"
                  + " FROM video_catalog WHERE status = 'published' AND title_search LIKE ? ESCAPE '!'"
                  + " ORDER BY created_at DESC, id LIMIT ? OFFSET ?")) {
        s.setString(1, pattern);
        s.setInt(2, limit);
        s.setInt(3, offset);
        try (ResultSet r = s.executeQuery()) {
          while (r.next()) {
            items.add(entry(r));
          }
        }
      }
      return new Page(items, total, offset, limit);
    }
  }

  /** One video of the catalog, whatever its status. */
  public java.util.Optional<Entry> find(String id) throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "SELECT id, owner, title, status, duration, width, height, poster, renditions, views, reason, created_at"
                    + " FROM video_catalog WHERE id = ?")) {
      s.setString(1, id);
      try (ResultSet r = s.executeQuery()) {
        return r.next() ? java.util.Optional.of(entry(r)) : java.util.Optional.empty();
      }
    }
  }

  private static Entry entry(ResultSet r) throws SQLException {
    String renditions = r.getString(9);
    return new Entry(
        r.getString(1),
        r.getString(2),
        r.getString(3),
        r.getString(4),
        (Double) r.getObject(5, Double.class),
        (Integer) r.getObject(6, Integer.class),
        (Integer) r.getObject(7, Integer.class),
        r.getString(8),
        renditions == null || renditions.isEmpty() ? List.of() : Arrays.asList(renditions.split(",")),
        r.getLong(10),
        r.getString(11),
        r.getLong(12));
  }

  /** LIKE treats % and _ as wildcards; what a user types is matched literally. */
  static String escapeLike(String text) {
    return text.replace("!", "!!").replace("%", "!%").replace("_", "!_");
  }
}
