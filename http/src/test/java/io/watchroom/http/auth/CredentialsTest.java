package io.watchroom.http.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Session tokens expire and are bound to the server secret; passwords are stored as Argon2id. */
class CredentialsTest {

  private static final long NOW = 1_763_712_000_000L;
  private final SessionTokens tokens = new SessionTokens("s".repeat(32).getBytes(StandardCharsets.UTF_8), new ObjectMapper());

  @Test
  void aTokenIsValidUntilItExpires() {
    Identity olive = new Identity("g-olive", "Olive", Identity.Kind.GUEST, "sid-1", NOW + 60_000);
    String token = tokens.sign(olive);
    assertEquals(Optional.of(olive), tokens.verify(token, NOW));
    assertEquals(Optional.of(olive), tokens.verify(token, NOW + 59_999));
    assertEquals(Optional.empty(), tokens.verify(token, NOW + 60_000));
    assertEquals(Optional.empty(), tokens.verify(token, NOW + 3_600_000));
  }

  @Test
  void aTokenFromAnotherSecretOrAlteredIsRefused() {
    Identity olive = new Identity("a-olive", "Olive", Identity.Kind.ACCOUNT, "sid-2", NOW + 60_000);
    String token = tokens.sign(olive);
    SessionTokens other = new SessionTokens("t".repeat(32).getBytes(StandardCharsets.UTF_8), new ObjectMapper());
    assertEquals(Optional.empty(), other.verify(token, NOW));
    String altered = token.substring(0, token.length() - 2) + (token.endsWith("A") ? "BB" : "AA");
    assertEquals(Optional.empty(), tokens.verify(altered, NOW));
  }

  @Test
  void passwordsAreStoredAsSaltedArgon2id() {
    String first = Passwords.hash("correct horse battery");
    String second = Passwords.hash("correct horse battery");
    assertTrue(first.startsWith("$argon2id$"), first);
    assertNotEquals(first, second, "each hash has its own salt");
    assertTrue(Passwords.matches("correct horse battery", first));
    assertFalse(Passwords.matches("correct horse battery!", first));
    assertFalse(Passwords.matches("correct horse battery", "not a hash"));
  }
}
