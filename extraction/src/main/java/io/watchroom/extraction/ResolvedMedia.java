package io.watchroom.extraction;

import java.net.URI;
import java.util.List;

/**
 * What a pasted link turned out to be: metadata, and the stream to play.
 *
 * @param kind how a browser plays it
 * @param source the link that was pasted (stream URLs of video sites expire; the source does not)
 * @param stream the upstream file (DIRECT) or manifest (HLS, DASH); null for SPLIT
 * @param split separate video and audio streams, played through a DASH manifest Watchroom writes
 * @param proxied whether players must fetch through the server's proxy (manifests without CORS,
 *     streams bound to the server's address); direct files on the open web are played as they are
 * @param expiresAt epoch millis when the stream URLs stop working (Long.MAX_VALUE: not known to)
 */
public record ResolvedMedia(
    Kind kind,
    URI source,
    String service,
    String serviceId,
    String title,
    Double duration,
    String thumbnail,
    URI stream,
    Split split,
    List<Quality> qualities,
    boolean proxied,
    long expiresAt) {

  public ResolvedMedia {
    qualities = qualities == null ? List.of() : List.copyOf(qualities);
  }

  public enum Kind {
    DIRECT,
    HLS,
    DASH,
    /** Separate video and audio files, joined in a DASH manifest for the player. */
    SPLIT
  }

  /** One rendition a player may choose. */
  public record Quality(String label, Integer width, Integer height, Long bandwidth, String codecs) {}

  /**
   * A video-only and an audio-only MP4 that play together; the byte ranges of each file's
   * initialization (ftyp + moov) and segment index (sidx), as a DASH manifest names them.
   */
  public record Split(
      URI video, String videoMime, String videoCodecs, Integer width, Integer height, Long videoBandwidth,
      URI audio, String audioMime, String audioCodecs, Long audioBandwidth,
      Mp4Boxes.Layout videoLayout, Mp4Boxes.Layout audioLayout) {

    Split withLayouts(Mp4Boxes.Layout videoBoxes, Mp4Boxes.Layout audioBoxes) {
      return new Split(video, videoMime, videoCodecs, width, height, videoBandwidth, audio, audioMime, audioCodecs,
          audioBandwidth, videoBoxes, audioBoxes);
    }
  }

  public ResolvedMedia withSplit(Split newSplit) {
    return new ResolvedMedia(kind, source, service, serviceId, title, duration, thumbnail, stream, newSplit, qualities,
        proxied, expiresAt);
  }

  public ResolvedMedia withMetadata(String newTitle, Double newDuration, String newThumbnail) {
    return new ResolvedMedia(kind, source, service, serviceId,
        newTitle != null ? newTitle : title, newDuration != null ? newDuration : duration,
        newThumbnail != null ? newThumbnail : thumbnail, stream, split, qualities, proxied, expiresAt);
  }
}
