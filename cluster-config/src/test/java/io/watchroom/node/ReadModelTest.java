package io.watchroom.node;

import static io.watchroom.http.WsClient.msg;
import static io.watchroom.node.TestNodes.eventually;
import static io.watchroom.node.TestNodes.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.Config;
import io.watchroom.core.room.Room;
import io.watchroom.http.WsClient;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The read side on real storage: the directory and chat-history projections (exactly-once, their
 * offsets in the same database) and history replay from the journal, on H2 and on PostgreSQL,
 * including a restart in the middle.
 */
class ReadModelTest {


  @TempDir Path dataDir;

  @Test
  void onTheEmbeddedDatabase() throws Exception {
    readModelsFollowTheRooms(TestNodes.h2(dataDir));
  }

  @Test
  void onPostgres() throws Exception {
    String schema = "wr_read_" + Room.randomToken(8).toLowerCase().replaceAll("[^a-z0-9]", "x");
    try {
      readModelsFollowTheRooms(TestNodes.postgres(dataDir, schema));
    } finally {
      TestNodes.dropSchema(schema);
    }
  }

  private void readModelsFollowTheRooms(Config config) throws Exception {
    String video = TestNodes.clipUrl();
    String publicRoom;
    String privateRoom;
    String owner;
    String bobToken;
    long activeBeforeRestart;
    try (WatchroomNode node = WatchroomNode.start(config)) {
      owner = TestNodes.guest(node, "Olive");
      bobToken = TestNodes.guest(node, "Bob");
      publicRoom = TestNodes.createRoom(node, owner, "{\"title\": \"Movie night\", \"visibility\": \"public\"}");
      privateRoom = TestNodes.createRoom(node, owner, "{\"title\": \"Secret\", \"visibility\": \"private\"}");
      TestNodes.createRoom(node, owner, "{\"title\": \"Just a link\"}");

      try (WsClient olive = WsClient.join(TestNodes.ws(node, publicRoom), owner);
          WsClient bob = WsClient.join(TestNodes.ws(node, publicRoom), bobToken)) {
        olive.send(msg("set_media").put("url", video).put("title", "Read model"));
        bob.await("media");
        for (int i = 1; i <= 5; i++) {
          bob.send(msg("chat").put("text", "message " + i).put("videoTime", i * 1.5));
          final int n = i;
          olive.await("chat", c -> c.at("/message/text").asText().equals("message " + n));
        }
        olive.send(msg("react").put("message", 2).put("emoji", "\uD83D\uDD25"));
        bob.await("chat", c -> c.at("/message/reactions").size() == 1);

        // The directory lists public rooms only, with who is in them and what plays.
        eventually("the public room is listed with two members", () -> {
          JsonNode rooms = get(node, "api/rooms", null, 200).get("rooms");
          JsonNode room = find(rooms, publicRoom);
          return room != null && room.get("membersOnline").asInt() == 2
              && "Read model".equals(room.at("/nowPlaying/title").asText());
        });
        JsonNode listed = get(node, "api/rooms", null, 200).get("rooms");
        assertEquals(null, find(listed, privateRoom));
        JsonNode room = find(listed, publicRoom);
        assertEquals("Movie night", room.get("title").asText());
        assertEquals("public", room.get("visibility").asText());
        assertEquals(video, room.at("/nowPlaying/url").asText());

        // "My rooms" has all three.
        JsonNode mine = get(node, "api/me", owner, 200).get("rooms");
        assertEquals(3, mine.size());

        // The chat history pages back from the newest message.
        eventually("the chat history has every message", () ->
            get(node, "api/rooms/" + publicRoom + "/chat?limit=10", null, 200).get("messages").size() == 5);
        JsonNode page = get(node, "api/rooms/" + publicRoom + "/chat?limit=2", null, 200);
        assertTrue(page.get("hasMore").asBoolean());
        assertEquals(List.of("message 4", "message 5"), texts(page));
        JsonNode older = get(node, "api/rooms/" + publicRoom + "/chat?before=4&limit=2", null, 200);
        assertEquals(List.of("message 2", "message 3"), texts(older));
        eventually("the reaction is in the history", () ->
            get(node, "api/rooms/" + publicRoom + "/chat?before=3&limit=1", null, 200)
                .at("/messages/0/reactions/\uD83D\uDD25").size() == 1);
        assertEquals(4.5, older.at("/messages/1/videoTime").asDouble());
      }

      // Bob left; the directory counts him out after the leave grace.
      eventually("the directory counts the leavers", () ->
          find(get(node, "api/rooms", null, 200).get("rooms"), publicRoom).get("membersOnline").asInt() == 0);
      // Its last activity is the time of the room's latest event (the leave).
      eventually("the directory's last activity is the latest event", () ->
          find(get(node, "api/rooms", null, 200).get("rooms"), publicRoom).get("lastActivity").asLong()
              == latestEventAt(node, publicRoom));
      JsonNode idle = find(get(node, "api/rooms", null, 200).get("rooms"), publicRoom);
      activeBeforeRestart = idle.get("lastActivity").asLong();
      assertTrue(activeBeforeRestart > idle.get("createdAt").asLong());

      // History: the journal in order, and the state at any event.
      JsonNode history = get(node, "api/rooms/" + publicRoom + "/history?from=1&limit=3", null, 200);
      assertEquals(3, history.get("events").size());
      assertEquals(4, history.get("next").asLong());
      assertEquals("RoomCreated", history.at("/events/0/type").asText());
      assertEquals(1, history.at("/events/0/seq").asLong());
      assertEquals("Movie night", history.at("/events/0/event/settings/title").asText());
      assertEquals("MemberJoined", history.at("/events/1/type").asText());
      assertEquals(history.at("/events/1/event/member/id").asText(), history.at("/events/1/by").asText());
      JsonNode atStart = get(node, "api/rooms/" + publicRoom + "/history/state?at=1", null, 200);
      assertTrue(atStart.at("/room/members").isEmpty());
      assertTrue(atStart.at("/room/media").isNull());
      JsonNode all = get(node, "api/rooms/" + publicRoom + "/history?limit=500", null, 200).get("events");
      long last = all.get(all.size() - 1).get("seq").asLong();
      JsonNode atEnd = get(node, "api/rooms/" + publicRoom + "/history/state?at=" + last, null, 200);
      JsonNode live = TestNodes.getRoom(node, publicRoom);
      for (String field : List.of("media", "playback", "queue", "chat", "settings")) {
        JsonNode replayed = atEnd.get("room").get(field).deepCopy();
        JsonNode now = live.get(field).deepCopy();
        if (field.equals("settings")) {
          ((com.fasterxml.jackson.databind.node.ObjectNode) replayed).remove("invite");
          ((com.fasterxml.jackson.databind.node.ObjectNode) now).remove("invite");
        }
        assertEquals(now, replayed, field);
      }
      get(node, "api/rooms/" + publicRoom + "/history/state?at=" + (last + 1), null, 404);

      // A private room's history is for its owner and moderators only: not for a guest the
      // invite admitted, nor for a member; a moderator may read it, the owner too.
      String invite = get(node, "api/rooms/" + privateRoom, owner, 200).at("/settings/invite").asText();
      try (WsClient olive = WsClient.join(TestNodes.ws(node, privateRoom), owner);
          WsClient bob = WsClient.join(TestNodes.ws(node, privateRoom), bobToken, invite)) {
        String bobId = bob.welcome().at("/you/id").asText();
        get(node, "api/rooms/" + privateRoom + "/history", bobToken, 403);
        for (String role : List.of("member", "moderator")) {
          olive.send(msg("set_role").put("member", bobId).put("role", role));
          bob.await("member_role", m -> m.at("/member/id").asText().equals(bobId) && m.at("/member/role").asText().equals(role));
          int expected = role.equals("moderator") ? 200 : 403;
          get(node, "api/rooms/" + privateRoom + "/history", bobToken, expected);
          get(node, "api/rooms/" + privateRoom + "/history/state?at=1", bobToken, expected);
        }
        JsonNode read = get(node, "api/rooms/" + privateRoom + "/history", bobToken, 200);
        assertEquals("RoomCreated", read.at("/events/0/type").asText());
        assertEquals("Secret", read.at("/events/0/event/settings/title").asText());
        get(node, "api/rooms/" + privateRoom + "/history", owner, 200);
      }
    }

    // A new node on the same database: the projections go on from their stored offsets, so
    // nothing is counted or written twice, and new events still arrive.
    try (WatchroomNode node = WatchroomNode.start(config)) {
      try (WsClient olive = WsClient.join(TestNodes.ws(node, publicRoom), owner)) {
        olive.send(msg("chat").put("text", "after the restart"));
        olive.await("chat");
        eventually("the new message is in the history", () -> {
          JsonNode page = get(node, "api/rooms/" + publicRoom + "/chat?limit=100", null, 200);
          return texts(page).equals(List.of("message 1", "message 2", "message 3", "message 4", "message 5", "after the restart"));
        });
        eventually("the directory counts exactly one member", () ->
            find(get(node, "api/rooms", null, 200).get("rooms"), publicRoom).get("membersOnline").asInt() == 1);
        // Joining and chatting moved the last activity on, to the latest event.
        eventually("the directory's last activity follows the new events", () ->
            find(get(node, "api/rooms", null, 200).get("rooms"), publicRoom).get("lastActivity").asLong()
                == latestEventAt(node, publicRoom));
        assertTrue(find(get(node, "api/rooms", null, 200).get("rooms"), publicRoom).get("lastActivity").asLong()
            > activeBeforeRestart);
      }
      assertFalse(get(node, "api/me", owner, 200).get("rooms").isEmpty());
    }
  }

  /** When the room's latest event happened, from its journal. */
  private static long latestEventAt(WatchroomNode node, String roomId) throws Exception {
    JsonNode events = get(node, "api/rooms/" + roomId + "/history?limit=500", null, 200).get("events");
    return events.get(events.size() - 1).get("at").asLong();
  }

  private static JsonNode find(JsonNode rooms, String id) {
    for (JsonNode room : rooms) {
      if (room.get("id").asText().equals(id)) {
        return room;
      }
    }
    return null;
  }

  private static List<String> texts(JsonNode page) {
    List<String> texts = new ArrayList<>();
    page.get("messages").forEach(m -> texts.add(m.get("text").asText()));
    return texts;
  }
}
