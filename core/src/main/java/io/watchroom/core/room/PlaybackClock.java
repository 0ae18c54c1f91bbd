package io.watchroom.core.room;

import io.watchroom.core.JsonSerializable;

/**
 * The authoritative playback clock of a room: {@code position} (seconds) was true at server time
 * {@code anchor} (epoch millis), and while {@code playing} it advances at {@code rate}.
 *
 * <p>Every transition takes the time it happens at as an argument, never the wall clock, so an
 * event that records that time replays to exactly the same clock. Durations are passed in rather
 * than stored because they belong to the media; {@link #UNKNOWN_DURATION} means "no upper bound".
 */
public record PlaybackClock(boolean playing, double position, long anchor, double rate)
    implements JsonSerializable {

  public static final double UNKNOWN_DURATION = Double.POSITIVE_INFINITY;
  public static final double MIN_RATE = 0.25;
  public static final double MAX_RATE = 4.0;

  public PlaybackClock {
    if (!Double.isFinite(position) || position < 0) {
      throw new IllegalArgumentException("position must be a finite number >= 0, was " + position);
    }
    if (!(rate >= MIN_RATE && rate <= MAX_RATE)) {
      throw new IllegalArgumentException("rate must be within [0.25, 4], was " + rate);
    }
  }

  /** A stopped clock at the start of the media. */
  public static PlaybackClock stoppedAt(long at) {
    return new PlaybackClock(false, 0.0, at, 1.0);
  }

  public static boolean isValidRate(double rate) {
    return rate >= MIN_RATE && rate <= MAX_RATE;
  }

  /**
   * Where playback is at server time {@code now}, within [0, duration]. A playing clock whose
   * anchor is still in the future is a scheduled start: it holds its position until then.
   */
  public double positionAt(long now, double duration) {
    double raw = playing ? position + Math.max(0, now - anchor) / 1000.0 * rate : position;
    return clamp(raw, duration);
  }

  /** Whether the media has reached its end at {@code now} (only possible with a known duration). */
  public boolean hasEndedAt(long now, double duration) {
    return Double.isFinite(duration) && positionAt(now, duration) >= duration;
  }

  /**
   * Server time at which a playing clock reaches {@code duration}, or {@code Long.MAX_VALUE} when
   * it never will (paused, or the duration is unknown).
   */
  public long endsAt(double duration) {
    if (!playing || !Double.isFinite(duration)) {
      return Long.MAX_VALUE;
    }
    double remainingMillis = Math.max(0.0, duration - position) * 1000.0 / rate;
    return anchor + (long) Math.ceil(remainingMillis);
  }

  /** Starts playing from where the clock is at {@code at}; at the end, playing restarts from 0. */
  public PlaybackClock play(long at, double duration) {
    double from = positionAt(at, duration);
    if (Double.isFinite(duration) && from >= duration) {
      from = 0.0;
    }
    return new PlaybackClock(true, from, at, rate);
  }

  /**
   * Starts playing at server time {@code startsAt} (not before {@code at}) from where the clock is
   * at {@code at}, so that every player can be ready and start on the same instant.
   */
  public PlaybackClock playFrom(long startsAt, long at, double duration) {
    PlaybackClock now = play(at, duration);
    return new PlaybackClock(true, now.position(), Math.max(at, startsAt), rate);
  }

  public PlaybackClock pause(long at, double duration) {
    return new PlaybackClock(false, positionAt(at, duration), at, rate);
  }

  /** Moves to {@code target}, keeping the playing state; targets past the end land on the end. */
  public PlaybackClock seek(double target, long at, double duration) {
    return new PlaybackClock(playing, clamp(target, duration), at, rate);
  }

  /** Changes speed from {@code at} on; the position reached so far is kept. */
  public PlaybackClock withRate(double newRate, long at, double duration) {
    return new PlaybackClock(playing, positionAt(at, duration), at, newRate);
  }

  /** Stops at the end of the media. */
  public PlaybackClock endAt(long at, double duration) {
    return new PlaybackClock(false, clamp(duration, duration), at, rate);
  }

  private static double clamp(double value, double duration) {
    double upper = Double.isFinite(duration) ? Math.max(0.0, duration) : Double.MAX_VALUE;
    return Math.min(Math.max(0.0, value), upper);
  }
}
