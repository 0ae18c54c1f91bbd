package io.watchroom.transcoding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A node's transcode slots: jobs here are futures the test completes by hand, so which job runs
 * when is decided by the slots alone, not by timing.
 */
class JobSlotsTest {

  /** Jobs that record when they start and end only when the test says so. */
  private static final class Jobs {
    final AtomicInteger running = new AtomicInteger();
    int mostAtOnce;
    final List<String> started = new ArrayList<>();
    final List<CompletableFuture<String>> ends = new ArrayList<>();

    synchronized CompletionStage<String> start(String name) {
      started.add(name);
      mostAtOnce = Math.max(mostAtOnce, running.incrementAndGet());
      CompletableFuture<String> end = new CompletableFuture<>();
      ends.add(end);
      return end.whenComplete((r, f) -> running.decrementAndGet());
    }

    synchronized List<String> started() {
      return List.copyOf(started);
    }

    void finish(int index) {
      CompletableFuture<String> end;
      synchronized (this) {
        end = ends.get(index);
      }
      end.complete("done " + index);
    }

    void fail(int index) {
      CompletableFuture<String> end;
      synchronized (this) {
        end = ends.get(index);
      }
      end.completeExceptionally(new IllegalStateException("ffmpeg exited with 1"));
    }
  }

  @Test
  void neverMoreThanCapacityAndQueuedJobsRunInOrder() throws Exception {
    JobSlots slots = new JobSlots(2);
    Jobs jobs = new Jobs();
    List<CompletionStage<String>> results = new ArrayList<>();
    for (String name : List.of("a", "b", "c", "d", "e")) {
      results.add(slots.run(() -> jobs.start(name)));
    }
    assertEquals(List.of("a", "b"), jobs.started());
    assertEquals(2, slots.inUse());

    jobs.finish(1); // b ends: c (the first waiting) takes its slot
    assertEquals(List.of("a", "b", "c"), jobs.started());
    assertEquals("done 1", results.get(1).toCompletableFuture().get(5, TimeUnit.SECONDS));
    jobs.finish(0);
    assertEquals(List.of("a", "b", "c", "d"), jobs.started());
    jobs.finish(2);
    jobs.finish(3);
    assertEquals(List.of("a", "b", "c", "d", "e"), jobs.started());
    assertEquals(1, slots.inUse());
    jobs.finish(4);
    assertEquals(0, slots.inUse());
    assertEquals(2, jobs.mostAtOnce);
    for (int i = 0; i < results.size(); i++) {
      assertEquals("done " + i, results.get(i).toCompletableFuture().get(5, TimeUnit.SECONDS));
    }
  }

  @Test
  void aFailingOrThrowingJobReleasesItsSlot() throws Exception {
    JobSlots slots = new JobSlots(1);
    Jobs jobs = new Jobs();
    CompletionStage<String> failing = slots.run(() -> jobs.start("fails"));
    CompletionStage<String> throwing =
        slots.run(() -> {
          throw new IllegalArgumentException("could not even start");
        });
    CompletionStage<String> next = slots.run(() -> jobs.start("next"));
    assertEquals(List.of("fails"), jobs.started());

    jobs.fail(0);
    ExecutionException failed = assertThrows(ExecutionException.class, () -> failing.toCompletableFuture().get(5, TimeUnit.SECONDS));
    assertTrue(failed.getCause() instanceof IllegalStateException);
    // the job that threw while starting failed and gave its slot on to the next one
    ExecutionException threw = assertThrows(ExecutionException.class, () -> throwing.toCompletableFuture().get(5, TimeUnit.SECONDS));
    assertTrue(threw.getCause() instanceof IllegalArgumentException, threw.toString());
    assertEquals(List.of("fails", "next"), jobs.started());
    assertEquals(1, slots.inUse());
    assertFalse(next.toCompletableFuture().isDone());
    jobs.finish(1);
    assertEquals("done 1", next.toCompletableFuture().get(5, TimeUnit.SECONDS));
    assertEquals(0, slots.inUse());
  }

  @Test
  void aNodeHasAtLeastOneSlot() {
    assertThrows(IllegalArgumentException.class, () -> new JobSlots(0));
  }
}
