package io.watchroom.transcoding;

import io.watchroom.core.video.Video;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.javadsl.Handler;

/**
 * Starts the transcoding job of every video whose upload completed. The handler's future completes
 * only when the job is done, so the projection's offset moves past {@code Uploaded} only then: a
 * node that dies mid-job leaves the event unacknowledged and whichever node takes the projection
 * over runs the job again. Jobs wait for a free slot of this node's {@link JobSlots}.
 */
public final class TranscodeHandler extends Handler<EventEnvelope<Video.Event>> {

  private final TranscodeJob job;
  private final JobSlots slots;

  public TranscodeHandler(TranscodeJob job, JobSlots slots) {
    this.job = job;
    this.slots = slots;
  }

  @Override
  public CompletionStage<Done> process(EventEnvelope<Video.Event> envelope) {
    if (envelope.event() instanceof Video.Uploaded) {
      String videoId = envelope.persistenceId().substring(envelope.persistenceId().indexOf('|') + 1);
      return slots.run(() -> job.run(videoId));
    }
    return CompletableFuture.completedFuture(Done.getInstance());
  }
}
