package io.watchroom.core.directory;

import io.watchroom.core.projection.DatabaseSession;
import io.watchroom.core.room.Room;
import io.watchroom.core.room.RoomSettings;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.projection.jdbc.javadsl.JdbcHandler;

/**
 * Keeps the {@code room_directory} table in step with every room: title and visibility from its
 * settings, who is in it, what plays, when it last did anything. Rows are written in the
 * projection's own transaction, together with its offset (exactly-once), so counts that go up
 * and down with joins and leaves never drift.
 */
public final class RoomDirectoryHandler extends JdbcHandler<EventEnvelope<Room.Event>, DatabaseSession> {

  @Override
  public void process(DatabaseSession session, EventEnvelope<Room.Event> envelope) throws Exception {
    String roomId = PersistenceId.extractEntityId(envelope.persistenceId());
    Room.Event event = envelope.event();
    session.withConnection(
        connection -> {
          apply(connection, roomId, event);
          return null;
        });
  }

  private static void apply(Connection c, String roomId, Room.Event event) throws SQLException {
    if (event instanceof Room.RoomCreated e) {
      RoomSettings s = e.settings();
      update(c,
          "INSERT INTO room_directory (room_id, title, description, owner_id, visibility, temporary, members_online,"
              + " created_at, last_activity) VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?)",
          roomId, s.title(), s.description(), e.ownerId(), s.visibility().name(), s.temporary(), e.at(), e.at());
      return;
    }
    if (event instanceof Room.RoomForgotten) {
      update(c, "DELETE FROM room_directory WHERE room_id = ?", roomId);
      return;
    }
    if (event instanceof Room.MemberJoined) {
      update(c, "UPDATE room_directory SET members_online = members_online + 1 WHERE room_id = ?", roomId);
    } else if (event instanceof Room.MemberLeft || event instanceof Room.MemberKicked || event instanceof Room.MemberBanned) {
      update(c,
          "UPDATE room_directory SET members_online = CASE WHEN members_online > 0 THEN members_online - 1 ELSE 0 END"
              + " WHERE room_id = ?",
          roomId);
    } else if (event instanceof Room.SettingsChanged e) {
      RoomSettings s = e.settings();
      update(c, "UPDATE room_directory SET title = ?, description = ?, visibility = ?, temporary = ? WHERE room_id = ?",
          s.title(), s.description(), s.visibility().name(), s.temporary(), roomId);
    } else if (event instanceof Room.NowPlaying e) {
      update(c, "UPDATE room_directory SET now_playing_title = ?, now_playing_url = ? WHERE room_id = ?",
          e.item() == null ? null : e.item().title(), e.item() == null ? null : e.item().url(), roomId);
    }
    update(c, "UPDATE room_directory SET last_activity = ? WHERE room_id = ? AND last_activity < ?",
        event.at(), roomId, event.at());
  }

  static void update(Connection c, String sql, Object... values) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < values.length; i++) {
        s.setObject(i + 1, values[i]);
      }
      s.executeUpdate();
    }
  }
}
