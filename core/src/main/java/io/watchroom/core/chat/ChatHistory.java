package io.watchroom.core.chat;

import io.watchroom.core.projection.DatabaseSession;
import io.watchroom.core.room.ChatMessage;
import io.watchroom.core.room.Room;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.ShardedDaemonProcessSettings;
import org.apache.pekko.cluster.sharding.typed.javadsl.ShardedDaemonProcess;
import org.apache.pekko.persistence.query.Offset;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.ProjectionBehavior;
import org.apache.pekko.projection.ProjectionId;
import org.apache.pekko.projection.eventsourced.javadsl.EventSourcedProvider;
import org.apache.pekko.projection.javadsl.ExactlyOnceProjection;
import org.apache.pekko.projection.jdbc.javadsl.JdbcProjection;

/**
 * Every room's full chat history: a read model written by a projection ({@link
 * ChatHistoryHandler}) and paged here, newest page first.
 */
public final class ChatHistory {

  public static final String PROJECTION_NAME = "chat-history";
  public static final int MAX_PAGE = 100;

  private final DataSource dataSource;

  public ChatHistory(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** A page of messages, oldest first, and whether older ones exist. */
  public record Page(List<ChatMessage> messages, boolean hasMore) {}

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
    return JdbcProjection.exactlyOnce(
        ProjectionId.of(PROJECTION_NAME, tag),
        EventSourcedProvider.eventsByTag(system, readJournalPluginId, tag),
        sessions::get,
        ChatHistoryHandler::new,
        system);
  }

  /** Up to {@code limit} messages before message {@code beforeId} (null: the latest). */
  public Page before(String roomId, Long beforeId, int limit) {
    int size = Math.max(1, Math.min(limit, MAX_PAGE));
    try (Connection c = dataSource.getConnection()) {
      List<ChatMessage> newestFirst = new ArrayList<>();
      try (PreparedStatement s =
          c.prepareStatement(
              "SELECT message_id, author_id, author_name, text, posted_at, video_time, item_id FROM room_chat"
                  + " WHERE room_id = ? AND message_id < ? ORDER BY message_id DESC LIMIT ?")) {
        s.setString(1, roomId);
        s.setLong(2, beforeId == null ? Long.MAX_VALUE : beforeId);
        s.setInt(3, size + 1);
        try (ResultSet rs = s.executeQuery()) {
          while (rs.next()) {
            double videoTime = rs.getDouble(6);
            newestFirst.add(
                new ChatMessage(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5),
                    rs.wasNull() ? null : videoTime, rs.getString(7), Map.of()));
          }
        }
      }
      boolean hasMore = newestFirst.size() > size;
      List<ChatMessage> page = new ArrayList<>(newestFirst.subList(0, Math.min(size, newestFirst.size())));
      java.util.Collections.reverse(page);
      if (page.isEmpty()) {
        return new Page(List.of(), false);
      }
      Map<Long, Map<String, List<String>>> reactions = reactions(c, roomId, page.get(0).id(), page.get(page.size() - 1).id());
      List<ChatMessage> withReactions =
          page.stream()
              .map(m -> new ChatMessage(m.id(), m.authorId(), m.authorName(), m.text(), m.at(), m.videoTime(),
                  m.itemId(), reactions.getOrDefault(m.id(), Map.of())))
              .toList();
      return new Page(withReactions, hasMore);
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot read chat history", e);
    }
  }

  private static Map<Long, Map<String, List<String>>> reactions(Connection c, String roomId, long from, long to)
      throws SQLException {
    Map<Long, Map<String, List<String>>> byMessage = new LinkedHashMap<>();
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT message_id, emoji, user_id FROM room_chat_reaction WHERE room_id = ? AND message_id BETWEEN ? AND ?"
                + " ORDER BY message_id, reacted_at, user_id")) {
      s.setString(1, roomId);
      s.setLong(2, from);
      s.setLong(3, to);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          byMessage
              .computeIfAbsent(rs.getLong(1), id -> new LinkedHashMap<>())
              .computeIfAbsent(rs.getString(2), e -> new ArrayList<>())
              .add(rs.getString(3));
        }
      }
    }
    return byMessage;
  }
}
