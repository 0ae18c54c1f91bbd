package io.watchroom.transcoding.store;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;

/**
 * Where uploads and published media live: files under the data folder, or an S3 bucket. Keys are
 * relative paths with '/' separators ({@code videos/<id>/720p/seg_00001.m4s}); a prefix ends with
 * '/'. Writes are all or nothing: an object that failed half way is never visible.
 */
public interface MediaStore {

  /** Writes the streamed bytes under {@code key}, replacing what was there; completes with the byte count. */
  Sink<ByteString, CompletionStage<Long>> write(String key, String contentType);

  /** Stores a local file under {@code key}. */
  CompletionStage<Done> putFile(String key, Path file, String contentType);

  /**
   * Reads {@code key}, or the bytes {@code [start, end]} of it; empty when there is no such
   * object. A range past the end is clipped to the object.
   */
  CompletionStage<Optional<StoredObject>> read(String key, Optional<Range> range);

  /** Removes every object whose key starts with {@code prefix}. */
  CompletionStage<Done> deletePrefix(String prefix);

  /** Keys under {@code prefix}, in no particular order. */
  CompletionStage<List<String>> list(String prefix);

  /** The local file of {@code key}, when this store keeps files on this node's disk. */
  default Optional<Path> localFile(String key) {
    return Optional.empty();
  }

  /**
   * Where a browser can fetch {@code key} without going through this node (a public bucket or a
   * CDN); empty when the node serves it.
   */
  default Optional<String> directUrl(String key) {
    return Optional.empty();
  }

  /** Bytes {@code start} to {@code end} inclusive; an empty end means to the end of the object. */
  record Range(long start, Optional<Long> end) {}

  /**
   * An object (or part of one) being read.
   *
   * @param size the whole object's size
   * @param start the first byte {@code data} holds
   * @param length how many bytes {@code data} holds
   */
  record StoredObject(long size, long start, long length, String contentType, Source<ByteString, NotUsed> data) {
    public boolean partial() {
      return start > 0 || length < size;
    }
  }

  /** Refuses keys that could leave the store's root. */
  static String checkKey(String key) {
    if (key == null || key.isEmpty() || key.startsWith("/") || key.contains("\\") || key.contains("//")) {
      throw new IllegalArgumentException("Bad media key: " + key);
    }
    for (String part : key.split("/")) {
      if (part.equals("..") || part.equals(".")) {
        throw new IllegalArgumentException("Bad media key: " + key);
      }
    }
    return key;
  }
}
