package io.watchroom.core.room;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.persistence.query.EventEnvelope;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.persistence.query.javadsl.CurrentEventsByPersistenceIdQuery;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.stream.javadsl.Sink;

/**
 * A room's history for debugging: its events straight from the journal, and its state at any
 * event, rebuilt by folding the entity's own event handler ({@link Room#apply}) over the events
 * up to it. Nothing here goes through the live entity, so replaying never disturbs a room.
 */
public final class RoomHistory {

  public static final int MAX_PAGE = 500;

  /** One event with its sequence number in the room's journal. */
  public record Entry(long seq, Room.Event event) {}

  /** The room as it was right after event {@code seq}. */
  public record StateAt(long seq, long at, Room.State state) {}

  private final ActorSystem<?> system;
  private final CurrentEventsByPersistenceIdQuery journal;

  public RoomHistory(ActorSystem<?> system, String readJournalPluginId) {
    this.system = system;
    this.journal =
        PersistenceQuery.get(system.classicSystem())
            .getReadJournalFor(CurrentEventsByPersistenceIdQuery.class, readJournalPluginId);
  }

  /** Up to {@code limit} events from sequence number {@code fromSeq} on. */
  public CompletionStage<List<Entry>> events(String roomId, long fromSeq, int limit) {
    int size = Math.max(1, Math.min(limit, MAX_PAGE));
    return journal
        .currentEventsByPersistenceId(persistenceId(roomId), Math.max(1, fromSeq), Long.MAX_VALUE)
        .take(size)
        .map(RoomHistory::entry)
        .runWith(Sink.seq(), system);
  }

  /** The state after event {@code seq}; empty when the room has no such event. */
  public CompletionStage<Optional<StateAt>> stateAt(String roomId, long seq) {
    return journal
        .currentEventsByPersistenceId(persistenceId(roomId), 1, Math.max(1, seq))
        .map(RoomHistory::entry)
        .runFold(
            Optional.<StateAt>empty(),
            (folded, entry) -> {
              Room.State before = folded.map(StateAt::state).orElse(new Room.Uncreated());
              return Optional.of(new StateAt(entry.seq(), entry.event().at(), Room.apply(before, entry.event())));
            },
            system)
        .thenApply(folded -> folded.filter(s -> s.seq() == seq));
  }

  private static Entry entry(EventEnvelope envelope) {
    return new Entry(envelope.sequenceNr(), (Room.Event) envelope.event());
  }

  private static String persistenceId(String roomId) {
    return PersistenceId.of(Room.ENTITY_KEY.name(), roomId).id();
  }
}
