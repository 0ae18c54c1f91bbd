package io.watchroom.core.room;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.watchroom.core.room.MemberStatus.PlayerState;
import io.watchroom.core.room.RoomSettings.QueueMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.pattern.StatusReply;
import org.junit.jupiter.api.Test;

/**
 * Replay for debugging: folding the journal with {@link Room#apply} gives, at every event, the
 * state the live entity had at that point.
 */
class RoomReplayTest extends RoomTestBase {

  private record Recorded(int eventCount, Room.State state) {}

  private final List<Recorded> recorded = new ArrayList<>();
  private int events;

  @Test
  void theStateRebuiltAtEachEventIsTheLiveState() {
    record(room.<StatusReply<Done>>runCommand(r -> new Room.Create(OWNER, "Replay", RoomSettings.Visibility.PUBLIC, false, r)));
    record(room.<StatusReply<Room.Joined>>runCommand(r -> new Room.Join(OWNER, "Olive", false, null, testKit.<Room.Update>createTestProbe().ref(), r)));
    record(room.<StatusReply<Room.Joined>>runCommand(r -> new Room.Join("g-bob", "Bob", true, null, testKit.<Room.Update>createTestProbe().ref(), r)));
    step(r -> new Room.AddToQueue(OWNER, URL, "Night", null, null, r));
    step(r -> new Room.AddToQueue("g-bob", URL2, null, 30.0, null, r));
    step(r -> new Room.AddToQueue("g-bob", URL3, null, 40.0, null, r));
    record(room.runCommand(new Room.ReportDuration(OWNER, URL, 10)));
    step(r -> new Room.MoveInQueue(OWNER, "i3", 0, r));
    step(r -> new Room.SetRole(OWNER, "g-bob", Role.MODERATOR, r));
    step(r -> new Room.Play("g-bob", r));
    clock.advance(2_500);
    step(r -> new Room.SetRate(OWNER, 1.5, r));
    step(r -> new Room.PostChat("g-bob", "what a scene", 3.75, r));
    step(r -> new Room.React(OWNER, 1, "\u2764\uFE0F", r));
    clock.advance(1_000);
    step(r -> new Room.Seek(OWNER, 5, r));
    clock.advance(4_000);
    record(room.runCommand(new Room.CheckEnd()));
    step(r -> new Room.VoteToSkip(OWNER, true, r));
    step(r -> new Room.ChangeSettings(OWNER, new Room.SettingsChange("Replayed", null, null, null, null, QueueMode.LOOP, null, null), r));
    step(r -> new Room.ClearQueue(OWNER, r));
    step(r -> new Room.UndoQueueChange("g-bob", r));
    step(r -> new Room.Rename("g-bob", "Robert", r));
    step(r -> new Room.Pause(OWNER, r));
    tell(new Room.ReportStatus("g-bob", PlayerState.BUFFERING, 20));
    step(r -> new Room.RotateInvite(OWNER, r));
    step(r -> new Room.BanMember(OWNER, "g-bob", "replay test", r));
    step(r -> new Room.UnbanMember(OWNER, "g-bob", r));
    step(r -> new Room.Skip(OWNER, r));
    tell(new Room.Leave(OWNER, session(OWNER) == null ? testKit.<Room.Update>createTestProbe().ref() : session(OWNER).ref()));
    manualTime.timePasses(Duration.ofSeconds(6));

    List<Room.Event> journal =
        room.persistenceTestKit().persistedInStorage("Room|" + roomId).stream().map(Room.Event.class::cast).toList();
    assertEquals(events, journal.size());

    // Fold the journal with the entity's own event handler, and compare at every recorded point.
    Room.State folded = new Room.Uncreated();
    int applied = 0;
    for (Recorded point : recorded) {
      while (applied < point.eventCount()) {
        folded = Room.apply(folded, journal.get(applied++));
      }
      assertEquals(point.state(), folded, "state after event " + applied);
    }
    // And to the very end, including what timers did.
    for (; applied < journal.size(); applied++) {
      folded = Room.apply(folded, journal.get(applied));
    }
    assertEquals(room.getState(), folded);
  }

  private void step(Function<ActorRef<StatusReply<Done>>, Room.Command> command) {
    record(room.runCommand(command::apply));
  }

  private void record(org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit.CommandResult<Room.Command, Room.Event, Room.State> result) {
    events += result.events().size();
    recorded.add(new Recorded(events, result.state()));
  }
}
