package io.watchroom.extraction;

import io.lindstrom.m3u8.model.KeyMethod;
import io.lindstrom.m3u8.model.MasterPlaylist;
import io.lindstrom.m3u8.model.MediaPlaylist;
import io.lindstrom.m3u8.model.MediaSegment;
import io.lindstrom.m3u8.model.PlaylistType;
import io.lindstrom.m3u8.model.SegmentKey;
import io.lindstrom.m3u8.model.Variant;
import io.lindstrom.m3u8.parser.MasterPlaylistParser;
import io.lindstrom.m3u8.parser.MediaPlaylistParser;
import io.lindstrom.m3u8.parser.ParsingMode;
import io.lindstrom.m3u8.parser.PlaylistParserException;
import io.lindstrom.mpd.MPDParser;
import io.lindstrom.mpd.data.AdaptationSet;
import io.lindstrom.mpd.data.MPD;
import io.lindstrom.mpd.data.Period;
import io.lindstrom.mpd.data.PresentationType;
import io.lindstrom.mpd.data.Representation;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Reads HLS and DASH manifests with the m3u8 and MPD parsers: duration (summed segments, or the
 * presentation duration), renditions as qualities, and whether the stream is live or carries DRM.
 * Plain AES-128 encryption is not DRM: hls.js plays it.
 */
final class ManifestInspector {

  /** What a manifest says about its stream. */
  record Findings(Double duration, List<ResolvedMedia.Quality> qualities, boolean live, boolean drm) {}

  private static final long MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

  // Manifests carry elements newer than the parser's model (ServiceDescription, ...): skip them.
  private static final MPDParser DASH_PARSER =
      new MPDParser(
          MPDParser.defaultObjectMapper()
              .configure(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false));

  private ManifestInspector() {}

  static boolean looksLikeHls(String text) {
    return text.stripLeading().startsWith("#EXTM3U");
  }

  static boolean looksLikeDash(String text) {
    return text.contains("<MPD");
  }

  /** Inspects an HLS playlist; for a master playlist, reads its first variant for the duration. */
  static CompletionStage<Findings> hls(Upstream.Text manifest, Upstream upstream) throws ResolveFailure {
    String text = manifest.body();
    try {
      if (!text.contains("#EXT-X-STREAM-INF")) {
        return CompletableFuture.completedFuture(media(new MediaPlaylistParser(ParsingMode.LENIENT).readPlaylist(text), List.of(), false));
      }
      MasterPlaylist master = new MasterPlaylistParser(ParsingMode.LENIENT).readPlaylist(text);
      List<ResolvedMedia.Quality> qualities = new ArrayList<>();
      for (Variant v : master.variants()) {
        Integer width = v.resolution().map(r -> r.width()).orElse(null);
        Integer height = v.resolution().map(r -> r.height()).orElse(null);
        qualities.add(new ResolvedMedia.Quality(height == null ? v.bandwidth() / 1000 + " kb/s" : height + "p",
            width, height, v.bandwidth(), String.join(",", v.codecs())));
      }
      boolean sessionDrm = master.sessionKeys().stream().anyMatch(ManifestInspector::isDrm);
      if (master.variants().isEmpty()) {
        throw new ResolveFailure(ResolveFailure.Code.NO_PLAYABLE_FORMAT, "The playlist lists no streams.");
      }
      URI first = manifest.uri().resolve(master.variants().get(0).uri());
      return upstream
          .text(first, List.of(), MAX_MANIFEST_BYTES)
          .thenApply(
              variant -> {
                try {
                  return media(new MediaPlaylistParser(ParsingMode.LENIENT).readPlaylist(variant.body()), qualities, sessionDrm);
                } catch (PlaylistParserException e) {
                  throw new java.util.concurrent.CompletionException(
                      new ResolveFailure(ResolveFailure.Code.NO_PLAYABLE_FORMAT, "A variant playlist cannot be read."));
                }
              });
    } catch (PlaylistParserException e) {
      throw new ResolveFailure(ResolveFailure.Code.NO_PLAYABLE_FORMAT, "The playlist cannot be read.");
    }
  }

  private static Findings media(MediaPlaylist playlist, List<ResolvedMedia.Quality> qualities, boolean drm) {
    double duration = playlist.mediaSegments().stream().mapToDouble(MediaSegment::duration).sum();
    boolean live = playlist.ongoing() && playlist.playlistType().map(t -> t != PlaylistType.VOD).orElse(true);
    boolean segmentDrm = playlist.mediaSegments().stream().map(MediaSegment::segmentKey).flatMap(java.util.Optional::stream)
        .anyMatch(ManifestInspector::isDrm);
    return new Findings(live ? null : duration, qualities, live, drm || segmentDrm);
  }

  private static boolean isDrm(SegmentKey key) {
    if (key.method() == KeyMethod.SAMPLE_AES || key.method() == KeyMethod.SAMPLE_AES_CTR) {
      return true;
    }
    // A key format other than the plain "identity" one is a DRM system (FairPlay, Widevine, PlayReady).
    return key.keyFormat().map(f -> !f.equals("identity")).orElse(false);
  }

  /** Inspects a DASH MPD. */
  static Findings dash(String text) throws ResolveFailure {
    MPD mpd;
    try {
      mpd = DASH_PARSER.parse(text);
    } catch (IOException | RuntimeException e) {
      throw new ResolveFailure(ResolveFailure.Code.NO_PLAYABLE_FORMAT, "The DASH manifest cannot be read.");
    }
    boolean live = mpd.getType() == PresentationType.DYNAMIC;
    boolean drm = false;
    List<ResolvedMedia.Quality> qualities = new ArrayList<>();
    for (Period period : mpd.getPeriods()) {
      for (AdaptationSet set : period.getAdaptationSets()) {
        drm |= !set.getContentProtections().isEmpty();
        for (Representation r : set.getRepresentations()) {
          drm |= !r.getContentProtections().isEmpty();
          String mime = r.getMimeType() != null ? r.getMimeType() : set.getMimeType();
          boolean video = (mime != null && mime.startsWith("video")) || "video".equals(set.getContentType()) || r.getHeight() != null;
          if (video) {
            Integer width = r.getWidth() == null ? null : r.getWidth().intValue();
            Integer height = r.getHeight() == null ? null : r.getHeight().intValue();
            qualities.add(new ResolvedMedia.Quality(height == null ? r.getBandwidth() / 1000 + " kb/s" : height + "p",
                width, height, r.getBandwidth(), r.getCodecs() != null ? r.getCodecs() : set.getCodecs()));
          }
        }
      }
    }
    Double duration = mpd.getMediaPresentationDuration() == null ? null : mpd.getMediaPresentationDuration().toMillis() / 1000.0;
    return new Findings(live ? null : duration, qualities, live, drm);
  }

  /** Whether a content type names an HLS playlist or a DASH manifest. */
  static String manifestKind(String contentType, URI uri) {
    String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
    String path = uri.getPath() == null ? "" : uri.getPath().toLowerCase(Locale.ROOT);
    if (type.contains("mpegurl") || path.endsWith(".m3u8")) {
      return "hls";
    }
    if (type.contains("dash+xml") || path.endsWith(".mpd")) {
      return "dash";
    }
    return null;
  }
}
