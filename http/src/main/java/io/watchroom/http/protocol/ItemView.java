package io.watchroom.http.protocol;

import io.watchroom.core.room.QueueItem;
import java.util.List;

/** Something queued or playing; {@code duration} and {@code thumbnail} are null while unknown. */
public record ItemView(
    String id,
    String url,
    String title,
    Double duration,
    String thumbnail,
    String addedBy,
    long addedAt,
    List<String> voters) {

  public static ItemView of(QueueItem item) {
    return item == null
        ? null
        : new ItemView(item.id(), item.url(), item.title(), item.duration(), item.thumbnail(),
            item.addedBy(), item.addedAt(), item.votes());
  }

  public static List<ItemView> of(List<QueueItem> items) {
    return items.stream().map(ItemView::of).toList();
  }
}
