package io.watchroom.transcoding;

import io.watchroom.core.projection.DatabaseSession;
import io.watchroom.core.projection.TaggedProjections;
import io.watchroom.core.video.Video;
import io.watchroom.core.video.VideoCatalogProjection;
import java.time.Duration;
import javax.sql.DataSource;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.projection.ProjectionId;
import org.apache.pekko.projection.jdbc.javadsl.JdbcProjection;

/**
 * Runs the transcoding projection: one instance per Video tag, spread over the cluster's nodes by
 * ShardedDaemonProcess, so jobs run on every node. At-least-once: the offset is saved after each
 * event, once its job has finished; outputs are idempotent (see {@link TranscodeJob}).
 */
public final class TranscodeProjection {
  private TranscodeProjection() {}

  public static final String NAME = "video-transcoding";

  public static void init(
      ActorSystem<?> system, DataSource dataSource, String readJournalPluginId, TranscodeJob job, JobSlots slots) {
    TaggedProjections.init(
        system,
        NAME,
        Video.tags(),
        tag ->
            JdbcProjection.atLeastOnceAsync(
                    ProjectionId.of(NAME, tag),
                    VideoCatalogProjection.sourceProvider(system, readJournalPluginId, tag),
                    () -> new DatabaseSession(dataSource),
                    () -> new TranscodeHandler(job, slots),
                    system)
                .withSaveOffset(1, Duration.ZERO)
                .withRestartBackoff(Duration.ofSeconds(1), Duration.ofSeconds(30), 0.2));
  }
}
