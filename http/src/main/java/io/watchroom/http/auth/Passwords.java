package io.watchroom.http.auth;

import com.password4j.Argon2Function;
import com.password4j.Password;
import com.password4j.types.Argon2;

/**
 * Password hashing with Argon2id (OWASP's minimum: 19 MiB, 2 iterations, 1 lane), stored as
 * a PHC string so the parameters travel with each hash and can be raised later.
 */
public final class Passwords {

  private static final Argon2Function ARGON2ID =
      Argon2Function.getInstance(19_456, 2, 1, 32, Argon2.ID, 19);

  public static final int MIN_LENGTH = 8;
  public static final int MAX_LENGTH = 128;

  private Passwords() {}

  public static String hash(String password) {
    return Password.hash(password).addRandomSalt(16).with(ARGON2ID).getResult();
  }

  public static boolean matches(String password, String storedHash) {
    try {
      return Password.check(password, storedHash).with(Argon2Function.getInstanceFromHash(storedHash));
    } catch (RuntimeException e) {
      // A malformed stored hash never matches.
      return false;
    }
  }
}
