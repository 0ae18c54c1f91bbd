package io.watchroom.extraction;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Picks what to play from yt-dlp's formats, in this order: one file with both audio and video over
 * http(s); an HLS manifest; a DASH manifest; separate video and audio files, which Watchroom joins
 * in a DASH manifest of its own. Only formats a browser plays, and no more than 1080p.
 */
final class FormatChoice {

  static final int MAX_HEIGHT = 1080;
  private static final Set<String> PROGRESSIVE_EXT = Set.of("mp4", "webm", "m4v", "ogv", "ogg", "mov");
  private static final Set<String> HTTP = Set.of("http", "https");

  private FormatChoice() {}

  /** What a format is, from yt-dlp's fields. */
  record Format(
      String id, String url, String manifestUrl, String protocol, String ext, String vcodec, String acodec,
      Integer width, Integer height, Double tbr, Long filesize, boolean drm) {

    static Format of(JsonNode f) {
      return new Format(
          f.path("format_id").asText(""),
          f.path("url").asText(null),
          f.path("manifest_url").asText(null),
          f.path("protocol").asText("").toLowerCase(Locale.ROOT),
          f.path("ext").asText("").toLowerCase(Locale.ROOT),
          f.path("vcodec").isTextual() ? f.path("vcodec").asText().toLowerCase(Locale.ROOT) : null,
          f.path("acodec").isTextual() ? f.path("acodec").asText().toLowerCase(Locale.ROOT) : null,
          f.path("width").isNumber() ? f.path("width").asInt() : null,
          f.path("height").isNumber() ? f.path("height").asInt() : null,
          f.path("tbr").isNumber() ? f.path("tbr").asDouble() : null,
          f.path("filesize").isNumber() ? f.path("filesize").asLong() : null,
          f.path("has_drm").asBoolean(false));
    }

    boolean videoOnly() {
      return vcodec != null && !vcodec.equals("none") && "none".equals(acodec);
    }

    boolean audioOnly() {
      return "none".equals(vcodec) && acodec != null && !acodec.equals("none");
    }

    /** Both tracks, or codecs not stated (plain pages: a file that plays as it is). */
    boolean muxed() {
      return !"none".equals(vcodec) && !"none".equals(acodec);
    }

    boolean browserVideo() {
      return vcodec == null || vcodec.startsWith("avc1") || vcodec.startsWith("h264") || vcodec.startsWith("vp9")
          || vcodec.startsWith("vp09") || vcodec.startsWith("vp8") || vcodec.startsWith("av01");
    }

    boolean browserAudio() {
      return acodec == null || acodec.startsWith("mp4a") || acodec.startsWith("aac") || acodec.startsWith("opus")
          || acodec.startsWith("vorbis") || acodec.startsWith("mp3");
    }

    boolean withinHeight() {
      return height == null || height <= MAX_HEIGHT;
    }

    double quality() {
      return (height == null ? 0 : height) * 10_000.0 + (tbr == null ? 0 : tbr);
    }
  }

  /** The choice made, or why there is none. */
  static ResolvedMedia choose(JsonNode info, URI source, String service, String serviceId) throws ResolveFailure {
    if (info.path("is_live").asBoolean(false) || "is_live".equals(info.path("live_status").asText())) {
      throw new ResolveFailure(ResolveFailure.Code.LIVE_NOT_SUPPORTED);
    }
    List<Format> formats = new ArrayList<>();
    JsonNode list = info.path("formats");
    if (list.isArray() && list.size() > 0) {
      list.forEach(f -> formats.add(Format.of(f)));
    } else if (info.has("url")) {
      formats.add(Format.of(info));
    }
    if (info.path("_has_drm").asBoolean(false) || (!formats.isEmpty() && formats.stream().allMatch(Format::drm))) {
      throw new ResolveFailure(ResolveFailure.Code.DRM);
    }
    List<Format> usable = formats.stream().filter(f -> !f.drm() && f.withinHeight()).toList();
    String title = info.path("title").asText(null);
    Double duration = info.path("duration").isNumber() ? info.path("duration").asDouble() : null;
    String thumbnail = info.path("thumbnail").asText(null);
    long expiresAt = Long.MAX_VALUE;

    Optional<Format> progressive =
        usable.stream()
            .filter(f -> HTTP.contains(f.protocol()) && f.muxed() && PROGRESSIVE_EXT.contains(f.ext())
                && f.browserVideo() && f.browserAudio() && f.url() != null)
            .max(Comparator.comparingDouble(Format::quality));
    if (progressive.isPresent()) {
      URI stream = URI.create(progressive.get().url());
      return new ResolvedMedia(ResolvedMedia.Kind.DIRECT, source, service, serviceId, title, duration, thumbnail,
          stream, null, List.of(), true, StreamExpiry.of(stream));
    }
    Optional<Format> hls =
        usable.stream()
            .filter(f -> f.protocol().startsWith("m3u8") && f.muxed() && f.browserVideo() && f.browserAudio())
            .max(Comparator.comparingDouble(Format::quality));
    if (hls.isPresent()) {
      URI manifest = URI.create(hls.get().manifestUrl() != null ? hls.get().manifestUrl() : hls.get().url());
      return new ResolvedMedia(ResolvedMedia.Kind.HLS, source, service, serviceId, title, duration, thumbnail,
          manifest, null, List.of(), true, StreamExpiry.of(manifest));
    }
    Optional<Format> dash = usable.stream().filter(f -> f.protocol().contains("dash") && f.manifestUrl() != null).findFirst();
    if (dash.isPresent()) {
      URI manifest = URI.create(dash.get().manifestUrl());
      return new ResolvedMedia(ResolvedMedia.Kind.DASH, source, service, serviceId, title, duration, thumbnail,
          manifest, null, List.of(), true, StreamExpiry.of(manifest));
    }
    // Separate files: the best mp4 video with the best m4a audio (the DASH manifest needs their
    // index ranges, which Watchroom reads from the MP4 boxes).
    Optional<Format> video =
        usable.stream()
            .filter(f -> HTTP.contains(f.protocol()) && f.videoOnly() && f.ext().equals("mp4") && f.browserVideo() && f.url() != null)
            .max(Comparator.comparingDouble(Format::quality));
    Optional<Format> audio =
        usable.stream()
            .filter(f -> HTTP.contains(f.protocol()) && f.audioOnly() && (f.ext().equals("m4a") || f.ext().equals("mp4"))
                && f.browserAudio() && f.url() != null)
            .max(Comparator.comparingDouble(f -> f.tbr() == null ? 0 : f.tbr()));
    if (video.isPresent() && audio.isPresent() && duration != null) {
      Format v = video.get();
      Format a = audio.get();
      URI videoUri = URI.create(v.url());
      URI audioUri = URI.create(a.url());
      ResolvedMedia.Split split =
          new ResolvedMedia.Split(videoUri, "video/mp4", v.vcodec(), v.width(), v.height(), bandwidth(v),
              audioUri, "audio/mp4", a.acodec(), bandwidth(a), null, null);
      return new ResolvedMedia(ResolvedMedia.Kind.SPLIT, source, service, serviceId, title, duration, thumbnail,
          null, split, List.of(new ResolvedMedia.Quality(v.height() + "p", v.width(), v.height(), bandwidth(v), v.vcodec())),
          true, Math.min(StreamExpiry.of(videoUri), StreamExpiry.of(audioUri)));
    }
    throw new ResolveFailure(ResolveFailure.Code.NO_PLAYABLE_FORMAT);
  }

  private static Long bandwidth(Format f) {
    return f.tbr() == null ? null : Math.round(f.tbr() * 1000);
  }
}
