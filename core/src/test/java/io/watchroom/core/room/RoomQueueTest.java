package io.watchroom.core.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.watchroom.core.Rejection;
import io.watchroom.core.room.RoomSettings.QueueMode;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The shared queue: every action, the four modes, votes, vote-skip, auto-advance and undo. */
class RoomQueueTest extends RoomTestBase {

  @Test
  void theFirstItemPlaysAtOnceAndTheRestQueueUp() {
    create();
    join(OWNER, "Olive");
    join("g-bob", "Bob");
    drain(OWNER);
    var first = act(r -> new Room.AddToQueue("g-bob", URL, "Night", 120.0, "https://media.example.org/night.jpg", r));
    QueueItem night = new QueueItem("i1", URL, "Night", 120.0, "https://media.example.org/night.jpg", "g-bob", T0, List.of());
    assertEquals(List.of(new Room.QueueItemAdded(night, T0), new Room.NowPlaying(night, false, false, Room.Advance.ADDED, "g-bob", T0)), first.events());
    assertEquals(night, state().current());
    assertEquals(List.of(), state().queue());
    assertEquals(night, next(OWNER, Room.MediaUpdate.class).current());
    drain(OWNER);

    ok(r -> new Room.AddToQueue(OWNER, URL2, null, null, null, r));
    assertEquals("i2", state().queue().get(0).id());
    assertEquals("day.webm", state().queue().get(0).title());
    assertEquals(List.of("i2"), next(OWNER, Room.QueueUpdate.class).queue().stream().map(QueueItem::id).toList());
  }

  @Test
  void badItemsAreRefused() {
    openWithMedia();
    for (String url : new String[] {null, "", "not a url", "ftp://example.org/a.mp4", "javascript:alert(1)", "/relative.mp4", "https://example.org/" + "a".repeat(2048)}) {
      var result = act(r -> new Room.AddToQueue(OWNER, url, null, null, null, r));
      assertRejected(result.reply(), Rejection.INVALID);
      assertTrue(result.hasNoEvents());
    }
    assertRejected(act(r -> new Room.AddToQueue(OWNER, URL, "t".repeat(201), null, null, r)).reply(), Rejection.INVALID);
    assertRejected(act(r -> new Room.AddToQueue(OWNER, URL, null, -1.0, null, r)).reply(), Rejection.INVALID);
    assertRejected(act(r -> new Room.AddToQueue(OWNER, URL, null, null, "javascript:x", r)).reply(), Rejection.INVALID);
    assertRejected(act(r -> new Room.AddToQueue("g-stranger", URL, null, null, null, r)).reply(), Rejection.NOT_JOINED);
  }

  @Test
  void removeMoveClearAndPlayNow() {
    openWithMedia();
    addAll(URL2, URL3, "https://media.example.org/4.mp4");
    assertEquals(List.of("i2", "i3", "i4"), queueIds());

    ok(r -> new Room.MoveInQueue(OWNER, "i4", 0, r));
    assertEquals(List.of("i4", "i2", "i3"), queueIds());
    ok(r -> new Room.MoveInQueue(OWNER, "i4", 2, r));
    assertEquals(List.of("i2", "i3", "i4"), queueIds());
    assertRejected(act(r -> new Room.MoveInQueue(OWNER, "i4", 3, r)).reply(), Rejection.INVALID);
    assertRejected(act(r -> new Room.MoveInQueue(OWNER, "i9", 0, r)).reply(), Rejection.INVALID);

    ok(r -> new Room.RemoveFromQueue(OWNER, "i3", r));
    assertEquals(List.of("i2", "i4"), queueIds());

    var playNow = act(r -> new Room.PlayNow(OWNER, "i4", r));
    Room.NowPlaying now = assertInstanceOf(Room.NowPlaying.class, playNow.event());
    assertEquals(Room.Advance.PLAY_NOW, now.reason());
    assertEquals("i4", state().current().id());
    assertTrue(state().clock().playing());
    assertEquals(0.0, state().clock().position(), EPS);
    assertEquals(List.of("i2"), queueIds());

    ok(r -> new Room.ClearQueue(OWNER, r));
    assertEquals(List.of(), queueIds());
  }

  @Test
  void anyoneMayTakeBackTheirOwnItemButNotOthers() {
    openWithMedia();
    join("g-bob", "Bob");
    ok(r -> new Room.ChangeSettings(OWNER, RoomPlaybackTest.change(java.util.Map.of(
        Permission.QUEUE_REMOVE, Role.MEMBER, Permission.QUEUE_REORDER, Role.MEMBER, Permission.SKIP, Role.MEMBER)), r));
    ok(r -> new Room.AddToQueue("g-bob", URL2, null, null, null, r));
    ok(r -> new Room.AddToQueue(OWNER, URL3, null, null, null, r));
    assertRejected(act(r -> new Room.RemoveFromQueue("g-bob", "i3", r)).reply(), Rejection.FORBIDDEN);
    ok(r -> new Room.RemoveFromQueue("g-bob", "i2", r));
    assertRejected(act(r -> new Room.MoveInQueue("g-bob", "i3", 0, r)).reply(), Rejection.FORBIDDEN);
    assertRejected(act(r -> new Room.ClearQueue("g-bob", r)).reply(), Rejection.FORBIDDEN);
    assertRejected(act(r -> new Room.Skip("g-bob", r)).reply(), Rejection.FORBIDDEN);
    assertRejected(act(r -> new Room.PlayNow("g-bob", "i3", r)).reply(), Rejection.FORBIDDEN);
    assertRejected(act(r -> new Room.UndoQueueChange("g-bob", r)).reply(), Rejection.FORBIDDEN);
  }

  @Test
  void skipMovesToTheNextItemAndKeepsPlaying() {
    openWithMedia();
    addAll(URL2);
    ok(r -> new Room.Play(OWNER, r));
    clock.advance(5_000);
    var skip = act(r -> new Room.Skip(OWNER, r));
    assertEquals(new Room.NowPlaying(state().current(), true, false, Room.Advance.SKIPPED, OWNER, T0 + 5_000), skip.event());
    assertEquals("i2", state().current().id());
    assertEquals(new PlaybackClock(true, 0.0, T0 + 5_000, 1.0), state().clock());
    // Skipping the last item leaves nothing playing.
    ok(r -> new Room.Skip(OWNER, r));
    assertNull(state().current());
    assertFalse(state().clock().playing());
    assertRejected(act(r -> new Room.Skip(OWNER, r)).reply(), Rejection.NO_MEDIA);
  }

  @Test
  void theRoomAdvancesByItselfWhenAnItemEnds() {
    openWithMedia();
    room.runCommand(new Room.ReportDuration(OWNER, URL, 10));
    ok(r -> new Room.AddToQueue(OWNER, URL2, null, 20.0, null, r));
    ok(r -> new Room.Play(OWNER, r));
    drain(OWNER);
    clock.advance(10_000);
    manualTime.timePasses(Duration.ofSeconds(10));
    Room.MediaUpdate media = next(OWNER, Room.MediaUpdate.class);
    assertEquals("i2", media.current().id());
    assertNull(media.by());
    assertEquals(new PlaybackClock(true, 0.0, T0 + 10_000, 1.0), state().clock());
    // And at the end of the last one it pauses there.
    clock.advance(20_000);
    manualTime.timePasses(Duration.ofSeconds(20));
    assertEquals(new PlaybackClock(false, 20.0, T0 + 30_000, 1.0), state().clock());
    assertEquals("i2", state().current().id());
  }

  @Test
  void loopModeSendsFinishedItemsToTheBack() {
    openWithMedia();
    setMode(QueueMode.LOOP);
    room.runCommand(new Room.ReportDuration(OWNER, URL, 10));
    ok(r -> new Room.AddToQueue(OWNER, URL2, null, 10.0, null, r));
    ok(r -> new Room.Play(OWNER, r));
    clock.advance(10_000);
    room.runCommand(new Room.CheckEnd());
    assertEquals("i2", state().current().id());
    assertEquals(List.of("i1"), queueIds());
    clock.advance(10_000);
    room.runCommand(new Room.CheckEnd());
    assertEquals("i1", state().current().id());
    assertEquals(List.of("i2"), queueIds());
    assertTrue(state().clock().playing());
  }

  @Test
  void aLoneItemInLoopModeStartsOver() {
    openWithMedia();
    setMode(QueueMode.LOOP);
    room.runCommand(new Room.ReportDuration(OWNER, URL, 10));
    ok(r -> new Room.Play(OWNER, r));
    clock.advance(10_000);
    var ended = room.runCommand(new Room.CheckEnd());
    assertEquals(Room.Advance.REPEATED, ((Room.NowPlaying) ended.event()).reason());
    assertEquals("i1", state().current().id());
    assertTrue(state().clock().playing());
  }

  @Test
  void repeatOneReplaysTheCurrentItemButSkipStillMovesOn() {
    openWithMedia();
    setMode(QueueMode.REPEAT_ONE);
    room.runCommand(new Room.ReportDuration(OWNER, URL, 10));
    ok(r -> new Room.AddToQueue(OWNER, URL2, null, 10.0, null, r));
    ok(r -> new Room.Play(OWNER, r));
    clock.advance(10_000);
    room.runCommand(new Room.CheckEnd());
    assertEquals("i1", state().current().id());
    assertEquals(new PlaybackClock(true, 0.0, T0 + 10_000, 1.0), state().clock());
    assertEquals(List.of("i2"), queueIds());
    ok(r -> new Room.Skip(OWNER, r));
    assertEquals("i2", state().current().id());
  }

  @Test
  void voteModeOrdersTheQueueByVotes() {
    openWithMedia();
    join("g-bob", "Bob");
    join("g-cat", "Cat");
    addAll(URL2, URL3, "https://media.example.org/4.mp4");
    setMode(QueueMode.VOTE);
    ok(r -> new Room.VoteForItem("g-bob", "i4", true, r));
    ok(r -> new Room.VoteForItem("g-cat", "i4", true, r));
    ok(r -> new Room.VoteForItem("g-cat", "i3", true, r));
    assertEquals(List.of("i4", "i3", "i2"), state().orderedQueue().stream().map(QueueItem::id).toList());
    assertEquals(List.of("i4", "i3", "i2"), lastQueueUpdate("g-bob"));
    // Taking a vote back reorders; manual moves make no sense here.
    ok(r -> new Room.VoteForItem("g-bob", "i4", false, r));
    ok(r -> new Room.VoteForItem("g-cat", "i4", false, r));
    assertEquals(List.of("i3", "i2", "i4"), state().orderedQueue().stream().map(QueueItem::id).toList());
    assertRejected(act(r -> new Room.MoveInQueue(OWNER, "i2", 0, r)).reply(), Rejection.INVALID);
    // The most voted plays next.
    ok(r -> new Room.Skip(OWNER, r));
    assertEquals("i3", state().current().id());
    assertTrue(state().current().votes().isEmpty());
  }

  @Test
  void voteSkipNeedsTheConfiguredShareOfPresentMembers() {
    openWithMedia();
    join("g-bob", "Bob");
    join("g-cat", "Cat");
    join("g-dan", "Dan");
    addAll(URL2);
    // Four present, ratio 0.5: two votes skip.
    assertEquals(2, Room.skipVotesNeeded(state()));
    drain("g-bob");
    ok(r -> new Room.VoteToSkip("g-bob", true, r));
    assertEquals(new Room.SkipVoteUpdate(List.of("g-bob"), 2), next("g-bob", Room.SkipVoteUpdate.class));
    assertEquals("i1", state().current().id());
    // Votes are per member: voting twice is one vote; taking it back removes it.
    ok(r -> new Room.VoteToSkip("g-bob", true, r));
    assertEquals(1, state().skipVotes().size());
    var skip = act(r -> new Room.VoteToSkip("g-cat", true, r));
    assertEquals(Room.Advance.VOTE_SKIPPED, ((Room.NowPlaying) skip.events().get(1)).reason());
    assertEquals("i2", state().current().id());
    assertEquals(List.of(), state().skipVotes());

    // A higher ratio needs more.
    ok(r -> new Room.ChangeSettings(OWNER, new Room.SettingsChange(null, null, null, null, null, null, 1.0, null), r));
    assertEquals(4, Room.skipVotesNeeded(state()));
    for (String member : List.of("g-bob", "g-cat", "g-dan")) {
      ok(r -> new Room.VoteToSkip(member, true, r));
    }
    assertEquals("i2", state().current().id());
    ok(r -> new Room.VoteToSkip(OWNER, true, r));
    assertNull(state().current());
  }

  @Test
  void moderatorsCanUndoTheLastQueueChange() {
    openWithMedia();
    addAll(URL2, URL3);
    ok(r -> new Room.ClearQueue(OWNER, r));
    assertEquals(List.of(), queueIds());
    assertTrue(next(OWNER, Room.QueueUpdate.class).canUndo());
    var undo = act(r -> new Room.UndoQueueChange(OWNER, r));
    assertInstanceOf(Room.QueueRestored.class, undo.event());
    assertEquals(List.of("i2", "i3"), queueIds());
    // Only the last change, once.
    assertRejected(act(r -> new Room.UndoQueueChange(OWNER, r)).reply(), Rejection.INVALID);
    ok(r -> new Room.RemoveFromQueue(OWNER, "i2", r));
    ok(r -> new Room.UndoQueueChange(OWNER, r));
    assertEquals(List.of("i2", "i3"), queueIds());
  }

  @Test
  void setMediaPlaysAUrlAtOncePaused() {
    openWithMedia();
    addAll(URL2);
    ok(r -> new Room.Play(OWNER, r));
    clock.advance(3_000);
    ok(r -> new Room.SetMedia(OWNER, URL3, "Dusk", 30.0, null, r));
    assertEquals("Dusk", state().current().title());
    assertEquals(30.0, state().current().duration());
    assertEquals(new PlaybackClock(false, 0.0, T0 + 3_000, 1.0), state().clock());
    assertEquals(List.of("i2"), queueIds());
  }

  @Test
  void theQueueIsBounded() {
    openWithMedia();
    for (int i = 0; i < Room.MAX_QUEUE_LENGTH; i++) {
      String url = "https://media.example.org/" + i + ".mp4";
      ok(r -> new Room.AddToQueue(OWNER, url, null, null, null, r));
    }
    assertRejected(act(r -> new Room.AddToQueue(OWNER, URL2, null, null, null, r)).reply(), Rejection.INVALID);
  }

  private void addAll(String... urls) {
    for (String url : urls) {
      ok(r -> new Room.AddToQueue(OWNER, url, null, null, null, r));
    }
  }

  private void setMode(QueueMode mode) {
    ok(r -> new Room.ChangeSettings(OWNER, new Room.SettingsChange(null, null, null, null, null, mode, null, null), r));
  }

  private List<String> queueIds() {
    return state().queue().stream().map(QueueItem::id).toList();
  }

  private List<String> lastQueueUpdate(String userId) {
    List<String> last = null;
    for (Room.Update u : drain(userId)) {
      if (u instanceof Room.QueueUpdate q) {
        last = q.queue().stream().map(QueueItem::id).toList();
      }
    }
    return last;
  }
}
