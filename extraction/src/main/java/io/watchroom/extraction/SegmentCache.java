package io.watchroom.extraction;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.pekko.util.ByteString;

/**
 * The proxy's cache of small media objects (segments, init segments, byte ranges), keyed by
 * upstream URL and range, in two tiers: memory (Caffeine, weighed by bytes) and disk (a folder
 * kept under a byte budget, least recently used first out). Disk entries are written to a
 * temporary file and renamed into place, so a reader never sees half an entry and a crash leaves
 * at worst a temporary file, which the next start removes.
 */
public final class SegmentCache {

  /** A cached answer: its status, the headers that matter, and its bytes. */
  public record Entry(int status, String contentType, String contentRange, ByteString body) {
    long weight() {
      return body.size() + 256L;
    }
  }

  private final Cache<String, Entry> memory;
  private final Path dir;
  private final long diskBudget;
  /** File name to size, in least-recently-used order. */
  private final LinkedHashMap<String, Long> diskIndex = new LinkedHashMap<>(16, 0.75f, true);
  private long diskBytes;

  public SegmentCache(long memoryBudget, Path dir, long diskBudget) {
    this.memory =
        Caffeine.newBuilder()
            .maximumWeight(memoryBudget)
            .weigher((String key, Entry e) -> (int) Math.min(Integer.MAX_VALUE, e.weight()))
            .build();
    this.dir = dir;
    this.diskBudget = diskBudget;
    load();
  }

  public Optional<Entry> get(String key) {
    Entry hot = memory.getIfPresent(key);
    if (hot != null) {
      return Optional.of(hot);
    }
    Optional<Entry> cold = readDisk(key);
    cold.ifPresent(e -> memory.put(key, e));
    return cold;
  }

  /**
   * Whether the disk tier may have it: reading it blocks, so callers do that off the threads that
   * serve requests.
   */
  public boolean onDisk(String key) {
    String name = fileName(key);
    synchronized (this) {
      return diskIndex.containsKey(name);
    }
  }

  /** Whether the memory tier has it (the proxy counts hits per tier). */
  public boolean inMemory(String key) {
    return memory.getIfPresent(key) != null;
  }

  public void put(String key, Entry entry) {
    memory.put(key, entry);
    writeDisk(key, entry);
  }

  public long memoryWeight() {
    memory.cleanUp();
    return memory.policy().eviction().map(e -> e.weightedSize().orElse(0)).orElse(0L);
  }

  public synchronized long diskBytes() {
    return diskBytes;
  }

  public synchronized int diskEntries() {
    return diskIndex.size();
  }

  // --- disk tier ---------------------------------------------------------------------------------

  private void load() {
    try {
      Files.createDirectories(dir);
      try (Stream<Path> files = Files.list(dir)) {
        List<Path> all = files.toList();
        for (Path p : all) {
          if (p.getFileName().toString().contains(".tmp")) {
            Files.deleteIfExists(p);
          }
        }
        all.stream()
            .filter(p -> !p.getFileName().toString().contains(".tmp"))
            .sorted((a, b) -> Long.compare(a.toFile().lastModified(), b.toFile().lastModified()))
            .forEach(p -> {
              long size = p.toFile().length();
              diskIndex.put(p.getFileName().toString(), size);
              diskBytes += size;
            });
      }
      evict();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot use the media cache folder " + dir, e);
    }
  }

  private Optional<Entry> readDisk(String key) {
    String name = fileName(key);
    synchronized (this) {
      if (diskIndex.get(name) == null) {
        return Optional.empty();
      }
    }
    try {
      byte[] bytes = Files.readAllBytes(dir.resolve(name));
      int newline = 0;
      while (newline < bytes.length && bytes[newline] != '\n') {
        newline++;
      }
      String[] meta = new String(bytes, 0, newline, StandardCharsets.UTF_8).split("\t", -1);
      ByteString body = ByteString.fromArray(bytes, newline + 1, bytes.length - newline - 1);
      return Optional.of(new Entry(Integer.parseInt(meta[0]), meta[1], meta[2].isEmpty() ? null : meta[2], body));
    } catch (IOException | RuntimeException e) {
      // Gone or damaged: forget it.
      synchronized (this) {
        Long size = diskIndex.remove(name);
        if (size != null) {
          diskBytes -= size;
        }
      }
      return Optional.empty();
    }
  }

  private void writeDisk(String key, Entry entry) {
    if (entry.weight() > diskBudget) {
      return;
    }
    String name = fileName(key);
    Path target = dir.resolve(name);
    Path temporary = dir.resolve(name + ".tmp" + Thread.currentThread().getId());
    try {
      byte[] meta = (entry.status() + "\t" + entry.contentType() + "\t" + (entry.contentRange() == null ? "" : entry.contentRange()) + "\n")
          .getBytes(StandardCharsets.UTF_8);
      try (var out = Files.newOutputStream(temporary)) {
        out.write(meta);
        for (java.nio.ByteBuffer buffer : entry.body().getByteBuffers()) {
          out.write(toArray(buffer));
        }
      }
      Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      long size = meta.length + entry.body().size();
      synchronized (this) {
        Long previous = diskIndex.put(name, size);
        diskBytes += size - (previous == null ? 0 : previous);
        evict();
      }
    } catch (IOException e) {
      try {
        Files.deleteIfExists(temporary);
      } catch (IOException ignored) {
        // Left for the next start to remove.
      }
    }
  }

  private synchronized void evict() {
    var eldest = diskIndex.entrySet().iterator();
    while (diskBytes > diskBudget && eldest.hasNext()) {
      Map.Entry<String, Long> e = eldest.next();
      try {
        Files.deleteIfExists(dir.resolve(e.getKey()));
      } catch (IOException ignored) {
        // A file that cannot be removed is forgotten all the same.
      }
      diskBytes -= e.getValue();
      eldest.remove();
    }
  }

  private static byte[] toArray(java.nio.ByteBuffer buffer) {
    byte[] bytes = new byte[buffer.remaining()];
    buffer.get(bytes);
    return bytes;
  }

  private static String fileName(String key) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
