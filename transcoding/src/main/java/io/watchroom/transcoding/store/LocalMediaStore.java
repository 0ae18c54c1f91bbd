package io.watchroom.transcoding.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.stream.Stream;
import org.apache.pekko.Done;
import org.apache.pekko.stream.IOResult;
import org.apache.pekko.stream.javadsl.FileIO;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.util.ByteString;

/**
 * Media as files under one folder (the embedded default: {@code <data-dir>/media}). A write goes
 * to a hidden temporary file beside its target and is moved into place only when complete.
 */
public final class LocalMediaStore implements MediaStore {

  private final Path root;
  private final Executor blocking;

  public LocalMediaStore(Path root, Executor blocking) {
    this.root = root.toAbsolutePath().normalize();
    this.blocking = blocking;
    try {
      Files.createDirectories(this.root);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create the media folder " + this.root, e);
    }
  }

  public Path root() {
    return root;
  }

  Path path(String key) {
    Path path = root.resolve(MediaStore.checkKey(key)).normalize();
    if (!path.startsWith(root)) {
      throw new IllegalArgumentException("Bad media key: " + key);
    }
    return path;
  }

  @Override
  public Sink<ByteString, CompletionStage<Long>> write(String key, String contentType) {
    Path target = path(key);
    Path temp = target.resolveSibling("." + target.getFileName() + "." + UUID.randomUUID() + ".part");
    try {
      Files.createDirectories(target.getParent());
    } catch (IOException e) {
      return Sink.<ByteString>cancelled().mapMaterializedValue(n -> CompletableFuture.failedFuture(e));
    }
    return FileIO.toPath(temp)
        .mapMaterializedValue(
            stage ->
                stage.handle(
                    (IOResult result, Throwable failure) -> {
                      try {
                        if (failure != null) {
                          Files.deleteIfExists(temp);
                          throw failure instanceof RuntimeException r ? r : new IllegalStateException(failure);
                        }
                        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                        return result.count();
                      } catch (IOException e) {
                        throw new UncheckedIOException(e);
                      }
                    }));
  }

  @Override
  public CompletionStage<Done> putFile(String key, Path file, String contentType) {
    Path target = path(key);
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            Files.createDirectories(target.getParent());
            Path temp = target.resolveSibling("." + target.getFileName() + "." + UUID.randomUUID() + ".part");
            Files.copy(file, temp, StandardCopyOption.REPLACE_EXISTING);
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return Done.getInstance();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        },
        blocking);
  }

  @Override
  public CompletionStage<Optional<StoredObject>> read(String key, Optional<Range> range) {
    Path file = path(key);
    return CompletableFuture.supplyAsync(
        () -> {
          long size;
          try {
            size = Files.size(file);
          } catch (NoSuchFileException e) {
            return Optional.empty();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
          long start = range.map(Range::start).orElse(0L);
          long end = range.flatMap(Range::end).map(e -> Math.min(e, size - 1)).orElse(size - 1);
          long length = Math.max(0, end - start + 1);
          return Optional.of(
              new StoredObject(
                  size, start, length, ContentTypes.of(key),
                  FileIO.fromPath(file, 64 * 1024, start).via(Bytes.take(length)).mapMaterializedValue(m -> org.apache.pekko.NotUsed.getInstance())));
        },
        blocking);
  }

  @Override
  public CompletionStage<Done> deletePrefix(String prefix) {
    return CompletableFuture.supplyAsync(
        () -> {
          Path folder = path(prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix);
          if (!Files.exists(folder)) {
            return Done.getInstance();
          }
          try {
            Files.walkFileTree(
                folder,
                new SimpleFileVisitor<>() {
                  @Override
                  public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                  }

                  @Override
                  public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                    Files.deleteIfExists(dir);
                    return FileVisitResult.CONTINUE;
                  }
                });
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
          return Done.getInstance();
        },
        blocking);
  }

  @Override
  public CompletionStage<List<String>> list(String prefix) {
    return CompletableFuture.supplyAsync(
        () -> {
          Path folder = path(prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix);
          if (!Files.isDirectory(folder)) {
            return List.of();
          }
          try (Stream<Path> files = Files.walk(folder)) {
            List<String> keys = new ArrayList<>();
            files
                .filter(Files::isRegularFile)
                .filter(p -> !p.getFileName().toString().startsWith("."))
                .forEach(p -> keys.add(root.relativize(p).toString().replace('\\', '/')));
            return keys;
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        },
        blocking);
  }

  @Override
  public Optional<Path> localFile(String key) {
    Path file = path(key);
    return Files.isRegularFile(file) ? Optional.of(file) : Optional.empty();
  }
}
