package io.watchroom.http.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signed session tokens: {@code v1.<payload>.<signature>}, the payload a base64url JSON object
 * (user id, name, kind, session id, expiry) and the signature its HMAC-SHA256 under the server
 * secret. Any node holding the same secret verifies a token without a lookup; revocation is
 * checked separately against the session store.
 */
public final class SessionTokens {

  private static final String VERSION = "v1";
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder DECODER = Base64.getUrlDecoder();
  /** Tokens are short; anything longer is not worth decoding. */
  public static final int MAX_TOKEN_LENGTH = 2048;

  private final SecretKeySpec key;
  private final ObjectMapper mapper;

  public SessionTokens(byte[] secret, ObjectMapper mapper) {
    if (secret.length < 32) {
      throw new IllegalArgumentException("The server secret must have at least 32 bytes");
    }
    this.key = new SecretKeySpec(secret, "HmacSHA256");
    this.mapper = mapper;
  }

  public String sign(Identity identity) {
    ObjectNode payload = mapper.createObjectNode();
    payload.put("sub", identity.userId());
    payload.put("name", identity.name());
    payload.put("kind", identity.kind().name().toLowerCase());
    payload.put("sid", identity.sessionId());
    payload.put("exp", identity.expiresAt());
    String body = VERSION + "." + ENCODER.encodeToString(payload.toString().getBytes(StandardCharsets.UTF_8));
    return body + "." + ENCODER.encodeToString(mac(body));
  }

  /** The identity in a well-signed, unexpired token. */
  public Optional<Identity> verify(String token, long nowMillis) {
    if (token == null || token.length() > MAX_TOKEN_LENGTH) {
      return Optional.empty();
    }
    int second = token.lastIndexOf('.');
    if (!token.startsWith(VERSION + ".") || second <= VERSION.length()) {
      return Optional.empty();
    }
    String body = token.substring(0, second);
    try {
      byte[] signature = DECODER.decode(token.substring(second + 1));
      if (!MessageDigest.isEqual(signature, mac(body))) {
        return Optional.empty();
      }
      JsonNode payload = mapper.readTree(DECODER.decode(body.substring(VERSION.length() + 1)));
      long expiresAt = payload.path("exp").asLong(0);
      if (expiresAt <= nowMillis) {
        return Optional.empty();
      }
      Identity.Kind kind =
          "account".equals(payload.path("kind").asText()) ? Identity.Kind.ACCOUNT : Identity.Kind.GUEST;
      return Optional.of(
          new Identity(
              payload.path("sub").asText(),
              payload.path("name").asText(),
              kind,
              payload.path("sid").asText(),
              expiresAt));
    } catch (IllegalArgumentException | java.io.IOException e) {
      return Optional.empty();
    }
  }

  private byte[] mac(String body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      return mac.doFinal(body.getBytes(StandardCharsets.US_ASCII));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }
}
