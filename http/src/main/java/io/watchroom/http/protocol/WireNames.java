package io.watchroom.http.protocol;

import java.util.Locale;

/** Enum constants travel as lower-case names: {@code WAIT_FOR_EVERYONE} is "wait_for_everyone". */
public final class WireNames {
  private WireNames() {}

  public static String of(Enum<?> value) {
    return value == null ? null : value.name().toLowerCase(Locale.ROOT);
  }
}
