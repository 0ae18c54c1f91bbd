package io.watchroom.node;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads a room's history (and a video's events) straight from the journal and checks what only a single
 * writer can produce: sequence numbers 1..N without gaps, and incarnations (the journal's {@code
 * writer} column, one per running instance of the entity) that follow each other and never
 * return: if a room had been active on two nodes at once, their writes would interleave, or the
 * second writer's would collide with the first's sequence numbers and fail.
 */
final class JournalAudit {

  record Row(long sequenceNr, String writer, String manifest, JsonNode payload) {}

  record History(String roomId, List<Row> rows) {

    /** Positions of every persisted seek. */
    Set<Double> seekPositions() {
      Set<Double> positions = new HashSet<>();
      for (Row row : rows) {
        if (row.manifest().endsWith("PlaybackSeeked")) {
          positions.add(row.payload().get("position").asDouble());
        }
      }
      return positions;
    }

    /** The position of the newest persisted seek, or NaN. */
    double lastSeekPosition() {
      for (int i = rows.size() - 1; i >= 0; i--) {
        if (rows.get(i).manifest().endsWith("PlaybackSeeked")) {
          return rows.get(i).payload().get("position").asDouble();
        }
      }
      return Double.NaN;
    }

    /** The writers in the order they took over. */
    List<String> incarnations() {
      return List.copyOf(new LinkedHashSet<>(rows.stream().map(Row::writer).toList()));
    }

    /** Every violation of single-writer history, in words; empty when the history is sound. */
    List<String> violations() {
      List<String> problems = new ArrayList<>();
      for (int i = 0; i < rows.size(); i++) {
        if (rows.get(i).sequenceNr() != i + 1) {
          problems.add(roomId + ": sequence number " + rows.get(i).sequenceNr() + " at position " + (i + 1));
          break;
        }
      }
      Set<String> finished = new HashSet<>();
      String current = null;
      for (Row row : rows) {
        if (!row.writer().equals(current)) {
          if (finished.contains(row.writer())) {
            problems.add(roomId + ": writer " + row.writer() + " wrote again at " + row.sequenceNr()
                + " after another instance had taken over");
          }
          if (current != null) {
            finished.add(current);
          }
          current = row.writer();
        }
      }
      return problems;
    }
  }

  private JournalAudit() {}

  static History read(String schema, String roomId) throws Exception {
    try (Connection c = DriverManager.getConnection(TestNodes.PG_URL, TestNodes.PG_USER, TestNodes.PG_PASSWORD);
        PreparedStatement s =
            c.prepareStatement(
                "SELECT sequence_number, writer, event_ser_manifest, event_payload FROM " + schema
                    + ".event_journal WHERE persistence_id = ? ORDER BY sequence_number")) {
      s.setString(1, "Room|" + roomId);
      List<Row> rows = new ArrayList<>();
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          rows.add(
              new Row(
                  rs.getLong(1),
                  rs.getString(2),
                  rs.getString(3),
                  Watcher.JSON.readTree(new String(rs.getBytes(4), StandardCharsets.UTF_8))));
        }
      }
      return new History(roomId, rows);
    }
  }

  /**
   * A video's events in order, each its JSON with its simple class name as {@code name}; {@code
   * schema} null for the connection's default schema. Quoted names: H2 and PostgreSQL both.
   */
  static List<JsonNode> videoEvents(Connection c, String schema, String videoId) throws Exception {
    String table = (schema == null ? "" : "\"" + schema + "\".") + "\"event_journal\"";
    List<JsonNode> events = new ArrayList<>();
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT \"event_ser_manifest\", \"event_payload\" FROM " + table
                + " WHERE \"persistence_id\" = ? ORDER BY \"sequence_number\"")) {
      s.setString(1, "Video|" + videoId);
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          String manifest = r.getString(1);
          com.fasterxml.jackson.databind.node.ObjectNode event =
              (com.fasterxml.jackson.databind.node.ObjectNode) Watcher.JSON.readTree(r.getBytes(2));
          event.put("name", manifest.substring(manifest.lastIndexOf('$') + 1));
          events.add(event);
        }
      }
    }
    return events;
  }
}
