package io.watchroom.core.video;

import io.watchroom.core.projection.DatabaseSession;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.Locale;
import java.util.stream.Collectors;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.jdbc.javadsl.JdbcHandler;

/**
 * Writes the video catalog (table {@code video_catalog}, migration V20) from Video events. It runs
 * exactly-once: each row change is committed in the same transaction as the projection's offset
 * (see {@link VideoCatalogProjection}), so plain INSERT/UPDATE statements are correct and no
 * event is applied twice.
 */
public final class VideoCatalogHandler extends JdbcHandler<EventEnvelope<Video.Event>, DatabaseSession> {

  @Override
  public void process(DatabaseSession session, EventEnvelope<Video.Event> envelope) throws Exception {
    String id = envelope.persistenceId().substring(envelope.persistenceId().indexOf('|') + 1);
    Video.Event event = envelope.event();
    session.withConnection(
        connection -> {
          apply(connection, id, event);
          return null;
        });
  }

  private static void apply(Connection c, String id, Video.Event event) throws SQLException {
    if (event instanceof Video.Registered e) {
      VideoInfo info = e.info();
      try (PreparedStatement s =
          c.prepareStatement(
              "INSERT INTO video_catalog (id, owner, title, title_search, status, views, created_at, updated_at)"
                  + " VALUES (?, ?, ?, ?, 'uploading', 0, ?, ?)")) {
        s.setString(1, id);
        s.setString(2, info.owner());
        s.setString(3, info.title());
        s.setString(4, info.title().toLowerCase(Locale.ROOT));
        s.setLong(5, info.createdAt());
        s.setLong(6, info.createdAt());
        s.executeUpdate();
      }
    } else if (event instanceof Video.Uploaded e) {
      status(c, id, "processing", e.at());
    } else if (event instanceof Video.Probed e) {
      try (PreparedStatement s =
          c.prepareStatement(
              "UPDATE video_catalog SET status = 'transcoding', duration = ?, width = ?, height = ?, updated_at = ? WHERE id = ?")) {
        s.setDouble(1, e.probe().duration());
        s.setInt(2, e.probe().width());
        s.setInt(3, e.probe().height());
        s.setLong(4, e.at());
        s.setString(5, id);
        s.executeUpdate();
      }
    } else if (event instanceof Video.Published e) {
      String renditions =
          e.media().renditions().stream().map(Rendition::name).collect(Collectors.joining(","));
      try (PreparedStatement s =
          c.prepareStatement(
              "UPDATE video_catalog SET status = 'published', poster = ?, renditions = ?, reason = ?, updated_at = ? WHERE id = ?")) {
        s.setString(1, e.media().poster());
        s.setString(2, renditions);
        s.setNull(3, Types.VARCHAR);
        s.setLong(4, e.at());
        s.setString(5, id);
        s.executeUpdate();
      }
    } else if (event instanceof Video.Failed e) {
      try (PreparedStatement s =
          c.prepareStatement("UPDATE video_catalog SET status = 'failed', reason = ?, updated_at = ? WHERE id = ?")) {
        s.setString(1, e.reason());
        s.setLong(2, e.at());
        s.setString(3, id);
        s.executeUpdate();
      }
    } else if (event instanceof Video.Viewed) {
      // exactly-once (see the class comment), so adding one is safe
      try (PreparedStatement s = c.prepareStatement("UPDATE video_catalog SET views = views + 1 WHERE id = ?")) {
        s.setString(1, id);
        s.executeUpdate();
      }
    } else if (event instanceof Video.Deleted) {
      try (PreparedStatement s = c.prepareStatement("DELETE FROM video_catalog WHERE id = ?")) {
        s.setString(1, id);
        s.executeUpdate();
      }
    }
    // Chunks, attempts, progress and renditions change nothing the catalog shows.
  }

  private static void status(Connection c, String id, String status, long at) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement("UPDATE video_catalog SET status = ?, updated_at = ? WHERE id = ?")) {
      s.setString(1, status);
      s.setLong(2, at);
      s.setString(3, id);
      s.executeUpdate();
    }
  }
}
