package io.watchroom.core.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.watchroom.core.Rejection;
import io.watchroom.core.room.RoomSettings.PlaybackMode;
import io.watchroom.core.room.RoomSettings.QueueMode;
import io.watchroom.core.room.RoomSettings.Visibility;
import java.time.Duration;
import java.util.Map;
import org.apache.pekko.pattern.StatusReply;
import org.junit.jupiter.api.Test;

/** Settings, the permission matrix, and temporary rooms being forgotten. */
class RoomSettingsTest extends RoomTestBase {

  @Test
  void moderatorsChangeSettingsAndEveryoneHearsWithoutTheInvite() {
    create();
    join(OWNER, "Olive");
    join("g-bob", "Bob");
    drain("g-bob");
    var change = act(r -> new Room.ChangeSettings(OWNER,
        new Room.SettingsChange(" New title ", "About films", Visibility.PUBLIC, true, PlaybackMode.WAIT_FOR_EVERYONE, QueueMode.VOTE, 0.75, null), r));
    Room.SettingsChanged changed = assertInstanceOf(Room.SettingsChanged.class, change.event());
    RoomSettings s = changed.settings();
    assertEquals("New title", s.title());
    assertEquals("About films", s.description());
    assertEquals(Visibility.PUBLIC, s.visibility());
    assertTrue(s.temporary());
    assertEquals(PlaybackMode.WAIT_FOR_EVERYONE, s.playbackMode());
    assertEquals(QueueMode.VOTE, s.queueMode());
    assertEquals(0.75, s.voteSkipRatio(), EPS);
    Room.SettingsUpdate heard = next("g-bob", Room.SettingsUpdate.class);
    assertEquals("New title", heard.settings().title());
    assertNull(heard.settings().inviteToken());
    // Unchanged fields stay, and no change is no event.
    ok(r -> new Room.ChangeSettings(OWNER, new Room.SettingsChange("Other", null, null, null, null, null, null, null), r));
    assertEquals("About films", state().settings().description());
    assertTrue(act(r -> new Room.ChangeSettings(OWNER, new Room.SettingsChange("Other", null, null, null, null, null, null, null), r)).hasNoEvents());
  }

  @Test
  void queueVoteChatAndBanAreRefusedBelowTheirRole() {
    openWithMedia();
    join("g-bob", "Bob");
    join("g-cat", "Cat");
    ok(r -> new Room.AddToQueue(OWNER, URL2, "Day", 90.0, null, r));
    ok(r -> new Room.PostChat(OWNER, "Welcome", null, r));
    ok(r -> new Room.ChangeSettings(OWNER, new Room.SettingsChange(null, null, null, null, null, RoomSettings.QueueMode.VOTE, null,
        Map.of(Permission.QUEUE_ADD, Role.MEMBER, Permission.VOTE, Role.MEMBER, Permission.CHAT, Role.MEMBER)), r));

    // Guests now lack the role for each of these; banning needs a moderator by default.
    assertRejected(act(r -> new Room.AddToQueue("g-bob", URL3, null, null, null, r)).reply(), Rejection.FORBIDDEN);
    assertRejected(act(r -> new Room.SetMedia("g-bob", URL3, null, null, null, r)).reply(), Rejection.FORBIDDEN);
    assertRejected(act(r -> new Room.VoteForItem("g-bob", "i2", true, r)).reply(), Rejection.FORBIDDEN);
    assertRejected(act(r -> new Room.VoteToSkip("g-bob", true, r)).reply(), Rejection.FORBIDDEN);
    assertRejected(act(r -> new Room.React("g-bob", 1, "\uD83D\uDE02", r)).reply(), Rejection.FORBIDDEN);
    assertRejected(act(r -> new Room.BanMember("g-bob", "g-cat", "", r)).reply(), Rejection.FORBIDDEN);
    assertEquals(3, state().members().size());

    // With the role, the same actions go through.
    ok(r -> new Room.SetRole(OWNER, "g-bob", Role.MODERATOR, r));
    ok(r -> new Room.AddToQueue("g-bob", URL3, null, null, null, r));
    ok(r -> new Room.VoteForItem("g-bob", "i2", true, r));
    ok(r -> new Room.React("g-bob", 1, "\uD83D\uDE02", r));
    ok(r -> new Room.BanMember("g-bob", "g-cat", "", r));
  }

  @Test
  void settingsAreCheckedAndGuarded() {
    create();
    join(OWNER, "Olive");
    join("g-bob", "Bob");
    join("a-mod", "Mod");
    ok(r -> new Room.SetRole(OWNER, "a-mod", Role.MODERATOR, r));
    assertRejected(act(r -> new Room.ChangeSettings("g-bob", new Room.SettingsChange("x", null, null, null, null, null, null, null), r)).reply(), Rejection.FORBIDDEN);
    assertRejected(act(r -> new Room.ChangeSettings(OWNER, new Room.SettingsChange("x".repeat(121), null, null, null, null, null, null, null), r)).reply(), Rejection.INVALID);
    assertRejected(act(r -> new Room.ChangeSettings(OWNER, new Room.SettingsChange(null, "d".repeat(1001), null, null, null, null, null, null), r)).reply(), Rejection.INVALID);
    assertRejected(act(r -> new Room.ChangeSettings(OWNER, new Room.SettingsChange(null, null, null, null, null, null, 0.0, null), r)).reply(), Rejection.INVALID);
    assertRejected(act(r -> new Room.ChangeSettings(OWNER, new Room.SettingsChange(null, null, null, null, null, null, 1.5, null), r)).reply(), Rejection.INVALID);
    assertRejected(act(r -> new Room.ChangeSettings(OWNER, null, r)).reply(), Rejection.INVALID);
    // Moderators change settings but not the permission matrix; nobody lets guests hand out roles.
    ok(r -> new Room.ChangeSettings("a-mod", new Room.SettingsChange("By mod", null, null, null, null, null, null, null), r));
    assertRejected(act(r -> new Room.ChangeSettings("a-mod", RoomPlaybackTest.change(Map.of(Permission.SKIP, Role.GUEST)), r)).reply(), Rejection.FORBIDDEN);
    assertRejected(act(r -> new Room.ChangeSettings(OWNER, RoomPlaybackTest.change(Map.of(Permission.MANAGE_ROLES, Role.GUEST)), r)).reply(), Rejection.INVALID);
    ok(r -> new Room.ChangeSettings(OWNER, RoomPlaybackTest.change(Map.of(Permission.MANAGE_ROLES, Role.MODERATOR, Permission.SKIP, Role.GUEST)), r));
    assertEquals(Role.GUEST, state().settings().required(Permission.SKIP));
    assertEquals(Role.GUEST, state().settings().required(Permission.CHAT));
    // Now a moderator may hand out roles below their own.
    ok(r -> new Room.SetRole("a-mod", "g-bob", Role.MEMBER, r));
    assertRejected(act(r -> new Room.SetRole("a-mod", "g-bob", Role.MODERATOR, r)).reply(), Rejection.FORBIDDEN);
  }

  @Test
  void theDefaultMatrixIsSensible() {
    RoomSettings defaults = RoomSettings.defaults("t", "invite");
    assertEquals(Role.GUEST, defaults.required(Permission.CONTROL_PLAYBACK));
    assertEquals(Role.GUEST, defaults.required(Permission.QUEUE_ADD));
    assertEquals(Role.GUEST, defaults.required(Permission.CHAT));
    assertEquals(Role.GUEST, defaults.required(Permission.QUEUE_REORDER));
    assertEquals(Role.GUEST, defaults.required(Permission.SKIP));
    assertEquals(Role.MODERATOR, defaults.required(Permission.KICK));
    assertEquals(Role.MODERATOR, defaults.required(Permission.UNDO));
    assertEquals(Role.OWNER, defaults.required(Permission.MANAGE_ROLES));
    assertEquals(Permission.values().length, defaults.permissions().size());
  }

  @Test
  void aTemporaryRoomIsForgottenAfterStayingEmpty() {
    create(Visibility.PUBLIC, true);
    join(OWNER, "Olive");
    tell(new Room.Leave(OWNER, session(OWNER).ref()));
    clock.advance(5_000);
    manualTime.timePasses(Duration.ofSeconds(5));
    assertTrue(state().members().isEmpty());
    assertEquals(T0 + 5_000, state().emptySince());

    // Someone coming back in time keeps it.
    clock.advance(30 * 60_000);
    join("g-bob", "Bob");
    tell(new Room.Leave("g-bob", session("g-bob").ref()));
    clock.advance(5_000);
    manualTime.timePasses(Duration.ofSeconds(5));
    long emptyAgain = clock.millis();
    assertEquals(emptyAgain, state().emptySince());

    // An hour of emptiness later it is forgotten, by its own timer.
    clock.advance(3_600_000);
    manualTime.timePasses(Duration.ofHours(1));
    assertInstanceOf(Room.Forgotten.class, room.getState());
    assertRejected(tryJoin("g-bob", "Bob", null), Rejection.NOT_FOUND);
    assertRejected(room.<StatusReply<Room.Snapshot>>runCommand(r -> new Room.GetState(null, null, r)).reply(), Rejection.NOT_FOUND);
    assertRejected(act(r -> new Room.Create(OWNER, "again", null, false, r)).reply(), Rejection.ALREADY_EXISTS);
  }

  @Test
  void anExpiredTemporaryRoomIsForgottenWhenSomeoneAsks() {
    create(Visibility.UNLISTED, true);
    // Nobody ever joined; the room has been empty since it was made. Recovery after a long time
    // (the timer did not survive) still forgets it on the first request.
    clock.advance(2 * 3_600_000);
    room.restart();
    var get = room.<StatusReply<Room.Snapshot>>runCommand(r -> new Room.GetState(null, null, r));
    assertRejected(get.reply(), Rejection.NOT_FOUND);
    assertInstanceOf(Room.Forgotten.class, room.getState());
  }

  @Test
  void aPermanentRoomIsNeverForgotten() {
    create(Visibility.PUBLIC, false);
    clock.advance(30L * 24 * 3_600_000);
    manualTime.timePasses(Duration.ofDays(30));
    assertInstanceOf(Room.Open.class, room.getState());
    join("g-bob", "Bob");
  }
}
