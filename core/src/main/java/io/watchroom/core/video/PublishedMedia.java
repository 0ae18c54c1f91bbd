package io.watchroom.core.video;

import io.watchroom.core.JsonSerializable;
import java.util.List;

/**
 * Where a published video's files are, relative to the video's folder in the media store, and
 * what its ladder holds.
 *
 * @param master the master playlist ("master.m3u8")
 * @param poster the poster image
 * @param thumbnails the WebVTT index of the trick-play sprite sheets
 * @param thumbnailInterval seconds between two trick-play thumbnails
 * @param thumbnailCount how many thumbnails the sheets hold
 */
public record PublishedMedia(
    String master,
    String poster,
    String thumbnails,
    double thumbnailInterval,
    int thumbnailCount,
    List<Rendition> renditions)
    implements JsonSerializable {

  public PublishedMedia {
    renditions = List.copyOf(renditions);
  }
}
