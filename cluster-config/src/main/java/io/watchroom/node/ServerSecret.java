package io.watchroom.node;

import com.typesafe.config.Config;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The key that signs session tokens. From {@code watchroom.auth.secret} (WATCHROOM_AUTH_SECRET,
 * base64, at least 32 bytes) when set, which every node of a cluster must share; otherwise read
 * from {@code <data-dir>/secret.key}, generated there on first run with owner-only permissions.
 */
final class ServerSecret {
  private ServerSecret() {}

  /** A key for one purpose, derived from the secret, so one key's use never exposes another. */
  static byte[] derive(byte[] secret, String purpose) {
    try {
      javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
      mac.init(new javax.crypto.spec.SecretKeySpec(secret, "HmacSHA256"));
      return mac.doFinal(purpose.getBytes(StandardCharsets.UTF_8));
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }

  static byte[] load(Config config) throws IOException {
    String configured = config.getString("watchroom.auth.secret");
    if (!configured.isBlank()) {
      byte[] secret = Base64.getDecoder().decode(configured.strip());
      if (secret.length < 32) {
        throw new IllegalArgumentException("WATCHROOM_AUTH_SECRET must decode to at least 32 bytes");
      }
      return secret;
    }
    Path file = Path.of(config.getString("watchroom.data-dir")).resolve("secret.key");
    if (Files.exists(file)) {
      return Base64.getDecoder().decode(Files.readString(file, StandardCharsets.US_ASCII).strip());
    }
    byte[] secret = new byte[32];
    new SecureRandom().nextBytes(secret);
    Files.createDirectories(file.getParent());
    Path partial = file.resolveSibling("secret.key.partial");
    Files.writeString(partial, Base64.getEncoder().encodeToString(secret), StandardCharsets.US_ASCII,
        StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
    try {
      Files.setPosixFilePermissions(partial, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException e) {
      // Not a POSIX file system; the data folder's own permissions protect the key.
    }
    Files.move(partial, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    return secret;
  }
}
