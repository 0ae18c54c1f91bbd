package io.watchroom.http.protocol;

import io.watchroom.core.room.PlaybackClock;

/**
 * The playback clock on the wire: position (s) was true at server time anchor (epoch ms). A
 * playing clock with an anchor in the future is a scheduled start and holds until then.
 */
public record PlaybackView(boolean playing, double position, long anchor, double rate) {
  public static PlaybackView of(PlaybackClock clock) {
    return new PlaybackView(clock.playing(), clock.position(), clock.anchor(), clock.rate());
  }
}
