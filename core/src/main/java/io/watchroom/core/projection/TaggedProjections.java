package io.watchroom.core.projection;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.ShardedDaemonProcessSettings;
import org.apache.pekko.cluster.sharding.typed.javadsl.ShardedDaemonProcess;
import org.apache.pekko.projection.Projection;
import org.apache.pekko.projection.ProjectionBehavior;

/**
 * Runs one instance of a projection per event tag as a ShardedDaemonProcess, so the instances
 * spread over the cluster's nodes and move to a surviving node when theirs stops.
 */
public final class TaggedProjections {
  private TaggedProjections() {}

  public static void init(
      ActorSystem<?> system, String name, List<String> tags, Function<String, Projection<?>> projectionOfTag) {
    ShardedDaemonProcess.get(system)
        .init(
            ProjectionBehavior.Command.class,
            name,
            tags.size(),
            index -> ProjectionBehavior.create(projectionOfTag.apply(tags.get(index))),
            ShardedDaemonProcessSettings.create(system),
            Optional.of(ProjectionBehavior.stopMessage()));
  }
}
