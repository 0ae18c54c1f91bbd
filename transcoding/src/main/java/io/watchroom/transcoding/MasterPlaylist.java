package io.watchroom.transcoding;

import io.lindstrom.m3u8.model.MediaPlaylist;
import io.lindstrom.m3u8.model.MediaSegment;
import io.lindstrom.m3u8.parser.MediaPlaylistParser;
import io.lindstrom.m3u8.parser.ParsingMode;
import io.watchroom.core.video.Rendition;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * The master playlist, written by Watchroom rather than taken from ffmpeg: every figure in it is
 * measured from the segments that were actually written. BANDWIDTH is the peak bit rate over any
 * segment (the init segment counted with the first), AVERAGE-BANDWIDTH the mean over the whole
 * rendition, and a video variant's figures include the audio rendition that plays beside it, as
 * RFC 8216 asks. CODECS comes from the init segment's avcC box, so it names the profile and level
 * x264 really used.
 */
public final class MasterPlaylist {
  private MasterPlaylist() {}

  public static final String AUDIO_CODEC = "mp4a.40.2";
  public static final String AUDIO_GROUP = "audio";

  /** Measures one rendition folder written by the ladder ({@code index.m3u8}, init, segments). */
  public static Rendition measure(Path folder, String name, int width, int height, double frameRate)
      throws IOException {
    MediaPlaylist playlist =
        new MediaPlaylistParser(ParsingMode.LENIENT).readPlaylist(folder.resolve("index.m3u8"));
    long init = 0;
    String codecs = AUDIO_CODEC;
    List<MediaSegment> segments = playlist.mediaSegments();
    if (!segments.isEmpty() && segments.get(0).segmentMap().isPresent()) {
      Path initFile = folder.resolve(segments.get(0).segmentMap().get().uri());
      init = Files.size(initFile);
      if (width > 0) {
        codecs = avcCodec(Files.readAllBytes(initFile));
      }
    }
    long peak = 0;
    long totalBytes = init;
    double totalSeconds = 0;
    for (int i = 0; i < segments.size(); i++) {
      MediaSegment segment = segments.get(i);
      long bytes = Files.size(folder.resolve(segment.uri())) + (i == 0 ? init : 0);
      double seconds = Math.max(segment.duration(), 0.001);
      peak = Math.max(peak, Math.round(bytes * 8 / seconds));
      totalBytes += bytes - (i == 0 ? init : 0);
      totalSeconds += segment.duration();
    }
    long average = totalSeconds > 0 ? Math.round(totalBytes * 8 / totalSeconds) : peak;
    return new Rendition(name, width, height, frameRate, peak, average, codecs, segments.size());
  }

  /**
   * The RFC 6381 name of the H.264 stream described by an fMP4 init segment: "avc1." and the
   * profile, constraint flags and level bytes of its avcC box.
   */
  static String avcCodec(byte[] init) throws IOException {
    for (int i = 0; i + 8 < init.length; i++) {
      if (init[i] == 'a' && init[i + 1] == 'v' && init[i + 2] == 'c' && init[i + 3] == 'C') {
        // avcC payload: configurationVersion, profile, compatibility, level
        return "avc1." + HexFormat.of().formatHex(init, i + 5, i + 8);
      }
    }
    throw new IOException("The init segment has no avcC box.");
  }

  /**
   * The master playlist for {@code renditions} (video rungs tallest first, and at most one audio
   * rendition), with paths relative to the master: {@code <name>/index.m3u8}.
   */
  public static String write(List<Rendition> renditions) {
    Rendition audio = renditions.stream().filter(Rendition::isAudio).findFirst().orElse(null);
    StringBuilder out = new StringBuilder("#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-INDEPENDENT-SEGMENTS\n");
    if (audio != null) {
      out.append("#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"").append(AUDIO_GROUP)
          .append("\",NAME=\"Audio\",DEFAULT=YES,AUTOSELECT=YES,CHANNELS=\"2\",URI=\"")
          .append(audio.name()).append("/index.m3u8\"\n");
    }
    for (Rendition video : renditions) {
      if (video.isAudio()) {
        continue;
      }
      long bandwidth = video.bandwidth() + (audio == null ? 0 : audio.bandwidth());
      long average = video.averageBandwidth() + (audio == null ? 0 : audio.averageBandwidth());
      String codecs = video.codecs() + (audio == null ? "" : "," + audio.codecs());
      out.append("#EXT-X-STREAM-INF:BANDWIDTH=").append(bandwidth)
          .append(",AVERAGE-BANDWIDTH=").append(average)
          .append(",RESOLUTION=").append(video.width()).append('x').append(video.height())
          .append(",FRAME-RATE=").append(String.format(Locale.ROOT, "%.3f", video.frameRate()))
          .append(",CODECS=\"").append(codecs).append('"');
      if (audio != null) {
        out.append(",AUDIO=\"").append(AUDIO_GROUP).append('"');
      }
      out.append('\n').append(video.name()).append("/index.m3u8\n");
    }
    return out.toString();
  }
}
