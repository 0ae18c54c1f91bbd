package io.watchroom.core.room;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.typesafe.config.ConfigFactory;
import io.watchroom.core.Rejection;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes;
import org.apache.pekko.actor.testkit.typed.javadsl.ManualTime;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit.CommandResultWithReply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;

/**
 * A Room under EventSourcedBehaviorTestKit (which also checks that every command, event, reply
 * and state serializes), with a hand-moved server clock, manual timers, and a probe per member
 * connection. Subclasses test one area each.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class RoomTestBase {

  static final long T0 = 1_763_712_000_000L;
  static final double EPS = 1e-9;
  static final String URL = "https://media.example.org/films/night.mp4";
  static final String URL2 = "https://media.example.org/films/day.webm";
  static final String URL3 = "https://media.example.org/films/dusk.mp4";
  static final String OWNER = "a-owner";

  static final RoomConfig CONFIG =
      new RoomConfig(
          100, 2, Duration.ofMinutes(2), Duration.ofSeconds(15), Duration.ofSeconds(5),
          Duration.ofHours(1), Duration.ofSeconds(1), 10, Duration.ofSeconds(10));

  ActorTestKit testKit;
  ManualTime manualTime;
  ManualInstantSource clock;
  EventSourcedBehaviorTestKit<Room.Command, Room.Event, Room.State> room;
  String roomId;
  final Map<String, TestProbe<Room.Update>> sessions = new HashMap<>();

  @BeforeAll
  void startTestKit() {
    testKit =
        ActorTestKit.create(
            ManualTime.config()
                .withFallback(EventSourcedBehaviorTestKit.config())
                .withFallback(ConfigFactory.load()));
    manualTime = ManualTime.get(testKit.system());
  }

  @AfterAll
  void stopTestKit() {
    testKit.shutdownTestKit();
  }

  @BeforeEach
  void newRoom() {
    clock = new ManualInstantSource(T0);
    sessions.clear();
    roomId = "room" + Room.randomToken(8).replace('-', 'x').replace('_', 'y');
    room = EventSourcedBehaviorTestKit.create(testKit.system(), Room.create(roomId, CONFIG, clock, Optional.empty()));
  }

  // --- driving the room ------------------------------------------------------------------------

  void create() {
    create(RoomSettings.Visibility.UNLISTED, false);
  }

  void create(RoomSettings.Visibility visibility, boolean temporary) {
    var result = room.<StatusReply<Done>>runCommand(r -> new Room.Create(OWNER, "Film club", visibility, temporary, r));
    assertTrue(result.reply().isSuccess(), () -> result.reply().toString());
  }

  /** Joins {@code userId} with a new connection; ids starting with "a-" are accounts. */
  Room.Joined join(String userId, String name) {
    return join(userId, name, null);
  }

  Room.Joined join(String userId, String name, String invite) {
    StatusReply<Room.Joined> reply = tryJoin(userId, name, invite);
    assertTrue(reply.isSuccess(), () -> reply.toString());
    return reply.getValue();
  }

  StatusReply<Room.Joined> tryJoin(String userId, String name, String invite) {
    TestProbe<Room.Update> session = testKit.createTestProbe("session-" + userId + "-" + Room.randomToken(4));
    sessions.put(userId, session);
    return room.<StatusReply<Room.Joined>>runCommand(
            r -> new Room.Join(userId, name, !userId.startsWith("a-"), invite, session.ref(), r))
        .reply();
  }

  TestProbe<Room.Update> session(String userId) {
    return sessions.get(userId);
  }

  CommandResultWithReply<Room.Command, Room.Event, Room.State, StatusReply<Done>> act(
      Function<ActorRef<StatusReply<Done>>, Room.Command> command) {
    return room.runCommand(command::apply);
  }

  void ok(Function<ActorRef<StatusReply<Done>>, Room.Command> command) {
    var result = act(command);
    assertTrue(result.reply().isSuccess(), () -> result.reply().toString());
  }

  /**
   * Sends a command that is not answered, and waits until the room has handled it (by asking for
   * its state after it), so that moving the manual clock next cannot overtake it.
   */
  void tell(Room.Command command) {
    room.runCommand(command);
    room.<StatusReply<Room.Snapshot>>runCommand(r -> new Room.GetState(null, null, r));
  }

  Room.Open state() {
    return assertInstanceOf(Room.Open.class, room.getState());
  }

  /** Creates the room with the owner and media in it. */
  void openWithMedia() {
    create();
    join(OWNER, "Olive");
    ok(r -> new Room.AddToQueue(OWNER, URL, null, null, null, r));
  }

  /** Everything the member's connection has been told so far. */
  List<Room.Update> drain(String userId) {
    List<Room.Update> updates = new java.util.ArrayList<>();
    TestProbe<Room.Update> probe = session(userId);
    while (true) {
      try {
        updates.add(probe.receiveMessage(Duration.ofMillis(20)));
      } catch (AssertionError timeout) {
        return updates;
      }
    }
  }

  <U extends Room.Update> U next(String userId, Class<U> type) {
    TestProbe<Room.Update> probe = session(userId);
    List<Room.Update> fished =
        probe.fishForMessage(
            Duration.ofSeconds(3),
            u -> type.isInstance(u) ? FishingOutcomes.complete() : FishingOutcomes.continueAndIgnore());
    return type.cast(fished.get(fished.size() - 1));
  }

  static void assertRejected(StatusReply<?> reply, String code) {
    assertTrue(reply.isError(), () -> "expected " + code + " but was " + reply);
    Rejection rejection = assertInstanceOf(Rejection.class, reply.getError());
    assertEquals(code, rejection.code(), rejection::getMessage);
    assertFalse(rejection.getMessage().isBlank());
  }
}
