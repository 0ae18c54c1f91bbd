package io.watchroom.extraction;

import java.net.URI;
import java.util.Locale;
import java.util.function.Function;

/**
 * Writes the DASH manifest that joins a video-only and an audio-only file into one stream, so a
 * real DASH player keeps them in sync (rather than two media elements nudged together by hand).
 */
final class DashManifestWriter {
  private DashManifestWriter() {}

  /** @param urlFor where the player fetches each file (the proxy) */
  static String write(ResolvedMedia.Split split, double durationSeconds, Function<URI, String> urlFor) {
    StringBuilder mpd = new StringBuilder();
    mpd.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
        .append("<MPD xmlns=\"urn:mpeg:dash:schema:mpd:2011\" profiles=\"urn:mpeg:dash:profile:isoff-on-demand:2011\"")
        .append(" type=\"static\" minBufferTime=\"PT2S\" mediaPresentationDuration=\"")
        .append(String.format(Locale.ROOT, "PT%.3fS", durationSeconds)).append("\">\n")
        .append("  <Period id=\"0\" start=\"PT0S\">\n");
    mpd.append("    <AdaptationSet id=\"0\" contentType=\"video\" mimeType=\"").append(xml(split.videoMime()))
        .append("\" subsegmentAlignment=\"true\" subsegmentStartsWithSAP=\"1\">\n")
        .append("      <Representation id=\"video\" bandwidth=\"").append(split.videoBandwidth() == null ? 1_000_000 : split.videoBandwidth())
        .append("\" codecs=\"").append(xml(split.videoCodecs())).append('"');
    if (split.width() != null && split.height() != null) {
      mpd.append(" width=\"").append(split.width()).append("\" height=\"").append(split.height()).append('"');
    }
    mpd.append(">\n");
    representationBody(mpd, urlFor.apply(split.video()), split.videoLayout());
    mpd.append("      </Representation>\n    </AdaptationSet>\n");
    mpd.append("    <AdaptationSet id=\"1\" contentType=\"audio\" mimeType=\"").append(xml(split.audioMime()))
        .append("\" subsegmentAlignment=\"true\" subsegmentStartsWithSAP=\"1\">\n")
        .append("      <Representation id=\"audio\" bandwidth=\"").append(split.audioBandwidth() == null ? 128_000 : split.audioBandwidth())
        .append("\" codecs=\"").append(xml(split.audioCodecs())).append("\">\n");
    representationBody(mpd, urlFor.apply(split.audio()), split.audioLayout());
    mpd.append("      </Representation>\n    </AdaptationSet>\n  </Period>\n</MPD>\n");
    return mpd.toString();
  }

  private static void representationBody(StringBuilder mpd, String url, Mp4Boxes.Layout layout) {
    mpd.append("        <BaseURL>").append(xml(url)).append("</BaseURL>\n")
        .append("        <SegmentBase indexRange=\"").append(layout.index()).append("\">\n")
        .append("          <Initialization range=\"").append(layout.initialization()).append("\"/>\n")
        .append("        </SegmentBase>\n");
  }

  private static String xml(String text) {
    return text == null ? "" : text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
