package io.watchroom.extraction;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Single byte ranges ({@code bytes=0-1023}, {@code bytes=512-}, {@code bytes=-256}) cut from a cached whole. */
final class ByteRanges {
  private static final Pattern SINGLE = Pattern.compile("^bytes=(\\d*)-(\\d*)$");

  private ByteRanges() {}

  /** {first, last} where -1 means "to the end" for last and "a suffix of that length" for first. */
  static Optional<long[]> parse(String header) {
    Matcher m = SINGLE.matcher(header.strip());
    if (!m.matches() || (m.group(1).isEmpty() && m.group(2).isEmpty())) {
      return Optional.empty();
    }
    try {
      long first = m.group(1).isEmpty() ? -1 : Long.parseLong(m.group(1));
      long last = m.group(2).isEmpty() ? -1 : Long.parseLong(m.group(2));
      if (first >= 0 && last >= 0 && last < first) {
        return Optional.empty();
      }
      return Optional.of(new long[] {first, last});
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** The 206 (or 416) answer for {@code bounds} out of a whole 200 answer. */
  static org.apache.pekko.http.javadsl.model.HttpResponse slice(SegmentCache.Entry whole, long[] bounds) {
    long total = whole.body().size();
    long first;
    long last;
    if (bounds[0] < 0) {
      first = Math.max(0, total - bounds[1]);
      last = total - 1;
    } else {
      first = bounds[0];
      last = bounds[1] < 0 ? total - 1 : Math.min(bounds[1], total - 1);
    }
    if (first >= total || total == 0) {
      return org.apache.pekko.http.javadsl.model.HttpResponse.create()
          .withStatus(416)
          .addHeader(org.apache.pekko.http.javadsl.model.headers.RawHeader.create("Content-Range", "bytes */" + total));
    }
    return org.apache.pekko.http.javadsl.model.HttpResponse.create()
        .withStatus(206)
        .withEntity(
            org.apache.pekko.http.javadsl.model.HttpEntities.create(
                org.apache.pekko.http.javadsl.model.ContentTypes.parse(whole.contentType()),
                whole.body().slice((int) first, (int) last + 1)))
        .addHeader(org.apache.pekko.http.javadsl.model.headers.RawHeader.create("Content-Range", "bytes " + first + "-" + last + "/" + total))
        .addHeader(org.apache.pekko.http.javadsl.model.headers.RawHeader.create("Accept-Ranges", "bytes"));
  }
}
