package io.watchroom.core.video;

import io.watchroom.core.projection.DatabaseSession;
import io.watchroom.core.projection.TaggedProjections;
import javax.sql.DataSource;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.persistence.query.Offset;
import org.apache.pekko.projection.ProjectionId;
import org.apache.pekko.projection.eventsourced.javadsl.EventSourcedProvider;
import org.apache.pekko.projection.javadsl.SourceProvider;
import org.apache.pekko.projection.jdbc.javadsl.JdbcProjection;
import org.apache.pekko.projection.eventsourced.EventEnvelope;

/**
 * Runs the catalog projection: one instance per Video tag, spread over the cluster's nodes by
 * ShardedDaemonProcess. Exactly-once: the handler's writes and the offset share one transaction.
 */
public final class VideoCatalogProjection {
  private VideoCatalogProjection() {}

  public static final String NAME = "video-catalog";

  public static void init(ActorSystem<?> system, DataSource dataSource, String readJournalPluginId) {
    TaggedProjections.init(
        system,
        NAME,
        Video.tags(),
        tag ->
            JdbcProjection.exactlyOnce(
                ProjectionId.of(NAME, tag),
                sourceProvider(system, readJournalPluginId, tag),
                () -> new DatabaseSession(dataSource),
                VideoCatalogHandler::new,
                system));
  }

  public static SourceProvider<Offset, EventEnvelope<Video.Event>> sourceProvider(
      ActorSystem<?> system, String readJournalPluginId, String tag) {
    return EventSourcedProvider.eventsByTag(system, readJournalPluginId, tag);
  }
}
