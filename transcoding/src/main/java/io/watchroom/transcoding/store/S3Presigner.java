package io.watchroom.transcoding.store;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Presigned GET URLs for objects of one bucket: AWS Signature Version 4 in the query string, the
 * way S3 and compatible servers (MinIO, Ceph, s3proxy) accept them. Pekko Connectors S3 signs its
 * own requests in headers but has no presigning, so this does the signing: only the {@code host}
 * header is signed and the payload is {@code UNSIGNED-PAYLOAD}, so a browser (or a CDN) can fetch
 * the URL as it is, with or without a Range header, until it expires.
 */
public final class S3Presigner {

  private static final String ALGORITHM = "AWS4-HMAC-SHA256";
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
  /** S3 refuses presigned URLs valid for more than seven days. */
  static final Duration MAX_EXPIRY = Duration.ofDays(7);

  private final URI endpoint;
  private final String bucket;
  private final boolean pathStyle;
  private final String region;
  private final String accessKey;
  private final String secretKey;
  private final Duration expiry;
  private final InstantSource clock;

  /**
   * @param endpoint the server's base URL; empty for AWS itself ({@code https://s3.<region>.amazonaws.com})
   */
  public S3Presigner(
      String endpoint,
      String bucket,
      boolean pathStyle,
      String region,
      String accessKey,
      String secretKey,
      Duration expiry,
      InstantSource clock) {
    if (expiry.isNegative() || expiry.isZero() || expiry.compareTo(MAX_EXPIRY) > 0) {
      throw new IllegalArgumentException(
          "watchroom.media.s3.presign-expiry must be between 1 second and 7 days, was " + expiry);
    }
    this.endpoint = URI.create(endpoint.isBlank() ? "https://s3." + region + ".amazonaws.com" : endpoint.strip());
    this.bucket = bucket;
    this.pathStyle = pathStyle;
    this.region = region;
    this.accessKey = accessKey;
    this.secretKey = secretKey;
    this.expiry = expiry;
    this.clock = clock;
  }

  /** A URL that fetches {@code key} until {@link #expiry()} from now. */
  public String presignGet(String key) {
    Instant now = clock.instant();
    String stamp = STAMP.format(now);
    String day = stamp.substring(0, 8);
    String scope = day + "/" + region + "/s3/aws4_request";

    String host = pathStyle ? endpoint.getHost() : bucket + "." + endpoint.getHost();
    if (endpoint.getPort() != -1) {
      host = host + ":" + endpoint.getPort();
    }
    String basePath = endpoint.getRawPath() == null ? "" : endpoint.getRawPath().replaceAll("/+$", "");
    String path = basePath + (pathStyle ? "/" + encode(bucket, false) : "") + "/" + encode(key, true);

    Map<String, String> query = new TreeMap<>();
    query.put("X-Amz-Algorithm", ALGORITHM);
    query.put("X-Amz-Credential", accessKey + "/" + scope);
    query.put("X-Amz-Date", stamp);
    query.put("X-Amz-Expires", Long.toString(expiry.toSeconds()));
    query.put("X-Amz-SignedHeaders", "host");
    String canonicalQuery =
        query.entrySet().stream()
            .map(e -> encode(e.getKey(), false) + "=" + encode(e.getValue(), false))
            .collect(Collectors.joining("&"));

    String canonicalRequest =
        String.join("\n", "GET", path, canonicalQuery, "host:" + host, "", "host", "UNSIGNED-PAYLOAD");
    String stringToSign = String.join("\n", ALGORITHM, stamp, scope, hex(sha256(canonicalRequest)));
    byte[] key4 = hmac(("AWS4" + secretKey).getBytes(StandardCharsets.UTF_8), day);
    byte[] signingKey = hmac(hmac(hmac(key4, region), "s3"), "aws4_request");
    String signature = hex(hmac(signingKey, stringToSign));

    return endpoint.getScheme() + "://" + host + path + "?" + canonicalQuery + "&X-Amz-Signature=" + signature;
  }

  public Duration expiry() {
    return expiry;
  }

  /** RFC 3986 percent-encoding as SigV4 wants it: unreserved characters as they are, '/' kept in paths. */
  static String encode(String text, boolean keepSlash) {
    StringBuilder out = new StringBuilder();
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
          || c == '-' || c == '_' || c == '.' || c == '~' || (keepSlash && c == '/')) {
        out.append(c);
      } else {
        out.append('%').append(String.format("%02X", b & 0xff));
      }
    }
    return out.toString();
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] hmac(byte[] key, String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }
}
