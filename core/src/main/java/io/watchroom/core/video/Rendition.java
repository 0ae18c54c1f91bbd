package io.watchroom.core.video;

import io.watchroom.core.JsonSerializable;

/**
 * One finished rung of a video's HLS ladder, as measured from its segments.
 *
 * @param name the rung's name, also its folder ("720p", "audio")
 * @param width 0 for audio
 * @param height 0 for audio
 * @param frameRate 0 for audio
 * @param bandwidth peak bits per second over its segments
 * @param averageBandwidth mean bits per second over the whole rendition
 * @param codecs RFC 6381 codec string ("avc1.64001f", "mp4a.40.2")
 * @param segments how many media segments it has
 */
public record Rendition(
    String name,
    int width,
    int height,
    double frameRate,
    long bandwidth,
    long averageBandwidth,
    String codecs,
    int segments)
    implements JsonSerializable {

  public boolean isAudio() {
    return width == 0;
  }
}
