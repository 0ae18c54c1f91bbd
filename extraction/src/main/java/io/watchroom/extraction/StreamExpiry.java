package io.watchroom.extraction;

import java.net.URI;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * When a video site's stream URL stops working, when the URL says so: many carry an expiry
 * timestamp ({@code expire=}, {@code Expires=}, {@code exp=}) in epoch seconds.
 */
final class StreamExpiry {
  private static final Pattern EXPIRY = Pattern.compile("(?:^|[?&/])(?:expire|expires|exp)[=/](\\d{9,11})(?:\\D|$)", Pattern.CASE_INSENSITIVE);

  private StreamExpiry() {}

  /** Epoch millis, or Long.MAX_VALUE when the URL does not say. */
  static long of(URI uri) {
    String text = (uri.getRawPath() == null ? "" : uri.getRawPath()) + "?" + (uri.getRawQuery() == null ? "" : uri.getRawQuery());
    Matcher m = EXPIRY.matcher(text);
    return m.find() ? Long.parseLong(m.group(1)) * 1000 : Long.MAX_VALUE;
  }
}
