package io.watchroom.extraction;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.stream.javadsl.StreamConverters;
import org.apache.pekko.util.ByteString;

/**
 * Runs a program (yt-dlp, ffprobe) through ProcessBuilder with a hard time limit, reading its
 * output as a stream with a size cap and keeping only the last lines of its error output. A
 * program that runs over time is killed, with its children.
 */
final class ExternalProgram {

  /** How a run ended: exit code, standard output, and the last lines of standard error. */
  record Result(int exitCode, String stdout, List<String> stderrTail) {
    boolean succeeded() {
      return exitCode == 0;
    }

    String errors() {
      return String.join("\n", stderrTail);
    }
  }

  private static final int STDERR_LINES = 40;

  private final ActorSystem<?> system;
  private final Executor blocking;

  ExternalProgram(ActorSystem<?> system) {
    this.system = system;
    this.blocking = system.dispatchers().lookup(DispatcherSelector.blocking());
  }

  CompletionStage<Result> run(List<String> command, Duration timeout, long maxOutputBytes) {
    Process process;
    try {
      process = new ProcessBuilder(command).start();
      // Nothing is ever written to the program: close its input so it cannot wait on it.
      process.getOutputStream().close();
    } catch (IOException e) {
      return CompletableFuture.failedFuture(
          new IOException("Cannot run " + command.get(0) + ": is it installed and on the PATH? (" + e.getMessage() + ")", e));
    }
    Deque<String> stderr = new ArrayDeque<>();
    CompletableFuture<Void> errorsRead =
        CompletableFuture.runAsync(
            () -> {
              try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                  synchronized (stderr) {
                    stderr.addLast(line);
                    if (stderr.size() > STDERR_LINES) {
                      stderr.removeFirst();
                    }
                  }
                }
              } catch (IOException ignored) {
                // The process went away; what was read is what there is.
              }
            },
            blocking);
    CompletionStage<ByteString> output =
        StreamConverters.fromInputStream(process::getInputStream)
            .limitWeighted(maxOutputBytes, b -> (long) b.size())
            .runFold(ByteString.emptyByteString(), ByteString::concat, system);
    CompletableFuture<Result> result =
        output
            .toCompletableFuture()
            .thenCombine(process.onExit(), (bytes, exited) -> bytes)
            .thenCombine(errorsRead, (bytes, ignored) -> {
              synchronized (stderr) {
                return new Result(process.exitValue(), bytes.utf8String(), List.copyOf(stderr));
              }
            })
            .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
    result.whenComplete(
        (r, failure) -> {
          if (failure != null) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
          }
        });
    return result.exceptionally(
        failure -> {
          Throwable cause = failure instanceof java.util.concurrent.CompletionException ? failure.getCause() : failure;
          if (cause instanceof TimeoutException) {
            throw new java.util.concurrent.CompletionException(
                new TimeoutException(command.get(0) + " did not finish within " + timeout.toSeconds() + " s"));
          }
          throw new java.util.concurrent.CompletionException(cause);
        });
  }
}
