package io.watchroom.http;

import static io.watchroom.http.WsClient.msg;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The room WebSocket against a real server on an ephemeral port, with real WebSocket clients. */
class RoomSocketTest {

  private static final String VIDEO = "https://media.example.org/clips/sunrise.mp4";
  private static TestNode node;

  @BeforeAll
  static void start() throws Exception {
    node = TestNode.start("RoomSocketTest");
  }

  @AfterAll
  static void stop() throws Exception {
    node.close();
  }

  @Test
  void twoClientsSeeEachOthersActions() throws Exception {
    String annToken = node.guest("Ann");
    String roomId = node.createRoom(annToken, "{}");
    try (WsClient ann = WsClient.connect(node.wsUrl(roomId))) {
      ann.send(msg("join").put("token", annToken));
      JsonNode welcome = ann.await("welcome");
      assertEquals("Ann", welcome.at("/you/name").asText());
      assertEquals("owner", welcome.at("/you/role").asText());
      assertEquals(roomId, welcome.at("/room/id").asText());
      assertTrue(welcome.get("serverTime").isIntegralNumber());
      String annId = welcome.at("/you/id").asText();

      try (WsClient bob = WsClient.join(node.wsUrl(roomId), node.guest("Bob"))) {
        JsonNode joined = ann.await("member_joined");
        assertEquals("Bob", joined.at("/member/name").asText());
        assertEquals("guest", joined.at("/member/role").asText());
        String bobId = joined.at("/member/id").asText();

        bob.send(msg("set_media").put("url", VIDEO));
        for (WsClient client : new WsClient[] {ann, bob}) {
          JsonNode media = client.await("media");
          assertEquals(VIDEO, media.get("url").asText());
          assertEquals("sunrise.mp4", media.get("title").asText());
          assertTrue(media.get("duration").isNull());
          assertEquals(bobId, media.get("by").asText());
          JsonNode reset = client.await("playback");
          assertFalse(reset.get("playing").asBoolean());
          assertEquals(0.0, reset.get("position").asDouble());
        }

        ann.send(msg("play"));
        JsonNode playing = bob.await("playback", p -> p.get("playing").asBoolean());
        assertEquals(annId, playing.get("by").asText());
        assertTrue(playing.get("anchor").asLong() > 0);

        ann.send(msg("seek").put("position", 42.5));
        JsonNode seeked = bob.await("playback", p -> p.get("position").asDouble() != 0.0);
        assertEquals(42.5, seeked.get("position").asDouble());
        assertTrue(seeked.get("playing").asBoolean());

        bob.send(msg("rate").put("rate", 1.5));
        JsonNode faster = ann.await("playback", p -> p.get("rate").asDouble() != 1.0);
        assertEquals(1.5, faster.get("rate").asDouble());
        assertEquals(bobId, faster.get("by").asText());

        bob.send(msg("pause"));
        JsonNode paused = ann.await("playback", p -> !p.get("playing").asBoolean());
        assertTrue(paused.get("position").asDouble() >= 42.5);

        bob.send(msg("duration").put("url", VIDEO).put("duration", 120.0));
        assertEquals(120.0, ann.await("media", m -> !m.get("duration").isNull()).get("duration").asDouble());

        ann.send(msg("rename").put("name", "Annie"));
        assertEquals("Annie", bob.await("member_renamed").at("/member/name").asText());
      }
      // Bob closed his page; after the leave grace the room says he left.
      JsonNode left = ann.await("member_left");
      assertEquals("Bob", left.at("/member/name").asText());
    }
  }

  @Test
  void theRoomStateFollowsTheSocketActions() throws Exception {
    String token = node.guest("Ann");
    String roomId = node.createRoom(token, "{}");
    try (WsClient ann = WsClient.join(node.wsUrl(roomId), token)) {
      ann.send(msg("set_media").put("url", VIDEO).put("title", "Sunrise"));
      ann.await("media");
      ann.send(msg("seek").put("position", 10));
      ann.await("playback", p -> p.get("position").asDouble() == 10.0);
      JsonNode room = node.json(node.get("/api/rooms/" + roomId, null));
      assertEquals("Sunrise", room.at("/media/title").asText());
      assertEquals(10.0, room.at("/playback/position").asDouble());
      assertEquals(1, room.get("members").size());
    }
  }

  @Test
  void malformedFramesGetAnErrorAndTheConnectionGoesOn() throws Exception {
    String token = node.guest("Ann");
    String roomId = node.createRoom(token, "{}");
    try (WsClient ann = WsClient.join(node.wsUrl(roomId), token);
        WsClient bob = WsClient.join(node.wsUrl(roomId), node.guest("Bob"))) {
      ann.send(msg("set_media").put("url", VIDEO));
      bob.await("media");

      assertError(ann, "not json at all", "bad_json");
      assertError(ann, "[1, 2, 3]", "bad_json");
      assertError(ann, "{\"no\": \"type\"}", "unknown_type");
      assertError(ann, "{\"type\": \"explode\"}", "unknown_type");
      assertError(ann, "{\"type\": \"seek\"}", "invalid");
      assertError(ann, "{\"type\": \"seek\", \"position\": \"ten\"}", "invalid");
      assertError(ann, "{\"type\": \"rename\", \"name\": 7}", "invalid");
      assertError(ann, "{\"type\": \"drift\", \"ms\": 1e12}", "invalid");
      assertError(ann, "{\"type\": \"time\", \"t0\": 1, \"ref\": 5}", "invalid");
      assertError(ann, "{\"type\": \"status\", \"state\": \"sleepy\"}", "invalid");
      assertError(ann, "{\"type\": \"queue_move\", \"item\": \"i1\", \"to\": 1.5}", "invalid");
      assertError(ann, "{\"type\": \"settings\", \"queueMode\": \"random\"}", "invalid");
      assertError(ann, "{\"type\": \"settings\", \"permissions\": {\"fly\": \"guest\"}}", "invalid");
      assertError(ann, "{\"type\": \"set_role\", \"member\": \"x\", \"role\": \"emperor\"}", "invalid");
      // Range checks come from the room itself.
      assertError(ann, "{\"type\": \"seek\", \"position\": -1}", "invalid");
      assertError(ann, "{\"type\": \"rate\", \"rate\": 9}", "invalid");
      assertError(ann, "{\"type\": \"rate\", \"rate\": 0.1}", "invalid");
      assertError(ann, "{\"type\": \"set_media\", \"url\": \"javascript:alert(1)\"}", "not_a_url");
      assertError(ann, "{\"type\": \"rename\", \"name\": \"\"}", "invalid");
      assertError(ann, "{\"type\": \"seek\", \"position\": " + "1".repeat(20_000) + "}", "too_large");
      ann.sendBinary(new byte[] {1, 2, 3});
      assertEquals("unsupported", ann.await("error").get("code").asText());

      // The ref of a refused action comes back with its error.
      ann.sendText("{\"type\": \"rate\", \"rate\": 99, \"ref\": \"r-17\"}");
      assertEquals("r-17", ann.await("error").get("ref").asText());

      // Nobody else saw any of it, and both connections still work.
      bob.expectNo("error", Duration.ofMillis(300));
      ann.send(msg("seek").put("position", 5));
      assertEquals(5.0, bob.await("playback").get("position").asDouble());
      ann.send(msg("time").put("t0", 123.5));
      assertEquals(123.5, ann.await("time").get("t0").asDouble());
    }
  }

  @Test
  void roomActionsNeedAJoinFirst() throws Exception {
    String roomId = node.createRoom(node.guest("Owner"), "{}");
    try (WsClient stranger = WsClient.connect(node.wsUrl(roomId))) {
      stranger.send(msg("play").put("ref", "p1"));
      JsonNode error = stranger.await("error");
      assertEquals("not_joined", error.get("code").asText());
      assertEquals("p1", error.get("ref").asText());
      stranger.send(msg("join").put("token", "v1.not.a-token"));
      assertEquals("unauthorized", stranger.await("error").get("code").asText());
    }
  }

  @Test
  void playbackNeedsMedia() throws Exception {
    String token = node.guest("Ann");
    String roomId = node.createRoom(token, "{}");
    try (WsClient ann = WsClient.join(node.wsUrl(roomId), token)) {
      ann.send(msg("play"));
      assertEquals("no_media", ann.await("error").get("code").asText());
    }
  }

  @Test
  void clockProbesAreAnsweredBeforeJoining() throws Exception {
    String roomId = node.createRoom(node.guest("Owner"), "{}");
    try (WsClient client = WsClient.connect(node.wsUrl(roomId))) {
      long before = System.currentTimeMillis();
      client.send(msg("time").put("t0", 1000.25));
      JsonNode time = client.await("time");
      long after = System.currentTimeMillis();
      assertEquals(1000.25, time.get("t0").asDouble());
      double t1 = time.get("t1").asDouble();
      assertTrue(t1 >= before && t1 <= after + 1, "server time " + t1 + " outside [" + before + ", " + after + "]");
    }
  }

  @Test
  void aWelcomeCarriesTheWholeRoom() throws Exception {
    String token = node.guest("Ann");
    String roomId = node.createRoom(token, "{}");
    try (WsClient ann = WsClient.join(node.wsUrl(roomId), token)) {
      ann.send(msg("queue_add").put("url", VIDEO));
      ann.await("media");
      ann.send(msg("queue_add").put("url", VIDEO + "?next"));
      ann.await("queue", q -> q.get("items").size() == 1);
      ann.send(msg("chat").put("text", "hello"));
      ann.await("chat");
      ann.send(msg("play"));
      ann.await("playback", p -> p.get("playing").asBoolean());
      try (WsClient late = WsClient.join(node.wsUrl(roomId), node.guest("Late"))) {
        JsonNode room = late.welcome().get("room");
        assertEquals(VIDEO, room.at("/media/url").asText());
        assertTrue(room.at("/playback/playing").asBoolean());
        assertEquals(2, room.get("members").size());
        assertEquals(1, room.get("queue").size());
        assertEquals("hello", room.at("/chat/0/text").asText());
        assertTrue(room.at("/settings/invite").isNull(), "a guest does not see the invite");
      }
    }
  }

  // --- rights, bans, private rooms ---------------------------------------------------------------

  @Test
  void aGuestWithoutTheRightCannotSeek() throws Exception {
    String ownerToken = node.guest("Olive");
    String roomId = node.createRoom(ownerToken, "{}");
    try (WsClient owner = WsClient.join(node.wsUrl(roomId), ownerToken);
        WsClient guest = WsClient.join(node.wsUrl(roomId), node.guest("Gus"))) {
      owner.send(msg("set_media").put("url", VIDEO));
      guest.await("media");
      owner.await("playback");
      owner.sendText("{\"type\": \"settings\", \"permissions\": {\"control_playback\": \"member\"}}");
      assertEquals("member", guest.await("settings").at("/settings/permissions/control_playback").asText());

      guest.send(msg("seek").put("position", 30).put("ref", "s1"));
      JsonNode refused = guest.await("error");
      assertEquals("forbidden", refused.get("code").asText());
      assertEquals("s1", refused.get("ref").asText());
      owner.expectNo("playback", Duration.ofMillis(300));
      // The owner still may.
      owner.send(msg("seek").put("position", 30));
      assertEquals(30.0, guest.await("playback").get("position").asDouble());
    }
  }

  @Test
  void aBannedMemberCannotRejoin() throws Exception {
    String ownerToken = node.guest("Olive");
    String roomId = node.createRoom(ownerToken, "{}");
    String trollToken = node.guest("Troll");
    try (WsClient owner = WsClient.join(node.wsUrl(roomId), ownerToken)) {
      WsClient troll = WsClient.join(node.wsUrl(roomId), trollToken);
      String trollId = troll.welcome().at("/you/id").asText();
      owner.send(msg("ban").put("member", trollId).put("reason", "spam"));
      JsonNode removed = troll.await("removed");
      assertTrue(removed.get("banned").asBoolean());
      assertEquals("spam", removed.get("reason").asText());
      assertTrue(troll.closed().get(5, TimeUnit.SECONDS) != null, "the banned connection is closed");
      assertEquals(trollId, owner.await("member_left").at("/member/id").asText());

      try (WsClient again = WsClient.connect(node.wsUrl(roomId))) {
        again.send(msg("join").put("token", trollToken));
        JsonNode refused = again.await("error");
        assertEquals("banned", refused.get("code").asText());
        assertTrue(refused.get("message").asText().contains("spam"));
      }
      troll.close();
    }
  }

  @Test
  void aPrivateRoomRefusesAJoinWithoutItsInvite() throws Exception {
    String ownerToken = node.guest("Olive");
    String roomId = node.createRoom(ownerToken, "{\"visibility\": \"private\"}");
    try (WsClient owner = WsClient.join(node.wsUrl(roomId), ownerToken)) {
      String invite = owner.welcome().at("/room/settings/invite").asText();
      assertEquals(16, invite.length());
      String guestToken = node.guest("Gus");
      try (WsClient noInvite = WsClient.connect(node.wsUrl(roomId))) {
        noInvite.send(msg("join").put("token", guestToken));
        assertEquals("forbidden", noInvite.await("error").get("code").asText());
        noInvite.send(msg("join").put("token", guestToken).put("invite", "not-the-invite"));
        assertEquals("forbidden", noInvite.await("error").get("code").asText());
      }
      try (WsClient invited = WsClient.join(node.wsUrl(roomId), guestToken, invite)) {
        assertEquals(roomId, invited.welcome().at("/room/id").asText());
        owner.await("member_joined");
      }
    }
  }

  private static void assertError(WsClient client, String frame, String code) throws Exception {
    client.sendText(frame);
    JsonNode error = client.await("error");
    assertEquals(code, error.get("code").asText(), () -> "for " + frame.substring(0, Math.min(80, frame.length())) + ": " + error);
    assertFalse(error.get("message").asText().isBlank());
  }
}
