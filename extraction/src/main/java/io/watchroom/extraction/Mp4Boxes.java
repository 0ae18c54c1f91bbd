package io.watchroom.extraction;

import java.net.URI;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.model.headers.Range;
import org.apache.pekko.http.javadsl.model.headers.ByteRange;
import org.apache.pekko.util.ByteString;

/**
 * Finds where an on-demand MP4's initialization (ftyp and moov) and segment index (sidx) are, by
 * reading the top-level box headers from the start of the file with range requests. A DASH
 * manifest needs both ranges to play a single-file representation.
 */
public final class Mp4Boxes {

  /** Byte ranges, inclusive, as DASH writes them ("0-774"). */
  public record Layout(long initEnd, long indexStart, long indexEnd) {
    public String initialization() {
      return "0-" + initEnd;
    }

    public String index() {
      return indexStart + "-" + indexEnd;
    }
  }

  private static final int FIRST_READ = 64 * 1024;
  private static final int MAX_READ = 2 * 1024 * 1024;

  private Mp4Boxes() {}

  static CompletionStage<Layout> read(ActorSystem<?> system, Upstream upstream, URI file) {
    return fetch(system, upstream, file, FIRST_READ)
        .thenCompose(
            head -> {
              Layout layout = layout(head);
              if (layout != null) {
                return CompletableFuture.completedFuture(layout);
              }
              return fetch(system, upstream, file, MAX_READ).thenApply(
                  more -> {
                    Layout found = layout(more);
                    if (found == null) {
                      throw new java.util.concurrent.CompletionException(new ResolveFailure(
                          ResolveFailure.Code.NO_PLAYABLE_FORMAT, "The video file has no segment index to stream it with."));
                    }
                    return found;
                  });
            });
  }

  private static CompletionStage<ByteString> fetch(ActorSystem<?> system, Upstream upstream, URI file, int bytes) {
    return upstream
        .get(file, List.of(Range.create(org.apache.pekko.http.javadsl.model.headers.RangeUnits.BYTES, ByteRange.createSlice(0, bytes - 1))))
        .thenCompose(r -> r.response().entity().withSizeLimit(bytes + 1L).toStrict(30_000, system))
        .thenApply(strict -> strict.getData());
  }

  /** The layout from the first bytes of a file, or null when more bytes are needed. */
  static Layout layout(ByteString data) {
    long position = 0;
    long moovEnd = -1;
    while (position + 8 <= data.size()) {
      long size = uint32(data, (int) position);
      String type = data.slice((int) position + 4, (int) position + 8).decodeString(java.nio.charset.StandardCharsets.ISO_8859_1);
      if (size == 1 && position + 16 <= data.size()) {
        size = uint64(data, (int) position + 8);
      }
      if (size < 8) {
        return null;
      }
      if (type.equals("moov")) {
        moovEnd = position + size - 1;
      } else if (type.equals("sidx")) {
        return moovEnd < 0 ? null : new Layout(moovEnd, position, position + size - 1);
      } else if (type.equals("moof") || type.equals("mdat")) {
        // Media came before an index: not an on-demand layout.
        return null;
      }
      position += size;
    }
    return null;
  }

  private static long uint32(ByteString b, int at) {
    return ((long) (b.apply(at) & 0xff) << 24) | ((b.apply(at + 1) & 0xff) << 16) | ((b.apply(at + 2) & 0xff) << 8) | (b.apply(at + 3) & 0xff);
  }

  private static long uint64(ByteString b, int at) {
    return (uint32(b, at) << 32) | uint32(b, at + 4);
  }
}
