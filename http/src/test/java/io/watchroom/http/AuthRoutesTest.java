package io.watchroom.http;

import static io.watchroom.http.RoomRoutesTest.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Guest sessions, accounts, login, logout, and what a token is good for. */
class AuthRoutesTest {

  private static TestNode node;

  @BeforeAll
  static void start() throws Exception {
    node = TestNode.start("AuthRoutesTest");
  }

  @AfterAll
  static void stop() throws Exception {
    node.close();
  }

  @Test
  void aGuestSessionHasANameAndAToken() throws Exception {
    HttpResponse<String> created = node.post("/api/session", "{\"name\": \"  Ada  \"}", null);
    assertEquals(201, created.statusCode(), created.body());
    JsonNode body = node.json(created);
    assertTrue(body.get("token").asText().startsWith("v1."));
    assertTrue(body.get("expiresAt").asLong() > System.currentTimeMillis());
    assertEquals("Ada", body.at("/user/name").asText());
    assertEquals("guest", body.at("/user/kind").asText());
    assertTrue(body.at("/user/id").asText().startsWith("g-"));

    JsonNode me = node.json(node.get("/api/me", body.get("token").asText()));
    assertEquals(body.at("/user/id").asText(), me.at("/user/id").asText());

    // Without a name the guest gets one.
    JsonNode anonymous = node.json(node.post("/api/session", "", null));
    assertTrue(anonymous.at("/user/name").asText().startsWith("Guest "));
  }

  @Test
  void badSessionRequestsAreRefused() throws Exception {
    assertError(node.post("/api/session", "{\"name\": \"x\\u0007y\"}", null), 400, "invalid");
    assertError(node.post("/api/session", "{\"name\": \"" + "n".repeat(41) + "\"}", null), 400, "invalid");
    assertError(node.post("/api/session", "{\"name\": 3}", null), 400, "invalid");
  }

  @Test
  void tokensAreCheckedEverywhere() throws Exception {
    String token = node.json(node.post("/api/session", "{}", null)).get("token").asText();
    assertError(node.get("/api/me", null), 401, "unauthorized");
    assertError(node.get("/api/me", "garbage"), 401, "unauthorized");
    // A token whose payload was altered no longer matches its signature.
    String[] parts = token.split("\\.");
    String forged = parts[0] + "." + parts[1].substring(0, parts[1].length() - 2) + "AA." + parts[2];
    assertError(node.get("/api/me", forged), 401, "unauthorized");
  }

  @Test
  void registerLoginAndLogout() throws Exception {
    HttpResponse<String> registered =
        node.post("/api/accounts", "{\"username\": \"Ada.Lovelace\", \"password\": \"correct horse\", \"name\": \"Ada\"}", null);
    assertEquals(201, registered.statusCode(), registered.body());
    JsonNode account = node.json(registered);
    assertEquals("account", account.at("/user/kind").asText());
    assertEquals("ada.lovelace", account.at("/user/username").asText());
    assertTrue(account.at("/user/id").asText().startsWith("a-"));

    assertError(node.post("/api/accounts", "{\"username\": \"ada.lovelace\", \"password\": \"another one\"}", null), 409, "username_taken");
    assertError(node.post("/api/login", "{\"username\": \"ada.lovelace\", \"password\": \"wrong horse\"}", null), 401, "wrong_credentials");
    assertError(node.post("/api/login", "{\"username\": \"nobody\", \"password\": \"wrong horse\"}", null), 401, "wrong_credentials");

    HttpResponse<String> login = node.post("/api/login", "{\"username\": \"ADA.lovelace\", \"password\": \"correct horse\"}", null);
    assertEquals(200, login.statusCode(), login.body());
    String token = node.json(login).get("token").asText();
    assertNotEquals(account.get("token").asText(), token);
    assertEquals(account.at("/user/id").asText(), node.json(node.get("/api/me", token)).at("/user/id").asText());

    assertEquals(204, node.post("/api/logout", "", token).statusCode());
    assertError(node.get("/api/me", token), 401, "unauthorized");
    // The other session of the same account goes on.
    assertEquals(200, node.get("/api/me", account.get("token").asText()).statusCode());
  }

  @Test
  void accountRulesAreEnforced() throws Exception {
    assertError(node.post("/api/accounts", "{\"username\": \"ab\", \"password\": \"long enough\"}", null), 400, "invalid");
    assertError(node.post("/api/accounts", "{\"username\": \"has space\", \"password\": \"long enough\"}", null), 400, "invalid");
    assertError(node.post("/api/accounts", "{\"username\": \"shortpw\", \"password\": \"short\"}", null), 400, "invalid");
    assertError(node.post("/api/accounts", "{\"password\": \"long enough\"}", null), 400, "invalid");
  }

  @Test
  void guessingPasswordsIsSlowedDown() throws Exception {
    node.post("/api/accounts", "{\"username\": \"target\", \"password\": \"the real one\"}", null);
    for (int i = 0; i < 10; i++) {
      assertError(node.post("/api/login", "{\"username\": \"target\", \"password\": \"guess " + i + "\"}", null), 401, "wrong_credentials");
    }
    assertError(node.post("/api/login", "{\"username\": \"target\", \"password\": \"the real one\"}", null), 429, "rate_limited");
  }

  @Test
  void aRevokedTokenCannotJoinARoom() throws Exception {
    String owner = node.guest("Owner");
    String roomId = node.createRoom(owner, "{}");
    String token = node.guest("Leaving");
    assertEquals(204, node.post("/api/logout", "", token).statusCode());
    try (WsClient client = WsClient.connect(node.wsUrl(roomId))) {
      client.send(WsClient.msg("join").put("token", token));
      assertEquals("unauthorized", client.await("error").get("code").asText());
    }
  }
}
