package io.watchroom.core.directory;

import io.watchroom.core.projection.DatabaseSession;
import io.watchroom.core.room.Room;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.ShardedDaemonProcessSettings;
import org.apache.pekko.cluster.sharding.typed.javadsl.ShardedDaemonProcess;
import org.apache.pekko.persistence.query.Offset;
import org.apache.pekko.projection.ProjectionBehavior;
import org.apache.pekko.projection.ProjectionId;
import org.apache.pekko.projection.eventsourced.javadsl.EventSourcedProvider;
import org.apache.pekko.projection.javadsl.ExactlyOnceProjection;
import org.apache.pekko.projection.javadsl.SourceProvider;
import org.apache.pekko.projection.jdbc.javadsl.JdbcProjection;
import org.apache.pekko.projection.eventsourced.EventEnvelope;

/**
 * The public room directory and each user's own rooms: a read model written by a projection over
 * every room's events ({@link RoomDirectoryHandler}) and queried here. The projection runs as one
 * worker per event tag, spread over the cluster by a sharded daemon process.
 */
public final class RoomDirectory {

  public static final String PROJECTION_NAME = "room-directory";

  private final DataSource dataSource;
  private final Duration temporaryTtl;

  public RoomDirectory(DataSource dataSource, Duration temporaryTtl) {
    this.dataSource = dataSource;
    this.temporaryTtl = temporaryTtl;
  }

  /** Starts the projection workers on this node's share of the cluster. */
  public static void init(ActorSystem<?> system, Supplier<DatabaseSession> sessions, String readJournalPluginId) {
    ShardedDaemonProcess.get(system)
        .init(
            ProjectionBehavior.Command.class,
            PROJECTION_NAME,
            Room.TAG_COUNT,
            index -> ProjectionBehavior.create(projection(system, sessions, readJournalPluginId, Room.tag(index))),
            ShardedDaemonProcessSettings.create(system),
            Optional.of(ProjectionBehavior.stopMessage()));
  }

  static ExactlyOnceProjection<Offset, EventEnvelope<Room.Event>> projection(
      ActorSystem<?> system, Supplier<DatabaseSession> sessions, String readJournalPluginId, String tag) {
    SourceProvider<Offset, EventEnvelope<Room.Event>> source =
        EventSourcedProvider.eventsByTag(system, readJournalPluginId, tag);
    return JdbcProjection.exactlyOnce(
        ProjectionId.of(PROJECTION_NAME, tag), source, sessions::get, RoomDirectoryHandler::new, system);
  }

  /**
   * Public rooms, busiest first. Empty temporary rooms past their time are left out even before
   * the room itself gets round to forgetting them.
   */
  public List<DirectoryEntry> publicRooms(int limit, int offset, long now) {
    return query(
        "SELECT " + COLUMNS + " FROM room_directory WHERE visibility = 'PUBLIC'"
            + " AND NOT (temporary AND members_online = 0 AND last_activity < ?)"
            + " ORDER BY members_online DESC, last_activity DESC, room_id LIMIT ? OFFSET ?",
        now - temporaryTtl.toMillis(), limit, offset);
  }

  /** The rooms a user owns, latest activity first. */
  public List<DirectoryEntry> ownedBy(String userId, int limit) {
    return query(
        "SELECT " + COLUMNS + " FROM room_directory WHERE owner_id = ? ORDER BY last_activity DESC, room_id LIMIT ?",
        userId, limit);
  }

  public Optional<DirectoryEntry> room(String roomId) {
    return query("SELECT " + COLUMNS + " FROM room_directory WHERE room_id = ?", roomId).stream().findFirst();
  }

  private static final String COLUMNS =
      "room_id, title, description, owner_id, visibility, temporary, members_online, now_playing_title,"
          + " now_playing_url, created_at, last_activity";

  private List<DirectoryEntry> query(String sql, Object... values) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < values.length; i++) {
        s.setObject(i + 1, values[i]);
      }
      List<DirectoryEntry> rooms = new ArrayList<>();
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          rooms.add(
              new DirectoryEntry(
                  rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                  rs.getBoolean(6), rs.getInt(7), rs.getString(8), rs.getString(9), rs.getLong(10), rs.getLong(11)));
        }
      }
      return rooms;
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot read the room directory", e);
    }
  }
}
