package io.watchroom.core.room;

import io.watchroom.core.JsonSerializable;
import java.util.ArrayList;
import java.util.List;

/**
 * Something to watch, queued or playing. {@code duration} (seconds) and {@code thumbnail} are null
 * while unknown; {@code votes} are the user ids voting it up in vote mode.
 */
public record QueueItem(
    String id,
    String url,
    String title,
    Double duration,
    String thumbnail,
    String addedBy,
    long addedAt,
    List<String> votes)
    implements JsonSerializable {

  public QueueItem {
    votes = votes == null ? List.of() : List.copyOf(votes);
  }

  /** The duration as an upper bound for the playback clock. */
  public double durationOrUnbounded() {
    return duration == null ? PlaybackClock.UNKNOWN_DURATION : duration;
  }

  public QueueItem withDuration(double seconds) {
    return new QueueItem(id, url, title, seconds, thumbnail, addedBy, addedAt, votes);
  }

  public QueueItem withVote(String userId, boolean up) {
    List<String> next = new ArrayList<>(votes);
    next.remove(userId);
    if (up) {
      next.add(userId);
    }
    return new QueueItem(id, url, title, duration, thumbnail, addedBy, addedAt, next);
  }

  public QueueItem withoutVotes() {
    return new QueueItem(id, url, title, duration, thumbnail, addedBy, addedAt, List.of());
  }
}
