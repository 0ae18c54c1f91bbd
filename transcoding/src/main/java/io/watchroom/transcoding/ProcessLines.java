package io.watchroom.transcoding;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.stream.javadsl.Framing;
import org.apache.pekko.stream.javadsl.FramingTruncation;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.javadsl.StreamConverters;
import org.apache.pekko.util.ByteString;

/**
 * An external program as a Pekko Streams source of its standard output lines. Its standard error
 * is drained on the side and its last lines are kept, because that is where ffmpeg says why it
 * failed. Cancelling the stream (a kill switch, a failure downstream, the actor system stopping)
 * kills the process, so no ffmpeg outlives the job that started it.
 */
public final class ProcessLines {
  private ProcessLines() {}

  /** How a process ended: its exit code and the last lines it wrote to standard error. */
  public record Exit(int code, List<String> lastErrorLines) {
    public boolean succeeded() {
      return code == 0;
    }

    public String errorText() {
      return String.join("\n", lastErrorLines);
    }
  }

  private static final int MAX_LINE = 64 * 1024;

  /**
   * Starts {@code command} when materialized. The materialized value completes with the exit
   * once the output ended and the process exited; it fails if the process could not start.
   */
  public static Source<String, CompletionStage<Exit>> run(List<String> command, int keepErrorLines) {
    return Source.<String, CompletionStage<Exit>>fromMaterializer(
            (materializer, attributes) -> {
              Process process;
              try {
                process = new ProcessBuilder(command).start();
              } catch (IOException e) {
                CompletableFuture<Exit> failed = new CompletableFuture<>();
                failed.completeExceptionally(e);
                return Source.<String>failed(e).mapMaterializedValue(n -> failed);
              }
              try {
                process.getOutputStream().close();
              } catch (IOException e) {
                // nothing is ever written to the program's input
              }
              ErrorTail tail = new ErrorTail(process.getErrorStream(), keepErrorLines);
              tail.start();
              CompletableFuture<Exit> exit = new CompletableFuture<>();
              return StreamConverters.fromInputStream(process::getInputStream)
                  .via(Framing.delimiter(ByteString.fromString("\n"), MAX_LINE, FramingTruncation.ALLOW))
                  .map(bytes -> bytes.utf8String().strip())
                  .watchTermination(
                      (ioResult, done) -> {
                        done.whenComplete(
                            (ok, failure) -> {
                              if (failure != null) {
                                destroy(process);
                              }
                              process
                                  .onExit()
                                  .thenAccept(
                                      p -> {
                                        tail.awaitEnd();
                                        exit.complete(new Exit(p.exitValue(), tail.lines()));
                                      });
                            });
                        return (CompletionStage<Exit>) exit;
                      });
            })
        .mapMaterializedValue(stage -> stage.thenCompose(x -> x));
  }

  static void destroy(Process process) {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
  }

  /** Reads a process's standard error on its own thread, keeping the last lines. */
  private static final class ErrorTail extends Thread {
    private final InputStream stream;
    private final int keep;
    private final Deque<String> lines = new ArrayDeque<>();

    ErrorTail(InputStream stream, int keep) {
      super("process-stderr");
      setDaemon(true);
      this.stream = stream;
      this.keep = keep;
    }

    @Override
    public void run() {
      try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
        String line;
        while ((line = reader.readLine()) != null) {
          if (line.isBlank()) {
            continue;
          }
          synchronized (lines) {
            lines.addLast(line.length() > 500 ? line.substring(0, 500) : line);
            while (lines.size() > keep) {
              lines.removeFirst();
            }
          }
        }
      } catch (IOException e) {
        // the process was killed; what was read is what there is
      }
    }

    void awaitEnd() {
      try {
        join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    List<String> lines() {
      synchronized (lines) {
        return new ArrayList<>(lines);
      }
    }
  }
}
