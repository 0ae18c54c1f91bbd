package io.watchroom.core.chat;

import io.watchroom.core.projection.DatabaseSession;
import io.watchroom.core.room.ChatMessage;
import io.watchroom.core.room.Room;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.projection.jdbc.javadsl.JdbcHandler;

/**
 * Writes every chat message and reaction of every room into {@code room_chat} and {@code
 * room_chat_reaction}, in the projection's transaction with its offset (exactly-once), so the
 * full history survives long after the room state keeps only the latest messages.
 */
public final class ChatHistoryHandler extends JdbcHandler<EventEnvelope<Room.Event>, DatabaseSession> {

  @Override
  public void process(DatabaseSession session, EventEnvelope<Room.Event> envelope) throws Exception {
    Room.Event event = envelope.event();
    if (!(event instanceof Room.ChatMessagePosted) && !(event instanceof Room.ChatReactionToggled)) {
      return;
    }
    String roomId = PersistenceId.extractEntityId(envelope.persistenceId());
    session.withConnection(
        connection -> {
          apply(connection, roomId, event);
          return null;
        });
  }

  private static void apply(Connection c, String roomId, Room.Event event) throws SQLException {
    if (event instanceof Room.ChatMessagePosted posted) {
      ChatMessage m = posted.message();
      try (PreparedStatement s =
          c.prepareStatement(
              "INSERT INTO room_chat (room_id, message_id, author_id, author_name, text, posted_at, video_time, item_id)"
                  + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
        s.setString(1, roomId);
        s.setLong(2, m.id());
        s.setString(3, m.authorId());
        s.setString(4, m.authorName());
        s.setString(5, m.text());
        s.setLong(6, m.at());
        if (m.videoTime() == null) {
          s.setNull(7, Types.DOUBLE);
        } else {
          s.setDouble(7, m.videoTime());
        }
        s.setString(8, m.itemId());
        s.executeUpdate();
      }
    } else if (event instanceof Room.ChatReactionToggled r) {
      String sql =
          r.added()
              ? "INSERT INTO room_chat_reaction (room_id, message_id, emoji, user_id, reacted_at) VALUES (?, ?, ?, ?, ?)"
              : "DELETE FROM room_chat_reaction WHERE room_id = ? AND message_id = ? AND emoji = ? AND user_id = ?";
      try (PreparedStatement s = c.prepareStatement(sql)) {
        s.setString(1, roomId);
        s.setLong(2, r.messageId());
        s.setString(3, r.emoji());
        s.setString(4, r.userId());
        if (r.added()) {
          s.setLong(5, r.at());
        }
        s.executeUpdate();
      }
    }
  }
}
