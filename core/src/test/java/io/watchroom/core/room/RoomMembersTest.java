package io.watchroom.core.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.watchroom.core.Rejection;
import io.watchroom.core.room.Room.Membership;
import io.watchroom.core.room.Room.MembershipUpdate;
import io.watchroom.core.room.RoomSettings.Visibility;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.SnapshotTestKit;
import org.junit.jupiter.api.Test;

/** Creating a room, joining, leaving with grace, renaming, roles, kick, ban, private rooms. */
class RoomMembersTest extends RoomTestBase {

  @Test
  void createOpensTheRoomWithItsOwner() {
    var result = room.<StatusReply<Done>>runCommand(r -> new Room.Create(OWNER, "  Film club  ", Visibility.PUBLIC, true, r));
    assertTrue(result.reply().isSuccess());
    Room.RoomCreated created = assertInstanceOf(Room.RoomCreated.class, result.event());
    assertEquals(OWNER, created.ownerId());
    assertEquals("Film club", created.settings().title());
    assertEquals(Visibility.PUBLIC, created.settings().visibility());
    assertTrue(created.settings().temporary());
    assertEquals(16, created.settings().inviteToken().length());
    Room.Open state = state();
    assertEquals(Role.OWNER, state.roleOf(OWNER, false));
    assertEquals(PlaybackClock.stoppedAt(T0), state.clock());
    assertNull(state.current());
  }

  @Test
  void createIsRefusedTwiceOrWithBadInput() {
    assertRejected(act(r -> new Room.Create(OWNER, "x".repeat(121), null, false, r)).reply(), Rejection.INVALID);
    assertRejected(act(r -> new Room.Create(" ", "t", null, false, r)).reply(), Rejection.INVALID);
    create();
    assertRejected(act(r -> new Room.Create(OWNER, "again", null, false, r)).reply(), Rejection.ALREADY_EXISTS);
  }

  @Test
  void everyRequestToAnUncreatedRoomIsNotFound() {
    assertRejected(tryJoin("g-1", "Ann", null), Rejection.NOT_FOUND);
    assertRejected(room.<StatusReply<Room.Snapshot>>runCommand(r -> new Room.GetState(null, null, r)).reply(), Rejection.NOT_FOUND);
    assertRejected(act(r -> new Room.Play("g-1", r)).reply(), Rejection.NOT_FOUND);
    assertRejected(act(r -> new Room.AddToQueue("g-1", URL, null, null, null, r)).reply(), Rejection.NOT_FOUND);
    assertRejected(act(r -> new Room.PostChat("g-1", "hi", null, r)).reply(), Rejection.NOT_FOUND);
    assertTrue(room.runCommand(new Room.ReportDuration("g-1", URL, 10)).hasNoEvents());
  }

  @Test
  void joinAddsAMemberAndTellsTheOthers() {
    create();
    join(OWNER, "Olive");
    clock.advance(1_000);
    Room.Joined joined = join("g-bob", " Bob ");
    Member bob = new Member("g-bob", "Bob", T0 + 1_000, true);
    assertEquals(bob, joined.you());
    assertEquals(Role.GUEST, joined.role());
    assertEquals(List.of(OWNER, "g-bob"), joined.room().members().stream().map(Member::id).toList());
    assertEquals(new MembershipUpdate(Membership.JOINED, bob, Role.GUEST), next(OWNER, MembershipUpdate.class));
    // Accounts are members by default, guests guests.
    assertEquals(Role.MEMBER, join("a-carol", "Carol").role());
  }

  @Test
  void aSecondConnectionOfTheSameMemberIsNotASecondMember() {
    create();
    join(OWNER, "Olive");
    var first = join("g-bob", "Bob");
    TestProbe<Room.Update> firstTab = session("g-bob");
    var again = room.<StatusReply<Room.Joined>>runCommand(r -> new Room.Join("g-bob", "Bob", true, null, testKit.<Room.Update>createTestProbe().ref(), r));
    assertTrue(again.hasNoEvents());
    assertEquals(first.you(), again.reply().getValue().you());
    assertEquals(2, state().members().size());
    // Closing one tab leaves the member in; the other tab still hears the room.
    tell(new Room.Leave("g-bob", firstTab.ref()));
    clock.advance(10_000);
    manualTime.timePasses(Duration.ofSeconds(10));
    assertEquals(2, state().members().size());
  }

  @Test
  void badNamesAreRefused() {
    create();
    for (String name : new String[] {"", "   ", "x".repeat(41), "bad\u0007name"}) {
      assertRejected(tryJoin("g-1", name, null), Rejection.INVALID);
    }
    // 40 code points is fine, even outside the basic plane.
    join("g-1", "\uD83C\uDFAC".repeat(40));
  }

  @Test
  void aMemberWhoLeavesIsGoneOnlyAfterTheGracePeriod() {
    create();
    join(OWNER, "Olive");
    join("g-bob", "Bob");
    drain(OWNER);
    var leave = room.runCommand(new Room.Leave("g-bob", session("g-bob").ref()));
    assertTrue(leave.hasNoEvents());
    clock.advance(4_000);
    manualTime.timePasses(Duration.ofSeconds(4));
    assertEquals(2, state().members().size());
    clock.advance(1_500);
    manualTime.timePasses(Duration.ofMillis(1_500));
    MembershipUpdate left = next(OWNER, MembershipUpdate.class);
    assertEquals(Membership.LEFT, left.change());
    assertEquals("g-bob", left.member().id());
    assertEquals(List.of(OWNER), state().members().stream().map(Member::id).toList());
  }

  @Test
  void comingBackWithinTheGracePeriodIsNoLeaveAndNoJoin() {
    create();
    join(OWNER, "Olive");
    join("g-bob", "Bob");
    drain(OWNER);
    tell(new Room.Leave("g-bob", session("g-bob").ref()));
    clock.advance(2_000);
    manualTime.timePasses(Duration.ofSeconds(2));
    var back = room.<StatusReply<Room.Joined>>runCommand(r -> new Room.Join("g-bob", "Bob", true, null, testKit.<Room.Update>createTestProbe().ref(), r));
    assertTrue(back.hasNoEvents());
    manualTime.timePasses(Duration.ofSeconds(10));
    assertEquals(2, state().members().size());
    assertTrue(drain(OWNER).stream().noneMatch(u -> u instanceof MembershipUpdate));
  }

  @Test
  void aStoppedConnectionCountsAsLeaving() {
    create();
    join(OWNER, "Olive");
    ActorRef<Room.Update> bobSession = testKit.spawn(Behaviors.<Room.Update>empty());
    room.<StatusReply<Room.Joined>>runCommand(r -> new Room.Join("g-bob", "Bob", true, null, bobSession, r));
    drain(OWNER);
    testKit.stop(bobSession);
    // The death watch message arrives; after the grace the member is gone.
    for (int i = 0; i < 20 && state().members().size() == 2; i++) {
      clock.advance(1_000);
      manualTime.timePasses(Duration.ofSeconds(1));
    }
    assertEquals(List.of(OWNER), state().members().stream().map(Member::id).toList());
  }

  @Test
  void renameIsARoomAction() {
    create();
    join(OWNER, "Olive");
    join("g-bob", "Bob");
    drain(OWNER);
    var result = act(r -> new Room.Rename("g-bob", "Bobby", r));
    assertEquals(new Room.MemberRenamed("g-bob", "Bobby", T0), result.event());
    MembershipUpdate renamed = next(OWNER, MembershipUpdate.class);
    assertEquals(Membership.RENAMED, renamed.change());
    assertEquals("Bobby", renamed.member().name());
    assertRejected(act(r -> new Room.Rename("g-bob", "", r)).reply(), Rejection.INVALID);
    assertRejected(act(r -> new Room.Rename("g-stranger", "X", r)).reply(), Rejection.NOT_JOINED);
    assertTrue(act(r -> new Room.Rename("g-bob", "Bobby", r)).hasNoEvents());
  }

  @Test
  void theOwnerGivesRolesAndRolesGiveRights() {
    create();
    join(OWNER, "Olive");
    join("g-bob", "Bob");
    join("g-cat", "Cat");
    // This room keeps removing others' items to members.
    ok(r -> new Room.ChangeSettings(OWNER, RoomPlaybackTest.change(java.util.Map.of(Permission.QUEUE_REMOVE, Role.MEMBER)), r));
    ok(r -> new Room.AddToQueue(OWNER, URL, null, null, null, r));
    ok(r -> new Room.AddToQueue(OWNER, URL2, null, null, null, r));
    String queued = state().queue().get(0).id();
    assertRejected(act(r -> new Room.RemoveFromQueue("g-bob", queued, r)).reply(), Rejection.FORBIDDEN);

    var promote = act(r -> new Room.SetRole(OWNER, "g-bob", Role.MODERATOR, r));
    assertEquals(new Room.RoleChanged("g-bob", Role.MODERATOR, OWNER, T0), promote.event());
    assertEquals(Role.MODERATOR, state().roleOf("g-bob", true));
    MembershipUpdate update = next("g-cat", MembershipUpdate.class);
    while (update.change() != Membership.ROLE_CHANGED) {
      update = next("g-cat", MembershipUpdate.class);
    }
    assertEquals(Role.MODERATOR, update.role());
    // A moderator sees the invite from now on.
    assertEquals(state().settings().inviteToken(), next("g-bob", Room.InviteUpdate.class).inviteToken());
    ok(r -> new Room.RemoveFromQueue("g-bob", queued, r));

    // A moderator cannot hand out roles; nobody can make another owner.
    assertRejected(act(r -> new Room.SetRole("g-bob", "g-cat", Role.MEMBER, r)).reply(), Rejection.FORBIDDEN);
    assertRejected(act(r -> new Room.SetRole(OWNER, "g-cat", Role.OWNER, r)).reply(), Rejection.INVALID);
    assertRejected(act(r -> new Room.SetRole(OWNER, OWNER, Role.GUEST, r)).reply(), Rejection.FORBIDDEN);
    assertRejected(act(r -> new Room.SetRole(OWNER, "g-nobody", Role.MEMBER, r)).reply(), Rejection.INVALID);
  }

  @Test
  void kickRemovesAMemberWhoMayComeBack() {
    create();
    join(OWNER, "Olive");
    join("g-bob", "Bob");
    drain(OWNER);
    var kick = act(r -> new Room.KickMember(OWNER, "g-bob", "Spoilers", r));
    assertEquals(new Room.MemberKicked("g-bob", "Spoilers", OWNER, T0), kick.event());
    assertEquals(new Room.Removed(false, "Spoilers", OWNER), next("g-bob", Room.Removed.class));
    assertEquals(Membership.LEFT, next(OWNER, MembershipUpdate.class).change());
    assertEquals(1, state().members().size());
    join("g-bob", "Bob");
  }

  @Test
  void aBannedMemberCannotRejoinUntilUnbanned() {
    create();
    join(OWNER, "Olive");
    join("g-bob", "Bob");
    join("a-mod", "Mod");
    ok(r -> new Room.SetRole(OWNER, "a-mod", Role.MODERATOR, r));
    var ban = act(r -> new Room.BanMember("a-mod", "g-bob", "Rude", r));
    Room.MemberBanned banned = assertInstanceOf(Room.MemberBanned.class, ban.event());
    assertEquals(new Ban("g-bob", "Bob", "Rude", "a-mod", T0), banned.ban());
    assertEquals(new Room.Removed(true, "Rude", "a-mod"), next("g-bob", Room.Removed.class));
    StatusReply<Room.Joined> again = tryJoin("g-bob", "Bob", null);
    assertRejected(again, Rejection.BANNED);
    assertTrue(again.getError().getMessage().contains("Rude"));
    ok(r -> new Room.UnbanMember("a-mod", "g-bob", r));
    join("g-bob", "Bob");
  }

  @Test
  void moderationOnlyReachesDownwards() {
    create();
    join(OWNER, "Olive");
    join("a-mod", "Mod");
    join("a-mod2", "Mod2");
    join("g-bob", "Bob");
    ok(r -> new Room.SetRole(OWNER, "a-mod", Role.MODERATOR, r));
    ok(r -> new Room.SetRole(OWNER, "a-mod2", Role.MODERATOR, r));
    assertRejected(act(r -> new Room.KickMember("g-bob", "a-mod", "", r)).reply(), Rejection.FORBIDDEN);
    assertRejected(act(r -> new Room.KickMember("a-mod", "a-mod2", "", r)).reply(), Rejection.FORBIDDEN);
    assertRejected(act(r -> new Room.BanMember("a-mod", OWNER, "", r)).reply(), Rejection.FORBIDDEN);
    assertRejected(act(r -> new Room.KickMember("a-mod", "a-mod", "", r)).reply(), Rejection.FORBIDDEN);
    assertRejected(act(r -> new Room.KickMember("a-mod", "g-bob", "x".repeat(201), r)).reply(), Rejection.INVALID);
    ok(r -> new Room.KickMember("a-mod", "g-bob", "", r));
  }

  @Test
  void aPrivateRoomNeedsItsInvite() {
    create(Visibility.PRIVATE, false);
    join(OWNER, "Olive");
    String invite = state().settings().inviteToken();
    assertRejected(tryJoin("g-bob", "Bob", null), Rejection.FORBIDDEN);
    assertRejected(tryJoin("g-bob", "Bob", "wrong-invite"), Rejection.FORBIDDEN);
    assertRejected(
        room.<StatusReply<Room.Snapshot>>runCommand(r -> new Room.GetState("g-bob", null, r)).reply(), Rejection.FORBIDDEN);
    join("g-bob", "Bob", invite);
    assertTrue(state().admitted().contains("g-bob"));

    // Rotating the invite keeps those already admitted and shuts out the old link.
    ok(r -> new Room.RotateInvite(OWNER, r));
    String rotated = state().settings().inviteToken();
    assertTrue(!rotated.equals(invite));
    assertEquals(rotated, next(OWNER, Room.InviteUpdate.class).inviteToken());
    assertRejected(tryJoin("g-cat", "Cat", invite), Rejection.FORBIDDEN);
    join("g-cat", "Cat", rotated);
    tell(new Room.Leave("g-bob", session("g-bob").ref()));
    manualTime.timePasses(Duration.ofSeconds(6));
    join("g-bob", "Bob", null);
    assertRejected(act(r -> new Room.RotateInvite("g-bob", r)).reply(), Rejection.FORBIDDEN);
  }

  @Test
  void theStateShowsTheViewersRole() {
    create();
    join(OWNER, "Olive");
    join("g-bob", "Bob");
    var owner = room.<StatusReply<Room.Snapshot>>runCommand(r -> new Room.GetState(OWNER, null, r));
    assertEquals(Role.OWNER, owner.reply().getValue().viewerRole());
    var guest = room.<StatusReply<Room.Snapshot>>runCommand(r -> new Room.GetState("g-bob", null, r));
    assertEquals(Role.GUEST, guest.reply().getValue().viewerRole());
    var anonymous = room.<StatusReply<Room.Snapshot>>runCommand(r -> new Room.GetState(null, null, r));
    assertEquals(Role.GUEST, anonymous.reply().getValue().viewerRole());
    assertEquals(state(), anonymous.reply().getValue().room());
  }

  @Test
  void membersWhoDoNotComeBackAfterARestartAreRecordedAsGone() {
    openWithMedia();
    join("g-bob", "Bob");
    room.restart();
    // Bob reconnects within the grace period; the owner does not.
    join("g-bob", "Bob");
    clock.advance(15_000);
    var result = room.runCommand(new Room.SweepAbsentMembers());
    assertEquals(List.of(new Room.MemberLeft(OWNER, T0 + 15_000)), result.events());
    assertEquals(List.of("g-bob"), state().members().stream().map(Member::id).toList());
  }

  @Test
  void aRoomNobodyIsInAsksItsShardToStopIt() {
    TestProbe<ClusterSharding.ShardCommand> shard = testKit.createTestProbe();
    var idle =
        EventSourcedBehaviorTestKit.<Room.Command, Room.Event, Room.State>create(
            testKit.system(), Room.create("roomIdle12345", CONFIG, clock, Optional.of(shard.ref())));
    TestProbe<Room.Update> s = testKit.createTestProbe();
    idle.<StatusReply<Done>>runCommand(r -> new Room.Create(OWNER, "Quiet", null, false, r));
    idle.<StatusReply<Room.Joined>>runCommand(r -> new Room.Join(OWNER, "Olive", false, null, s.ref(), r));

    // Someone is connected: however long it stays quiet, the room stays.
    manualTime.timePasses(Duration.ofMinutes(10));
    shard.expectNoMessage(Duration.ofMillis(50));

    // Once the last connection closes, the idle timeout runs.
    idle.runCommand(new Room.Leave(OWNER, s.ref()));
    idle.<StatusReply<Room.Snapshot>>runCommand(r -> new Room.GetState(null, null, r));
    // Past the leave grace first, and let the room persist that the owner left: manual time runs
    // the journal's call timeout too, so jumping over it while that write is under way fails it.
    manualTime.timePasses(CONFIG.leaveGrace().plusSeconds(1));
    idle.<StatusReply<Room.Snapshot>>runCommand(r -> new Room.GetState(null, null, r));
    manualTime.timePasses(Duration.ofSeconds(119).minus(CONFIG.leaveGrace().plusSeconds(1)));
    shard.expectNoMessage(Duration.ofMillis(50));
    manualTime.timePasses(Duration.ofSeconds(2));
    // Ten quiet minutes left timer messages queued behind this one; a loaded machine needs a while.
    assertInstanceOf(ClusterSharding.Passivate.class, shard.receiveMessage(Duration.ofSeconds(20)));
  }

  @Test
  void snapshotsAreTakenEveryNEventsAndOnlyTheNewestAreKept() {
    // Every 3 events, keeping 2: after 20 events the snapshots at 15 and 18 remain.
    RoomConfig everyThird =
        new RoomConfig(
            3, 2, CONFIG.idleTimeout(), Duration.ofSeconds(15), CONFIG.leaveGrace(),
            Duration.ofHours(1), Duration.ofSeconds(1), 10, Duration.ofSeconds(10));
    String id = "roomSnap" + Room.randomToken(6).replace('-', 'x').replace('_', 'y');
    var snapshotting = EventSourcedBehaviorTestKit.<Room.Command, Room.Event, Room.State>create(
        testKit.system(), Room.create(id, everyThird, clock, Optional.empty()));
    TestProbe<Room.Update> s = testKit.createTestProbe();
    long sequence =
        snapshotting.<StatusReply<Done>>runCommand(r -> new Room.Create(OWNER, "Snapshots", null, false, r)).events().size()
            + snapshotting.<StatusReply<Room.Joined>>runCommand(r -> new Room.Join(OWNER, "Olive", false, null, s.ref(), r)).events().size()
            + snapshotting.<StatusReply<Done>>runCommand(r -> new Room.AddToQueue(OWNER, URL, null, null, null, r)).events().size();
    for (int i = 1; sequence < 20; i++) {
      double position = i;
      sequence += snapshotting.<StatusReply<Done>>runCommand(r -> new Room.Seek(OWNER, position, r)).events().size();
    }
    Room.State before = snapshotting.getState();

    SnapshotTestKit snapshots = SnapshotTestKit.create(testKit.system());
    List<Long> kept =
        snapshots.persistedInStorage(Room.ENTITY_KEY.name() + "|" + id).stream()
            .map(p -> p.first().sequenceNr())
            .sorted()
            .toList();
    assertEquals(List.of(15L, 18L), kept);

    // Recovery starts from the newest snapshot and reaches the same room.
    snapshotting.restart();
    assertEquals(before, snapshotting.getState());
  }

  @Test
  void recoveryReproducesTheWholeRoom() {
    openWithMedia();
    join("g-bob", "Bob");
    ok(r -> new Room.SetRole(OWNER, "g-bob", Role.MODERATOR, r));
    ok(r -> new Room.AddToQueue("g-bob", URL2, "Day", 90.0, null, r));
    room.runCommand(new Room.ReportDuration(OWNER, URL, 600));
    ok(r -> new Room.Play(OWNER, r));
    clock.advance(12_345);
    ok(r -> new Room.SetRate("g-bob", 1.25, r));
    ok(r -> new Room.PostChat("g-bob", "hello", 12.0, r));
    clock.advance(6_789);
    ok(r -> new Room.Seek(OWNER, 300.5, r));
    Room.Open before = state();

    // Recovery happens later, at another wall-clock time: the state must not care.
    clock.advance(60_000);
    room.restart();
    assertEquals(before, state());
    assertEquals(before.clock().positionAt(clock.millis(), 600), state().clock().positionAt(clock.millis(), 600), EPS);
    assertEquals(Optional.of(Role.MODERATOR), Optional.ofNullable(state().roles().get("g-bob")));
  }
}
