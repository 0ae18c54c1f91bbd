package io.watchroom.core.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PlaybackClockTest {

  private static final double EPS = 1e-9;
  private static final double UNKNOWN = PlaybackClock.UNKNOWN_DURATION;
  private static final long T0 = 1_700_000_000_000L;

  @Test
  void aStoppedClockStaysWhereItIs() {
    PlaybackClock clock = PlaybackClock.stoppedAt(T0);
    assertFalse(clock.playing());
    assertEquals(0.0, clock.positionAt(T0 + 60_000, UNKNOWN), EPS);
    assertEquals(Long.MAX_VALUE, clock.endsAt(100));
  }

  @Test
  void playingAdvancesWithServerTime() {
    PlaybackClock clock = PlaybackClock.stoppedAt(T0).play(T0 + 1_000, UNKNOWN);
    assertTrue(clock.playing());
    assertEquals(T0 + 1_000, clock.anchor());
    assertEquals(0.0, clock.positionAt(T0 + 1_000, UNKNOWN), EPS);
    assertEquals(2.5, clock.positionAt(T0 + 3_500, UNKNOWN), EPS);
  }

  @Test
  void pauseKeepsThePositionReached() {
    PlaybackClock clock = PlaybackClock.stoppedAt(T0).play(T0, UNKNOWN).pause(T0 + 4_250, UNKNOWN);
    assertFalse(clock.playing());
    assertEquals(4.25, clock.position(), EPS);
    assertEquals(T0 + 4_250, clock.anchor());
    assertEquals(4.25, clock.positionAt(T0 + 100_000, UNKNOWN), EPS);
  }

  @Test
  void playResumesFromThePausedPosition() {
    PlaybackClock clock =
        PlaybackClock.stoppedAt(T0).play(T0, UNKNOWN).pause(T0 + 2_000, UNKNOWN).play(T0 + 10_000, UNKNOWN);
    assertEquals(2.0, clock.position(), EPS);
    assertEquals(3.0, clock.positionAt(T0 + 11_000, UNKNOWN), EPS);
  }

  @Test
  void seekWhilePlayingKeepsPlayingFromTheTarget() {
    PlaybackClock clock = PlaybackClock.stoppedAt(T0).play(T0, UNKNOWN).seek(42.0, T0 + 5_000, UNKNOWN);
    assertTrue(clock.playing());
    assertEquals(42.0, clock.positionAt(T0 + 5_000, UNKNOWN), EPS);
    assertEquals(43.5, clock.positionAt(T0 + 6_500, UNKNOWN), EPS);
  }

  @Test
  void seekWhilePausedStaysPaused() {
    PlaybackClock clock = PlaybackClock.stoppedAt(T0).seek(12.0, T0 + 1, UNKNOWN);
    assertFalse(clock.playing());
    assertEquals(12.0, clock.positionAt(T0 + 50_000, UNKNOWN), EPS);
  }

  @Test
  void seekIsClampedToTheMedia() {
    PlaybackClock clock = PlaybackClock.stoppedAt(T0);
    assertEquals(30.0, clock.seek(99.0, T0, 30.0).position(), EPS);
    assertEquals(99.0, clock.seek(99.0, T0, UNKNOWN).position(), EPS);
  }

  @Test
  void rateChangeWhilePlayingRebasesAtTheChange() {
    PlaybackClock clock = PlaybackClock.stoppedAt(T0).play(T0, UNKNOWN);
    // 10 s at 1x, then 2x from there on.
    PlaybackClock faster = clock.withRate(2.0, T0 + 10_000, UNKNOWN);
    assertEquals(10.0, faster.position(), EPS);
    assertEquals(T0 + 10_000, faster.anchor());
    assertEquals(2.0, faster.rate(), EPS);
    assertEquals(14.0, faster.positionAt(T0 + 12_000, UNKNOWN), EPS);
    // Then 0.5x after 4 more seconds of 2x.
    PlaybackClock slower = faster.withRate(0.5, T0 + 14_000, UNKNOWN);
    assertEquals(18.0, slower.position(), EPS);
    assertEquals(19.0, slower.positionAt(T0 + 16_000, UNKNOWN), EPS);
  }

  @Test
  void rateChangeWhilePausedAppliesOnPlay() {
    PlaybackClock clock = PlaybackClock.stoppedAt(T0).seek(5.0, T0, UNKNOWN).withRate(1.5, T0 + 3_000, UNKNOWN);
    assertFalse(clock.playing());
    assertEquals(5.0, clock.positionAt(T0 + 9_000, UNKNOWN), EPS);
    PlaybackClock playing = clock.play(T0 + 10_000, UNKNOWN);
    assertEquals(8.0, playing.positionAt(T0 + 12_000, UNKNOWN), EPS);
  }

  @Test
  void positionNeverPassesTheDuration() {
    PlaybackClock clock = PlaybackClock.stoppedAt(T0).play(T0, 10.0);
    assertEquals(10.0, clock.positionAt(T0 + 60_000, 10.0), EPS);
    assertTrue(clock.hasEndedAt(T0 + 10_000, 10.0));
    assertFalse(clock.hasEndedAt(T0 + 9_999, 10.0));
    assertFalse(clock.hasEndedAt(T0 + 60_000, UNKNOWN));
  }

  @Test
  void endsAtAccountsForRate() {
    PlaybackClock clock = PlaybackClock.stoppedAt(T0).seek(4.0, T0, 10.0).withRate(2.0, T0, 10.0).play(T0, 10.0);
    assertEquals(T0 + 3_000, clock.endsAt(10.0));
    assertEquals(Long.MAX_VALUE, clock.endsAt(UNKNOWN));
  }

  @Test
  void endAtStopsOnTheLastFrame() {
    PlaybackClock ended = PlaybackClock.stoppedAt(T0).play(T0, 10.0).endAt(T0 + 10_000, 10.0);
    assertFalse(ended.playing());
    assertEquals(10.0, ended.position(), EPS);
    assertEquals(10.0, ended.positionAt(T0 + 99_000, 10.0), EPS);
  }

  @Test
  void playAtTheEndStartsOver() {
    PlaybackClock ended = PlaybackClock.stoppedAt(T0).play(T0, 10.0).endAt(T0 + 10_000, 10.0);
    PlaybackClock again = ended.play(T0 + 20_000, 10.0);
    assertTrue(again.playing());
    assertEquals(0.0, again.position(), EPS);
  }

  @Test
  void pauseAfterTheEndPausesAtTheEnd() {
    PlaybackClock clock = PlaybackClock.stoppedAt(T0).play(T0, 10.0).pause(T0 + 30_000, 10.0);
    assertEquals(10.0, clock.position(), EPS);
  }

  @Test
  void invalidValuesAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> new PlaybackClock(false, -1, T0, 1.0));
    assertThrows(IllegalArgumentException.class, () -> new PlaybackClock(false, Double.NaN, T0, 1.0));
    assertThrows(IllegalArgumentException.class, () -> new PlaybackClock(false, 0, T0, 0.1));
    assertThrows(IllegalArgumentException.class, () -> new PlaybackClock(false, 0, T0, 4.5));
    assertTrue(PlaybackClock.isValidRate(0.25));
    assertTrue(PlaybackClock.isValidRate(4.0));
    assertFalse(PlaybackClock.isValidRate(Double.NaN));
  }
}
