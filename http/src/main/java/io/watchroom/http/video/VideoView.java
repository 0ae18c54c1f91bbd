package io.watchroom.http.video;

import io.watchroom.core.video.Probe;
import io.watchroom.core.video.PublishedMedia;
import io.watchroom.core.video.Rendition;
import io.watchroom.core.video.Video;
import io.watchroom.core.video.VideoCatalog;
import io.watchroom.core.video.VideoInfo;
import java.util.List;

/**
 * A video as the API shows it (docs/videos.md). Media paths are absolute paths on this server.
 *
 * @param status uploading, processing, transcoding, published, failed or deleted
 * @param progress percent of the transcoding job, 0 to 100 (100 once published)
 * @param uploaded bytes of the file received so far
 */
public record VideoView(
    String id,
    String title,
    String status,
    double progress,
    long length,
    long uploaded,
    Double duration,
    Integer width,
    Integer height,
    String reason,
    long createdAt,
    Boolean mine,
    MediaView media) {

  /** Where a published video's files are. */
  public record MediaView(
      String master, String poster, String thumbnails, double thumbnailInterval, List<RenditionView> renditions) {}

  public record RenditionView(String name, int width, int height, double frameRate, long bandwidth, long averageBandwidth, String codecs) {
    static RenditionView of(Rendition r) {
      return new RenditionView(r.name(), r.width(), r.height(), r.frameRate(), r.bandwidth(), r.averageBandwidth(), r.codecs());
    }
  }

  public boolean finished() {
    return status.equals("published") || status.equals("failed") || status.equals("deleted");
  }

  public static String mediaBase(String videoId) {
    return "/api/videos/" + videoId + "/media/";
  }

  public static VideoView of(Video.Status status, String requester) {
    Video.State state = status.state();
    VideoInfo info = ((Video.Existing) state).info();
    Boolean mine = requester == null ? null : info.owner().equals(requester);
    String stage = Video.stageOf(state);
    long uploaded = info.length();
    Probe probe = null;
    String reason = null;
    MediaView media = null;
    double progress = status.progress();
    if (state instanceof Video.Uploading u) {
      uploaded = u.offset();
    } else if (state instanceof Video.Processing p) {
      probe = p.probe();
      reason = p.lastError();
    } else if (state instanceof Video.Ready r) {
      probe = r.probe();
      media = media(info.id(), r.media());
      progress = 100;
    } else if (state instanceof Video.Broken b) {
      reason = b.reason();
    }
    return new VideoView(
        info.id(), info.title(), stage, Math.round(progress * 10) / 10.0, info.length(), uploaded,
        probe == null ? null : probe.duration(),
        probe == null ? null : probe.width(),
        probe == null ? null : probe.height(),
        reason, info.createdAt(), mine, media);
  }

  public static MediaView media(String id, PublishedMedia published) {
    String base = mediaBase(id);
    return new MediaView(
        base + published.master(), base + published.poster(), base + published.thumbnails(),
        published.thumbnailInterval(),
        published.renditions().stream().map(RenditionView::of).toList());
  }

  /** A catalog row: what the library lists. */
  public record CatalogItem(
      String id, String title, Double duration, Integer width, Integer height, String poster, String master,
      List<String> renditions, long views, long createdAt) {
    public static CatalogItem of(VideoCatalog.Entry e) {
      String base = mediaBase(e.id());
      return new CatalogItem(
          e.id(), e.title(), e.duration(), e.width(), e.height(),
          e.poster() == null ? null : base + e.poster(), base + "master.m3u8",
          e.renditions(), e.views(), e.createdAt());
    }
  }

  public record CatalogPage(List<CatalogItem> items, long total, int offset, int limit) {}
}
