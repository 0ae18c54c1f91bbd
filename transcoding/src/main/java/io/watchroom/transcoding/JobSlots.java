package io.watchroom.transcoding;

import java.util.ArrayDeque;
import kamon.Kamon;
import kamon.metric.Gauge;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * How many transcodes this node runs at once. A job waits (without holding a thread) until a slot
 * is free, so a node never runs more ffmpeg ladders than configured however many projection
 * instances it hosts. The node's metrics show how many jobs run and how many wait for a slot.
 */
public final class JobSlots {

  private static final Gauge queued = Kamon.gauge("watchroom.transcode.queue").withoutTags();
  private static final Gauge running = Kamon.gauge("watchroom.transcode.running").withoutTags();

  private final int capacity;
  private int inUse;
  private final Queue<CompletableFuture<Void>> waiting = new ArrayDeque<>();

  public JobSlots(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("watchroom.media.concurrency must be at least 1");
    }
    this.capacity = capacity;
  }

  public <T> CompletionStage<T> run(Supplier<CompletionStage<T>> job) {
    return acquire()
        .thenCompose(
            free -> {
              CompletionStage<T> running;
              try {
                running = job.get();
              } catch (RuntimeException e) {
                running = CompletableFuture.failedFuture(e);
              }
              return running.whenComplete((result, failure) -> release());
            });
  }

  public synchronized int inUse() {
    return inUse;
  }

  private synchronized CompletableFuture<Void> acquire() {
    CompletableFuture<Void> turn;
    if (inUse < capacity) {
      inUse++;
      turn = CompletableFuture.completedFuture(null);
    } else {
      turn = new CompletableFuture<>();
      waiting.add(turn);
    }
    report();
    return turn;
  }

  private synchronized void report() {
    queued.update(waiting.size());
    running.update(inUse);
  }

  private void release() {
    CompletableFuture<Void> next;
    synchronized (this) {
      next = waiting.poll();
      if (next == null) {
        inUse--;
      }
      report();
    }
    if (next == null) {
      return;
    }
    // the slot passes straight to the next job
    next.complete(null);
  }
}
