package io.watchroom.transcoding.store;

import org.apache.pekko.NotUsed;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.util.ByteString;

/** Byte-stream pieces shared by the stores. */
final class Bytes {
  private Bytes() {}

  /** Passes the first {@code limit} bytes and then completes. */
  static Flow<ByteString, ByteString, NotUsed> take(long limit) {
    return Flow.<ByteString>create()
        .statefulMap(
            () -> limit,
            (remaining, chunk) -> {
              if (remaining <= 0) {
                return Pair.create(0L, ByteString.emptyByteString());
              }
              ByteString out = chunk.size() <= remaining ? chunk : chunk.take((int) remaining.longValue());
              return Pair.create(remaining - out.size(), out);
            },
            remaining -> java.util.Optional.empty())
        .takeWhile(chunk -> !chunk.isEmpty(), true)
        .filter(chunk -> !chunk.isEmpty());
  }
}
