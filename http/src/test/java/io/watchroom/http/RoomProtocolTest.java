package io.watchroom.http;

import static io.watchroom.http.WsClient.msg;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every room message of the protocol over real sockets: what a client sends and what the others
 * see (docs/protocol.md has an example of each).
 */
class RoomProtocolTest {

  private static final String A = "https://media.example.org/a.mp4";
  private static final String B = "https://media.example.org/b.mp4";
  private static final String C = "https://media.example.org/c.mp4";
  private static TestNode node;

  private String roomId;
  private String ownerToken;

  @BeforeAll
  static void start() throws Exception {
    node = TestNode.start("RoomProtocolTest");
  }

  @AfterAll
  static void stop() throws Exception {
    node.close();
  }

  @BeforeEach
  void newRoom() throws Exception {
    ownerToken = node.guest("Olive");
    roomId = node.createRoom(ownerToken, "{\"title\": \"Protocol\"}");
  }

  @Test
  void queueMessages() throws Exception {
    try (WsClient owner = WsClient.join(node.wsUrl(roomId), ownerToken);
        WsClient bob = WsClient.join(node.wsUrl(roomId), node.guest("Bob"))) {
      owner.send(msg("queue_add").put("url", A).put("title", "Alpha").put("duration", 90.5).put("thumbnail", "https://media.example.org/a.jpg"));
      JsonNode media = bob.await("media");
      assertEquals("i1", media.get("id").asText());
      assertEquals("Alpha", media.get("title").asText());
      assertEquals(90.5, media.get("duration").asDouble());
      assertEquals("https://media.example.org/a.jpg", media.get("thumbnail").asText());

      owner.send(msg("queue_add").put("url", B));
      owner.send(msg("queue_add").put("url", C));
      JsonNode queue = bob.await("queue", q -> q.get("items").size() == 2);
      assertEquals("i2", queue.at("/items/0/id").asText());
      assertTrue(queue.get("canUndo").asBoolean());

      owner.send(msg("queue_move").put("item", "i3").put("to", 0));
      assertEquals("i3", bob.await("queue", q -> q.at("/items/0/id").asText().equals("i3")).at("/items/0/id").asText());

      owner.send(msg("queue_remove").put("item", "i2"));
      assertEquals(1, bob.await("queue", q -> q.get("items").size() == 1).get("items").size());

      owner.send(msg("queue_undo"));
      JsonNode undone = bob.await("queue", q -> q.get("items").size() == 2);
      assertFalse(undone.get("canUndo").asBoolean());

      owner.send(msg("queue_play_now").put("item", "i2"));
      assertEquals("i2", bob.await("media", m -> "i2".equals(m.get("id").asText())).get("id").asText());
      assertTrue(bob.await("playback", p -> p.get("playing").asBoolean()).get("playing").asBoolean());

      owner.send(msg("skip"));
      assertEquals("i3", bob.await("media", m -> "i3".equals(m.get("id").asText())).get("id").asText());

      owner.send(msg("queue_add").put("url", A));
      bob.await("queue", q -> q.get("items").size() == 1);
      owner.send(msg("queue_clear"));
      assertEquals(0, bob.await("queue", q -> q.get("items").size() == 0).get("items").size());

      // A room can keep reordering to members.
      owner.sendText("{\"type\": \"settings\", \"permissions\": {\"queue_reorder\": \"member\"}}");
      bob.await("settings");
      bob.send(msg("queue_move").put("item", "i9").put("to", 0));
      assertEquals("forbidden", bob.await("error").get("code").asText());
    }
  }

  @Test
  void voteMessages() throws Exception {
    try (WsClient owner = WsClient.join(node.wsUrl(roomId), ownerToken);
        WsClient bob = WsClient.join(node.wsUrl(roomId), node.guest("Bob"))) {
      owner.send(msg("settings").put("queueMode", "vote"));
      assertEquals("vote", bob.await("settings").at("/settings/queueMode").asText());
      owner.send(msg("queue_add").put("url", A));
      owner.send(msg("queue_add").put("url", B));
      owner.send(msg("queue_add").put("url", C));
      bob.await("queue", q -> q.get("items").size() == 2);
      bob.send(msg("vote").put("item", "i3").put("up", true));
      JsonNode voted = owner.await("queue", q -> q.at("/items/0/id").asText().equals("i3"));
      assertEquals(bob.welcome().at("/you/id").asText(), voted.at("/items/0/voters/0").asText());

      owner.send(msg("settings").put("voteSkipRatio", 1.0));
      bob.await("settings", st -> st.at("/settings/voteSkipRatio").asDouble() == 1.0);
      bob.send(msg("vote_skip").put("skip", true));
      JsonNode votes = owner.await("skip_votes", v -> v.get("votes").asInt() == 1);
      assertEquals(2, votes.get("needed").asInt());
      owner.send(msg("vote_skip").put("skip", true));
      // Both present voted, so the room moved on to the most voted.
      assertEquals("i3", owner.await("media", m -> "i3".equals(m.get("id").asText())).get("id").asText());
    }
  }

  @Test
  void chatReactionsTypingAndStatus() throws Exception {
    try (WsClient owner = WsClient.join(node.wsUrl(roomId), ownerToken);
        WsClient bob = WsClient.join(node.wsUrl(roomId), node.guest("Bob"))) {
      String bobId = bob.welcome().at("/you/id").asText();
      owner.send(msg("queue_add").put("url", A));
      bob.await("media");
      bob.send(msg("typing").put("typing", true));
      JsonNode typing = owner.await("presence", p -> p.at("/status/typing").asBoolean());
      assertEquals(bobId, typing.get("member").asText());

      bob.send(msg("chat").put("text", "<img src=x onerror=alert(1)> hi").put("videoTime", 12.5));
      JsonNode chat = owner.await("chat");
      assertEquals("<img src=x onerror=alert(1)> hi", chat.at("/message/text").asText());
      assertEquals(12.5, chat.at("/message/videoTime").asDouble());
      assertEquals("i1", chat.at("/message/itemId").asText());
      assertEquals(bobId, chat.at("/message/authorId").asText());
      assertEquals("Bob", chat.at("/message/authorName").asText());
      long messageId = chat.at("/message/id").asLong();
      assertFalse(owner.await("presence", p -> p.get("member").asText().equals(bobId)).at("/status/typing").asBoolean());

      owner.send(msg("react").put("message", messageId).put("emoji", "\uD83D\uDC4D"));
      JsonNode reacted = bob.await("chat", c -> c.at("/message/reactions").size() == 1);
      assertEquals(1, reacted.at("/message/reactions/\uD83D\uDC4D").size());

      bob.send(msg("status").put("state", "buffering").put("rtt", 35.5));
      assertEquals("buffering", owner.await("presence", p -> p.at("/status/player").asText().equals("buffering")).at("/status/player").asText());

      bob.send(msg("chat").put("text", "x".repeat(2001)));
      assertEquals("invalid", bob.await("error").get("code").asText());
    }
  }

  @Test
  void settingsInviteRolesAndModeration() throws Exception {
    try (WsClient owner = WsClient.join(node.wsUrl(roomId), ownerToken);
        WsClient bob = WsClient.join(node.wsUrl(roomId), node.guest("Bob"));
        WsClient cat = WsClient.join(node.wsUrl(roomId), node.guest("Cat"))) {
      String bobId = bob.welcome().at("/you/id").asText();
      String catId = cat.welcome().at("/you/id").asText();

      owner.sendText("{\"type\": \"settings\", \"title\": \"Renamed\", \"description\": \"d\", \"visibility\": \"private\","
          + " \"temporary\": true, \"playbackMode\": \"wait_for_everyone\", \"voteSkipRatio\": 0.75,"
          + " \"permissions\": {\"chat\": \"member\"}}");
      JsonNode settings = bob.await("settings").get("settings");
      assertEquals("Renamed", settings.get("title").asText());
      assertEquals("private", settings.get("visibility").asText());
      assertEquals("wait_for_everyone", settings.get("playbackMode").asText());
      assertEquals(0.75, settings.get("voteSkipRatio").asDouble());
      assertEquals("member", settings.at("/permissions/chat").asText());
      assertTrue(settings.get("invite").isNull());

      owner.send(msg("rotate_invite"));
      String invite = owner.await("invite").get("token").asText();
      assertEquals(16, invite.length());
      bob.expectNo("invite", Duration.ofMillis(200));

      owner.send(msg("set_role").put("member", bobId).put("role", "moderator"));
      assertEquals("moderator", cat.await("member_role").at("/member/role").asText());
      assertEquals(invite, bob.await("invite").get("token").asText());

      bob.send(msg("kick").put("member", catId).put("reason", "testing"));
      JsonNode kicked = cat.await("removed");
      assertFalse(kicked.get("banned").asBoolean());
      assertEquals("testing", kicked.get("reason").asText());
      assertEquals(bobId, kicked.get("by").asText());
      assertEquals(catId, owner.await("member_left").at("/member/id").asText());

      owner.send(msg("unban").put("member", catId));
      owner.send(msg("drift").put("ms", -4.5));
      owner.send(msg("duration").put("url", A).put("duration", 10.0));
      owner.expectNo("error", Duration.ofMillis(300));
    }
  }

  @Test
  void aLinkThatCannotBePlayedIsRefusedWithTheResolversReason() throws Exception {
    try (WsClient owner = WsClient.join(node.wsUrl(roomId), ownerToken)) {
      owner.send(msg("queue_add").put("url", "https://fails.example.org/watch?v=1").put("ref", "q1"));
      JsonNode error = owner.await("error");
      assertEquals("unsupported_site", error.get("code").asText());
      assertEquals("q1", error.get("ref").asText());
      owner.send(msg("set_media").put("url", "https://fails.example.org/watch?v=2"));
      assertEquals("unsupported_site", owner.await("error").get("code").asText());
      owner.expectNo("queue", Duration.ofMillis(200));
    }
  }

  @Test
  void linksAreQueuedInTheOrderTheyWereSentHoweverLongEachTakesToRead() throws Exception {
    String slowest = "https://slow.example.org/600/first.mp4";
    String slower = "https://slow.example.org/300/second.mp4";
    try (WsClient owner = WsClient.join(node.wsUrl(roomId), ownerToken)) {
      owner.send(msg("queue_add").put("url", slowest));
      owner.send(msg("queue_add").put("url", slower));
      owner.send(msg("queue_add").put("url", A));
      owner.send(msg("queue_add").put("url", B));
      assertEquals(slowest, owner.await("media").get("url").asText());
      JsonNode queue = owner.await("queue", q -> q.get("items").size() == 3);
      assertEquals(slower, queue.at("/items/0/url").asText());
      assertEquals(A, queue.at("/items/1/url").asText());
      assertEquals(B, queue.at("/items/2/url").asText());
    }
  }

  @Test
  void aFloodOfLinksIsCutOffWhileAPastedBurstIsKept() throws Exception {
    try (WsClient owner = WsClient.join(node.wsUrl(roomId), ownerToken)) {
      for (int i = 0; i < 30; i++) {
        owner.send(msg("queue_add").put("url", "https://slow.example.org/400/" + i + ".mp4").put("ref", "add-" + i));
      }
      // Everything beyond what may wait is refused at once, with the reference of the refused add.
      for (int i = 25; i < 30; i++) {
        JsonNode error = owner.await("error");
        assertEquals("rate_limited", error.get("code").asText());
        assertEquals("add-" + i, error.get("ref").asText());
      }
      owner.await("queue", q -> q.get("items").size() == 24);
      owner.expectNo("error", Duration.ofMillis(200));
    }
  }

  @Test
  void aRefusedJoinCanBeRetriedOnTheSameSocket() throws Exception {
    try (WsClient client = WsClient.connect(node.wsUrl(roomId))) {
      client.send(msg("join").put("token", "bad"));
      assertEquals("unauthorized", client.await("error").get("code").asText());
      client.send(msg("join").put("token", node.guest("Retry")));
      assertEquals("Retry", client.await("welcome").at("/you/name").asText());
    }
  }
}
