package io.watchroom.core.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.watchroom.core.JsonSerializable;
import io.watchroom.core.Rejection;
import io.watchroom.core.room.MemberStatus.PlayerState;
import io.watchroom.core.room.RoomSettings.PlaybackMode;
import io.watchroom.core.room.RoomSettings.QueueMode;
import io.watchroom.core.room.RoomSettings.Visibility;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.SerializationTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.jackson.JacksonJsonSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Every Room command, event, state, update and reply round-trips through the configured Jackson
 * binding; the samples are checked to cover every type the sealed hierarchies permit.
 */
class RoomSerializationTest {

  private static final ActorTestKit testKit = ActorTestKit.create();
  private static final SerializationTestKit serialization = testKit.serializationTestKit();

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  private static final long AT = 1_763_712_000_000L;
  private static final Member ANN = new Member("a-ann", "Ann", AT, false);
  private static final QueueItem ITEM =
      new QueueItem("i1", "https://media.example.org/a.mp4", "a.mp4", 12.5, "https://media.example.org/a.jpg", "a-ann", AT, List.of("g-bob"));
  private static final PlaybackClock CLOCK = new PlaybackClock(true, 3.25, AT, 1.5);
  private static final ChatMessage MESSAGE =
      new ChatMessage(7, "a-ann", "Ann", "hi <b>", AT, 3.5, "i1", Map.of("\uD83D\uDE02", List.of("g-bob")));
  private static final RoomSettings SETTINGS =
      new RoomSettings("Film club", "about", Visibility.PRIVATE, "invite123", true, PlaybackMode.WAIT_FOR_EVERYONE,
          QueueMode.VOTE, 0.6, Map.of(Permission.SKIP, Role.GUEST));
  private static final Room.Open OPEN =
      new Room.Open("roomAbc1234", "a-ann", AT, SETTINGS, ITEM, CLOCK, List.of(ITEM), List.of(), 2, List.of("a-ann"),
          List.of(ANN), Map.of("a-ann", Role.OWNER, "g-bob", Role.MODERATOR), List.of("g-bob"),
          List.of(new Ban("g-eve", "Eve", "spam", "a-ann", AT)), List.of(MESSAGE), 8, null);

  @Test
  void everyMessageTypeRoundTrips() {
    TestProbe<StatusReply<Done>> done = testKit.createTestProbe();
    TestProbe<StatusReply<Room.Joined>> joined = testKit.createTestProbe();
    TestProbe<StatusReply<Room.Snapshot>> snapshot = testKit.createTestProbe();
    TestProbe<Room.Update> session = testKit.createTestProbe();
    TestProbe<Room.Command> entity = testKit.createTestProbe();
    String url = ITEM.url();

    List<JsonSerializable> samples = new ArrayList<>(List.of(
        // commands
        new Room.Create("a-ann", "Film club", Visibility.PUBLIC, true, done.ref()),
        new Room.Create("a-ann", null, null, false, done.ref()),
        new Room.Join("a-ann", "Ann", false, "invite123", session.ref(), joined.ref()),
        new Room.Leave("a-ann", session.ref()),
        new Room.Rename("a-ann", "Annie", done.ref()),
        new Room.ReportStatus("a-ann", PlayerState.BUFFERING, 42.5),
        new Room.SetTyping("a-ann", true),
        new Room.Play("a-ann", done.ref()),
        new Room.Pause("a-ann", done.ref()),
        new Room.Seek("a-ann", 42.0, done.ref()),
        new Room.SetRate("a-ann", 0.75, done.ref()),
        new Room.ReportDuration("a-ann", url, 12.5),
        new Room.AddToQueue("a-ann", url, "t", 10.0, null, done.ref()),
        new Room.SetMedia("a-ann", url, null, 12.0, null, done.ref()),
        new Room.RemoveFromQueue("a-ann", "i1", done.ref()),
        new Room.MoveInQueue("a-ann", "i1", 0, done.ref()),
        new Room.PlayNow("a-ann", "i1", done.ref()),
        new Room.ClearQueue("a-ann", done.ref()),
        new Room.Skip("a-ann", done.ref()),
        new Room.VoteForItem("a-ann", "i1", true, done.ref()),
        new Room.VoteToSkip("a-ann", true, done.ref()),
        new Room.UndoQueueChange("a-ann", done.ref()),
        new Room.PostChat("a-ann", "hello", null, done.ref()),
        new Room.React("a-ann", 7, "\uD83D\uDE02", done.ref()),
        new Room.ChangeSettings("a-ann", new Room.SettingsChange("t", null, Visibility.PUBLIC, null, null, QueueMode.LOOP, null, Map.of(Permission.CHAT, Role.MEMBER)), done.ref()),
        new Room.RotateInvite("a-ann", done.ref()),
        new Room.SetRole("a-ann", "g-bob", Role.MODERATOR, done.ref()),
        new Room.KickMember("a-ann", "g-bob", "why", done.ref()),
        new Room.BanMember("a-ann", "g-bob", "why", done.ref()),
        new Room.UnbanMember("a-ann", "g-bob", done.ref()),
        new Room.GetState("a-ann", null, snapshot.ref()),
        new Room.SessionEnded("a-ann", session.ref()),
        new Room.CheckEnd(),
        new Room.SweepAbsentMembers(),
        new Room.LeaveGraceOver("a-ann"),
        new Room.TypingExpired("a-ann"),
        new Room.CheckBuffering("a-ann"),
        new Room.CheckResume(),
        new Room.CheckIdle(),
        new Room.ForgetIfExpired(),
        // events
        new Room.RoomCreated("roomAbc1234", "a-ann", SETTINGS, AT),
        new Room.MemberJoined(ANN, true),
        new Room.MemberRenamed("a-ann", "Annie", AT),
        new Room.MemberLeft("a-ann", AT),
        new Room.MemberKicked("g-bob", "why", "a-ann", AT),
        new Room.MemberBanned(new Ban("g-bob", "Bob", "why", "a-ann", AT)),
        new Room.MemberUnbanned("g-bob", "a-ann", AT),
        new Room.RoleChanged("g-bob", Role.MODERATOR, "a-ann", AT),
        new Room.SettingsChanged(SETTINGS, "a-ann", AT),
        new Room.InviteRotated("invite456", "a-ann", AT),
        new Room.QueueItemAdded(ITEM, AT),
        new Room.QueueItemRemoved("i1", "a-ann", AT),
        new Room.QueueItemMoved("i1", 2, "a-ann", AT),
        new Room.QueueCleared("a-ann", AT),
        new Room.QueueItemVoted("i1", "g-bob", true, AT),
        new Room.QueueRestored(List.of(ITEM), "a-ann", AT),
        new Room.NowPlaying(ITEM, true, true, Room.Advance.ENDED, null, AT),
        new Room.NowPlaying(null, false, false, Room.Advance.SKIPPED, "a-ann", AT),
        new Room.SkipVoted("g-bob", true, AT),
        new Room.MediaDurationLearned("i1", 12.5, "a-ann", AT),
        new Room.PlaybackStarted(1.0, "a-ann", AT),
        new Room.PlaybackScheduled(1.0, AT + 600, null, AT),
        new Room.PlaybackPaused(2.0, "a-ann", AT),
        new Room.PlaybackSeeked(3.0, "a-ann", AT),
        new Room.PlaybackRateChanged(2.0, 4.0, "a-ann", AT),
        new Room.PlaybackEnded(12.5, AT),
        new Room.ChatMessagePosted(MESSAGE),
        new Room.ChatReactionToggled(7, "\uD83D\uDE02", "g-bob", false, AT),
        new Room.RoomForgotten(AT),
        // states
        new Room.Uncreated(),
        new Room.Forgotten("roomAbc1234", AT),
        OPEN,
        // updates
        new Room.PlaybackUpdate(CLOCK, "a-ann", List.of()),
        new Room.PlaybackUpdate(CLOCK, null, List.of("g-bob")),
        new Room.MediaUpdate(ITEM, "a-ann"),
        new Room.MediaUpdate(null, null),
        new Room.QueueUpdate(List.of(ITEM), true, "a-ann"),
        new Room.MembershipUpdate(Room.Membership.ROLE_CHANGED, ANN, Role.MODERATOR),
        new Room.PresenceUpdate("a-ann", new MemberStatus(PlayerState.ERROR, 12.0, true)),
        new Room.ChatUpdate(MESSAGE),
        new Room.SettingsUpdate(SETTINGS.withInviteToken(null), "a-ann"),
        new Room.InviteUpdate("invite456"),
        new Room.SkipVoteUpdate(List.of("g-bob"), 2),
        new Room.Removed(true, "why", "a-ann"),
        new Room.Closed(),
        // replies
        new Room.Joined(ANN, Role.OWNER, OPEN, Map.of("a-ann", MemberStatus.UNKNOWN), entity.ref()),
        new Room.Snapshot(OPEN, Map.of(), Role.GUEST)));
    for (Room.Membership change : Room.Membership.values()) {
      samples.add(new Room.MembershipUpdate(change, ANN, Role.GUEST));
    }
    samples.forEach(this::verify);

    Set<Class<?>> covered = samples.stream().map(Object::getClass).collect(Collectors.toSet());
    Set<Class<?>> all = new HashSet<>();
    for (Class<?> root : List.of(Room.Command.class, Room.Event.class, Room.State.class, Room.Update.class)) {
      collectRecords(root, all);
    }
    all.removeAll(covered);
    assertTrue(all.isEmpty(), () -> "no serialization sample for " + all);
  }

  @Test
  void repliesRoundTrip() {
    TestProbe<Room.Command> entity = testKit.createTestProbe();
    serialization.verifySerialization(StatusReply.success(new Room.Joined(ANN, Role.MEMBER, OPEN, Map.of(), entity.ref())), true);
    serialization.verifySerialization(StatusReply.success(new Room.Snapshot(OPEN, Map.of(), Role.GUEST)), true);
    serialization.verifySerialization(StatusReply.ack(), true);
    StatusReply<?> rejected =
        serialization.verifySerialization(StatusReply.error(new Rejection(Rejection.FORBIDDEN, "No.")), false);
    Rejection rejection = assertInstanceOf(Rejection.class, rejected.getError());
    assertEquals(Rejection.FORBIDDEN, rejection.code());
    assertEquals("No.", rejection.getMessage());
  }

  private static void collectRecords(Class<?> type, Set<Class<?>> into) {
    if (type.isRecord()) {
      into.add(type);
    }
    Class<?>[] permitted = type.getPermittedSubclasses();
    if (permitted != null) {
      for (Class<?> sub : permitted) {
        collectRecords(sub, into);
      }
    }
  }

  private void verify(JsonSerializable message) {
    // The binding must be Jackson JSON, never a fallback.
    assertInstanceOf(
        JacksonJsonSerializer.class,
        SerializationExtension.get(testKit.system().classicSystem()).findSerializerFor(message));
    serialization.verifySerialization(message, true);
  }
}
