package io.watchroom.transcoding;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * How many transcodes this node runs at once. A job waits (without holding a thread) until a slot
 * is free, so a node never runs more ffmpeg ladders than configured however many projection
 * instances it hosts.
 */
public final class JobSlots {

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
    if (inUse < capacity) {
      inUse++;
      return CompletableFuture.completedFuture(null);
    }
    CompletableFuture<Void> turn = new CompletableFuture<>();
    waiting.add(turn);
    return turn;
  }

  private void release() {
    CompletableFuture<Void> next;
    synchronized (this) {
      next = waiting.poll();
      if (next == null) {
        inUse--;
        return;
      }
    }
    // the slot passes straight to the next job
    next.complete(null);
  }
}
