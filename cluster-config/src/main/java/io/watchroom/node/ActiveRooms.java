package io.watchroom.node;

import io.watchroom.core.room.Room;
import java.time.Duration;
import kamon.Kamon;
import kamon.metric.Gauge;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.ShardRegion.CurrentShardRegionState;
import org.apache.pekko.cluster.sharding.typed.GetShardRegionState;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/**
 * Counts the rooms (and their shards) alive on this node from the local shard region's state and
 * publishes them as gauges. Counted from outside the Room entity, which knows nothing of metrics:
 * the shard region is the authority on which rooms run here.
 */
final class ActiveRooms {
  private ActiveRooms() {}

  private sealed interface Message {}

  private record Sample() implements Message {}

  private record Counted(CurrentShardRegionState state) implements Message {}

  static Behavior<Object> create(String node, Duration interval) {
    Gauge rooms = Kamon.gauge("watchroom.rooms.active").withTag("node", node);
    Gauge shards = Kamon.gauge("watchroom.rooms.shards").withTag("node", node);
    return Behaviors.<Message>setup(
            context ->
                Behaviors.withTimers(
                    timers -> {
                      timers.startTimerWithFixedDelay(new Sample(), Duration.ZERO, interval);
                      var adapter = context.messageAdapter(CurrentShardRegionState.class, Counted::new);
                      return Behaviors.receive(Message.class)
                          .onMessage(
                              Sample.class,
                              m -> {
                                ClusterSharding.get(context.getSystem())
                                    .shardState()
                                    .tell(new GetShardRegionState(Room.ENTITY_KEY, adapter));
                                return Behaviors.same();
                              })
                          .onMessage(
                              Counted.class,
                              m -> {
                                rooms.update(
                                    m.state().getShards().stream()
                                        .mapToInt(s -> s.getEntityIds().size())
                                        .sum());
                                shards.update(m.state().getShards().size());
                                return Behaviors.same();
                              })
                          .build();
                    }))
        .unsafeCast();
  }
}
