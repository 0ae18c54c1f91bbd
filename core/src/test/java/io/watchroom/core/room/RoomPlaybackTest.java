package io.watchroom.core.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.watchroom.core.Rejection;
import io.watchroom.core.room.MemberStatus.PlayerState;
import io.watchroom.core.room.Room.PlaybackUpdate;
import io.watchroom.core.room.RoomSettings.PlaybackMode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The playback clock through the room: actions, ranges, the end of media, wait-for-everyone. */
class RoomPlaybackTest extends RoomTestBase {

  @Test
  void playbackNeedsMediaAndMembership() {
    create();
    join(OWNER, "Olive");
    assertRejected(act(r -> new Room.Play(OWNER, r)).reply(), Rejection.NO_MEDIA);
    assertRejected(act(r -> new Room.Pause(OWNER, r)).reply(), Rejection.NO_MEDIA);
    assertRejected(act(r -> new Room.Seek(OWNER, 1, r)).reply(), Rejection.NO_MEDIA);
    assertRejected(act(r -> new Room.SetRate(OWNER, 2, r)).reply(), Rejection.NO_MEDIA);
    ok(r -> new Room.AddToQueue(OWNER, URL, null, null, null, r));
    assertRejected(act(r -> new Room.Play("g-stranger", r)).reply(), Rejection.NOT_JOINED);
    assertRejected(act(r -> new Room.Seek("g-stranger", 1, r)).reply(), Rejection.NOT_JOINED);
  }

  @Test
  void playPauseSeekAndRateMoveTheClock() {
    openWithMedia();
    join("g-bob", "Bob");
    drain(OWNER);

    var play = act(r -> new Room.Play("g-bob", r));
    assertTrue(play.reply().isSuccess());
    assertEquals(new Room.PlaybackStarted(0.0, "g-bob", T0), play.event());
    PlaybackClock playing = new PlaybackClock(true, 0.0, T0, 1.0);
    assertEquals(new PlaybackUpdate(playing, "g-bob", List.of()), next(OWNER, PlaybackUpdate.class));
    assertEquals(new PlaybackUpdate(playing, "g-bob", List.of()), next("g-bob", PlaybackUpdate.class));

    clock.advance(4_000);
    assertEquals(new Room.PlaybackRateChanged(2.0, 4.0, OWNER, T0 + 4_000), act(r -> new Room.SetRate(OWNER, 2.0, r)).event());
    clock.advance(3_000);
    var seek = act(r -> new Room.Seek(OWNER, 100.0, r));
    assertEquals(new Room.PlaybackSeeked(100.0, OWNER, T0 + 7_000), seek.event());
    assertTrue(state().clock().playing());
    clock.advance(1_500);
    assertEquals(new Room.PlaybackPaused(103.0, "g-bob", T0 + 8_500), act(r -> new Room.Pause("g-bob", r)).event());
    assertEquals(new PlaybackClock(false, 103.0, T0 + 8_500, 2.0), state().clock());
  }

  @Test
  void outOfRangeValuesAreRefused() {
    openWithMedia();
    for (double position : new double[] {-0.5, Double.NaN, Double.POSITIVE_INFINITY}) {
      var result = act(r -> new Room.Seek(OWNER, position, r));
      assertRejected(result.reply(), Rejection.INVALID);
      assertTrue(result.hasNoEvents());
    }
    for (double rate : new double[] {0.2, 4.01, 0, -1, Double.NaN}) {
      var result = act(r -> new Room.SetRate(OWNER, rate, r));
      assertRejected(result.reply(), Rejection.INVALID);
      assertTrue(result.hasNoEvents());
    }
  }

  @Test
  void aGuestWithoutTheRightCannotSeek() {
    openWithMedia();
    join("g-bob", "Bob");
    ok(r -> new Room.Seek("g-bob", 5, r));
    ok(r -> new Room.ChangeSettings(OWNER, change(Map.of(Permission.CONTROL_PLAYBACK, Role.MEMBER)), r));
    var refused = act(r -> new Room.Seek("g-bob", 10, r));
    assertRejected(refused.reply(), Rejection.FORBIDDEN);
    assertTrue(refused.hasNoEvents());
    assertRejected(act(r -> new Room.Play("g-bob", r)).reply(), Rejection.FORBIDDEN);
    // Rate is its own right.
    ok(r -> new Room.SetRate("g-bob", 1.5, r));
    ok(r -> new Room.ChangeSettings(OWNER, change(Map.of(Permission.CHANGE_RATE, Role.MODERATOR)), r));
    assertRejected(act(r -> new Room.SetRate("g-bob", 1, r)).reply(), Rejection.FORBIDDEN);
    // An account holder is a member, so they may seek now.
    join("a-carol", "Carol");
    ok(r -> new Room.Seek("a-carol", 20, r));
  }

  @Test
  void theFirstDurationReportForTheCurrentItemWins() {
    openWithMedia();
    drain(OWNER);
    String itemId = state().current().id();
    assertTrue(room.runCommand(new Room.ReportDuration(OWNER, URL2, 50)).hasNoEvents());
    assertTrue(room.runCommand(new Room.ReportDuration(OWNER, URL, -3)).hasNoEvents());
    assertTrue(room.runCommand(new Room.ReportDuration(OWNER, URL, Double.NaN)).hasNoEvents());
    assertTrue(room.runCommand(new Room.ReportDuration("g-stranger", URL, 60)).hasNoEvents());
    var result = room.runCommand(new Room.ReportDuration(OWNER, URL, 60));
    assertEquals(new Room.MediaDurationLearned(itemId, 60, OWNER, T0), result.event());
    assertEquals(60.0, state().current().duration(), EPS);
    assertEquals(60.0, next(OWNER, Room.MediaUpdate.class).current().duration(), EPS);
    assertTrue(room.runCommand(new Room.ReportDuration(OWNER, URL, 61)).hasNoEvents());
  }

  @Test
  void seekPastTheKnownEndLandsOnTheEnd() {
    openWithMedia();
    room.runCommand(new Room.ReportDuration(OWNER, URL, 30));
    assertEquals(new Room.PlaybackSeeked(30.0, OWNER, T0), act(r -> new Room.Seek(OWNER, 45, r)).event());
  }

  @Test
  void reachingTheEndWithNothingQueuedPausesAtTheEnd() {
    openWithMedia();
    room.runCommand(new Room.ReportDuration(OWNER, URL, 10));
    ok(r -> new Room.Seek(OWNER, 8, r));
    ok(r -> new Room.Play(OWNER, r));
    drain(OWNER);

    // The room's own timer fires when the clock reaches the end (2 s of playing at 1x).
    clock.advance(2_000);
    manualTime.timePasses(Duration.ofMillis(2_000));
    PlaybackUpdate ended = next(OWNER, PlaybackUpdate.class);
    assertNull(ended.by());
    assertEquals(new PlaybackClock(false, 10.0, T0 + 2_000, 1.0), ended.playback());
    assertEquals(ended.playback(), state().clock());
  }

  @Test
  void aLateEndCheckRecordsTheExactEnd() {
    openWithMedia();
    room.runCommand(new Room.ReportDuration(OWNER, URL, 10));
    ok(r -> new Room.Play(OWNER, r));
    clock.advance(25_000);
    assertEquals(new Room.PlaybackEnded(10.0, T0 + 10_000), room.runCommand(new Room.CheckEnd()).event());
  }

  @Test
  void anEarlyEndCheckChangesNothing() {
    openWithMedia();
    room.runCommand(new Room.ReportDuration(OWNER, URL, 10));
    ok(r -> new Room.Play(OWNER, r));
    clock.advance(9_000);
    assertTrue(room.runCommand(new Room.CheckEnd()).hasNoEvents());
  }

  @Test
  void playAfterTheEndStartsOver() {
    openWithMedia();
    room.runCommand(new Room.ReportDuration(OWNER, URL, 10));
    ok(r -> new Room.Play(OWNER, r));
    clock.advance(11_000);
    room.runCommand(new Room.CheckEnd());
    clock.advance(1_000);
    assertEquals(new Room.PlaybackStarted(0.0, OWNER, T0 + 12_000), act(r -> new Room.Play(OWNER, r)).event());
  }

  @Test
  void waitForEveryonePausesForABufferingMemberAndStartsEveryoneTogether() {
    openWithMedia();
    join("g-bob", "Bob");
    ok(r -> new Room.ChangeSettings(OWNER, new Room.SettingsChange(null, null, null, null, PlaybackMode.WAIT_FOR_EVERYONE, null, null, null), r));
    tell(new Room.ReportStatus(OWNER, PlayerState.READY, 40));
    tell(new Room.ReportStatus("g-bob", PlayerState.READY, 400));

    // In this mode a play is a scheduled start: max(2 x highest RTT, 500 ms) from now.
    var play = act(r -> new Room.Play(OWNER, r));
    assertEquals(new Room.PlaybackScheduled(0.0, T0 + 800, OWNER, T0), play.event());
    assertEquals(0.0, state().clock().positionAt(T0 + 500, Double.POSITIVE_INFINITY), EPS);
    clock.advance(10_800);
    assertEquals(10.0, state().clock().positionAt(clock.millis(), Double.POSITIVE_INFINITY), EPS);
    drain(OWNER);

    // Bob buffers: a short hiccup changes nothing...
    tell(new Room.ReportStatus("g-bob", PlayerState.BUFFERING, 400));
    assertEquals(PlayerState.BUFFERING, next(OWNER, Room.PresenceUpdate.class).status().player());
    manualTime.timePasses(Duration.ofMillis(500));
    tell(new Room.ReportStatus("g-bob", PlayerState.READY, 400));
    manualTime.timePasses(Duration.ofSeconds(2));
    assertTrue(state().clock().playing());

    // ...but buffering past the threshold pauses the room for him.
    tell(new Room.ReportStatus("g-bob", PlayerState.BUFFERING, 300));
    clock.advance(1_000);
    manualTime.timePasses(Duration.ofSeconds(1));
    PlaybackUpdate paused = next(OWNER, PlaybackUpdate.class);
    assertFalse(paused.playback().playing());
    assertNull(paused.by());
    assertEquals(List.of("g-bob"), paused.waitingFor());
    assertEquals(11.0, paused.playback().position(), EPS);

    // When everyone is ready the room resumes by itself, at a moment all players can make.
    clock.advance(3_000);
    tell(new Room.ReportStatus("g-bob", PlayerState.READY, 300));
    PlaybackUpdate resumed = next(OWNER, PlaybackUpdate.class);
    assertTrue(resumed.playback().playing());
    assertEquals(11.0, resumed.playback().position(), EPS);
    assertEquals(clock.millis() + 600, resumed.playback().anchor());
    assertEquals(resumed.playback(), state().clock());
  }

  @Test
  void aBufferingMemberWhoLeavesNoLongerHoldsTheRoom() {
    openWithMedia();
    join("g-bob", "Bob");
    ok(r -> new Room.ChangeSettings(OWNER, new Room.SettingsChange(null, null, null, null, PlaybackMode.WAIT_FOR_EVERYONE, null, null, null), r));
    ok(r -> new Room.Play(OWNER, r));
    clock.advance(2_000);
    tell(new Room.ReportStatus("g-bob", PlayerState.BUFFERING, 50));
    manualTime.timePasses(Duration.ofSeconds(1));
    assertFalse(state().clock().playing());
    tell(new Room.Leave("g-bob", session("g-bob").ref()));
    manualTime.timePasses(Duration.ofMillis(100));
    assertTrue(state().clock().playing());
  }

  @Test
  void inFreeModeBufferingChangesNothing() {
    openWithMedia();
    join("g-bob", "Bob");
    ok(r -> new Room.Play(OWNER, r));
    tell(new Room.ReportStatus("g-bob", PlayerState.BUFFERING, 50));
    manualTime.timePasses(Duration.ofSeconds(5));
    assertTrue(state().clock().playing());
  }

  static Room.SettingsChange change(Map<Permission, Role> permissions) {
    return new Room.SettingsChange(null, null, null, null, null, null, null, permissions);
  }
}
