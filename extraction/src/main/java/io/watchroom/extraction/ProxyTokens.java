package io.watchroom.extraction;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The proxy's references to upstream media: an upstream URL (and the link it was resolved from)
 * signed by the server, so the proxy only ever fetches what the server itself chose. There is no
 * open proxy: a URL a client made up has no valid token.
 *
 * <p>A token whose URL ends with {@code /} stands for that folder: the proxy path after it names
 * a file inside (DASH segment templates and relative playlists need this). Expiry is rounded to
 * six-hour steps so the same file gets the same token for a while, which keeps the players'
 * HTTP caches useful.
 */
public final class ProxyTokens {

  public static final String PATH = "/api/proxy/";
  private static final long STEP_MILLIS = 6 * 3600_000L;
  private static final int MAC_BYTES = 16;
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

  /** What the proxy does with what it fetches. */
  public enum Role {
    /** A file or segment, streamed (and cached when it is small). */
    MEDIA,
    /** An HLS playlist, rewritten so every URI in it goes through the proxy. */
    HLS,
    /** A DASH manifest, rewritten likewise. */
    DASH,
    /** The manifest Watchroom writes for separate video and audio of {@code source}. */
    SPLIT
  }

  /**
   * @param part for a stream of a resolved link: "stream", "video" or "audio", so that an expired
   *     URL can be replaced by the same part of a fresh resolution; null for segments
   */
  public record Ref(String url, String source, Role role, String part, long expiresAt) {}

  private final SecretKeySpec key;
  private final InstantSource clock;
  private final long lifetimeMillis;
  private final ObjectMapper mapper = new ObjectMapper();

  public ProxyTokens(byte[] secret, InstantSource clock, long lifetimeMillis) {
    this.key = new SecretKeySpec(secret, "HmacSHA256");
    this.clock = clock;
    this.lifetimeMillis = lifetimeMillis;
  }

  /** A token for {@code url} that expires after the token lifetime (rounded up to the step). */
  public String mint(String url, String source, Role role, String part) {
    long expires = ((clock.millis() + lifetimeMillis) / STEP_MILLIS + 1) * STEP_MILLIS;
    ObjectNode payload = mapper.createObjectNode();
    payload.put("u", url);
    if (source != null) {
      payload.put("s", source);
    }
    payload.put("r", role.name().toLowerCase(Locale.ROOT));
    if (part != null) {
      payload.put("p", part);
    }
    payload.put("x", expires);
    String body = ENCODER.encodeToString(payload.toString().getBytes(StandardCharsets.UTF_8));
    return body + "." + ENCODER.encodeToString(mac(body));
  }

  /** The proxy path for a URL, with a file name at the end so players see an extension. */
  public String path(URI url, String source, Role role, String part) {
    String token = mint(url.toString(), source, role, part);
    String name = fileName(url, role);
    return PATH + token + "/" + name;
  }

  /** The proxy path for the folder of {@code url}, followed by what comes after it. */
  public String folderPath(URI url) {
    String text = url.toString();
    int query = text.indexOf('?');
    String withoutQuery = query < 0 ? text : text.substring(0, query);
    String folder = withoutQuery.substring(0, withoutQuery.lastIndexOf('/') + 1);
    String rest = text.substring(folder.length());
    return PATH + mint(folder, null, Role.MEDIA, null) + "/" + rest;
  }

  public Optional<Ref> verify(String token) {
    int dot = token.indexOf('.');
    if (dot <= 0 || token.length() > 8192) {
      return Optional.empty();
    }
    String body = token.substring(0, dot);
    try {
      if (!MessageDigest.isEqual(DECODER.decode(token.substring(dot + 1)), mac(body))) {
        return Optional.empty();
      }
      JsonNode payload = mapper.readTree(DECODER.decode(body));
      long expires = payload.path("x").asLong(0);
      if (expires < clock.millis()) {
        return Optional.empty();
      }
      Role role = Role.valueOf(payload.path("r").asText("media").toUpperCase(Locale.ROOT));
      return Optional.of(new Ref(payload.path("u").asText(), payload.path("s").asText(null), role, payload.path("p").asText(null), expires));
    } catch (IllegalArgumentException | java.io.IOException e) {
      return Optional.empty();
    }
  }

  private static String fileName(URI url, Role role) {
    if (role == Role.SPLIT) {
      return "manifest.mpd";
    }
    String path = url.getRawPath() == null ? "" : url.getRawPath();
    String name = path.substring(path.lastIndexOf('/') + 1);
    if (name.isEmpty() || name.length() > 100) {
      return role == Role.HLS ? "index.m3u8" : role == Role.DASH ? "manifest.mpd" : "media";
    }
    return name;
  }

  private byte[] mac(String body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      return Arrays.copyOf(mac.doFinal(body.getBytes(StandardCharsets.US_ASCII)), MAC_BYTES);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }
}
