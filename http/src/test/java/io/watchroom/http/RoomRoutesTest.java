package io.watchroom.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RoomRoutesTest {

  private static TestNode node;
  private static String token;

  @BeforeAll
  static void start() throws Exception {
    node = TestNode.start("RoomRoutesTest");
    token = node.guest("Olive");
  }

  @AfterAll
  static void stop() throws Exception {
    node.close();
  }

  @Test
  void createThenReadARoom() throws Exception {
    HttpResponse<String> created = node.post("/api/rooms", "{\"title\": \"Film club\", \"visibility\": \"public\", \"temporary\": true}", token);
    assertEquals(201, created.statusCode(), created.body());
    String id = node.json(created).get("id").asText();
    assertTrue(id.matches("[A-Za-z0-9_-]{12}"), id);
    assertEquals("/rooms/" + id, created.headers().firstValue("Location").orElseThrow());

    HttpResponse<String> read = node.get("/api/rooms/" + id, null);
    assertEquals(200, read.statusCode());
    assertEquals("application/json", read.headers().firstValue("Content-Type").orElseThrow());
    JsonNode room = node.json(read);
    assertEquals(id, room.get("id").asText());
    assertEquals("Film club", room.get("title").asText());
    assertEquals("public", room.at("/settings/visibility").asText());
    assertTrue(room.at("/settings/temporary").asBoolean());
    assertEquals("manual", room.at("/settings/queueMode").asText());
    assertEquals("guest", room.at("/settings/permissions/control_playback").asText());
    assertTrue(room.at("/settings/invite").isNull(), "an anonymous reader does not see the invite");
    assertTrue(room.get("media").isNull());
    assertFalse(room.at("/playback/playing").asBoolean());
    assertEquals(0.0, room.at("/playback/position").asDouble());
    assertEquals(1.0, room.at("/playback/rate").asDouble());
    assertTrue(room.at("/playback/anchor").isIntegralNumber());
    assertTrue(room.get("members").isArray());
    assertTrue(room.get("queue").isArray());
    assertTrue(room.get("chat").isArray());
    assertEquals("guest", room.get("viewerRole").asText());
    assertTrue(room.get("serverTime").asLong() >= room.get("createdAt").asLong());

    // The owner sees their role and the invite token.
    JsonNode asOwner = node.json(node.get("/api/rooms/" + id, token));
    assertEquals("owner", asOwner.get("viewerRole").asText());
    assertEquals(16, asOwner.at("/settings/invite").asText().length());
    assertFalse(asOwner.get("ownerId").asText().isEmpty());
  }

  @Test
  void creatingARoomNeedsASession() throws Exception {
    assertError(node.post("/api/rooms", "{}", null), 401, "unauthorized");
    assertError(node.post("/api/rooms", "{}", "v1.forged.token"), 401, "unauthorized");
  }

  @Test
  void theBodyIsOptional() throws Exception {
    HttpResponse<String> created = node.post("/api/rooms", "", token);
    assertEquals(201, created.statusCode());
    String id = node.json(created).get("id").asText();
    JsonNode room = node.json(node.get("/api/rooms/" + id, null));
    assertEquals("", room.get("title").asText());
    assertEquals("unlisted", room.at("/settings/visibility").asText());
  }

  @Test
  void roomIdsAreDistinct() throws Exception {
    var ids = new java.util.HashSet<String>();
    for (int i = 0; i < 20; i++) {
      ids.add(node.json(node.post("/api/rooms", "{}", token)).get("id").asText());
    }
    assertEquals(20, ids.size());
  }

  @Test
  void badBodiesAreRefusedWithACode() throws Exception {
    assertError(node.post("/api/rooms", "{not json", token), 400, "bad_request");
    assertError(node.post("/api/rooms", "[1,2]", token), 400, "bad_request");
    assertError(node.post("/api/rooms", "{\"title\": 42}", token), 400, "invalid");
    assertError(node.post("/api/rooms", "{\"title\": \"" + "x".repeat(121) + "\"}", token), 400, "invalid");
    assertError(node.post("/api/rooms", "{\"visibility\": \"secret\"}", token), 400, "invalid");
    assertError(node.post("/api/rooms", "{\"temporary\": \"yes\"}", token), 400, "invalid");
    assertError(node.post("/api/rooms", "{\"title\": \"" + "x".repeat(20_000) + "\"}", token), 413, "too_large");
  }

  @Test
  void unknownRoomsAreNotFound() throws Exception {
    assertError(node.get("/api/rooms/doesNotExist123", null), 404, "not_found");
    assertError(node.get("/api/rooms/bad!id", null), 404, "not_found");
    assertError(node.get("/api/rooms/short", null), 404, "not_found");
  }

  @Test
  void aPrivateRoomIsOnlyShownWithItsInvite() throws Exception {
    String id = node.json(node.post("/api/rooms", "{\"visibility\": \"private\"}", token)).get("id").asText();
    String invite = node.json(node.get("/api/rooms/" + id, token)).at("/settings/invite").asText();
    assertError(node.get("/api/rooms/" + id, null), 403, "forbidden");
    assertError(node.get("/api/rooms/" + id, node.guest("Stranger")), 403, "forbidden");
    assertError(node.get("/api/rooms/" + id + "?invite=wrong", null), 403, "forbidden");
    assertEquals(200, node.get("/api/rooms/" + id + "?invite=" + invite, null).statusCode());
  }

  @Test
  void aSocketToAnUnknownRoomIsRefusedBeforeTheUpgrade() throws Exception {
    assertError(node.get("/api/rooms/doesNotExist123/ws", null), 404, "not_found");
  }

  @Test
  void unknownEndpointsAndMethodsAnswerInJson() throws Exception {
    assertError(node.get("/api/nothing-here", null), 404, "not_found");
    HttpResponse<String> delete =
        HttpClient.newHttpClient().send(
            HttpRequest.newBuilder(URI.create(node.httpBase() + "/api/rooms")).DELETE().build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(405, delete.statusCode());
    assertEquals("method_not_allowed", node.json(delete).get("code").asText());
  }

  static void assertError(HttpResponse<String> response, int status, String code) throws Exception {
    assertEquals(status, response.statusCode(), response.body());
    JsonNode body = WsClient.JSON.readTree(response.body());
    assertEquals(code, body.get("code").asText(), response.body());
    assertTrue(body.get("message").asText().length() > 3, response.body());
  }
}
